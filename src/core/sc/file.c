/* The file family: calls that take a path and open, create, remove, change
 * or rename what it names (stat.c answers questions about a path, xattr.c
 * its extended attributes).  Each resolves its path through the view; a
 * virtual one goes to the mount's module, a real one reached through the
 * view is served on its real path, and the rest run in the kernel
 * untouched. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

#include "../cred.h"
#include "../fdtab.h"
#include "../mem.h"
#include "../mtab.h"
#include "../path.h"
#include "../service.h"
#include "../tracee.h"
#include "../view.h"
#include "sc.h"

/* Run a module operation that creates a file: the mode it gets is masked
 * with the caller's umask already, and the hypervisor's own must not mask
 * it again when the module creates a real file. */
#define UMASK0(call)                                                         \
	({                                                                   \
		mode_t umask0_saved_ = umask(0);                             \
		__typeof__(call) umask0_ret_ = (call);                       \
		umask(umask0_saved_);                                        \
		umask0_ret_;                                                 \
	})

/* --- path arguments (shared with stat.c and xattr.c through sc.h) --- */

/* The view path of a virtual fd, as view_resolve would give it. */
void file_vpath_of(struct ofd *ofd, struct vpath *vp)
{
	snprintf(vp->abs, sizeof(vp->abs), "%s", ofd->path);
	vp->m = ofd->mount;
	vp->rel = mtab_relative(vp->m, vp->abs);
	vp->mode = S_IFREG;
}

/* The virtual file behind /proc/PID/fd/N, or NULL if abs is not one. */
struct ofd *file_proc_fd(const char *abs)
{
	struct tracee *t;
	struct ofd *ofd;
	int pid, fd, n = 0;

	/* every following path call comes here: sscanf only for /proc */
	if (strncmp(abs, "/proc/", 6) != 0 ||
	    sscanf(abs, "/proc/%d/fd/%d%n", &pid, &fd, &n) != 2 || abs[n])
		return NULL;
	t = tracee_find(pid);
	if (!t || !t->files || !(ofd = fdtab_lookup(t->files, fd)) || !ofd->path)
		return NULL;
	return ofd;
}

/* Resolve argument i (a path; the argument before it is its dirfd when
 * the row says so).  A /proc/PID/fd/N that is followed names the virtual
 * file behind a virtual fd, not its placeholder: glibc's fchmodat with
 * AT_SYMLINK_NOFOLLOW (tar -p, Python's chmod(follow_symlinks=False))
 * opens the file O_PATH and then chmods /proc/self/fd/N. */
int file_resolve(struct sc_call *c, int i, int pflags, struct vpath *vp)
{
	int dirfd = i > 0 && c->row->arg[i - 1] == A_DIRFD ? (int)c->arg[i - 1]
							   : AT_FDCWD;
	struct ofd *ofd;
	int r;

	r = view_resolve(c, dirfd, c->arg[i], pflags, vp);
	if ((r == VIEW_KERNEL || r == VIEW_REAL) &&
	    !(pflags & (PATH_NOFOLLOW | PATH_NEW | PATH_CREATE |
			PATH_OPEN_CREAT)) &&
	    (ofd = file_proc_fd(vp->abs))) {
		file_vpath_of(ofd, vp);
		return VIEW_VIRTUAL;
	}
	return r;
}


static void release_served(struct ofd *ofd)
{
	struct vmount *m = ofd->mount;
	int (*op)(void *, void *) = SERVICE_OP(m->svc, release);

	if (op)
		NESTED_CALL(m->epoch, op, m->mnt, ofd->handle);
	mtab_unbusy(m);
}

static void installed_served(struct sc_call *c, int fd)
{
	struct ofd *ofd = c->priv;

	fdtab_set(c->t->files, fd, ofd, c->newfd_cloexec);
	ofd_put(ofd);
}

