/* purelibc: a libc overlay that sends the system calls of libc's wrappers
 * through one hook.
 *
 * A program (or a library loaded into it) linked with libpurelibc before
 * libc calls purelibc's open, read, stat, opendir, fopen... instead of
 * libc's.  Each of them makes its system call through purelibc_syscall():
 * the hook, when one is set, may serve the call itself; otherwise, or when
 * it declines, the real system call runs.
 *
 * What is covered: the open family (open, openat, creat, their 64 and
 * fortified __open_2 forms), close, read/write and the positioned and
 * vectored forms, lseek, the stat family (stat, lstat, fstat, fstatat,
 * statx, and the 64 names), access/faccessat, readlink(at), mkdir(at),
 * mknod(at), mkfifo(at), rmdir, unlink(at), rename(at)(2), link(at),
 * symlink(at), chmod/fchmod/fchmodat, chown/lchown/fchown/fchownat,
 * utimensat/futimens/utimes/utime, truncate/ftruncate, fsync/fdatasync,
 * statfs/fstatfs/statvfs/fstatvfs, ioctl, fcntl, dup/dup2/dup3, the xattr
 * calls, posix_fadvise, fallocate/posix_fallocate, copy_file_range, flock,
 * getdents64, the directory streams (opendir, fdopendir, readdir(64),
 * closedir, rewinddir, dirfd, seekdir, telldir), syscall(), realpath and
 * the stdio openers fopen/fdopen/freopen (on a file the hook serves they
 * give a fopencookie(3) stream whose I/O goes through the wrappers above).
 *
 * The wrappers present every path call in its *at form (open is openat
 * with AT_FDCWD, stat is newfstatat, unlink is unlinkat...), so a hook need
 * not know the older numbers; syscall() passes its number as given.
 *
 * Calls made inside libc itself (glibc's own internal open in, say,
 * getpwnam) do not pass through purelibc.
 */
#ifndef PURELIBC_H
#define PURELIBC_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The hook: called for every system call of a wrapper, with the x86-64
 * system call number and its six arguments (unused ones are 0).  To serve
 * the call, store its result (>= 0, or -errno) in *ret and return nonzero;
 * return 0 to let the real system call run.  It may be called from any
 * thread, and may itself call the wrappers (its own calls reach it again:
 * it must tell them apart, e.g. with a thread-local flag).
 */
typedef int (*purelibc_hook_t)(long nr, const long args[6], long *ret);

/* A pseudo call number the wrappers ask the hook about: is args[0] an fd
 * that the hook serves (so that fdopen/fopen must build a cookie stream)?
 * Store 1 in *ret and return nonzero for yes. */
#define PURELIBC_NR_VIRTUAL_FD (-1000L)

/* Set the hook (NULL: none) and return the previous one.  Wrappers running
 * on other threads see the change at their next call.  While no hook is
 * set, a wrapper costs one test more than libc's. */
purelibc_hook_t purelibc_set_hook(purelibc_hook_t hook);

/* The current hook, or NULL. */
purelibc_hook_t purelibc_get_hook(void);

/* Make system call nr through the hook, then for real if it declines.
 * Returns the result or -errno (errno is not touched). */
long purelibc_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
		      long a6);

/* The real system call, never the hook.  Returns the result or -errno. */
long purelibc_native_syscall(long nr, long a1, long a2, long a3, long a4,
			     long a5, long a6);

#ifdef __cplusplus
}
#endif
#endif /* PURELIBC_H */
