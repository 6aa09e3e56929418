/* Nested calls on file descriptors: module code holds a real placeholder
 * fd (on /dev/null) for each file another module serves it; calls on that
 * number reach the serving module, with the offset and flags kept here as
 * the core keeps them for tracees. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include <purelibc.h>

#include "fdtab.h"
#include "mtab.h"
#include "nested.h"
#include "service.h"

/* The hypervisor's placeholders for module code. */
static struct fdtab *files;

static long native(long nr, long a, long b, long c)
{
	return purelibc_native_syscall(nr, a, b, c, 0, 0, 0);
}

struct ofd *nested_ofd(int fd)
{
	return files && fd >= 0 ? fdtab_lookup(files, fd) : NULL;
}

void nested_forget(int fd)
{
	if (files && fd >= 0 && fdtab_lookup(files, fd))
		fdtab_close(files, fd);
}

struct ofd *nested_take(int fd, const char *path)
{
	struct ofd *ofd = nested_ofd(fd);
	char *copy;

	if (!ofd)
		return NULL;
	ofd_get(ofd);
	fdtab_close(files, fd);
	copy = path ? strdup(path) : NULL;
	if (copy) {
		free(ofd->path);
		ofd->path = copy;
	}
	return ofd;
}

int nested_install(struct ofd *ofd, int at, bool cloexec)
{
	long ph;

	if (!files && !(files = fdtab_new()))
		return -ENOMEM;
	ph = purelibc_native_syscall(__NR_openat, AT_FDCWD, (long)"/dev/null",
				     O_RDWR | O_CLOEXEC, 0, 0, 0);
	if (ph < 0)
		return ph;
	if (at >= 0 && at != ph) {
		long r = purelibc_native_syscall(__NR_dup3, ph, at, O_CLOEXEC,
						 0, 0, 0);

		native(__NR_close, ph, 0, 0);
		if (r < 0)
			return r;
		nested_forget(at);
		ph = at;
	}
	if (fdtab_set(files, ph, ofd, cloexec) < 0) {
		native(__NR_close, ph, 0, 0);
		return -ENOMEM;
	}
	return ph;
}

/* --- I/O with the offset kept here --- */

long ofd_size(struct ofd *ofd, off_t *size)
{
	struct stat st;
	long r = MOUNT_OP(ofd->mount, fstat, ofd->handle, &st);

	if (r == 0)
		*size = st.st_size;
	return r;
}

static long xfer(struct ofd *ofd, bool wr, void *buf, size_t count,
		 off_t off)
{
	if ((ofd->flags & O_ACCMODE) == (wr ? O_RDONLY : O_WRONLY))
		return -EBADF;
	if (wr)
		return MOUNT_OP(ofd->mount, pwrite, ofd->handle, buf, count,
				off);
	return MOUNT_OP(ofd->mount, pread, ofd->handle, buf, count, off);
}

/* read/write (pos < 0: at the file offset, which advances) */
static long rw(struct ofd *ofd, bool wr, void *buf, size_t count, off_t pos)
{
	bool cur = pos < 0;
	long r;

	if (cur) {
		if (wr && (ofd->flags & O_APPEND)) {
			r = ofd_size(ofd, &ofd->offset);
			if (r < 0)
				return r;
		}
		pos = ofd->offset;
	}
	r = xfer(ofd, wr, buf, count, pos);
	if (r > 0 && cur)
		ofd->offset += r;
	return r;
}

static long rwv(struct ofd *ofd, bool wr, const struct iovec *iov, int cnt,
		off_t pos)
{
	long done = 0, r = 0;
	int i;

	if (cnt < 0 || cnt > IOV_MAX)
		return -EINVAL;
	for (i = 0; i < cnt; i++) {
		if (!iov[i].iov_len)
			continue;
		r = rw(ofd, wr, iov[i].iov_base, iov[i].iov_len,
		       pos < 0 ? -1 : pos + done);
		if (r <= 0)
			break;
		done += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	return done > 0 ? done : r;
}

long ofd_lseek(struct ofd *ofd, off_t off, int whence)
{
	off_t base, size;
	long r;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = ofd->offset;
		break;
	case SEEK_END:
	case SEEK_DATA:
	case SEEK_HOLE:
		r = ofd_size(ofd, &size);
		if (r < 0)
			return r;
		if (whence == SEEK_END) {
			base = size;
			break;
		}
		if (SERVICE_OP(ofd->mount->svc, lseek)) {
			/* the module knows its holes */
			r = MOUNT_OP(ofd->mount, lseek, ofd->handle, off,
				     whence);
			if (r >= 0)
				ofd->offset = r;
			return r;
		}
		/* no holes are known: data everywhere, one hole at the end */
		if (off < 0 || off >= size)
			return -ENXIO;
		base = 0;
		if (whence == SEEK_HOLE)
			off = size;
		break;
	default:
		return -EINVAL;
	}
	if (base + off < 0)
		return -EINVAL;
	ofd->offset = base + off;
	return ofd->offset;
}

