/* unreal: the test module; mounts a real directory (by default the real "/"
 * at /unreal) through the module API, served or passthrough. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <umview/module.h>

/* provided by the core, see module.h (pending) */
int um_mount(struct um_service *svc, const char *target, void *mnt);

#define UNREAL_TARGET "/unreal"

enum unreal_mode { MODE_SERVED, MODE_PASSTHROUGH };

/* Per-mount state. */
struct unreal_mnt {
	struct um_service *svc;
	int dirfd; /* O_PATH|O_DIRECTORY fd of the source */
	enum unreal_mode mode;
	bool ro;
};

/* A served open file. */
struct unreal_file {
	int fd;
	pthread_mutex_t lock; /* lseek + getdents64 on a shared handle */
};

/* Mount options, from mount(2)'s data or from um_add_service. */
struct unreal_opts {
	enum unreal_mode mode;
	bool ro;
	bool nomount; /* service options only */
};

static int neg_errno(int ret)
{
	return ret < 0 ? -errno : ret;
}

/* --- options --- */

static int parse_one(struct um_service *svc, char *item, struct unreal_opts *o,
		     bool service)
{
	if (strcmp(item, "mode=served") == 0)
		o->mode = MODE_SERVED;
	else if (strcmp(item, "mode=passthrough") == 0)
		o->mode = MODE_PASSTHROUGH;
	else if (strcmp(item, "ro") == 0)
		o->ro = true;
	else if (strcmp(item, "rw") == 0)
		o->ro = false;
	else if (service && strcmp(item, "nomount") == 0)
		o->nomount = true;
	else {
		um_error(svc,
			 "unreal: unknown option '%s' (use mode=served, "
			 "mode=passthrough, ro%s)",
			 item, service ? ", nomount" : "");
		return -EINVAL;
	}
	return 0;
}

/* A comma-separated list; empty items are ignored. */
static int parse_opts(struct um_service *svc, const char *text,
		      struct unreal_opts *o, bool service)
{
	char *list, *save = NULL, *item;
	int err = 0;

	if (!text)
		return 0;
	list = strdup(text);
	if (!list)
		return -ENOMEM;
	for (item = strtok_r(list, ",", &save); item && !err;
	     item = strtok_r(NULL, ",", &save))
		err = parse_one(svc, item, o, service);
	free(list);
	return err;
}

/* --- per-mount state --- */

static void mnt_free(struct unreal_mnt *m)
{
	if (!m)
		return;
	if (m->dirfd >= 0)
		close(m->dirfd);
	free(m);
}

static int mnt_new(struct um_service *svc, const char *source,
		   const char *target, const struct unreal_opts *o,
		   struct unreal_mnt **out)
{
	struct unreal_mnt *m = calloc(1, sizeof(*m));
	int err;

