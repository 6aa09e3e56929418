/* The file family's questions about a path: the stat family, statfs,
 * access and readlink.  Paths resolve as in file.c. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../fdtab.h"
#include "../mem.h"
#include "../mtab.h"
#include "../path.h"
#include "../service.h"
#include "../tracee.h"
#include "../view.h"
#include "sc.h"

/* --- the stat family --- */

static int stat_fd(struct sc_call *c, int fd, struct stat *st)
{
	struct ofd *ofd = fdtab_lookup(c->t->files, fd);
	struct vmount *m;
	int (*op)(void *, void *, struct stat *);

	if (!ofd)
		return 1; /* real */
	m = ofd->mount;
	op = SERVICE_OP(m->svc, fstat);
	return op ? NESTED_CALL(m->epoch, op, m->mnt, ofd->handle, st) : -ENOSYS;
}

static int stat_path(struct vpath *vp, struct stat *st)
{
	int (*op)(void *, const char *, struct stat *);

	if (!vp->m)
		return lstat(vp->abs, st) < 0 ? -errno : 0;
	op = VP_OP(vp, lstat);
	return op ? NESTED_CALL(vp->m->epoch, op, vp->m->mnt, vp->rel, st) : -ENOSYS;
}

enum sc_action sc_stat(struct sc_call *c)
{
	int i = 0, flags = 0, pflags = 0, r, dirfd = AT_FDCWD;
	unsigned long out;
	struct vpath vp;
	struct stat st;
	char first = 1;

	switch (c->nr) {
	case __NR_stat:
		out = c->arg[1];
		break;
	case __NR_lstat:
		out = c->arg[1];
		pflags = PATH_NOFOLLOW;
		break;
	case __NR_newfstatat:
		i = 1;
		dirfd = c->arg[0];
		out = c->arg[2];
		flags = c->arg[3];
		break;
	default: /* statx */
		i = 1;
		dirfd = c->arg[0];
		flags = c->arg[2];
		out = c->arg[4];
		break;
	}
	if (c->nr == __NR_newfstatat &&
	    flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return sc_return(c, -EINVAL);
	if (c->nr == __NR_statx &&
	    (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH |
		       AT_STATX_SYNC_TYPE) ||
	     (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE ||
	     c->arg[3] & STATX__RESERVED))
		return sc_return(c, -EINVAL);
	if (flags & AT_SYMLINK_NOFOLLOW)
		pflags |= PATH_NOFOLLOW;
	if (flags & AT_EMPTY_PATH) {
		pflags |= PATH_EMPTY_OK;
		if (c->arg[i] && mem_read(c->t->tid, c->arg[i], &first, 1) < 0)
			return sc_return(c, -EFAULT);
	}
	if ((flags & AT_EMPTY_PATH) && (!c->arg[i] || !first) &&
	    dirfd != AT_FDCWD) {
		r = stat_fd(c, dirfd, &st);
		if (r > 0)
			return SC_KERNEL;
	} else {
		r = file_resolve(c, i, pflags, &vp);
		if (r == VIEW_KERNEL)
			return SC_KERNEL;
		if (r >= 0)
			r = stat_path(&vp, &st);
	}
	if (r < 0)
		return sc_return(c, r);
	if (c->nr == __NR_statx) {
		struct statx x;

		stat_to_statx(&st, &x);
		r = mem_write(c->t->tid, out, &x, sizeof(x));
	} else {
		r = mem_write(c->t->tid, out, &st, sizeof(st));
	}
	return sc_return(c, r < 0 ? -EFAULT : 0);
}

/* --- access, readlink --- */

enum sc_action sc_access(struct sc_call *c)
{
	int i = c->nr == __NR_access ? 0 : 1;
	int mode = c->arg[i + 1];
	int flags = c->nr == __NR_faccessat2 ? (int)c->arg[3] : 0;
	int (*op)(void *, const char *, int);
	struct vpath vp;
	int r;