static int resolve_pflags(unsigned long long resolve)
{
	return ((resolve & RESOLVE_BENEATH) ? PATH_BENEATH : 0) |
	       ((resolve & RESOLVE_IN_ROOT) ? PATH_IN_ROOT : 0) |
	       ((resolve & RESOLVE_NO_SYMLINKS) ? PATH_NO_SYMLINKS : 0);
}

/* openat2 refuses what open and openat ignore: unknown flags or resolve
 * bits, and a mode without O_CREAT or O_TMPFILE. */
static bool open_how_valid(const struct open_how *how)
{
	const unsigned long long resolve = RESOLVE_NO_XDEV |
		RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH |
		RESOLVE_IN_ROOT | RESOLVE_CACHED;

	if (how->flags >> 32 || how->resolve & ~resolve)
		return false;
	if (how->mode & ~07777ULL)
		return false;
	return how->mode == 0 || (how->flags & O_CREAT) ||
	       (how->flags & O_TMPFILE) == O_TMPFILE;
}

/* The name an open file shows in /proc/PID/fd: an O_TMPFILE has none,
 * and Linux shows "DIR/#INODE (deleted)" (which no open can reach). */
static const char *shown_path(struct vpath *vp, int flags, void *handle,
			      char *buf, size_t size)
{
	struct stat st = { 0 };

	if ((flags & __O_TMPFILE) != __O_TMPFILE)
		return vp->abs;
	MOUNT_OP(vp->m, fstat, handle, &st);
	snprintf(buf, size, "%s/#%llu (deleted)", vp->abs,
		 (unsigned long long)st.st_ino);
	return buf;
}

static enum sc_action open_virtual(struct sc_call *c, struct vpath *vp,
				   int flags, mode_t mode)
{
	char shown[PATH_MAX + 32];
	int (*op)(void *, const char *, int, mode_t, void **) = VP_OP(vp, open);
	void *handle = NULL;
	struct ofd *ofd;
	int ret, ph;

	if (!op)
		return sc_return(c, -ENOSYS);
	if ((flags & O_CREAT) && (flags & O_EXCL) && vp->mode)
		return sc_return(c, -EEXIST);
	mode &= ~tracee_umask(c->t);
	ret = UMASK0(NESTED_CALL(vp->m->epoch, op, vp->m->mnt, vp->rel,
				 flags & ~O_CLOEXEC, mode, &handle));
	if (ret < 0)
		return sc_return(c, ret);
	c->newfd_cloexec = flags & O_CLOEXEC;
	if (ret > 0) { /* passthrough: the caller gets the real file */
		c->newfd = ret;
		/* ...unless the module opened it through a mount older than
		 * its own (a nested call): then the file that mount serves */
		ofd = nested_take(ret, vp->abs);
		if (ofd) {
			c->priv = ofd;
			c->installed = installed_served;
		}
		return SC_INSTALL;
	}
	/* as the kernel keeps f_flags on x86-64: O_LARGEFILE always (glibc
	 * defines it as 0 there, so the kernel's value) */
	ofd = ofd_new(vp->m->svc, handle,
		      (flags & ~(O_CLOEXEC | O_CREAT | O_EXCL | O_NOCTTY |
				 O_TRUNC)) | 0100000,
		      shown_path(vp, flags, handle, shown, sizeof(shown)),
		      release_served);
	ph = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (!ofd || ph < 0) {
		int (*rel)(void *, void *) = VP_OP(vp, release);

		if (rel)
			NESTED_CALL(vp->m->epoch, rel, vp->m->mnt, handle);
		free(ofd);
		if (ph >= 0)
			close(ph);
		return sc_return(c, -ENOMEM);
	}
	ofd->mount = vp->m;
	vp->m->busy++;
	c->newfd = ph; /* the placeholder: poll-ready, like a regular file */
	c->priv = ofd;
	c->installed = installed_served;
	return SC_INSTALL;
}

