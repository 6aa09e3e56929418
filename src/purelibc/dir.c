/* purelibc: directory streams of our own over getdents64 (glibc's opendir
 * opens and reads through internal calls that cannot be interposed). */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

#define DIR_BUF 32768

/* glibc's headers leave DIR incomplete: this is its definition here. */
struct __dirstream {
	int fd;
	size_t pos, len;      /* the unread records are buf[pos..len) */
	off_t filepos;        /* telldir: the position after the last entry */
	pthread_mutex_t lock;
	char buf[DIR_BUF] __attribute__((aligned(8)));
};

/* struct dirent and the kernel's linux_dirent64 share their layout on
 * x86-64 (ino, off, reclen, type, name): records are returned in place. */
_Static_assert(offsetof(struct dirent, d_name) == 19 &&
		       sizeof(struct dirent) == sizeof(struct dirent64),
	       "struct dirent is not linux_dirent64");

PC_EXPORT DIR *fdopendir(int fd)
{
	struct stat st;
	DIR *d;
	int fl;

	if (fstat(fd, &st) < 0)
		return NULL;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return NULL;
	if ((fl & O_ACCMODE) == O_WRONLY) {
		errno = EBADF;
		return NULL;
	}
	d = malloc(sizeof(*d));
	if (!d)
		return NULL;
	d->fd = fd;
	d->pos = d->len = 0;
	d->filepos = 0;
	pthread_mutex_init(&d->lock, NULL);
	return d;
}

PC_EXPORT DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	int err;

	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (!d) {
		err = errno;
		close(fd);
		errno = err;
	}
	return d;
}

PC_EXPORT int closedir(DIR *d)
{
	int fd;

	fd = d->fd;
	pthread_mutex_destroy(&d->lock);
	free(d);
	return close(fd);
}

PC_EXPORT int dirfd(DIR *d)
{
	return d->fd;
}

static struct dirent *next_entry(DIR *d)
{
	struct dirent *e;

	if (d->pos >= d->len) {
		int saved = errno;
		long n = getdents64(d->fd, d->buf, sizeof(d->buf));

		if (n <= 0) { /* end: errno unchanged; error: errno set */
			if (n == 0)
				errno = saved;
			return NULL;
		}
		d->len = n;
		d->pos = 0;
	}
	e = (struct dirent *)(d->buf + d->pos);
	d->pos += e->d_reclen;
	d->filepos = e->d_off;
	return e;
}

PC_EXPORT struct dirent *readdir(DIR *d)
{
	struct dirent *e;

	pthread_mutex_lock(&d->lock);
	e = next_entry(d);
	pthread_mutex_unlock(&d->lock);
	return e;
}

PC_EXPORT struct dirent64 *readdir64(DIR *d)
{
	return (struct dirent64 *)readdir(d);
}

PC_EXPORT void seekdir(DIR *d, long loc)
{
	pthread_mutex_lock(&d->lock);
	if (lseek(d->fd, loc, SEEK_SET) >= 0) {
		d->pos = d->len = 0;
		d->filepos = loc;
	}
	pthread_mutex_unlock(&d->lock);
}

PC_EXPORT void rewinddir(DIR *d)
{
	seekdir(d, 0);
}

PC_EXPORT long telldir(DIR *d)
{
	return d->filepos;
}