static long do_fcntl(int fd, struct ofd *ofd, int cmd, long arg)
{
	const int settable = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT |
			     O_NOATIME;
	long r;

	switch (cmd) {
	case F_GETFL:
		return ofd->flags;
	case F_SETFL:
		ofd->flags = (ofd->flags & ~settable) | (arg & settable);
		return 0;
	case F_GETFD:
	case F_SETFD:
		return native(__NR_fcntl, fd, cmd, arg);
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		r = native(__NR_fcntl, fd, F_DUPFD_CLOEXEC, arg);
		if (r >= 0) {
			nested_forget(r);
			if (fdtab_set(files, r, ofd, cmd == F_DUPFD_CLOEXEC) <
			    0) {
				native(__NR_close, r, 0, 0);
				return -ENOMEM;
			}
		}
		return r;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return -ENOLCK; /* record locks on served files: not yet */
	default:
		return -EINVAL;
	}
}

static long do_dup(int fd, struct ofd *ofd, long nr, const long a[6])
{
	long r;

	if (nr == __NR_dup)
		r = native(__NR_fcntl, fd, F_DUPFD_CLOEXEC, 0);
	else if (a[0] == a[1])
		return -EINVAL; /* dup3 */
	else
		r = purelibc_native_syscall(__NR_dup3, fd, a[1], O_CLOEXEC,
					    0, 0, 0);
	if (r < 0)
		return r;
	nested_forget(r);
	if (fdtab_set(files, r, ofd, nr == __NR_dup3 && (a[2] & O_CLOEXEC)) <
	    0) {
		native(__NR_close, r, 0, 0);
		return -ENOMEM;
	}
	return r;
}

/* The calls whose first argument is an fd, served on a placeholder;
 * sendfile, splice and the socket calls fail on one. */
static bool is_fd_call(long nr)
{
	switch (nr) {
	case __NR_close: case __NR_read: case __NR_write: case __NR_pread64:
	case __NR_pwrite64: case __NR_readv: case __NR_writev:
	case __NR_preadv: case __NR_pwritev: case __NR_preadv2:
	case __NR_pwritev2: case __NR_lseek: case __NR_getdents64:
	case __NR_fstat: case __NR_ftruncate: case __NR_fsync:
	case __NR_fdatasync: case __NR_fallocate: case __NR_fadvise64:
	case __NR_flock: case __NR_ioctl: case __NR_fcntl: case __NR_dup:
	case __NR_dup2: case __NR_dup3: case __NR_fstatfs: case __NR_fchmod:
	case __NR_fchown: case __NR_utimensat: case __NR_fgetxattr:
	case __NR_fsetxattr: case __NR_flistxattr: case __NR_fremovexattr:
	case __NR_sendfile: case __NR_splice: case __NR_tee:
	case __NR_sync_file_range: case __NR_readahead:
	case __NR_getdents: case __NR_fchdir:
		return true;
	default:
		return false;
	}
}