enum sc_action sc_open(struct sc_call *c)
{
	struct vpath vp;
	struct open_how how = { 0 };
	int i = 0, r, fd;

	switch (c->nr) {
	case __NR_open:
		how.flags = c->arg[1];
		how.mode = c->arg[2];
		break;
	case __NR_creat:
		how.flags = O_CREAT | O_WRONLY | O_TRUNC;
		how.mode = c->arg[1];
		break;
	case __NR_openat:
		i = 1;
		how.flags = c->arg[2];
		how.mode = c->arg[3];
		break;
	default: /* openat2 */
		i = 1;
		if (c->arg[3] < sizeof(how))
			return sc_return(c, -EINVAL);
		if (mem_read(c->t->tid, c->arg[2], &how, sizeof(how)) < 0)
			return sc_return(c, -EFAULT);
		if (!open_how_valid(&how))
			return sc_return(c, -EINVAL);
		break;
	}
	r = file_resolve(c, i, path_open_flags(how.flags) |
			 resolve_pflags(how.resolve), &vp);
	if (r == VIEW_KERNEL || r == VIEW_REAL) {
		int pm = procmounts_open(c, vp.abs, how.flags);
		struct ofd *ofd;

		if (pm > 0)
			return SC_INSTALL;
		if (pm < 0)
			return sc_return(c, pm);
		ofd = file_proc_fd(vp.abs);
		if (ofd) { /* reopen the virtual file, not the placeholder */
			file_vpath_of(ofd, &vp);
			return open_virtual(c, &vp, how.flags & ~O_EXCL,
					    how.mode);
		}
	}
	if (r == VIEW_KERNEL)
		return SC_KERNEL;
	if (r < 0)
		return sc_return(c, r);
	if (r == VIEW_VIRTUAL)
		return open_virtual(c, &vp, how.flags, how.mode);
	/* real, reached through the view */
	fd = open(vp.abs, (how.flags | O_CLOEXEC) & ~O_NOCTTY, how.mode);
	if (fd < 0)
		return sc_return(c, -errno);
	c->newfd = fd;
	c->newfd_cloexec = how.flags & O_CLOEXEC;
	return SC_INSTALL;
}

/* --- calls that change one path --- */

/* mkdir, mknod, rmdir, unlink, chmod, chown, truncate, utimensat,
 * statfs: one path, the operation picked by the call number. */
static long one_path_virtual(struct sc_call *c, struct vpath *vp, int i)
{
	const char *p = vp->rel;
	mode_t mask;

	switch (c->nr) {
	case __NR_mkdir:
	case __NR_mkdirat:
		if (vp->mode)
			return -EEXIST;
		mask = tracee_umask(c->t);
		return UMASK0(MOUNT_OP(vp->m, mkdir, p, c->arg[i + 1] & ~mask));
	case __NR_mknod:
	case __NR_mknodat:
		if (vp->mode)
			return -EEXIST;
		mask = tracee_umask(c->t);
		return UMASK0(MOUNT_OP(vp->m, mknod, p, c->arg[i + 1] & ~mask,
				       c->arg[i + 2]));
	case __NR_rmdir:
		return MOUNT_OP(vp->m, rmdir, p);
	case __NR_unlink:
		return MOUNT_OP(vp->m, unlink, p);
	case __NR_unlinkat:
		if (c->arg[2] & AT_REMOVEDIR)
			return MOUNT_OP(vp->m, rmdir, p);
		return MOUNT_OP(vp->m, unlink, p);
	case __NR_chmod:
	case __NR_fchmodat:
		return MOUNT_OP(vp->m, chmod, p, c->arg[i + 1]);
	case __NR_chown:
	case __NR_lchown:
	case __NR_fchownat:
		return MOUNT_OP(vp->m, chown, p, c->arg[i + 1],
			       c->arg[i + 2]);
	case __NR_truncate:
		return MOUNT_OP(vp->m, truncate, p, c->arg[1]);
	default:
		return -ENOSYS;
	}
}

