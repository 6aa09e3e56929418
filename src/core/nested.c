/* Nested calls: the system calls of module code (and of the libraries it
 * uses) inside the hypervisor, captured by purelibc's hook and served
 * through the view, seeing only the registrations older than the one the
 * module serves.  Outside module code the hook is not even set, so the
 * core's own calls cost one test in purelibc. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <purelibc.h>

#include "engine.h"
#include "fdtab.h"
#include "mtab.h"
#include "nested.h"
#include "path.h"
#include "reg.h"
#include "service.h"
#include "view.h"

/* This thread runs module code that sees registrations older than this
 * (0: it has not entered; a module thread then inherits the core
 * thread's). */
static __thread unsigned long t_before;
/* The dispatcher runs on this thread: its own calls are real. */
static __thread int t_core;
/* 1: this is the core (main) thread, 2: a module's thread, 0: unknown. */
static __thread int t_role;
/* The core thread's t_before, for module threads (a FUSE file system's
 * thread works while the core waits in the module's operation). */
static unsigned long main_before;

static int hook(long nr, const long args[6], long *ret);

static bool on_main(void)
{
	if (!t_role)
		t_role = purelibc_native_syscall(__NR_gettid, 0, 0, 0, 0, 0,
						 0) == getpid() ? 1 : 2;
	return t_role == 1;
}

struct nested_state nested_enter(unsigned long before)
{
	struct nested_state s = { t_before, main_before, t_core };

	t_before = before ? before : REG_EPOCH_MAX;
	t_core = 0;
	if (on_main()) {
		main_before = t_before;
		if (!s.before)
			purelibc_set_hook(hook);
	}
	return s;
}

void nested_leave(struct nested_state s)
{
	t_before = s.before;
	t_core = s.core;
	if (on_main()) {
		main_before = s.main_before;
		if (!s.before)
			purelibc_set_hook(NULL);
	}
}

int um_caller_abspath(const char *path, char *buf, size_t size)
{
	if (!path || !buf)
		return -EINVAL;
	return view_caller_abspath(engine_current(), path, buf, size);
}

/* --- the real call, for the calls served on a resolved path --- */

static long native(long nr, long a, long b, long c, long d, long e)
{
	return purelibc_native_syscall(nr, a, b, c, d, e, 0);
}

#define ABS(vp) ((long)(vp)->abs)

/* --- resolution --- */

/* Where a path relative to dirfd starts: the hypervisor's own cwd, the
 * view path of a placeholder, or a real directory fd's path. */
static int base_of(int dirfd, const char *path, char *base, size_t size)
{
	struct ofd *ofd;
	char link[64];
	ssize_t n;

	if (path[0] == '/') {
		strcpy(base, "/");
		return 0;
	}
	if (dirfd == AT_FDCWD)
		return getcwd(base, size) ? 0 : -errno;
	ofd = nested_ofd(dirfd);
	if (ofd) {
		if (strlen(ofd->path) >= size)
			return -ENAMETOOLONG;
		strcpy(base, ofd->path);
		return 0;
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd);
	n = readlink(link, base, size - 1);
	if (n < 0)
		return errno == ENOENT ? -EBADF : -errno;
	base[n] = '\0';
	return 0;
}

static int resolve(long dirfd, long upath, int pflags, unsigned long before,
		   struct vpath *vp)
{
	const char *path = (const char *)upath;
	char base[PATH_MAX];
	int err;

	if (!path)
		return -EFAULT;
	if (!*path && !(pflags & PATH_EMPTY_OK))
		return -ENOENT;
	err = base_of((int)dirfd, path, base, sizeof(base));
	if (err < 0)
		return err;
	return view_resolve_local(base, path, pflags, before, vp);
}

static mode_t cur_umask(void)
{
	mode_t m = umask(0);

	umask(m);
	return m;
}

/* --- open --- */

static void release_nested(struct ofd *ofd)
{
	struct vmount *m = ofd->mount;

	MOUNT_OP(m, release, ofd->handle);
	mtab_unbusy(m);
}

static long open_virtual(struct vpath *vp, int flags, mode_t mode)
{
	void *handle = NULL;
	struct ofd *ofd;
	long ret;

	if ((flags & O_CREAT) && (flags & O_EXCL) && vp->mode)
		return -EEXIST;
	ret = MOUNT_OP(vp->m, open, vp->rel, flags & ~O_CLOEXEC,
		       (flags & O_CREAT) ? mode & ~cur_umask() : mode, &handle);
	if (ret != 0)
		return ret; /* an error, or a real fd (passthrough) */
	ofd = ofd_new(vp->m->svc, handle,
		      flags & ~(O_CLOEXEC | O_CREAT | O_EXCL | O_NOCTTY |
				O_TRUNC),
		      vp->abs, release_nested);
	if (!ofd) {
		MOUNT_OP(vp->m, release, handle);
		return -ENOMEM;
	}
	ofd->mount = vp->m;
	vp->m->busy++;
	ret = nested_install(ofd, -1, flags & O_CLOEXEC);
	ofd_put(ofd);
	return ret;
}