/* Calls whose first argument is an fd. */
int nested_fd_call(long nr, const long a[6], long *ret)
{
	struct ofd *ofd;
	struct vmount *m;
	int fd = a[0];
	long r;

	if (nr == __NR_dup3 || nr == __NR_dup2) {
		/* a real fd duplicated over a placeholder drops it */
		if (!nested_ofd(fd) && nested_ofd(a[1]) && a[0] != a[1]) {
			r = purelibc_native_syscall(nr, a[0], a[1], a[2], 0, 0,
						    0);
			if (r >= 0)
				nested_forget(a[1]);
			*ret = r;
			return 1;
		}
	}
	if (nr == __NR_copy_file_range &&
	    (nested_ofd(a[0]) || nested_ofd(a[2]))) {
		*ret = -EXDEV;
		return 1;
	}
	if (nr == __NR_mmap && !(a[3] & MAP_ANONYMOUS) && nested_ofd(a[4])) {
		*ret = -ENODEV; /* not the placeholder's /dev/null */
		return 1;
	}
	if (!is_fd_call(nr))
		return 0;
	ofd = nested_ofd(fd);
	if (!ofd)
		return 0;
	m = ofd->mount;
	/* a NULL buffer is the kernel's EFAULT, not a crash in a module */
	if (!a[1] && (nr == __NR_read || nr == __NR_write ||
		      nr == __NR_pread64 || nr == __NR_pwrite64 ||
		      nr == __NR_readv || nr == __NR_writev ||
		      nr == __NR_preadv || nr == __NR_pwritev ||
		      nr == __NR_preadv2 || nr == __NR_pwritev2 ||
		      nr == __NR_getdents64 || nr == __NR_fstat ||
		      nr == __NR_fstatfs) && (a[2] || nr == __NR_fstat ||
					       nr == __NR_fstatfs)) {
		*ret = -EFAULT;
		return 1;
	}
	switch (nr) {
	case __NR_close:
		fdtab_close(files, fd);
		r = native(__NR_close, fd, 0, 0);
		break;
	case __NR_read:
	case __NR_write:
		r = rw(ofd, nr == __NR_write, (void *)a[1], a[2], -1);
		break;
	case __NR_pread64:
	case __NR_pwrite64:
		r = a[3] < 0 ? -EINVAL
			     : rw(ofd, nr == __NR_pwrite64, (void *)a[1], a[2],
				  a[3]);
		break;
	case __NR_readv:
	case __NR_writev:
		r = rwv(ofd, nr == __NR_writev, (const struct iovec *)a[1], a[2],
			-1);
		break;
	case __NR_preadv:
	case __NR_pwritev:
	case __NR_preadv2:
	case __NR_pwritev2:
		r = a[3] < -1 || (a[3] == -1 && (nr == __NR_preadv ||
						 nr == __NR_pwritev))
			    ? -EINVAL
			    : rwv(ofd, nr == __NR_pwritev || nr == __NR_pwritev2,
				  (const struct iovec *)a[1], a[2], a[3]);
		break;
	case __NR_lseek:
		r = ofd_lseek(ofd, a[1], a[2]);
		break;
	case __NR_getdents64:
		r = MOUNT_OP(m, getdents64, ofd->handle, (void *)a[1], a[2],
			     &ofd->offset);
		break;
	case __NR_fstat:
		r = MOUNT_OP(m, fstat, ofd->handle, (struct stat *)a[1]);
		break;
	case __NR_ftruncate:
		r = (ofd->flags & O_ACCMODE) == O_RDONLY
			    ? -EINVAL
			    : MOUNT_OP(m, ftruncate, ofd->handle, a[1]);
		break;
	case __NR_fsync:
	case __NR_fdatasync:
		r = SERVICE_OP(m->svc, fsync)
			    ? MOUNT_OP(m, fsync, ofd->handle,
				       nr == __NR_fdatasync)
			    : 0;
		break;
	case __NR_fallocate:
		r = SERVICE_OP(m->svc, fallocate)
			    ? MOUNT_OP(m, fallocate, ofd->handle, a[1], a[2],
				       a[3])
			    : -EOPNOTSUPP;
		break;
	case __NR_fadvise64:
	case __NR_flock:
		r = 0; /* advice, and whole-file locks within one process */
		break;
	case __NR_ioctl:
		r = SERVICE_OP(m->svc, ioctl)
			    ? MOUNT_OP(m, ioctl, ofd->handle, a[1],
				       (void *)a[2], _IOC_SIZE(a[1]))
			    : -ENOTTY;
		break;
	case __NR_fcntl:
		r = do_fcntl(fd, ofd, a[1], a[2]);
		break;
	case __NR_dup:
	case __NR_dup2:
	case __NR_dup3:
		r = do_dup(fd, ofd, nr == __NR_dup2 ? __NR_dup3 : nr, a);
		break;
	case __NR_fstatfs:
		r = MOUNT_OP(m, statfs, mtab_relative(m, ofd->path),
			     (struct statfs *)a[1]);
		break;
	case __NR_fchmod:
		r = MOUNT_OP(m, chmod, mtab_relative(m, ofd->path), a[1]);
		break;
	case __NR_fchown:
		r = MOUNT_OP(m, chown, mtab_relative(m, ofd->path), a[1], a[2]);
		break;
	case __NR_utimensat: { /* futimens */
		struct timespec now[2] = { { 0, UTIME_NOW },
					   { 0, UTIME_NOW } };

		r = MOUNT_OP(m, utimens, mtab_relative(m, ofd->path),
			     a[2] ? (const struct timespec *)a[2] : now);
		break;
	}
	case __NR_fgetxattr:
		r = SERVICE_OP(m->svc, getxattr)
			    ? MOUNT_OP(m, getxattr, mtab_relative(m, ofd->path),
				       (const char *)a[1], (void *)a[2], a[3])
			    : -ENOTSUP;
		break;
	case __NR_fsetxattr:
		r = SERVICE_OP(m->svc, setxattr)
			    ? MOUNT_OP(m, setxattr, mtab_relative(m, ofd->path),
				       (const char *)a[1], (const void *)a[2],
				       a[3], a[4])
			    : -ENOTSUP;
		break;
	case __NR_flistxattr:
		r = SERVICE_OP(m->svc, listxattr)
			    ? MOUNT_OP(m, listxattr, mtab_relative(m, ofd->path),
				       (char *)a[1], a[2])
			    : -ENOTSUP;
		break;
	case __NR_fremovexattr:
		r = SERVICE_OP(m->svc, removexattr)
			    ? MOUNT_OP(m, removexattr,
				       mtab_relative(m, ofd->path),
				       (const char *)a[1])
			    : -ENOTSUP;
		break;
	default:
		/* never applied to the placeholder (mmap, sockets...) */
		r = -EBADF;
		break;
	}
	*ret = r;
	return 1;
}