/* The kind of a path's last component, as Linux's walk names it: rmdir
 * and rename refuse "." and ".." there, which the canonical path has
 * folded away. */
enum last_kind { LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT };

/* The kind of path argument i's last component, and in *slash whether a
 * slash follows it; or -errno. */
static int last_kind(struct sc_call *c, int i, bool *slash)
{
	char path[PATH_MAX];
	ssize_t n = mem_read_str(c->t->tid, c->arg[i], path, sizeof(path));
	const char *name;

	if (n < 0)
		return n;
	*slash = n > 0 && path[n - 1] == '/';
	while (n > 0 && path[n - 1] == '/')
		path[--n] = '\0';
	if (n == 0)
		return path[0] || *slash ? LAST_ROOT : LAST_NORM;
	name = strrchr(path, '/');
	name = name ? name + 1 : path;
	if (strcmp(name, ".") == 0)
		return LAST_DOT;
	if (strcmp(name, "..") == 0)
		return LAST_DOTDOT;
	return LAST_NORM;
}

/* rmdir's answer for a last component that is not a name, or 0. */
static int rmdir_last(struct sc_call *c, int i)
{
	bool slash;

	switch (last_kind(c, i, &slash)) {
	case LAST_DOT:
		return -EINVAL;
	case LAST_DOTDOT:
		return -ENOTEMPTY;
	case LAST_ROOT:
		return -EBUSY;
	default:
		return 0;
	}
}

/* unlink's answer for a name followed by a slash, or 0: Linux never
 * follows the name then, so a symlink to a directory is -ENOTDIR, where
 * the walk (which follows before a slash) would find the directory. */
static int unlink_slash(struct sc_call *c, int i)
{
	struct vpath vp;
	bool slash;
	int r = last_kind(c, i, &slash);

	if (r != LAST_NORM || !slash)
		return 0;
	r = file_resolve(c, i, PATH_NEW, &vp);
	if (r < 0)
		return r;
	return !vp.mode ? -ENOENT : S_ISDIR(vp.mode) ? -EISDIR : -ENOTDIR;
}

static long one_path_real(struct sc_call *c, const char *abs, int i)
{
	mode_t mask;

	switch (c->nr) {
	case __NR_mkdir:
	case __NR_mkdirat:
		mask = umask(tracee_umask(c->t));
		i = mkdir(abs, c->arg[i + 1]) < 0 ? -errno : 0;
		umask(mask);
		return i;
	case __NR_mknod:
	case __NR_mknodat:
		mask = umask(tracee_umask(c->t));
		i = mknod(abs, c->arg[i + 1], c->arg[i + 2]) < 0 ? -errno : 0;
		umask(mask);
		return i;
	case __NR_rmdir:
		return neg_errno(rmdir(abs));
	case __NR_unlink:
		return neg_errno(unlink(abs));
	case __NR_unlinkat:
		return neg_errno(unlinkat(AT_FDCWD, abs, c->arg[2] & AT_REMOVEDIR));
	case __NR_chmod:
	case __NR_fchmodat:
		return neg_errno(chmod(abs, c->arg[i + 1]));
	case __NR_chown:
	case __NR_fchownat:
		return neg_errno(chown(abs, c->arg[i + 1], c->arg[i + 2]));
	case __NR_lchown:
		return neg_errno(lchown(abs, c->arg[1], c->arg[2]));
	case __NR_truncate:
		return neg_errno(truncate(abs, c->arg[1]));
	default:
		return -ENOSYS;
	}
}

enum sc_action sc_one_path(struct sc_call *c)
{
	int i = c->row->arg[0] == A_DIRFD ? 1 : 0, pflags = 0, r;
	struct vpath vp;