static long do_open(const long a[6], unsigned long before)
{
	int flags = a[2];
	struct vpath vp;
	long r = resolve(a[0], a[1], path_open_flags(flags), before, &vp);

	if (r == VIEW_KERNEL)
		r = native(__NR_openat, a[0], a[1], flags, a[3], 0);
	else if (r == VIEW_REAL)
		r = native(__NR_openat, AT_FDCWD, ABS(&vp), flags, a[3], 0);
	else if (r == VIEW_VIRTUAL)
		return open_virtual(&vp, flags, a[3]);
	if (r >= 0)
		nested_forget(r); /* a stale number, closed behind our back */
	return r;
}

/* --- the stat family --- */

void stat_to_statx(const struct stat *st, struct statx *x)
{
	memset(x, 0, sizeof(*x));
	x->stx_mask = STATX_BASIC_STATS;
	x->stx_blksize = st->st_blksize;
	x->stx_nlink = st->st_nlink;
	x->stx_uid = st->st_uid;
	x->stx_gid = st->st_gid;
	x->stx_mode = st->st_mode;
	x->stx_ino = st->st_ino;
	x->stx_size = st->st_size;
	x->stx_blocks = st->st_blocks;
	x->stx_atime.tv_sec = st->st_atim.tv_sec;
	x->stx_atime.tv_nsec = st->st_atim.tv_nsec;
	x->stx_mtime.tv_sec = st->st_mtim.tv_sec;
	x->stx_mtime.tv_nsec = st->st_mtim.tv_nsec;
	x->stx_ctime.tv_sec = st->st_ctim.tv_sec;
	x->stx_ctime.tv_nsec = st->st_ctim.tv_nsec;
	x->stx_rdev_major = major(st->st_rdev);
	x->stx_rdev_minor = minor(st->st_rdev);
	x->stx_dev_major = major(st->st_dev);
	x->stx_dev_minor = minor(st->st_dev);
}

/* newfstatat and statx: 1 and *ret when served, 0 to let it run. */
static int do_stat(long nr, const long a[6], unsigned long before, long *ret)
{
	int flags = nr == __NR_statx ? a[2] : a[3];
	int pflags = (flags & AT_SYMLINK_NOFOLLOW) ? PATH_NOFOLLOW : 0;
	const char *path = (const char *)a[1];
	struct ofd *ofd;
	struct vpath vp;
	struct stat st;
	long r;

	if (!a[nr == __NR_statx ? 4 : 2]) {
		*ret = -EFAULT;
		return 1;
	}
	if ((flags & AT_EMPTY_PATH) && (!path || !*path)) {
		/* fstat: a real fd (the module's own files) is the kernel's,
		 * with no path to look at */
		ofd = nested_ofd(a[0]);
		if (!ofd)
			return 0;
		r = MOUNT_OP(ofd->mount, fstat, ofd->handle, &st);
	} else {
		if (flags & AT_EMPTY_PATH)
			pflags |= PATH_EMPTY_OK;
		r = resolve(a[0], a[1], pflags, before, &vp);
		if (r == VIEW_KERNEL)
			return 0;
		if (r == VIEW_REAL)
			r = lstat(vp.abs, &st) < 0 ? -errno : 0;
		else if (r == VIEW_VIRTUAL)
			r = MOUNT_OP(vp.m, lstat, vp.rel, &st);
	}
	if (r == 0 && nr == __NR_statx)
		stat_to_statx(&st, (struct statx *)a[4]);
	else if (r == 0)
		memcpy((void *)a[2], &st, sizeof(st));
	*ret = r;
	return 1;
}

/* --- calls with one path --- */

/* The flags for the path of a one-path call. */
static int one_pflags(long nr, const long a[6])
{
	switch (nr) {
	case __NR_faccessat:
		return 0;
	case __NR_faccessat2:
		return (a[3] & AT_SYMLINK_NOFOLLOW) ? PATH_NOFOLLOW : 0;
	case __NR_readlinkat:
	case __NR_unlinkat:
	case __NR_lgetxattr:
	case __NR_lsetxattr:
	case __NR_llistxattr:
	case __NR_lremovexattr:
		return PATH_NOFOLLOW;
	case __NR_mkdirat:
		return PATH_NEW | PATH_DIRECTORY;
	case __NR_mknodat:
	case __NR_symlinkat:
		return PATH_NEW;
	case __NR_fchownat:
	case __NR_utimensat:
		return (a[4 - (nr == __NR_utimensat)] & AT_SYMLINK_NOFOLLOW)
			       ? PATH_NOFOLLOW
			       : 0;
	default:
		return 0;
	}
}

