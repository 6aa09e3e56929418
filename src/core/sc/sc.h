/* Handlers of the system call families, one file per family. */
#ifndef UM_SC_H
#define UM_SC_H

#include <errno.h>
#include <sys/types.h>

#include "../sctab.h"

/* Skip the call: the tracee sees ret (>= 0, or -errno). */
static inline enum sc_action sc_return(struct sc_call *c, long ret)
{
	c->ret = ret;
	return SC_SKIP;
}

/* sc/mgmt.c */
enum sc_action sc_umcall(struct sc_call *c);
/* sc/mount.c */
enum sc_action sc_mount(struct sc_call *c);
enum sc_action sc_umount2(struct sc_call *c);
/* sc/misc.c */
enum sc_action sc_uname(struct sc_call *c);
enum sc_action sc_sethostname(struct sc_call *c);
/* sc/time.c */
enum sc_action sc_clock_gettime(struct sc_call *c);
enum sc_action sc_gettimeofday(struct sc_call *c);
enum sc_action sc_time(struct sc_call *c);
enum sc_action sc_clock_settime(struct sc_call *c);
enum sc_action sc_settimeofday(struct sc_call *c);

/* sc/file.c */
enum sc_action sc_open(struct sc_call *c);
enum sc_action sc_one_path(struct sc_call *c);
enum sc_action sc_utimensat(struct sc_call *c);
enum sc_action sc_rename(struct sc_call *c);
enum sc_action sc_link(struct sc_call *c);
enum sc_action sc_symlink(struct sc_call *c);
/* sc/stat.c */
enum sc_action sc_stat(struct sc_call *c);
enum sc_action sc_access(struct sc_call *c);
enum sc_action sc_readlink(struct sc_call *c);
enum sc_action sc_statfs(struct sc_call *c);
/* sc/xattr.c */
enum sc_action sc_xattr(struct sc_call *c);
enum sc_action sc_fxattr(struct sc_call *c);

/* --- path arguments, for the handlers of file.c, stat.c and xattr.c --- */
struct ofd;
struct vpath;
/* The module operation op of the mount vp is in (vp->m set). */
#define VP_OP(vp, op) SERVICE_OP((vp)->m->svc, op)
/* A libc call's result as a return value: r, or -errno if r < 0. */
static inline long neg_errno(long r)
{
	return r < 0 ? -errno : r;
}
/* Resolve path argument i of c through the view into *vp (the argument
 * before it is its dirfd when the row says so): a VIEW_* or -errno.  A
 * followed /proc/PID/fd/N of a virtual fd resolves to its virtual file. */
int file_resolve(struct sc_call *c, int i, int pflags, struct vpath *vp);
/* The view path of a virtual fd, as file_resolve would give it. */
void file_vpath_of(struct ofd *ofd, struct vpath *vp);
/* The virtual file behind /proc/PID/fd/N, or NULL if abs is not one. */
struct ofd *file_proc_fd(const char *abs);
/* sc/procmounts.c: open of a mount table file: 1 and c->newfd set when
 * abs is one (and anything is mounted), 0 when not, -errno */
int procmounts_open(struct sc_call *c, const char *abs, int flags);
/* sc/exec.c */
enum sc_action sc_execve(struct sc_call *c);
void exec_cache_cleanup(void);
/* the exec event of t: the auxiliary vector changes due to its binfmt
 * rule (AT_EXECFD, AT_FLAGS) */
struct tracee;
void exec_event(struct tracee *t);
/* sc/dir.c */
enum sc_action sc_chdir(struct sc_call *c);
enum sc_action sc_getcwd(struct sc_call *c);
enum sc_action sc_chroot(struct sc_call *c);
enum sc_action sc_umask(struct sc_call *c);
enum sc_action sc_setid(struct sc_call *c);
/* sc/mmap.c */
enum sc_action sc_mmap(struct sc_call *c);
enum sc_action sc_munmap(struct sc_call *c);
enum sc_action sc_mremap(struct sc_call *c);
/* read and write of a virtual file that is mapped shared: the changes
 * made through the maps are written back before a read of their range,
 * and what a write wrote shows in the maps */
struct ofd;
void mmap_before_read(struct ofd *ofd, off_t off, size_t len);
void mmap_after_write(struct ofd *ofd, const void *buf, ssize_t len,
		      off_t off);
/* sc/scm.c */
enum sc_action sc_sendmsg(struct sc_call *c);
enum sc_action sc_pidfd_getfd(struct sc_call *c);
/* sc/fd.c */
enum sc_action sc_rw(struct sc_call *c);
enum sc_action sc_rwv(struct sc_call *c);
enum sc_action sc_lseek(struct sc_call *c);
enum sc_action sc_getdents64(struct sc_call *c);
enum sc_action sc_getdents(struct sc_call *c);
enum sc_action sc_fstat(struct sc_call *c);
enum sc_action sc_fsync(struct sc_call *c);
enum sc_action sc_ftruncate(struct sc_call *c);
enum sc_action sc_fd_by_path(struct sc_call *c);
enum sc_action sc_close(struct sc_call *c);
enum sc_action sc_close_range(struct sc_call *c);
enum sc_action sc_dup(struct sc_call *c);
enum sc_action sc_fcntl(struct sc_call *c);
enum sc_action sc_fd_misc(struct sc_call *c);
enum sc_action sc_ioctl(struct sc_call *c);
/* sc/lock.c: flock(2), fcntl's lock commands on a virtual fd, and the
 * releases the fd table reports */
struct ofd;
struct fdtab;
enum sc_action sc_flock(struct sc_call *c);
enum sc_action sc_fcntl_lock(struct sc_call *c, struct ofd *ofd);
void lock_fd_closed(struct fdtab *tab, struct ofd *ofd);
void lock_ofd_gone(struct ofd *ofd);
void lock_files_gone(struct fdtab *tab);
/* Would the thread take a signal now (a deferred wait must end)? */
bool sc_signal_pending(pid_t tid);
/* sc/copy.c: copy_file_range, sendfile, splice, tee */
enum sc_action sc_copy(struct sc_call *c);

#endif