	switch (c->nr) {
	case __NR_mkdir:
	case __NR_mkdirat:
		pflags = PATH_NEW | PATH_DIRECTORY;
		break;
	case __NR_mknod:
	case __NR_mknodat:
		pflags = PATH_NEW;
		break;
	case __NR_unlinkat:
		if (c->arg[2] & ~AT_REMOVEDIR)
			return sc_return(c, -EINVAL);
		/* fall through */
	case __NR_rmdir:
	case __NR_unlink:
	case __NR_lchown:
		pflags = PATH_NOFOLLOW;
		break;
	case __NR_fchownat:
		if (c->arg[4] & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
			return sc_return(c, -EINVAL);
		if (c->arg[4] & AT_SYMLINK_NOFOLLOW)
			pflags = PATH_NOFOLLOW;
		if (c->arg[4] & AT_EMPTY_PATH)
			pflags |= PATH_EMPTY_OK;
		break;
	}
	r = file_resolve(c, i, pflags, &vp);
	if (r == VIEW_KERNEL)
		return SC_KERNEL;
	if (r >= 0 && (c->nr == __NR_rmdir || (c->nr == __NR_unlinkat &&
					       (c->arg[2] & AT_REMOVEDIR))))
		r = rmdir_last(c, i) ?: r;
	else if (r >= 0 && (c->nr == __NR_unlink || c->nr == __NR_unlinkat))
		r = unlink_slash(c, i) ?: r;
	if (r < 0)
		return sc_return(c, r);
	return sc_return(c, vp.m ? one_path_virtual(c, &vp, i)
			    : one_path_real(c, vp.abs, i));
}

/* The times utime, utimes and futimesat give (seconds, microseconds) as
 * utimensat's; 0 or -errno. */
static int old_times(struct sc_call *c, unsigned long addr,
		     struct timespec ts[2])
{
	struct timeval tv[2];
	struct utimbuf ub;
	int k;