static long one_virtual(long nr, const long a[6], struct vpath *vp)
{
	struct vmount *m = vp->m;
	const char *p = vp->rel;
	struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };

	switch (nr) {
	case __NR_faccessat:
	case __NR_faccessat2:
		return MOUNT_OP(m, access, p, (int)a[2]);
	case __NR_readlinkat:
		if ((long)a[3] <= 0)
			return -EINVAL;
		return MOUNT_OP(m, readlink, p, (char *)a[2], a[3]);
	case __NR_mkdirat:
		if (vp->mode)
			return -EEXIST;
		return MOUNT_OP(m, mkdir, p, a[2] & ~cur_umask());
	case __NR_mknodat:
		if (vp->mode)
			return -EEXIST;
		return MOUNT_OP(m, mknod, p, a[2] & ~cur_umask(), a[3]);
	case __NR_symlinkat:
		if (vp->mode)
			return -EEXIST;
		return MOUNT_OP(m, symlink, (const char *)a[0], p);
	case __NR_unlinkat:
		if (a[2] & AT_REMOVEDIR)
			return MOUNT_OP(m, rmdir, p);
		return MOUNT_OP(m, unlink, p);
	case __NR_fchmodat:
		return MOUNT_OP(m, chmod, p, a[2]);
	case __NR_fchownat:
		return MOUNT_OP(m, chown, p, a[2], a[3]);
	case __NR_utimensat:
		return MOUNT_OP(m, utimens, p,
				a[2] ? (const struct timespec *)a[2] : now);
	case __NR_truncate:
		return MOUNT_OP(m, truncate, p, a[1]);
	case __NR_statfs:
		return MOUNT_OP(m, statfs, p, (struct statfs *)a[1]);
	case __NR_getxattr:
	case __NR_lgetxattr:
		if (!SERVICE_OP(m->svc, getxattr))
			return -ENOTSUP;
		return MOUNT_OP(m, getxattr, p, (const char *)a[1],
				(void *)a[2], a[3]);
	case __NR_setxattr:
	case __NR_lsetxattr:
		if (!SERVICE_OP(m->svc, setxattr))
			return -ENOTSUP;
		return MOUNT_OP(m, setxattr, p, (const char *)a[1],
				(const void *)a[2], a[3], a[4]);
	case __NR_listxattr:
	case __NR_llistxattr:
		if (!SERVICE_OP(m->svc, listxattr))
			return -ENOTSUP;
		return MOUNT_OP(m, listxattr, p, (char *)a[1], a[2]);
	case __NR_removexattr:
	case __NR_lremovexattr:
		if (!SERVICE_OP(m->svc, removexattr))
			return -ENOTSUP;
		return MOUNT_OP(m, removexattr, p, (const char *)a[1]);
	default:
		return -ENOSYS;
	}
}

/* The same call, made for real on the resolved path. */
static long one_real(long nr, const long a[6], struct vpath *vp)
{
	long abs = ABS(vp);

	switch (nr) {
	case __NR_faccessat:
		return native(nr, AT_FDCWD, abs, a[2], 0, 0);
	case __NR_faccessat2:
		return native(nr, AT_FDCWD, abs, a[2],
			      a[3] & ~AT_SYMLINK_NOFOLLOW, 0);
	case __NR_readlinkat:
	case __NR_mknodat:
		return native(nr, AT_FDCWD, abs, a[2], a[3], 0);
	case __NR_mkdirat:
	case __NR_unlinkat:
	case __NR_fchmodat:
		return native(nr, AT_FDCWD, abs, a[2], 0, 0);
	case __NR_symlinkat:
		return native(nr, a[0], AT_FDCWD, abs, 0, 0);
	case __NR_fchownat:
		return native(nr, AT_FDCWD, abs, a[2], a[3],
			      AT_SYMLINK_NOFOLLOW);
	case __NR_utimensat:
		return native(nr, AT_FDCWD, abs, a[2], AT_SYMLINK_NOFOLLOW, 0);
	case __NR_truncate:
	case __NR_statfs:
		return native(nr, abs, a[1], 0, 0, 0);
	default: /* the path xattr calls: the l-form, on the resolved path */
		switch (nr) {
		case __NR_getxattr:
			nr = __NR_lgetxattr;
			break;
		case __NR_setxattr:
			nr = __NR_lsetxattr;
			break;
		case __NR_listxattr:
			nr = __NR_llistxattr;
			break;
		case __NR_removexattr:
			nr = __NR_lremovexattr;
			break;
		}
		return native(nr, abs, a[1], a[2], a[3], a[4]);
	}
}

