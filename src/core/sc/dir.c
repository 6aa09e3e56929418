/* The current directory: chdir, fchdir, getcwd.  A cwd inside a virtual
 * mount is kept by the hypervisor (the kernel's stays where it was), and
 * relative paths are then resolved against it. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "../fdtab.h"
#include "../mem.h"
#include "../mtab.h"
#include "../path.h"
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
	err = op(m->mnt, ofd->handle, &st);
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

enum sc_action sc_getcwd(struct sc_call *c)
{
	size_t n;

	if (!c->t->fs->cwd)
		return SC_KERNEL;
	n = strlen(c->t->fs->cwd) + 1;
	if (c->arg[1] < n)
		return sc_return(c, -ERANGE);
	if (mem_write(c->t->tid, c->arg[0], c->t->fs->cwd, n) < 0)
		return sc_return(c, -EFAULT);
	return sc_return(c, n);
}