	if (!addr)
		return 0; /* now */
	if (c->nr == __NR_utime) {
		if (mem_read(c->t->tid, addr, &ub, sizeof(ub)) < 0)
			return -EFAULT;
		ts[0] = (struct timespec){ ub.actime, 0 };
		ts[1] = (struct timespec){ ub.modtime, 0 };
		return 0;
	}
	if (mem_read(c->t->tid, addr, tv, sizeof(tv)) < 0)
		return -EFAULT;
	for (k = 0; k < 2; k++) {
		if (tv[k].tv_usec < 0 || tv[k].tv_usec >= 1000000)
			return -EINVAL;
		ts[k] = (struct timespec){ tv[k].tv_sec,
					   tv[k].tv_usec * 1000 };
	}
	return 0;
}

/* utimensat, and the older utime, utimes and futimesat. */
enum sc_action sc_utimensat(struct sc_call *c)
{
	int (*op)(void *, const char *, const struct timespec *);
	struct timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	bool old = c->nr != __NR_utimensat;
	int flags = old ? 0 : (int)c->arg[3], r;
	int i = c->nr == __NR_utime || c->nr == __NR_utimes ? 0 : 1;
	struct ofd *by_fd = NULL; /* futimens of a virtual fd */
	struct vpath vp;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return sc_return(c, -EINVAL);
	if (old) {
		r = file_resolve(c, i, 0, &vp);
		if (r == VIEW_KERNEL)
			return SC_KERNEL;
		if (r >= 0)
			r = old_times(c, c->arg[i + 1], ts);
		if (r < 0)
			return sc_return(c, r);
		goto apply;
	}
	if (!c->arg[1] || (flags & AT_EMPTY_PATH)) { /* futimens */
		struct ofd *ofd = fdtab_lookup(c->t->files, c->arg[0]);
		char first = 0;

		if (c->arg[1] &&
		    mem_read(c->t->tid, c->arg[1], &first, 1) < 0)
			return sc_return(c, -EFAULT);
		if (first)
			goto by_path;
		if (!ofd) /* a real fd */
			return SC_KERNEL;
		by_fd = ofd;
		file_vpath_of(ofd, &vp);
		r = VIEW_VIRTUAL;
	} else {
by_path:
		r = file_resolve(c, 1,
				 (flags & AT_SYMLINK_NOFOLLOW) ? PATH_NOFOLLOW
							       : 0,
				 &vp);
	}
	if (r == VIEW_KERNEL)
		return SC_KERNEL;
	if (r < 0)
		return sc_return(c, r);
	if (c->arg[2] && mem_read(c->t->tid, c->arg[2], ts, sizeof(ts)) < 0)
		return sc_return(c, -EFAULT);
apply:
	/* by the open file when the module can (it may be unlinked) */
	if (by_fd && SERVICE_OP(vp.m->svc, futimens))
		return sc_return(c, MOUNT_OP(vp.m, futimens, by_fd->handle,
					     ts));
	if (!vp.m)
		return sc_return(c, neg_errno(utimensat(AT_FDCWD, vp.abs, ts,
						   AT_SYMLINK_NOFOLLOW)));
	op = VP_OP(&vp, utimens);
	return sc_return(c, op ? NESTED_CALL(vp.m->epoch, op, vp.m->mnt, vp.rel, ts) : -ENOSYS);
}

/* --- calls with two paths --- */

/* Both in the same mount, both real, or EXDEV. */
static int two_paths(struct sc_call *c, int i, int pflags_i, int j,
		     int pflags_j, struct vpath *a, struct vpath *b)
{
	int ra = file_resolve(c, i, pflags_i, a), rb;

	if (ra < 0)
		return ra;
	rb = file_resolve(c, j, pflags_j, b);
	if (rb < 0)
		return rb;
	if (ra == VIEW_KERNEL && rb == VIEW_KERNEL)
		return VIEW_KERNEL;
	if (ra == VIEW_VIRTUAL || rb == VIEW_VIRTUAL) {
		if (ra != rb || a->m != b->m)
			return -EXDEV;
		return VIEW_VIRTUAL;
	}
	return VIEW_REAL;
}

enum sc_action sc_rename(struct sc_call *c)
{
	int (*op)(void *, const char *, const char *, unsigned int);
	unsigned int flags = c->nr == __NR_renameat2 ? c->arg[4] : 0;
	int i = c->nr == __NR_rename ? 0 : 1, j = c->nr == __NR_rename ? 1 : 3;
	struct vpath a, b;
	bool slash_a, slash_b;
	int r, ka, kb;

	r = two_paths(c, i, PATH_NOFOLLOW, j, PATH_NOFOLLOW | PATH_CREATE, &a,
		      &b);
	if (r == VIEW_KERNEL)
		return SC_KERNEL;
	/* Linux's order: flags, then "." and ".." as either last component,
	 * then a trailing slash on either name of a non-directory. */
	if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) ||
	    (flags & RENAME_NOREPLACE && flags & RENAME_EXCHANGE))
		return sc_return(c, -EINVAL);
	if (r < 0)
		return sc_return(c, r);
	ka = last_kind(c, i, &slash_a);
	kb = last_kind(c, j, &slash_b);
	if (ka < 0 || kb < 0)
		return sc_return(c, ka < 0 ? ka : kb);
	if (ka != LAST_NORM || kb != LAST_NORM)
		return sc_return(c, -EBUSY);
	if (a.mode && !S_ISDIR(a.mode) && (slash_a || slash_b))
		return sc_return(c, -ENOTDIR);
	if (r == VIEW_REAL)
		return sc_return(c, neg_errno(renameat2(AT_FDCWD, a.abs, AT_FDCWD,
						   b.abs, flags)));
	op = VP_OP(&a, rename);
	return sc_return(c, op ? NESTED_CALL(a.m->epoch, op, a.m->mnt, a.rel, b.rel, flags) : -ENOSYS);
}