/* Which argument is the path, and which its dirfd (-1: AT_FDCWD). */
static int one_path(long nr, const long a[6], unsigned long before,
		    long *ret)
{
	int pi = 1, di = 0;
	struct vpath vp;
	long r;

	switch (nr) {
	case __NR_symlinkat:
		pi = 2;
		di = 1;
		break;
	case __NR_truncate:
	case __NR_statfs:
	case __NR_getxattr:
	case __NR_lgetxattr:
	case __NR_setxattr:
	case __NR_lsetxattr:
	case __NR_listxattr:
	case __NR_llistxattr:
	case __NR_removexattr:
	case __NR_lremovexattr:
		pi = 0;
		di = -1;
		break;
	case __NR_utimensat:
		if (!a[1]) /* futimens */
			return nested_fd_call(nr, a, ret);
		break;
	}
	r = resolve(di < 0 ? AT_FDCWD : a[di], a[pi], one_pflags(nr, a),
		    before, &vp);
	if (r == VIEW_KERNEL)
		return 0;
	if (r == VIEW_VIRTUAL)
		r = one_virtual(nr, a, &vp);
	else if (r == VIEW_REAL)
		r = one_real(nr, a, &vp);
	*ret = r;
	return 1;
}

/* --- calls with two paths: both in one mount, both real, or EXDEV --- */

static int two_paths(long nr, const long a[6], unsigned long before,
		     long *ret)
{
	int follow = nr == __NR_linkat && (a[4] & AT_SYMLINK_FOLLOW);
	int pb = nr == __NR_linkat ? PATH_NEW : PATH_NOFOLLOW | PATH_CREATE;
	struct vpath va, vb;
	long ra, rb, r;

	ra = resolve(a[0], a[1], follow ? 0 : PATH_NOFOLLOW, before, &va);
	rb = ra < 0 ? ra : resolve(a[2], a[3], pb, before, &vb);
	if (ra == VIEW_KERNEL && rb == VIEW_KERNEL)
		return 0;
	if (ra < 0 || rb < 0)
		r = ra < 0 ? ra : rb;
	else if (ra == VIEW_VIRTUAL || rb == VIEW_VIRTUAL)
		r = ra != rb || va.m != vb.m ? -EXDEV
		    : nr == __NR_linkat ? (vb.mode ? -EEXIST
					  : MOUNT_OP(va.m, link, va.rel, vb.rel))
		    : MOUNT_OP(va.m, rename, va.rel, vb.rel,
			       (unsigned int)a[4]);
	else if (nr == __NR_linkat)
		r = native(nr, AT_FDCWD, ABS(&va), AT_FDCWD, ABS(&vb), 0);
	else
		r = native(nr, AT_FDCWD, ABS(&va), AT_FDCWD, ABS(&vb), a[4]);
	*ret = r;
	return 1;
}

/* --- the hook --- */

static int dispatch(long nr, const long a[6], unsigned long before,
		    long *ret)
{
	switch (nr) {
	case PURELIBC_NR_VIRTUAL_FD:
		*ret = nested_ofd(a[0]) != NULL;
		return 1;
	case __NR_openat:
		if (!mtab_any())
			return 0;
		*ret = do_open(a, before);
		return 1;
	case __NR_newfstatat:
	case __NR_statx:
		return mtab_any() ? do_stat(nr, a, before, ret) : 0;
	case __NR_faccessat:
	case __NR_faccessat2:
	case __NR_readlinkat:
	case __NR_mkdirat:
	case __NR_mknodat:
	case __NR_symlinkat:
	case __NR_unlinkat:
	case __NR_fchmodat:
	case __NR_fchownat:
	case __NR_utimensat:
	case __NR_truncate:
	case __NR_statfs:
	case __NR_getxattr:
	case __NR_lgetxattr:
	case __NR_setxattr:
	case __NR_lsetxattr:
	case __NR_listxattr:
	case __NR_llistxattr:
	case __NR_removexattr:
	case __NR_lremovexattr:
		return mtab_any() ? one_path(nr, a, before, ret) : 0;
	case __NR_renameat2:
	case __NR_linkat:
		return mtab_any() ? two_paths(nr, a, before, ret) : 0;
	default:
		return nested_fd_call(nr, a, ret);
	}
}

static int hook(long nr, const long args[6], long *ret)
{
	unsigned long before;
	int served;

	if (t_core)
		return 0; /* the dispatcher's own calls */
	before = t_before ? t_before : main_before;
	if (!before)
		return 0; /* a module thread while the core is elsewhere */
	t_core = 1;
	served = dispatch(nr, args, before, ret);
	t_core = 0;
	return served;
}
