/* purelibc: stdio streams opened through the wrappers.  A stream on a real
 * file is libc's own (fileno works, no extra cost); one on a file the hook
 * serves is a fopencookie(3) stream whose I/O calls our read, write, lseek
 * and close. */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "internal.h"

/* fopen's mode: O_* flags, or -1 (EINVAL). */
static int mode_flags(const char *mode)
{
	int flags;
	const char *c;

	switch (mode[0]) {
	case 'r':
		flags = O_RDONLY;
		break;
	case 'w':
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		return -1;
	}
	for (c = mode + 1; *c && *c != ','; c++) {
		if (*c == '+')
			flags = (flags & ~O_ACCMODE) | O_RDWR;
		else if (*c == 'e')
			flags |= O_CLOEXEC;
		else if (*c == 'x')
			flags |= O_EXCL;
	}
	return flags;
}

static ssize_t cookie_read(void *cookie, char *buf, size_t size)
{
	return read((int)(intptr_t)cookie, buf, size);
}

static ssize_t cookie_write(void *cookie, const char *buf, size_t size)
{
	ssize_t n = write((int)(intptr_t)cookie, buf, size);

	return n < 0 ? 0 : n; /* fopencookie: 0 is the error */
}

static int cookie_seek(void *cookie, off64_t *pos, int whence)
{
	off_t r = lseek((int)(intptr_t)cookie, *pos, whence);

	if (r < 0)
		return -1;
	*pos = r;
	return 0;
}

static int cookie_close(void *cookie)
{
	return close((int)(intptr_t)cookie);
}

static const cookie_io_functions_t cookie_io = {
	.read = cookie_read,
	.write = cookie_write,
	.seek = cookie_seek,
	.close = cookie_close,
};

/* libc's fdopen and freopen, looked up once (a race only looks up twice). */
static void *libc_sym(const char *name)
{
	static void *fdopen_fn, *freopen_fn;
	void **slot = name[1] == 'd' ? &fdopen_fn : &freopen_fn;
	void *fn = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	if (!fn) {
		fn = dlsym(RTLD_NEXT, name);
		__atomic_store_n(slot, fn, __ATOMIC_RELEASE);
	}
	return fn;
}

/* A stream on fd, which the caller owns until this succeeds. */
static FILE *stream_on(int fd, const char *mode)
{
	FILE *(*real_fdopen)(int, const char *);

	if (pc_fd_virtual(fd))
		return fopencookie((void *)(intptr_t)fd, mode, cookie_io);
	real_fdopen = (FILE * (*)(int, const char *)) libc_sym("fdopen");
	if (!real_fdopen) {
		errno = ENOSYS;
		return NULL;
	}
	return real_fdopen(fd, mode);
}

PC_EXPORT FILE *fdopen(int fd, const char *mode)
{
	if (mode_flags(mode) < 0) {
		errno = EINVAL;
		return NULL;
	}
	return stream_on(fd, mode);
}

PC_EXPORT FILE *fopen(const char *path, const char *mode)
{
	int flags = mode_flags(mode), fd, err;
	FILE *f;

	if (flags < 0) {
		errno = EINVAL;
		return NULL;
	}
	fd = open(path, flags, 0666);
	if (fd < 0)
		return NULL;
	f = stream_on(fd, mode);
	if (!f) {
		err = errno;
		close(fd);
		errno = err;
	}
	return f;
}

PC_EXPORT FILE *fopen64(const char *path, const char *mode)
{
	return fopen(path, mode);
}

/*
 * A real file is reopened by libc on /proc/self/fd/N, so that libc keeps the
 * same FILE.  A served file cannot become libc's: the old stream is closed
 * and a new one returned (callers use the return value, as freopen's
 * contract says).
 */
PC_EXPORT FILE *freopen(const char *path, const char *mode, FILE *stream)
{
	FILE *(*real_freopen)(const char *, const char *, FILE *) =
		(FILE * (*)(const char *, const char *, FILE *))
			libc_sym("freopen");
	char proc[64];
	int flags = mode_flags(mode), fd;
	FILE *f;

	if (!real_freopen) {
		errno = ENOSYS;
		return NULL;
	}
	if (!path)
		return real_freopen(NULL, mode, stream);
	if (flags < 0) {
		errno = EINVAL;
		return NULL;
	}
	fflush(stream);
	fd = open(path, flags, 0666);
	if (fd < 0) {
		fclose(stream);
		return NULL;
	}
	if (!pc_fd_virtual(fd)) {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		f = real_freopen(proc, mode, stream);
		close(fd);
		return f;
	}
	fclose(stream);
	f = fopencookie((void *)(intptr_t)fd, mode, cookie_io);
	if (!f)
		close(fd);
	return f;
}

PC_EXPORT FILE *freopen64(const char *path, const char *mode, FILE *stream)
{
	return freopen(path, mode, stream);
}