/* The virtual open file linkat names as its source, if it does: the fd
 * itself under AT_EMPTY_PATH with "", or /proc/PID/fd/N followed.
 * NULL when the source is a path like any other. */
static struct ofd *link_source_fd(struct sc_call *c, bool follow)
{
	struct vpath vp;
	char first = 1;
	int r;

	if (c->nr != __NR_linkat)
		return NULL;
	if ((c->arg[4] & AT_EMPTY_PATH) && (int)c->arg[0] != AT_FDCWD &&
	    (!c->arg[1] || (mem_read(c->t->tid, c->arg[1], &first, 1) == 0 &&
			    !first)))
		return fdtab_lookup(c->t->files, (int)c->arg[0]);
	if (!follow)
		return NULL;
	r = file_resolve(c, 1, PATH_NOFOLLOW, &vp);
	return r == VIEW_KERNEL || r == VIEW_REAL ? file_proc_fd(vp.abs) : NULL;
}

/* linkat of an open virtual file (an O_TMPFILE): the module's flink. */
static enum sc_action link_fd(struct sc_call *c, struct ofd *ofd)
{
	struct vpath b;
	int r;

	r = file_resolve(c, 3, PATH_NEW, &b);
	if (r < 0)
		return sc_return(c, r);
	if (b.mode)
		return sc_return(c, -EEXIST);
	if (r != VIEW_VIRTUAL || b.m != ofd->mount)
		return sc_return(c, -EXDEV);
	if (!SERVICE_OP(b.m->svc, flink))
		return sc_return(c, -EOPNOTSUPP);
	return sc_return(c, MOUNT_OP(b.m, flink, ofd->handle, b.rel));
}

enum sc_action sc_link(struct sc_call *c)
{
	int (*op)(void *, const char *, const char *);
	int i = c->nr == __NR_link ? 0 : 1, j = c->nr == __NR_link ? 1 : 3;
	int follow = c->nr == __NR_linkat && (c->arg[4] & AT_SYMLINK_FOLLOW);
	struct ofd *src;
	struct vpath a, b;
	int r;

	if (c->nr == __NR_linkat &&
	    c->arg[4] & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return sc_return(c, -EINVAL);
	src = link_source_fd(c, follow);
	if (src)
		return link_fd(c, src);
	r = two_paths(c, i, follow ? 0 : PATH_NOFOLLOW, j, PATH_NEW, &a, &b);
	if (r == VIEW_KERNEL)
		return SC_KERNEL;
	if (r < 0)
		return sc_return(c, r);
	if (b.mode)
		return sc_return(c, -EEXIST);
	if (r == VIEW_REAL)
		return sc_return(c, neg_errno(link(a.abs, b.abs)));
	op = VP_OP(&a, link);
	return sc_return(c, op ? NESTED_CALL(a.m->epoch, op, a.m->mnt, a.rel, b.rel) : -ENOSYS);
}

enum sc_action sc_symlink(struct sc_call *c)
{
	int (*op)(void *, const char *, const char *);
	int i = c->nr == __NR_symlink ? 1 : 2;
	char target[PATH_MAX];
	struct vpath vp;
	ssize_t n;
	int r;

	r = file_resolve(c, i, PATH_NEW, &vp);
	if (r == VIEW_KERNEL)
		return SC_KERNEL;
	if (r < 0)
		return sc_return(c, r);
	n = mem_read_str(c->t->tid, c->arg[0], target, sizeof(target));
	if (n < 0)
		return sc_return(c, n == -ENAMETOOLONG ? n : -EFAULT);
	if (!*target)
		return sc_return(c, -ENOENT);
	if (vp.mode)
		return sc_return(c, -EEXIST);
	if (!vp.m)
		return sc_return(c, neg_errno(symlink(target, vp.abs)));
	op = VP_OP(&vp, symlink);
	return sc_return(c, op ? NESTED_CALL(vp.m->epoch, op, vp.m->mnt, target, vp.rel) : -ENOSYS);
}
