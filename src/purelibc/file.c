/* purelibc: the calls that take a path, each made in its *at form. */
#include <fcntl.h>
#include <stdio.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

#include "internal.h"

/* --- open --- */

/* The mode argument is there only with O_CREAT or O_TMPFILE. */
#define OPEN_MODE(flags, mode)                                              \
	do {                                                                \
		if ((flags) & (O_CREAT | __O_TMPFILE)) {                    \
			va_list ap;                                         \
			va_start(ap, flags);                                \
			mode = va_arg(ap, int);                             \
			va_end(ap);                                         \
		}                                                           \
	} while (0)

PC_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return PC4(__NR_openat, dirfd, path, flags, mode);
}

PC_EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return PC4(__NR_openat, dirfd, path, flags, mode);
}

PC_EXPORT int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return PC4(__NR_openat, AT_FDCWD, path, flags, mode);
}

PC_EXPORT int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return PC4(__NR_openat, AT_FDCWD, path, flags, mode);
}

/* The fortified forms (_FORTIFY_SOURCE): no mode argument. */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

PC_EXPORT int __open_2(const char *path, int flags)
{
	return PC4(__NR_openat, AT_FDCWD, path, flags, 0);
}

PC_EXPORT int __open64_2(const char *path, int flags)
{
	return PC4(__NR_openat, AT_FDCWD, path, flags, 0);
}

PC_EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	return PC4(__NR_openat, dirfd, path, flags, 0);
}

PC_EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
	return PC4(__NR_openat, dirfd, path, flags, 0);
}

PC_EXPORT int creat(const char *path, mode_t mode)
{
	return PC4(__NR_openat, AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC,
		   mode);
}

PC_EXPORT int creat64(const char *path, mode_t mode)
{
	return creat(path, mode);
}

/* --- the stat family --- */

PC_EXPORT int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return PC4(__NR_newfstatat, dirfd, path, st, flags);
}

PC_EXPORT int fstatat64(int dirfd, const char *path, struct stat64 *st,
			int flags)
{
	return PC4(__NR_newfstatat, dirfd, path, st, flags);
}

PC_EXPORT int stat(const char *path, struct stat *st)
{
	return PC4(__NR_newfstatat, AT_FDCWD, path, st, 0);
}

PC_EXPORT int stat64(const char *path, struct stat64 *st)
{
	return PC4(__NR_newfstatat, AT_FDCWD, path, st, 0);
}