	if (!m)
		return -ENOMEM;
	m->svc = svc;
	m->mode = o->mode;
	m->ro = o->ro;
	m->dirfd = open(source, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (m->dirfd < 0) {
		err = -errno;
		um_error(svc, "unreal: cannot mount source '%s': %s", source,
			 strerror(-err));
		goto out_free;
	}
	*out = m;
	return 0;
out_free:
	mnt_free(m);
	return err;
}

/*
 * The path below the source that path names, relative to dirfd: "." for the
 * root, "a/b" for "/a/b".
 *
 * Stacking (/unreal/unreal/X) needs nothing here: this module's own calls go
 * through the view (purelibc, nested calls), where "/unreal/X" reaches the
 * older of the two mounts the service makes at /unreal, never this one.
 */
static const char *rel(const struct unreal_mnt *m, const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

#define PROC_PATH_MAX (PATH_MAX + 32)

/* "/proc/self/fd/DIRFD/REL", for the calls that have no *at form. */
static int proc_path(const struct unreal_mnt *m, const char *path, char *buf,
		     size_t len)
{
	int n = snprintf(buf, len, "/proc/self/fd/%d/%s", m->dirfd,
			 rel(m, path));

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* lstat of path in m: 0 or -errno. */
static int lstat_at(const struct unreal_mnt *m, const char *path,
		    struct stat *st)
{
	return neg_errno(
		fstatat(m->dirfd, rel(m, path), st, AT_SYMLINK_NOFOLLOW));
}

/* --- read-only mounts: the errors the kernel gives, in its order --- */

/* Changing an existing object: it must exist first. */
static int ro_modify(const struct unreal_mnt *m, const char *path)
{
	struct stat st;
	int err = lstat_at(m, path, &st);

	return err < 0 ? err : -EROFS;
}

/* A missing object cannot be created: EROFS if its parent exists. */
static int ro_absent(const struct unreal_mnt *m, const char *path)
{
	char parent[PATH_MAX];
	const char *r = rel(m, path), *slash = strrchr(r, '/');
	struct stat st;

	if (!slash)
		return -EROFS;
	if ((size_t)(slash - r) >= sizeof(parent))
		return -ENAMETOOLONG;
	memcpy(parent, r, slash - r);
	parent[slash - r] = '\0';
	if (fstatat(m->dirfd, parent, &st, 0) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? -EROFS : -ENOTDIR;
}

/* Creating an object: EEXIST wins over EROFS. */
static int ro_create(const struct unreal_mnt *m, const char *path)
{
	struct stat st;
	int err = lstat_at(m, path, &st);

	if (err == 0)
		return -EEXIST;
	return err == -ENOENT ? ro_absent(m, path) : err;
}

/* Device nodes, fifos and sockets stay writable on a read-only mount. */
static bool ro_exempt(mode_t mode)
{
	return S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode) ||
	       S_ISSOCK(mode);
}

static bool open_writes(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
}

/* May this open go ahead on a read-only mount? */
static int ro_open(const struct unreal_mnt *m, const char *path, int flags)
{
	struct stat st;
	int err = lstat_at(m, path, &st);

	if (err == -ENOENT && (flags & O_CREAT))
		return ro_absent(m, path);
	if (err < 0)
		return err;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if ((flags & __O_TMPFILE) == __O_TMPFILE)
		return S_ISDIR(st.st_mode) ? -EROFS : -ENOTDIR;
	if (!open_writes(flags) || ro_exempt(st.st_mode))
		return 0;
	return S_ISDIR(st.st_mode) ? -EISDIR : -EROFS;
}

/* --- mount family --- */

static int unreal_mount(struct um_service *svc, const char *source,
			const char *target, const char *fstype,
			unsigned long flags, const char *data, void **mnt)
{
	struct unreal_opts o = { .mode = MODE_SERVED };
	struct unreal_mnt *m;
	int err;

	if (!source || !*source) {
		um_error(svc, "unreal: mount needs a source directory");
		return -EINVAL;
	}
	err = parse_opts(svc, data, &o, false);
	if (err < 0)
		return err;
	if (flags & MS_RDONLY)
		o.ro = true;
	err = mnt_new(svc, source, target, &o, &m);
	if (err < 0)
		return err;
	um_service_hold(svc);
	um_debug(svc, "unreal: %s mounted at %s (%s%s)", source, target,
		 o.mode == MODE_SERVED ? "served" : "passthrough",
		 o.ro ? ", ro" : "");
	*mnt = m;
	return 0;
}

static int unreal_umount(void *mnt, int flags)
{
	struct unreal_mnt *m = mnt;

	um_service_release(m->svc);
	mnt_free(m);
	return 0;
}

/* --- file family: paths --- */

static int unreal_lstat(void *mnt, const char *path, struct stat *st)
{
	return lstat_at(mnt, path, st);
}

static ssize_t unreal_readlink(void *mnt, const char *path, char *buf,
			       size_t size)
{
	struct unreal_mnt *m = mnt;
	ssize_t n = readlinkat(m->dirfd, rel(m, path), buf, size);

	return n < 0 ? -errno : n;
}

static int unreal_access(void *mnt, const char *path, int mode)
{
	struct unreal_mnt *m = mnt;
	struct stat st;
	int err;

	if (m->ro && (mode & W_OK)) {
		if ((err = lstat_at(m, path, &st)) < 0)
			return err;
		if (!ro_exempt(st.st_mode))
			return -EROFS;
	}
	return neg_errno(
		faccessat(m->dirfd, rel(m, path), mode, AT_SYMLINK_NOFOLLOW));
}

static int served_open(int fd, void **handle)
{
	struct unreal_file *f = malloc(sizeof(*f));

	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	f->fd = fd;
	pthread_mutex_init(&f->lock, NULL);
	*handle = f;
	return 0;
}

/*
 * Passthrough: the real fd itself is returned (the core hands it to the
 * caller).  Served: the fd stays here, behind a handle.  O_CLOEXEC keeps
 * either from leaking into a tracee by an exec of the hypervisor's.
 */
static bool is_dir_fd(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
}

static int unreal_open(void *mnt, const char *path, int flags, mode_t mode,
		       void **handle)
{
	struct unreal_mnt *m = mnt;
	int fd, err;

	if (m->ro && (err = ro_open(m, path, flags)) < 0)
		return err;
	if (m->ro)
		flags &= ~O_CREAT;
	fd = openat(m->dirfd, rel(m, path), flags | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	/* Passthrough is for the data of regular files: a directory or an
	 * O_PATH handle stays served, so that its path stays in the view
	 * (fchdir, *at calls, /proc/PID/fd). */
	if (m->mode == MODE_PASSTHROUGH && !(flags & O_PATH) &&
	    !is_dir_fd(fd))
		return fd;
	return served_open(fd, handle);
}

static int unreal_truncate(void *mnt, const char *path, off_t length)
{
	struct unreal_mnt *m = mnt;
	char buf[PROC_PATH_MAX];
	struct stat st;
	int err;

	if (m->ro) {
		if ((err = lstat_at(m, path, &st)) < 0)
			return err;
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		return S_ISREG(st.st_mode) ? -EROFS : -EINVAL;
	}
	err = proc_path(m, path, buf, sizeof(buf));
	if (err < 0)
		return err;
	return neg_errno(truncate(buf, length));
}

static int unreal_mkdir(void *mnt, const char *path, mode_t mode)
{
	struct unreal_mnt *m = mnt;

	if (m->ro)
		return ro_create(m, path);
	return neg_errno(mkdirat(m->dirfd, rel(m, path), mode));
}

static int unreal_mknod(void *mnt, const char *path, mode_t mode, dev_t dev)
{
	struct unreal_mnt *m = mnt;

	if (m->ro)
		return ro_create(m, path);
	return neg_errno(mknodat(m->dirfd, rel(m, path), mode, dev));
}

static int unreal_rmdir(void *mnt, const char *path)
{
	struct unreal_mnt *m = mnt;

	if (m->ro)
		return ro_modify(m, path);
	return neg_errno(unlinkat(m->dirfd, rel(m, path), AT_REMOVEDIR));
}

static int unreal_unlink(void *mnt, const char *path)
{
	struct unreal_mnt *m = mnt;

	if (m->ro)
		return ro_modify(m, path);
	return neg_errno(unlinkat(m->dirfd, rel(m, path), 0));
}

static int unreal_rename(void *mnt, const char *from, const char *to,
			 unsigned int flags)
{
	struct unreal_mnt *m = mnt;

	if (m->ro)
		return ro_modify(m, from);
	return neg_errno(
		renameat2(m->dirfd, rel(m, from), m->dirfd, rel(m, to), flags));
}

static int unreal_link(void *mnt, const char *from, const char *to)
{
	struct unreal_mnt *m = mnt;
	int err;

	if (m->ro) {
		err = ro_modify(m, from);
		return err == -EROFS ? ro_create(m, to) : err;
	}
	return neg_errno(
		linkat(m->dirfd, rel(m, from), m->dirfd, rel(m, to), 0));
}

/* A name for an open file (an O_TMPFILE): linkat through /proc/self/fd,
 * which needs no CAP_DAC_READ_SEARCH, unlike AT_EMPTY_PATH. */
static int unreal_flink(void *mnt, void *handle, const char *path)
{
	struct unreal_mnt *m = mnt;
	struct unreal_file *f = handle;
	char proc[64];

	if (m->ro)
		return ro_create(m, path);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", f->fd);
	return neg_errno(linkat(AT_FDCWD, proc, m->dirfd, rel(m, path),
				AT_SYMLINK_FOLLOW));
}

static int unreal_symlink(void *mnt, const char *target, const char *path)
{
	struct unreal_mnt *m = mnt;

	if (m->ro)
		return ro_create(m, path);
	return neg_errno(symlinkat(target, m->dirfd, rel(m, path)));
}

/* chmod(2) follows symlinks, but the core has resolved them all: the final
 * object is never a symlink here. */
static int unreal_chmod(void *mnt, const char *path, mode_t mode)
{
	struct unreal_mnt *m = mnt;

	if (m->ro)
		return ro_modify(m, path);
	return neg_errno(fchmodat(m->dirfd, rel(m, path), mode, 0));
}

static int unreal_chown(void *mnt, const char *path, uid_t uid, gid_t gid)
{
	struct unreal_mnt *m = mnt;

	if (m->ro)
		return ro_modify(m, path);
	return neg_errno(fchownat(m->dirfd, rel(m, path), uid, gid,
				  AT_SYMLINK_NOFOLLOW));
}

static int unreal_utimens(void *mnt, const char *path,
			  const struct timespec ts[2])
{
	struct unreal_mnt *m = mnt;

	if (m->ro)
		return ro_modify(m, path);
	return neg_errno(
		utimensat(m->dirfd, rel(m, path), ts, AT_SYMLINK_NOFOLLOW));
}

static int unreal_statfs(void *mnt, const char *path, struct statfs *buf)
{
	struct unreal_mnt *m = mnt;
	int fd =
		openat(m->dirfd, rel(m, path), O_PATH | O_NOFOLLOW | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = neg_errno(fstatfs(fd, buf));
	close(fd);
	if (err == 0 && m->ro)
		buf->f_flags |= ST_RDONLY;
	return err;
}

/* --- file family: extended attributes (no *at calls: via /proc) --- */

static ssize_t unreal_getxattr(void *mnt, const char *path, const char *name,
			       void *value, size_t size)
{
	char buf[PROC_PATH_MAX];
	ssize_t n;
	int err = proc_path(mnt, path, buf, sizeof(buf));

	if (err < 0)
		return err;
	n = lgetxattr(buf, name, value, size);
	return n < 0 ? -errno : n;
}

static int unreal_setxattr(void *mnt, const char *path, const char *name,
			   const void *value, size_t size, int flags)
{
	struct unreal_mnt *m = mnt;
	char buf[PROC_PATH_MAX];
	int err;

	if (m->ro)
		return ro_modify(m, path);
	err = proc_path(m, path, buf, sizeof(buf));
	if (err < 0)
		return err;
	return neg_errno(lsetxattr(buf, name, value, size, flags));
}

static ssize_t unreal_listxattr(void *mnt, const char *path, char *list,
				size_t size)
{
	char buf[PROC_PATH_MAX];
	ssize_t n;
	int err = proc_path(mnt, path, buf, sizeof(buf));

	if (err < 0)
		return err;
	n = llistxattr(buf, list, size);
	return n < 0 ? -errno : n;
}

static int unreal_removexattr(void *mnt, const char *path, const char *name)
{
	struct unreal_mnt *m = mnt;
	char buf[PROC_PATH_MAX];
	int err;

	if (m->ro)
		return ro_modify(m, path);
	err = proc_path(m, path, buf, sizeof(buf));
	if (err < 0)
		return err;
	return neg_errno(lremovexattr(buf, name));
}

/* --- file family: served open files --- */

static int unreal_release(void *mnt, void *handle)
{
	struct unreal_file *f = handle;
	int err;

	if (!f)
		return 0;
	err = neg_errno(close(f->fd));
	pthread_mutex_destroy(&f->lock);
	free(f);
	return err;
}

static ssize_t unreal_pread(void *mnt, void *handle, void *buf, size_t count,
			    off_t offset)
{
	struct unreal_file *f = handle;
	ssize_t n = pread(f->fd, buf, count, offset);

	return n < 0 ? -errno : n;
}

static ssize_t unreal_pwrite(void *mnt, void *handle, const void *buf,
			     size_t count, off_t offset)
{
	struct unreal_file *f = handle;
	ssize_t n = pwrite(f->fd, buf, count, offset);

	return n < 0 ? -errno : n;
}

static int unreal_fstat(void *mnt, void *handle, struct stat *st)
{
	struct unreal_file *f = handle;

	return neg_errno(fstat(f->fd, st));
}

struct unreal_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* The d_off of the last record in buf: where the next call starts. */
static off_t last_d_off(const char *buf, size_t len)
{
	const struct unreal_dirent64 *d = NULL;
	size_t at;

	for (at = 0; at < len; at += d->d_reclen)
		d = (const struct unreal_dirent64 *)(buf + at);
	return d->d_off;
}

static ssize_t unreal_getdents64(void *mnt, void *handle, void *buf,
				 size_t count, off_t *pos)
{
	struct unreal_file *f = handle;
	ssize_t n;

	pthread_mutex_lock(&f->lock);
	if (lseek(f->fd, *pos, SEEK_SET) < 0) {
		n = -errno;
		goto out_unlock;
	}
	n = syscall(SYS_getdents64, f->fd, buf, count);
	if (n < 0) {
		n = -errno;
		goto out_unlock;
	}
	if (n > 0)
		*pos = last_d_off(buf, n);
out_unlock:
	pthread_mutex_unlock(&f->lock);
	return n;
}

static int unreal_ftruncate(void *mnt, void *handle, off_t length)
{
	struct unreal_file *f = handle;

	return neg_errno(ftruncate(f->fd, length));
}

/* fchmod, fchown, futimens: on the open file itself (it may have been
 * unlinked or renamed since). */
static int unreal_fchmod(void *mnt, void *handle, mode_t mode)
{
	struct unreal_file *f = handle;

	if (((struct unreal_mnt *)mnt)->ro)
		return -EROFS;
	return neg_errno(fchmod(f->fd, mode));
}

static int unreal_fchown(void *mnt, void *handle, uid_t uid, gid_t gid)
{
	struct unreal_file *f = handle;

	if (((struct unreal_mnt *)mnt)->ro)
		return -EROFS;
	return neg_errno(fchown(f->fd, uid, gid));
}

static int unreal_futimens(void *mnt, void *handle,
			   const struct timespec ts[2])
{
	struct unreal_file *f = handle;

	if (((struct unreal_mnt *)mnt)->ro)
		return -EROFS;
	return neg_errno(futimens(f->fd, ts));
}

static int unreal_fsync(void *mnt, void *handle, int datasync)
{
	struct unreal_file *f = handle;

	return neg_errno(datasync ? fdatasync(f->fd) : fsync(f->fd));
}

static int unreal_fallocate(void *mnt, void *handle, int mode, off_t offset,
			    off_t len)
{
	struct unreal_file *f = handle;

	return neg_errno(fallocate(f->fd, mode, offset, len));
}

/* SEEK_DATA/SEEK_HOLE on the real file: its holes are the file's. */
static off_t unreal_lseek(void *mnt, void *handle, off_t offset, int whence)
{
	struct unreal_file *f = handle;
	off_t r;

	pthread_mutex_lock(&f->lock); /* the real offset is shared */
	r = lseek(f->fd, offset, whence);
	if (r < 0)
		r = -errno;
	pthread_mutex_unlock(&f->lock);
	return r;
}

/* The inode-flag requests go to the real file; the core has copied their
 * fixed-size argument in and copies it back.  Nothing else: a request
 * whose argument holds pointers would make the kernel follow them into
 * the hypervisor's memory. */
static int unreal_ioctl(void *mnt, void *handle, unsigned long request,
			void *arg, size_t size)
{
	struct unreal_file *f = handle;
	int r;

	switch (request) {
	case FS_IOC_GETFLAGS:
	case FS_IOC_SETFLAGS:
	case FS_IOC_GETVERSION:
	case FS_IOC_FSGETXATTR:
	case FS_IOC_FSSETXATTR:
		if (size < _IOC_SIZE(request))
			return -EFAULT;
		break;
	default:
		return -ENOTTY;
	}
	r = ioctl(f->fd, request, arg);
	return r < 0 ? -errno : r;
}

/* --- the service --- */

/* The real "/" at /unreal, unless the options say nomount. */
static int unreal_init(struct um_service *svc, const char *options)
{
	struct unreal_opts o = { .mode = MODE_SERVED };
	struct unreal_mnt *m;
	int err, i;

	err = parse_opts(svc, options, &o, true);
	if (err < 0)
		return err;
	err = um_register(svc, UM_REG_FSTYPE, 0, "unreal");
	if (err < 0)
		return err;
	if (o.nomount)
		return 0;
	/* Twice: the newer mount's own calls see the older one at /unreal
	 * (nested calls see only older mounts), so /unreal/unreal/X is X. */
	for (i = 0; i < 2; i++) {
		err = mnt_new(svc, "/", UNREAL_TARGET, &o, &m);
		if (err < 0)
			return err;
		err = um_mount(svc, UNREAL_TARGET, m);
		if (err < 0) {
			um_error(svc, "unreal: cannot mount / at %s: %s",
				 UNREAL_TARGET, strerror(-err));
			mnt_free(m);
			return err;
		}
		/* Like any mount: um_del_service waits for its umount. */
		um_service_hold(svc);
	}
	return 0;
}

UM_MODULE_EXPORT struct um_module um_module = {
	.api_version = UM_MODULE_API_VERSION,
	.size = sizeof(struct um_module),
	.name = "unreal",
	.description = "test module: real directories mounted through the "
		       "module API (/ at /unreal)",
	.init = unreal_init,
	.mount = unreal_mount,
	.umount = unreal_umount,
	.lstat = unreal_lstat,
	.readlink = unreal_readlink,
	.access = unreal_access,
	.open = unreal_open,
	.release = unreal_release,
	.pread = unreal_pread,
	.pwrite = unreal_pwrite,
	.fstat = unreal_fstat,
	.getdents64 = unreal_getdents64,
	.ftruncate = unreal_ftruncate,
	.fchmod = unreal_fchmod,
	.fchown = unreal_fchown,
	.futimens = unreal_futimens,
	.fsync = unreal_fsync,
	.truncate = unreal_truncate,
	.mkdir = unreal_mkdir,
	.mknod = unreal_mknod,
	.rmdir = unreal_rmdir,
	.unlink = unreal_unlink,
	.rename = unreal_rename,
	.link = unreal_link,
	.symlink = unreal_symlink,
	.chmod = unreal_chmod,
	.chown = unreal_chown,
	.utimens = unreal_utimens,
	.statfs = unreal_statfs,
	.getxattr = unreal_getxattr,
	.setxattr = unreal_setxattr,
	.listxattr = unreal_listxattr,
	.removexattr = unreal_removexattr,
	.flink = unreal_flink,
	.fallocate = unreal_fallocate,
	.lseek = unreal_lseek,
	.ioctl = unreal_ioctl,
};