	/* the kernel checks these before it looks at the path */
	if (mode & ~(R_OK | W_OK | X_OK) ||
	    flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return sc_return(c, -EINVAL);
	r = file_resolve(c, i,
			 ((flags & AT_SYMLINK_NOFOLLOW) ? PATH_NOFOLLOW : 0) |
			 ((flags & AT_EMPTY_PATH) ? PATH_EMPTY_OK : 0), &vp);
	if (r == VIEW_KERNEL)
		return SC_KERNEL;
	if (r < 0)
		return sc_return(c, r);
	if (!vp.m)
		return sc_return(c, neg_errno(faccessat(AT_FDCWD, vp.abs, mode,
						   flags & AT_EACCESS)));
	op = VP_OP(&vp, access);
	return sc_return(c, op ? NESTED_CALL(vp.m->epoch, op, vp.m->mnt, vp.rel, mode) : -ENOSYS);
}

/* readlink of /proc/PID/fd/N for a virtual fd: its path in the view, not
 * the placeholder's.  Returns the length, or 0 if abs is not one. */
static ssize_t proc_fd_link(const char *abs, char *buf, size_t size)
{
	struct ofd *ofd = file_proc_fd(abs);
	size_t len;

	if (!ofd)
		return 0;
	len = strlen(ofd->path);
	if (len > size)
		len = size;
	memcpy(buf, ofd->path, len);
	return len;
}

enum sc_action sc_readlink(struct sc_call *c)
{
	int i = c->nr == __NR_readlink ? 0 : 1;
	unsigned long buf = c->arg[i + 1];
	size_t size = c->arg[i + 2];
	ssize_t (*op)(void *, const char *, char *, size_t);
	char target[PATH_MAX];
	struct vpath vp;
	ssize_t n;
	int r;

	if ((ssize_t)size <= 0)
		return sc_return(c, -EINVAL);
	/* readlinkat(fd, "") reads the symlink an O_PATH fd stands for */
	r = file_resolve(c, i, PATH_NOFOLLOW |
			 (i && (int)c->arg[0] != AT_FDCWD ? PATH_EMPTY_OK : 0),
			 &vp);
	if (size > sizeof(target))
		size = sizeof(target);
	if (r == VIEW_KERNEL || r == VIEW_REAL) {
		n = proc_fd_link(vp.abs, target, size);
		if (n > 0 && mem_write(c->t->tid, buf, target, n) < 0)
			n = -EFAULT;
		if (n != 0)
			return sc_return(c, n);
	}
	if (r == VIEW_KERNEL)
		return SC_KERNEL;
	if (r < 0)
		return sc_return(c, r);
	if (vp.mode && !S_ISLNK(vp.mode) &&
	    mem_read(c->t->tid, c->arg[i], target, 1) == 0 && !target[0])
		return sc_return(c, -ENOENT); /* "" names no symlink */
	if (!vp.m) {
		n = neg_errno(readlink(vp.abs, target, size));
	} else {
		op = VP_OP(&vp, readlink);
		n = op ? NESTED_CALL(vp.m->epoch, op, vp.m->mnt, vp.rel, target, size) : -ENOSYS;
	}
	if (n > 0 && mem_write(c->t->tid, buf, target, n) < 0)
		n = -EFAULT;
	return sc_return(c, n);
}

/* --- statfs --- */

enum sc_action sc_statfs(struct sc_call *c)
{
	int (*op)(void *, const char *, struct statfs *);
	struct vpath vp;
	struct statfs sfs;
	int r = file_resolve(c, 0, 0, &vp);

	if (r == VIEW_KERNEL)
		return SC_KERNEL;
	if (r < 0)
		return sc_return(c, r);
	if (!vp.m) {
		r = statfs(vp.abs, &sfs) < 0 ? -errno : 0;
	} else {
		op = VP_OP(&vp, statfs);
		r = op ? NESTED_CALL(vp.m->epoch, op, vp.m->mnt, vp.rel, &sfs) : -ENOSYS;
	}
	if (r == 0 && mem_write(c->t->tid, c->arg[1], &sfs, sizeof(sfs)) < 0)
		r = -EFAULT;
	return sc_return(c, r);
}
