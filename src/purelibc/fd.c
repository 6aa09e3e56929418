/* purelibc: the calls on file descriptors. */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"

PC_EXPORT int close(int fd)
{
	return PC1(__NR_close, fd);
}

PC_EXPORT ssize_t read(int fd, void *buf, size_t count)
{
	return PC3(__NR_read, fd, buf, count);
}

PC_EXPORT ssize_t write(int fd, const void *buf, size_t count)
{
	return PC3(__NR_write, fd, buf, count);
}

PC_EXPORT ssize_t pread(int fd, void *buf, size_t count, off_t offset)
{
	return PC4(__NR_pread64, fd, buf, count, offset);
}

PC_EXPORT ssize_t pread64(int fd, void *buf, size_t count, off64_t offset)
{
	return PC4(__NR_pread64, fd, buf, count, offset);
}

PC_EXPORT ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
	return PC4(__NR_pwrite64, fd, buf, count, offset);
}

PC_EXPORT ssize_t pwrite64(int fd, const void *buf, size_t count,
			   off64_t offset)
{
	return PC4(__NR_pwrite64, fd, buf, count, offset);
}

PC_EXPORT ssize_t readv(int fd, const struct iovec *iov, int cnt)
{
	return PC3(__NR_readv, fd, iov, cnt);
}

PC_EXPORT ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	return PC3(__NR_writev, fd, iov, cnt);
}

/* The kernel takes the offset in two halves; on x86-64 the first holds it
 * all. */
PC_EXPORT ssize_t preadv(int fd, const struct iovec *iov, int cnt,
			 off_t offset)
{
	return PC5(__NR_preadv, fd, iov, cnt, offset, 0);
}

PC_EXPORT ssize_t preadv64(int fd, const struct iovec *iov, int cnt,
			   off64_t offset)
{
	return PC5(__NR_preadv, fd, iov, cnt, offset, 0);
}

PC_EXPORT ssize_t pwritev(int fd, const struct iovec *iov, int cnt,
			  off_t offset)
{
	return PC5(__NR_pwritev, fd, iov, cnt, offset, 0);
}

PC_EXPORT ssize_t pwritev64(int fd, const struct iovec *iov, int cnt,
			    off64_t offset)
{
	return PC5(__NR_pwritev, fd, iov, cnt, offset, 0);
}

PC_EXPORT ssize_t preadv2(int fd, const struct iovec *iov, int cnt,
			  off_t offset, int flags)
{
	return PC6(__NR_preadv2, fd, iov, cnt, offset, 0, flags);
}

PC_EXPORT ssize_t pwritev2(int fd, const struct iovec *iov, int cnt,
			   off_t offset, int flags)
{
	return PC6(__NR_pwritev2, fd, iov, cnt, offset, 0, flags);
}

PC_EXPORT off_t lseek(int fd, off_t offset, int whence)
{
	return PC3(__NR_lseek, fd, offset, whence);
}

PC_EXPORT off64_t lseek64(int fd, off64_t offset, int whence)
{
	return PC3(__NR_lseek, fd, offset, whence);
}

PC_EXPORT int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	return PC3(__NR_ioctl, fd, request, arg);
}

PC_EXPORT int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return PC3(__NR_fcntl, fd, cmd, arg);
}

PC_EXPORT int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return PC3(__NR_fcntl, fd, cmd, arg);
}

PC_EXPORT int dup(int fd)
{
	return PC1(__NR_dup, fd);
}

PC_EXPORT int dup2(int fd, int newfd)
{
	/* dup3 refuses fd == newfd; dup2 checks fd and returns it. */
	if (fd == newfd)
		return PC3(__NR_fcntl, fd, F_GETFD, 0) < 0 ? -1 : fd;
	return PC3(__NR_dup3, fd, newfd, 0);
}

PC_EXPORT int dup3(int fd, int newfd, int flags)
{
	return PC3(__NR_dup3, fd, newfd, flags);
}

PC_EXPORT int fsync(int fd)
{
	return PC1(__NR_fsync, fd);
}

PC_EXPORT int fdatasync(int fd)
{
	return PC1(__NR_fdatasync, fd);
}

PC_EXPORT int ftruncate(int fd, off_t length)
{
	return PC2(__NR_ftruncate, fd, length);
}

PC_EXPORT int ftruncate64(int fd, off64_t length)
{
	return PC2(__NR_ftruncate, fd, length);
}

PC_EXPORT int flock(int fd, int op)
{
	return PC2(__NR_flock, fd, op);
}

/* posix_fadvise and posix_fallocate return the error, not -1 and errno. */
PC_EXPORT int posix_fadvise(int fd, off_t offset, off_t len, int advice)
{
	long r = pc_call(__NR_fadvise64, fd, offset, len, advice, 0, 0);

	return r < 0 ? -r : 0;
}

PC_EXPORT int posix_fadvise64(int fd, off64_t offset, off64_t len, int advice)
{
	return posix_fadvise(fd, offset, len, advice);
}

PC_EXPORT int fallocate(int fd, int mode, off_t offset, off_t len)
{
	return PC4(__NR_fallocate, fd, mode, offset, len);
}

PC_EXPORT int fallocate64(int fd, int mode, off64_t offset, off64_t len)
{
	return PC4(__NR_fallocate, fd, mode, offset, len);
}

PC_EXPORT int posix_fallocate(int fd, off_t offset, off_t len)
{
	long r = pc_call(__NR_fallocate, fd, 0, offset, len, 0, 0);

	return r < 0 ? -r : 0;
}

PC_EXPORT int posix_fallocate64(int fd, off64_t offset, off64_t len)
{
	return posix_fallocate(fd, offset, len);
}

PC_EXPORT ssize_t copy_file_range(int fd_in, off64_t *off_in, int fd_out,
				  off64_t *off_out, size_t len,
				  unsigned int flags)
{
	return PC6(__NR_copy_file_range, fd_in, off_in, fd_out, off_out, len,
		   flags);
}

PC_EXPORT ssize_t getdents64(int fd, void *buf, size_t count)
{
	return PC3(__NR_getdents64, fd, buf, count);
}