PC_EXPORT int lstat(const char *path, struct stat *st)
{
	return PC4(__NR_newfstatat, AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

PC_EXPORT int lstat64(const char *path, struct stat64 *st)
{
	return PC4(__NR_newfstatat, AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

PC_EXPORT int fstat(int fd, struct stat *st)
{
	return PC2(__NR_fstat, fd, st);
}

PC_EXPORT int fstat64(int fd, struct stat64 *st)
{
	return PC2(__NR_fstat, fd, st);
}

/* The versioned entry points of binaries built before glibc 2.33. */
int __xstat(int ver, const char *path, struct stat *st);
int __lxstat(int ver, const char *path, struct stat *st);
int __fxstat(int ver, int fd, struct stat *st);
int __fxstatat(int ver, int dirfd, const char *path, struct stat *st,
	       int flags);
int __xstat64(int ver, const char *path, struct stat64 *st);
int __lxstat64(int ver, const char *path, struct stat64 *st);
int __fxstat64(int ver, int fd, struct stat64 *st);
int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st,
		 int flags);

PC_EXPORT int __xstat(int ver, const char *path, struct stat *st)
{
	return stat(path, st);
}

PC_EXPORT int __lxstat(int ver, const char *path, struct stat *st)
{
	return lstat(path, st);
}

PC_EXPORT int __fxstat(int ver, int fd, struct stat *st)
{
	return fstat(fd, st);
}

PC_EXPORT int __fxstatat(int ver, int dirfd, const char *path,
			 struct stat *st, int flags)
{
	return fstatat(dirfd, path, st, flags);
}

PC_EXPORT int __xstat64(int ver, const char *path, struct stat64 *st)
{
	return stat64(path, st);
}

PC_EXPORT int __lxstat64(int ver, const char *path, struct stat64 *st)
{
	return lstat64(path, st);
}

PC_EXPORT int __fxstat64(int ver, int fd, struct stat64 *st)
{
	return fstat64(fd, st);
}

PC_EXPORT int __fxstatat64(int ver, int dirfd, const char *path,
			   struct stat64 *st, int flags)
{
	return fstatat64(dirfd, path, st, flags);
}

PC_EXPORT int statx(int dirfd, const char *path, int flags, unsigned int mask,
		    struct statx *stx)
{
	return PC5(__NR_statx, dirfd, path, flags, mask, stx);
}

/* --- access, readlink --- */

PC_EXPORT int faccessat(int dirfd, const char *path, int mode, int flags)
{
	if (!flags)
		return PC3(__NR_faccessat, dirfd, path, mode);
	return PC4(__NR_faccessat2, dirfd, path, mode, flags);
}

PC_EXPORT int access(const char *path, int mode)
{
	return PC3(__NR_faccessat, AT_FDCWD, path, mode);
}

PC_EXPORT int euidaccess(const char *path, int mode)
{
	return faccessat(AT_FDCWD, path, mode, AT_EACCESS);
}

PC_EXPORT int eaccess(const char *path, int mode)
{
	return faccessat(AT_FDCWD, path, mode, AT_EACCESS);
}

PC_EXPORT ssize_t readlinkat(int dirfd, const char *path, char *buf,
			     size_t size)
{
	return PC4(__NR_readlinkat, dirfd, path, buf, size);
}

PC_EXPORT ssize_t readlink(const char *path, char *buf, size_t size)
{
	return PC4(__NR_readlinkat, AT_FDCWD, path, buf, size);
}

/* --- calls that make or remove a name --- */

PC_EXPORT int mkdirat(int dirfd, const char *path, mode_t mode)
{
	return PC3(__NR_mkdirat, dirfd, path, mode);
}

PC_EXPORT int mkdir(const char *path, mode_t mode)
{
	return PC3(__NR_mkdirat, AT_FDCWD, path, mode);
}

PC_EXPORT int mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	return PC4(__NR_mknodat, dirfd, path, mode, dev);
}

PC_EXPORT int mknod(const char *path, mode_t mode, dev_t dev)
{
	return PC4(__NR_mknodat, AT_FDCWD, path, mode, dev);
}

PC_EXPORT int mkfifoat(int dirfd, const char *path, mode_t mode)
{
	return PC4(__NR_mknodat, dirfd, path, (mode & 07777) | S_IFIFO, 0);
}

PC_EXPORT int mkfifo(const char *path, mode_t mode)
{
	return mkfifoat(AT_FDCWD, path, mode);
}

PC_EXPORT int unlinkat(int dirfd, const char *path, int flags)
{
	return PC3(__NR_unlinkat, dirfd, path, flags);
}

PC_EXPORT int unlink(const char *path)
{
	return PC3(__NR_unlinkat, AT_FDCWD, path, 0);
}

PC_EXPORT int rmdir(const char *path)
{
	return PC3(__NR_unlinkat, AT_FDCWD, path, AT_REMOVEDIR);
}

PC_EXPORT int renameat2(int olddirfd, const char *oldpath, int newdirfd,
			const char *newpath, unsigned int flags)
{
	return PC5(__NR_renameat2, olddirfd, oldpath, newdirfd, newpath, flags);
}

PC_EXPORT int renameat(int olddirfd, const char *oldpath, int newdirfd,
		       const char *newpath)
{
	return PC5(__NR_renameat2, olddirfd, oldpath, newdirfd, newpath, 0);
}

PC_EXPORT int rename(const char *oldpath, const char *newpath)
{
	return PC5(__NR_renameat2, AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

PC_EXPORT int linkat(int olddirfd, const char *oldpath, int newdirfd,
		     const char *newpath, int flags)
{
	return PC5(__NR_linkat, olddirfd, oldpath, newdirfd, newpath, flags);
}

PC_EXPORT int link(const char *oldpath, const char *newpath)
{
	return PC5(__NR_linkat, AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

PC_EXPORT int symlinkat(const char *target, int dirfd, const char *path)
{
	return PC3(__NR_symlinkat, target, dirfd, path);
}

PC_EXPORT int symlink(const char *target, const char *path)
{
	return PC3(__NR_symlinkat, target, AT_FDCWD, path);
}

/* --- attributes --- */

PC_EXPORT int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	if (flags & ~AT_SYMLINK_NOFOLLOW) {
		errno = EINVAL;
		return -1;
	}
	if (flags) { /* Linux cannot change a symlink's mode */
		errno = EOPNOTSUPP;
		return -1;
	}
	return PC3(__NR_fchmodat, dirfd, path, mode);
}

PC_EXPORT int chmod(const char *path, mode_t mode)
{
	return PC3(__NR_fchmodat, AT_FDCWD, path, mode);
}

PC_EXPORT int fchmod(int fd, mode_t mode)
{
	return PC2(__NR_fchmod, fd, mode);
}

PC_EXPORT int fchownat(int dirfd, const char *path, uid_t uid, gid_t gid,
		       int flags)
{
	return PC5(__NR_fchownat, dirfd, path, uid, gid, flags);
}

PC_EXPORT int chown(const char *path, uid_t uid, gid_t gid)
{
	return PC5(__NR_fchownat, AT_FDCWD, path, uid, gid, 0);
}

PC_EXPORT int lchown(const char *path, uid_t uid, gid_t gid)
{
	return PC5(__NR_fchownat, AT_FDCWD, path, uid, gid,
		   AT_SYMLINK_NOFOLLOW);
}

PC_EXPORT int fchown(int fd, uid_t uid, gid_t gid)
{
	return PC3(__NR_fchown, fd, uid, gid);
}

PC_EXPORT int utimensat(int dirfd, const char *path,
			const struct timespec ts[2], int flags)
{
	return PC4(__NR_utimensat, dirfd, path, ts, flags);
}

PC_EXPORT int futimens(int fd, const struct timespec ts[2])
{
	return PC4(__NR_utimensat, fd, NULL, ts, 0);
}

static int utimes_at(int dirfd, const char *path, const struct timeval tv[2],
		     int flags)
{
	struct timespec ts[2];

	if (!tv)
		return PC4(__NR_utimensat, dirfd, path, NULL, flags);
	ts[0].tv_sec = tv[0].tv_sec;
	ts[0].tv_nsec = tv[0].tv_usec * 1000;
	ts[1].tv_sec = tv[1].tv_sec;
	ts[1].tv_nsec = tv[1].tv_usec * 1000;
	return PC4(__NR_utimensat, dirfd, path, ts, flags);
}

PC_EXPORT int utimes(const char *path, const struct timeval tv[2])
{
	return utimes_at(AT_FDCWD, path, tv, 0);
}

PC_EXPORT int lutimes(const char *path, const struct timeval tv[2])
{
	return utimes_at(AT_FDCWD, path, tv, AT_SYMLINK_NOFOLLOW);
}

PC_EXPORT int futimes(int fd, const struct timeval tv[2])
{
	return utimes_at(fd, NULL, tv, 0);
}

PC_EXPORT int utime(const char *path, const struct utimbuf *buf)
{
	struct timespec ts[2];

	if (!buf)
		return PC4(__NR_utimensat, AT_FDCWD, path, NULL, 0);
	ts[0].tv_sec = buf->actime;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = buf->modtime;
	ts[1].tv_nsec = 0;
	return PC4(__NR_utimensat, AT_FDCWD, path, ts, 0);
}

PC_EXPORT int truncate(const char *path, off_t length)
{
	return PC2(__NR_truncate, path, length);
}

PC_EXPORT int truncate64(const char *path, off64_t length)
{
	return PC2(__NR_truncate, path, length);
}

/* --- file systems --- */

PC_EXPORT int statfs(const char *path, struct statfs *buf)
{
	return PC2(__NR_statfs, path, buf);
}

PC_EXPORT int statfs64(const char *path, struct statfs64 *buf)
{
	return PC2(__NR_statfs, path, buf);
}

PC_EXPORT int fstatfs(int fd, struct statfs *buf)
{
	return PC2(__NR_fstatfs, fd, buf);
}

PC_EXPORT int fstatfs64(int fd, struct statfs64 *buf)
{
	return PC2(__NR_fstatfs, fd, buf);
}

static void to_statvfs(const struct statfs *s, struct statvfs *v)
{
	v->f_bsize = s->f_bsize;
	v->f_frsize = s->f_frsize ? s->f_frsize : s->f_bsize;
	v->f_blocks = s->f_blocks;
	v->f_bfree = s->f_bfree;
	v->f_bavail = s->f_bavail;
	v->f_files = s->f_files;
	v->f_ffree = s->f_ffree;
	v->f_favail = s->f_ffree;
	v->f_fsid = (unsigned long)s->f_fsid.__val[0] |
		    (unsigned long)s->f_fsid.__val[1] << 32;
	v->f_flag = s->f_flags & ~0x0020; /* ST_VALID */
	v->f_namemax = s->f_namelen;
	v->__f_spare[0] = v->__f_spare[1] = v->__f_spare[2] = 0;
	v->__f_spare[3] = v->__f_spare[4] = v->__f_spare[5] = 0;
}

PC_EXPORT int statvfs(const char *path, struct statvfs *buf)
{
	struct statfs s;

	if (statfs(path, &s) < 0)
		return -1;
	to_statvfs(&s, buf);
	return 0;
}

PC_EXPORT int fstatvfs(int fd, struct statvfs *buf)
{
	struct statfs s;

	if (fstatfs(fd, &s) < 0)
		return -1;
	to_statvfs(&s, buf);
	return 0;
}

PC_EXPORT int statvfs64(const char *path, struct statvfs64 *buf)
{
	return statvfs(path, (struct statvfs *)buf);
}

PC_EXPORT int fstatvfs64(int fd, struct statvfs64 *buf)
{
	return fstatvfs(fd, (struct statvfs *)buf);
}

/* --- extended attributes --- */

PC_EXPORT ssize_t getxattr(const char *path, const char *name, void *value,
			   size_t size)
{
	return PC4(__NR_getxattr, path, name, value, size);
}

PC_EXPORT ssize_t lgetxattr(const char *path, const char *name, void *value,
			    size_t size)
{
	return PC4(__NR_lgetxattr, path, name, value, size);
}

PC_EXPORT ssize_t fgetxattr(int fd, const char *name, void *value,
			    size_t size)
{
	return PC4(__NR_fgetxattr, fd, name, value, size);
}

PC_EXPORT int setxattr(const char *path, const char *name, const void *value,
		       size_t size, int flags)
{
	return PC5(__NR_setxattr, path, name, value, size, flags);
}

PC_EXPORT int lsetxattr(const char *path, const char *name, const void *value,
			size_t size, int flags)
{
	return PC5(__NR_lsetxattr, path, name, value, size, flags);
}

PC_EXPORT int fsetxattr(int fd, const char *name, const void *value,
			size_t size, int flags)
{
	return PC5(__NR_fsetxattr, fd, name, value, size, flags);
}

PC_EXPORT ssize_t listxattr(const char *path, char *list, size_t size)
{
	return PC3(__NR_listxattr, path, list, size);
}

PC_EXPORT ssize_t llistxattr(const char *path, char *list, size_t size)
{
	return PC3(__NR_llistxattr, path, list, size);
}

PC_EXPORT ssize_t flistxattr(int fd, char *list, size_t size)
{
	return PC3(__NR_flistxattr, fd, list, size);
}

PC_EXPORT int removexattr(const char *path, const char *name)
{
	return PC2(__NR_removexattr, path, name);
}

PC_EXPORT int lremovexattr(const char *path, const char *name)
{
	return PC2(__NR_lremovexattr, path, name);
}

PC_EXPORT int fremovexattr(int fd, const char *name)
{
	return PC2(__NR_fremovexattr, fd, name);
}
