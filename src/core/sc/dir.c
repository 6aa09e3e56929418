/* The process's file-system state: chdir, fchdir, getcwd, chroot, umask.
 * A cwd inside a virtual mount is kept by the hypervisor (the kernel's
 * stays where it was), and relative paths are then resolved against it;
 * so is a root inside one, and every path of the process then starts
 * from it. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../cred.h"
#include "../fdtab.h"
#include "../mem.h"
#include "../mtab.h"
#include "../path.h"
#include "../reg.h"
#include "../service.h"
#include "../tracee.h"
#include "../view.h"
#include "sc.h"

/* The hypervisor keeps the cwd (NULL: the kernel's is right). */
static void set_cwd(struct tracee *t, const char *abs)
{
	char *copy = abs ? strdup(abs) : NULL;

	if (abs && !copy)
		return;
	free(t->fs->cwd);
	t->fs->cwd = copy;
}

/* 0 if the virtual fd is a directory, -ENOTDIR if not, or -errno. */
static int is_dir(struct ofd *ofd)
{
	struct vmount *m = ofd->mount;
	int (*op)(void *, void *, struct stat *) = SERVICE_OP(m->svc, fstat);
	struct stat st;
	int err;

	if (!op)
		return -ENOSYS;
	err = NESTED_CALL(m->epoch, op, m->mnt, ofd->handle, &st);
	if (err < 0)
		return err;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

enum sc_action sc_chdir(struct sc_call *c)
{
	char path[PATH_MAX];
	struct vpath vp;
	struct stat st;
	int r, err;

	if (c->nr == __NR_fchdir) {
		struct ofd *ofd = fdtab_lookup(c->t->files, (int)c->arg[0]);

		if (!ofd) {
			/* a real directory: the kernel's cwd will be right */
			set_cwd(c->t, NULL);
			return SC_KERNEL;
		}
		err = view_fd_path(c, (int)c->arg[0], path, sizeof(path));
		if (err < 0)
			return sc_return(c, err);
		err = is_dir(ofd);
		if (err < 0)
			return sc_return(c, err);
		set_cwd(c->t, path);
		return sc_return(c, 0);
	}
	r = view_resolve(c, AT_FDCWD, c->arg[0], PATH_DIRECTORY, &vp);
	if (r < 0)
		return sc_return(c, r);
	if (r == VIEW_KERNEL) {
		if (!c->t->fs->cwd)
			return SC_KERNEL;
		/* back to a real cwd, by an absolute path the kernel takes */
		if (stat(vp.abs, &st) < 0)
			return sc_return(c, -errno);
		if (!S_ISDIR(st.st_mode))
			return sc_return(c, -ENOTDIR);
		set_cwd(c->t, NULL);
		return SC_KERNEL;
	}
	set_cwd(c->t, vp.abs);
	return sc_return(c, 0);
}

/* The cwd as the process sees it: below a virtual root, without the
 * root's prefix; outside it, as Linux shows an unreachable cwd. */
static void visible_cwd(const struct fsinfo *fs, char *buf, size_t size)
{
	size_t n = fs->root ? strlen(fs->root) : 0;

	if (!fs->root)
		snprintf(buf, size, "%s", fs->cwd);
	else if (strncmp(fs->cwd, fs->root, n) == 0 && !fs->cwd[n])
		snprintf(buf, size, "/");
	else if (strncmp(fs->cwd, fs->root, n) == 0 && fs->cwd[n] == '/')
		snprintf(buf, size, "%s", fs->cwd + n);
	else
		snprintf(buf, size, "(unreachable)%s", fs->cwd);
}

/* A virtual cwd that is gone (rmdir'ed by someone): getcwd is -ENOENT, as
 * Linux says for an unlinked cwd.  A directory made again under the same
 * name is taken for the cwd: the module is asked by path. */
static bool cwd_removed(const char *cwd)
{
	struct vmount *m = mtab_lookup(cwd, REG_EPOCH_MAX);
	struct stat st;

	return m && MOUNT_OP(m, lstat, mtab_relative(m, cwd), &st) == -ENOENT;
}

enum sc_action sc_getcwd(struct sc_call *c)
{
	char cwd[PATH_MAX + 16];
	size_t n;

	if (!c->t->fs->cwd)
		return SC_KERNEL;
	if (cwd_removed(c->t->fs->cwd))
		return sc_return(c, -ENOENT);
	visible_cwd(c->t->fs, cwd, sizeof(cwd));
	n = strlen(cwd) + 1;
	if (c->arg[1] < n)
		return sc_return(c, -ERANGE);
	if (mem_write(c->t->tid, c->arg[0], cwd, n) < 0)
		return sc_return(c, -EFAULT);
	return sc_return(c, n);
}

/*
 * chroot(2).  Into a directory inside a virtual mount it works for any
 * user: the root is the hypervisor's, like the virtual cwd, and paths of
 * the process (and of its children) resolve from it from then on.  It is
 * a view, not a confinement: it grants nothing (no_new_privs holds for
 * every tracee, so no set-user-ID program can be fooled by it), and fds
 * opened before keep their files.  Into a real directory the kernel
 * answers, as outside the view (EPERM without CAP_SYS_CHROOT); inside a
 * virtual root a real directory cannot be reached except through a real
 * fd opened before: refused with EPERM too.
 */
enum sc_action sc_chroot(struct sc_call *c)
{
	struct vpath vp;
	char *copy;
	int r, err;

	r = view_resolve(c, AT_FDCWD, c->arg[0], PATH_DIRECTORY | VIEW_WALK,
			 &vp);
	if (r < 0)
		return sc_return(c, r);
	if (r != VIEW_VIRTUAL)
		return c->t->fs->root ? sc_return(c, -EPERM) : SC_KERNEL;
	if (!S_ISDIR(vp.mode))
		return sc_return(c, -ENOTDIR);
	if (SERVICE_OP(vp.m->svc, access)) {
		err = MOUNT_OP(vp.m, access, vp.rel, X_OK);
		if (err < 0)
			return sc_return(c, err);
	}
	copy = strdup(vp.abs);
	if (!copy)
		return sc_return(c, -ENOMEM);
	free(c->t->fs->root);
	c->t->fs->root = copy;
	return sc_return(c, 0);
}

/* umask(2) cannot fail: note the new mask (shared under CLONE_FS as the
 * kernel's) and let the kernel set it. */
enum sc_action sc_umask(struct sc_call *c)
{
	c->t->fs->umask = c->arg[0] & 0777;
	c->t->fs->umask_known = true;
	return SC_KERNEL;
}

/* setuid(2) and the rest: the thread's credentials change when the kernel
 * runs the call, after this answer and before its next call; the ones
 * kept for modules (cred.c) are read again then. */
enum sc_action sc_setid(struct sc_call *c)
{
	tracee_cred_forget(c->t);
	return SC_KERNEL;
}
