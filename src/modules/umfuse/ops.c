/* umfuse: the module's file operations, each mapped to the submodule's
 * fuse_operations as the kernel's FUSE and libfuse's high-level layer
 * would call them. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "umfuse.h"

#ifndef FUSE_SUPER_MAGIC
#define FUSE_SUPER_MAGIC 0x65735546
#endif

#define OP(m) (&(m)->f->op)

/* A result of an operation: positive counts pass, ENOSYS of an optional
 * operation becomes what the kernel would answer. */
static int res0(int r)
{
	return r > 0 ? 0 : r;
}

/* --- attributes and inode numbers --- */

ino_t umfuse_ino(const char *path)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a */

	if (strcmp(path, "/") == 0)
		return 1;
	for (; *path; path++) {
		h ^= (unsigned char)*path;
		h *= 1099511628211ULL;
	}
	return h > 1 ? h : h + 2;
}

void umfuse_fix_stat(struct umfuse_mnt *m, const char *path, struct stat *st)
{
	const struct fuse_config *c = &m->f->conf;

	st->st_dev = m->dev;
	if (!c->use_ino || !st->st_ino)
		st->st_ino = umfuse_ino(path);
	if (c->set_uid)
		st->st_uid = c->uid;
	if (c->set_gid)
		st->st_gid = c->gid;
	if (c->set_mode)
		st->st_mode = (st->st_mode & S_IFMT) | (0777 & ~c->umask);
	if (!st->st_blksize)
		st->st_blksize = 4096;
	if (!st->st_nlink)
		st->st_nlink = 1;
}

static int getattr(struct umfuse_mnt *m, const char *path, struct stat *st,
		   struct fuse_file_info *fi)
{
	int err;

	if (!OP(m)->getattr)
		return -ENOSYS;
	memset(st, 0, sizeof(*st));
	err = OP(m)->getattr(path, st, fi);
	if (err < 0)
		return err;
	umfuse_fix_stat(m, path, st);
	return 0;
}

/* --- read-only mounts: the kernel's errors, in its order --- */

static bool is_ro(const struct umfuse_mnt *m)
{
	return m->f->mo.ro;
}

static int ro_modify(struct umfuse_mnt *m, const char *path)
{
	struct stat st;
	int err = getattr(m, path, &st, NULL);

	return err < 0 ? err : -EROFS;
}

static int ro_create(struct umfuse_mnt *m, const char *path)
{
	struct stat st;
	int err = getattr(m, path, &st, NULL);

	if (err == 0)
		return -EEXIST;
	return err == -ENOENT ? -EROFS : err;
}

static bool special(mode_t mode)
{
	return S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode) ||
	       S_ISSOCK(mode);
}

/* --- open files --- */

static void file_link(struct umfuse_mnt *m, struct umfuse_file *file)
{
	file->next = m->files;
	if (m->files)
		m->files->prev = file;
	m->files = file;
}

static void file_unlink(struct umfuse_mnt *m, struct umfuse_file *file)
{
	if (file->prev)
		file->prev->next = file->next;
	else
		m->files = file->next;
	if (file->next)
		file->next->prev = file->prev;
}

static void file_free(struct umfuse_file *file)
{
	if (!file)
		return;
	umfuse_dir_clear(file);
	free(file->ents);
	free(file->path);
	free(file);
}

/* Flush (once per close of the last reference: the core reports only
 * that one) and release. */
static int file_close(struct umfuse_mnt *m, struct umfuse_file *file)
{
	int err = 0;

	if (file->opened && file->is_dir) {
		if (OP(m)->releasedir)
			OP(m)->releasedir(file->path, &file->fi);
	} else if (file->opened) {
		if (OP(m)->flush)
			err = OP(m)->flush(file->path, &file->fi);
		if (OP(m)->release)
			OP(m)->release(file->path, &file->fi);
	}
	return err == -ENOSYS ? 0 : res0(err);
}

void umfuse_release_all(struct umfuse_mnt *m)
{
	while (m->files) {
		struct umfuse_file *file = m->files;

		file_unlink(m, file);
		file_close(m, file);
		umfuse_unhide(m, file);
		file_free(file);
	}
}

static bool open_writes(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
}

static int open_mask(int flags)
{
	int acc = flags & O_ACCMODE, mask = 0;

	if (acc == O_RDONLY || acc == O_RDWR)
		mask |= R_OK;
	if (acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC))
		mask |= W_OK;
	return mask;
}

static bool atomic_trunc(const struct umfuse_mnt *m)
{
	return m->f->conn.want & FUSE_CAP_ATOMIC_O_TRUNC;
}

/* Create a regular file: create(), or mknod() then open(). */
static int create_file(struct umfuse_mnt *m, struct umfuse_file *file,
		       int flags, mode_t mode)
{
	int err;

	if (OP(m)->create) {
		file->fi.flags = flags;
		err = OP(m)->create(file->path, mode, &file->fi);
		if (err != -ENOSYS) {
			file->opened = err >= 0;
			return res0(err);
		}
	}
	if (!OP(m)->mknod)
		return -ENOSYS;
	err = OP(m)->mknod(file->path, S_IFREG | (mode & 07777), 0);
	if (err < 0)
		return err;
	file->fi.flags = flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY);
	err = OP(m)->open ? OP(m)->open(file->path, &file->fi) : 0;
	file->opened = err >= 0;
	return res0(err);
}

/* Open an existing object described by st. */
static int open_existing(struct umfuse_mnt *m, struct umfuse_file *file,
			 int flags, const struct stat *st)
{
	int err;

	if (S_ISLNK(st->st_mode) && !(flags & O_PATH))
		return -ELOOP;
	if ((flags & O_DIRECTORY) && !S_ISDIR(st->st_mode))
		return -ENOTDIR;
	if (S_ISDIR(st->st_mode) &&
	    ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT)))
		return -EISDIR;
	if (flags & O_PATH)
		return 0;
	/* Device nodes are not opened (as with nodev, the default for a
	 * user's FUSE mount); fifos and sockets would block or need the
	 * kernel. */
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		return -EACCES;
	if (special(st->st_mode))
		return -ENXIO;
	if (is_ro(m) && open_writes(flags))
		return -EROFS;
	if ((err = umfuse_perm(m, file->path, NULL, open_mask(flags))) < 0)
		return err;
	/* O_TRUNC reaches open only if the file system asked for it. */
	file->fi.flags = flags & ~(O_CREAT | O_EXCL | O_NOCTTY);
	if (!atomic_trunc(m))
		file->fi.flags &= ~O_TRUNC;
	file->is_dir = S_ISDIR(st->st_mode);
	if (file->is_dir)
		err = OP(m)->opendir ? OP(m)->opendir(file->path, &file->fi)
				     : 0;
	else
		err = OP(m)->open ? OP(m)->open(file->path, &file->fi) : 0;
	if (err < 0)
		return err;
	file->opened = true;
	if ((flags & O_TRUNC) && S_ISREG(st->st_mode) && !atomic_trunc(m) &&
	    (flags & O_ACCMODE) != O_RDONLY && st->st_size > 0) {
		err = OP(m)->truncate ?
			      OP(m)->truncate(file->path, 0, &file->fi) :
			      -ENOSYS;
		if (err < 0)
			return err;
	}
	return 0;
}

int umfuse_open(void *mnt, const char *path, int flags, mode_t mode,
		void **handle)
{
	struct umfuse_mnt *m = mnt;
	struct umfuse_file *file;
	struct stat st;
	int err = umfuse_enter(m);

	if (err < 0)
		return err;
	if ((flags & __O_TMPFILE) == __O_TMPFILE)
		return -EOPNOTSUPP;
	err = getattr(m, path, &st, NULL);
	if (err < 0 && (err != -ENOENT || !(flags & O_CREAT)))
		return err;
	if (err == 0 && (flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	file = calloc(1, sizeof(*file));
	if (!file || !(file->path = strdup(path))) {
		free(file);
		return -ENOMEM;
	}
	file->m = m;
	if (err == -ENOENT) {
		umfuse_ctx_umask();
		if (is_ro(m))
			err = -EROFS;
		else if ((err = umfuse_perm_parent(m, path)) == 0)
			err = create_file(m, file, flags, mode);
	} else {
		err = open_existing(m, file, flags, &st);
	}
	if (err < 0) {
		file_close(m, file);
		file_free(file);
		return err;
	}
	file_link(m, file);
	*handle = file;
	return 0;
}

int umfuse_release(void *mnt, void *handle)
{
	struct umfuse_mnt *m = mnt;
	struct umfuse_file *file = handle;
	int err;

	umfuse_ctx_begin(m->f, um_caller_pid());
	file_unlink(m, file);
	err = file_close(m, file);
	umfuse_unhide(m, file);
	file_free(file);
	return err;
}

/* --- data --- */

ssize_t umfuse_pread(void *mnt, void *handle, void *buf, size_t count,
		     off_t offset)
{
	struct umfuse_mnt *m = mnt;
	struct umfuse_file *file = handle;
	struct fuse_bufvec *src = NULL;
	struct fuse_bufvec dst = FUSE_BUFVEC_INIT(count);
	ssize_t n;
	size_t i;

	if (file->is_dir)
		return -EISDIR;
	umfuse_ctx_begin(m->f, um_caller_pid());
	if (OP(m)->read)
		return OP(m)->read(file->path, buf, count, offset, &file->fi);
	if (!OP(m)->read_buf)
		return -ENOSYS;
	n = OP(m)->read_buf(file->path, &src, count, offset, &file->fi);
	if (n < 0 || !src)
		return n < 0 ? n : -EIO;
	dst.buf[0].mem = buf;
	n = fuse_buf_copy(&dst, src, 0);
	for (i = 0; i < src->count; i++)
		if (!(src->buf[i].flags & FUSE_BUF_IS_FD))
			free(src->buf[i].mem);
	free(src);
	return n;
}

ssize_t umfuse_pwrite(void *mnt, void *handle, const void *buf, size_t count,
		      off_t offset)
{
	struct umfuse_mnt *m = mnt;
	struct umfuse_file *file = handle;
	struct fuse_bufvec src = FUSE_BUFVEC_INIT(count);

	if (file->is_dir)
		return -EISDIR;
	if (is_ro(m))
		return -EROFS;
	umfuse_ctx_begin(m->f, um_caller_pid());
	if (OP(m)->write)
		return OP(m)->write(file->path, buf, count, offset, &file->fi);
	if (!OP(m)->write_buf)
		return -ENOSYS;
	src.buf[0].mem = (void *)buf;
	return OP(m)->write_buf(file->path, &src, offset, &file->fi);
}

/* The open file's fi, as the kernel's FUSE gives it: only for an open
 * file, never a directory's (its fh is the file system's directory
 * handle): by path then. */
static struct fuse_file_info *file_fi(struct umfuse_file *file)
{
	return file->opened && !file->is_dir ? &file->fi : NULL;
}

int umfuse_fstat(void *mnt, void *handle, struct stat *st)
{
	struct umfuse_mnt *m = mnt;
	struct umfuse_file *file = handle;

	umfuse_ctx_begin(m->f, um_caller_pid());
	return getattr(m, file->path, st, file_fi(file));
}

/* --- changes through an open file --- */

int umfuse_ftruncate(void *mnt, void *handle, off_t length)
{
	struct umfuse_mnt *m = mnt;
	struct umfuse_file *file = handle;

	if (is_ro(m))
		return -EROFS;
	umfuse_ctx_begin(m->f, um_caller_pid());
	if (!OP(m)->truncate)
		return -ENOSYS;
	return res0(OP(m)->truncate(file->path, length, &file->fi));
}

int umfuse_fsync(void *mnt, void *handle, int datasync)
{
	struct umfuse_mnt *m = mnt;
	struct umfuse_file *file = handle;
	int err = -ENOSYS;

	umfuse_ctx_begin(m->f, um_caller_pid());
	if (file->is_dir && OP(m)->fsyncdir)
		err = OP(m)->fsyncdir(file->path, datasync, &file->fi);
	else if (!file->is_dir && OP(m)->fsync)
		err = OP(m)->fsync(file->path, datasync, &file->fi);
	/* Without fsync the kernel's FUSE reports success. */
	return err == -ENOSYS ? 0 : res0(err);
}

int umfuse_fallocate(void *mnt, void *handle, int mode, off_t offset,
		     off_t len)
{
	struct umfuse_mnt *m = mnt;
	struct umfuse_file *file = handle;
	int err;

	if (is_ro(m))
		return -EROFS;
	umfuse_ctx_begin(m->f, um_caller_pid());
	if (!OP(m)->fallocate)
		return -EOPNOTSUPP;
	err = OP(m)->fallocate(file->path, mode, offset, len, &file->fi);
	return err == -ENOSYS ? -EOPNOTSUPP : res0(err);
}

off_t umfuse_lseek(void *mnt, void *handle, off_t offset, int whence)
{
	struct umfuse_mnt *m = mnt;
	struct umfuse_file *file = handle;
	struct stat st;
	off_t r = -ENOSYS;
	int err;

	umfuse_ctx_begin(m->f, um_caller_pid());
	if (OP(m)->lseek)
		r = OP(m)->lseek(file->path, offset, whence, &file->fi);
	if (r != -ENOSYS)
		return r;
	/* No lseek: the whole file is data. */
	err = getattr(m, file->path, &st,
		      file->opened && !file->is_dir ? &file->fi : NULL);
	if (err < 0)
		return err;
	if (offset >= st.st_size)
		return -ENXIO;
	return whence == SEEK_DATA ? offset : st.st_size;
}

int umfuse_ioctl(void *mnt, void *handle, unsigned long request, void *arg,
		 size_t size)
{
	struct umfuse_mnt *m = mnt;
	struct umfuse_file *file = handle;
	int err;

	umfuse_ctx_begin(m->f, um_caller_pid());
	if (!OP(m)->ioctl)
		return -ENOTTY;
	err = OP(m)->ioctl(file->path, (unsigned int)request, arg, &file->fi,
			   file->is_dir ? FUSE_IOCTL_DIR : 0,
			   size ? arg : NULL);
	return err == -ENOSYS ? -ENOTTY : err;
}

/* --- paths --- */

int umfuse_lstat(void *mnt, const char *path, struct stat *st)
{
	struct umfuse_mnt *m = mnt;
	int err = umfuse_enter(m);

	return err < 0 ? err : getattr(m, path, st, NULL);
}

ssize_t umfuse_readlink(void *mnt, const char *path, char *buf, size_t size)
{
	struct umfuse_mnt *m = mnt;
	char target[PATH_MAX + 1];
	size_t n;
	int err = umfuse_enter(m);

	if (err < 0)
		return err;
	/* No readlink: no symlinks, and readlink(2) of anything else is
	 * EINVAL (realpath(3) relies on it). */
	if (!OP(m)->readlink)
		return -EINVAL;
	target[0] = '\0';
	err = OP(m)->readlink(path, target, sizeof(target));
	if (err < 0)
		return err;
	target[sizeof(target) - 1] = '\0';
	n = strlen(target);
	if (n > size)
		n = size;
	memcpy(buf, target, n);
	return n;
}

int umfuse_access(void *mnt, const char *path, int mode)
{
	struct umfuse_mnt *m = mnt;
	struct stat st;
	int err = umfuse_enter(m);

	if (err < 0)
		return err;
	err = getattr(m, path, &st, NULL);
	if (err < 0)
		return err;
	if ((mode & W_OK) && is_ro(m) && !special(st.st_mode))
		return -EROFS;
	if (m->f->mo.default_permissions)
		return umfuse_perm(m, path, NULL, mode & (R_OK | W_OK | X_OK));
	if (!OP(m)->access)
		return 0;
	err = OP(m)->access(path, mode);
	return err == -ENOSYS ? 0 : res0(err);
}

int umfuse_rename(void *mnt, const char *from, const char *to,
		  unsigned int flags)
{
	struct umfuse_mnt *m = mnt;
	int err = umfuse_enter(m);

	if (err < 0)
		return err;
	if (is_ro(m))
		return ro_modify(m, from);
	if ((err = umfuse_perm_parent(m, from)) < 0 ||
	    (err = umfuse_perm_parent(m, to)) < 0)
		return err;
	if (!OP(m)->rename)
		return -ENOSYS;
	if (!(flags & (RENAME_EXCHANGE | RENAME_NOREPLACE)) &&
	    strcmp(from, to) != 0 && umfuse_is_open(m, to) &&
	    (err = umfuse_hide(m, to)) < 0)
		return err;
	err = OP(m)->rename(from, to, flags);
	if (err < 0)
		return err;
	if (flags & RENAME_EXCHANGE) {
		umfuse_rename_open(m, from, "\x01");
		umfuse_rename_open(m, to, from);
		umfuse_rename_open(m, "\x01", to);
	} else {
		umfuse_rename_open(m, from, to);
	}
	return 0;
}

/* The operations that create a name: read-only and parent checks. */
static int pre_create(struct umfuse_mnt *m, const char *path)
{
	int err = umfuse_enter(m);

	if (err < 0)
		return err;
	if (is_ro(m))
		return ro_create(m, path);
	return umfuse_perm_parent(m, path);
}

/* The operations that change an existing object. */
static int pre_modify(struct umfuse_mnt *m, const char *path)
{
	int err = umfuse_enter(m);

	if (err < 0)
		return err;
	return is_ro(m) ? ro_modify(m, path) : 0;
}

int umfuse_mkdir(void *mnt, const char *path, mode_t mode)
{
	struct umfuse_mnt *m = mnt;
	int err = pre_create(m, path);

	if (err < 0)
		return err;
	umfuse_ctx_umask();
	return OP(m)->mkdir ? res0(OP(m)->mkdir(path, mode & 07777)) : -ENOSYS;
}

int umfuse_mknod(void *mnt, const char *path, mode_t mode, dev_t dev)
{
	struct umfuse_mnt *m = mnt;
	struct fuse_file_info fi = { .flags = O_WRONLY | O_CREAT | O_EXCL };
	int err = pre_create(m, path);

	if (err < 0)
		return err;
	umfuse_ctx_umask();
	if (OP(m)->mknod)
		return res0(OP(m)->mknod(path, mode, dev));
	if (!S_ISREG(mode) || !OP(m)->create)
		return -ENOSYS;
	err = OP(m)->create(path, mode & 07777, &fi);
	if (err < 0)
		return err;
	if (OP(m)->release)
		OP(m)->release(path, &fi);
	return 0;
}

int umfuse_rmdir(void *mnt, const char *path)
{
	struct umfuse_mnt *m = mnt;
	int err = pre_modify(m, path);

	if (err < 0 || (err = umfuse_perm_parent(m, path)) < 0)
		return err;
	return OP(m)->rmdir ? res0(OP(m)->rmdir(path)) : -ENOSYS;
}

int umfuse_unlink(void *mnt, const char *path)
{
	struct umfuse_mnt *m = mnt;
	int err = pre_modify(m, path);

	if (err < 0 || (err = umfuse_perm_parent(m, path)) < 0)
		return err;
	if (umfuse_is_open(m, path) && umfuse_hide(m, path) == 0)
		return 0;
	return OP(m)->unlink ? res0(OP(m)->unlink(path)) : -ENOSYS;
}

int umfuse_link(void *mnt, const char *from, const char *to)
{
	struct umfuse_mnt *m = mnt;
	int err = pre_create(m, to);

	if (err < 0)
		return err;
	return OP(m)->link ? res0(OP(m)->link(from, to)) : -ENOSYS;
}

int umfuse_symlink(void *mnt, const char *target, const char *path)
{
	struct umfuse_mnt *m = mnt;
	int err = pre_create(m, path);

	if (err < 0)
		return err;
	return OP(m)->symlink ? res0(OP(m)->symlink(target, path)) : -ENOSYS;
}

int umfuse_truncate(void *mnt, const char *path, off_t length)
{
	struct umfuse_mnt *m = mnt;
	int err = pre_modify(m, path);

	if (err < 0 || (err = umfuse_perm(m, path, NULL, W_OK)) < 0)
		return err;
	return OP(m)->truncate ? res0(OP(m)->truncate(path, length, NULL))
			       : -ENOSYS;
}

/* chmod, chown and utimens by path (fi NULL) or through an open file,
 * which may have been unlinked: its attributes and the change then go
 * through fi, as the kernel's FUSE sends fchmod and friends. */
static int attr_enter(struct umfuse_mnt *m, const char *path,
		      struct fuse_file_info *fi)
{
	int err;

	if (!fi)
		return pre_modify(m, path);
	err = umfuse_enter(m);
	return err < 0 ? err : is_ro(m) ? -EROFS : 0;
}

static int set_mode(struct umfuse_mnt *m, const char *path,
		    struct fuse_file_info *fi, mode_t mode)
{
	int err = attr_enter(m, path, fi);

	if (err < 0 || (err = umfuse_perm_owner(m, path, fi)) < 0)
		return err;
	return OP(m)->chmod ? res0(OP(m)->chmod(path, mode, fi)) : -ENOSYS;
}

static int set_owner(struct umfuse_mnt *m, const char *path,
		     struct fuse_file_info *fi, uid_t uid, gid_t gid)
{
	int err = attr_enter(m, path, fi);

	if (err < 0 || (err = umfuse_perm_chown(m, path, fi, uid, gid)) < 0)
		return err;
	return OP(m)->chown ? res0(OP(m)->chown(path, uid, gid, fi)) : -ENOSYS;
}

static int set_times(struct umfuse_mnt *m, const char *path,
		     struct fuse_file_info *fi, const struct timespec ts[2])
{
	struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	int err = attr_enter(m, path, fi);

	if (err < 0)
		return err;
	if (!ts)
		ts = now;
	/* Setting both times to now needs write permission only. */
	if (ts[0].tv_nsec == UTIME_NOW && ts[1].tv_nsec == UTIME_NOW)
		err = umfuse_perm_owner(m, path, fi) < 0 ?
			      umfuse_perm(m, path, fi, W_OK) : 0;
	else
		err = umfuse_perm_owner(m, path, fi);
	if (err < 0)
		return err;
	return OP(m)->utimens ? res0(OP(m)->utimens(path, ts, fi)) : -ENOSYS;
}

int umfuse_chmod(void *mnt, const char *path, mode_t mode)
{
	return set_mode(mnt, path, NULL, mode);
}

int umfuse_chown(void *mnt, const char *path, uid_t uid, gid_t gid)
{
	return set_owner(mnt, path, NULL, uid, gid);
}

int umfuse_utimens(void *mnt, const char *path, const struct timespec ts[2])
{
	return set_times(mnt, path, NULL, ts);
}

int umfuse_fchmod(void *mnt, void *handle, mode_t mode)
{
	struct umfuse_file *file = handle;

	return set_mode(mnt, file->path, file_fi(file), mode);
}

int umfuse_fchown(void *mnt, void *handle, uid_t uid, gid_t gid)
{
	struct umfuse_file *file = handle;

	return set_owner(mnt, file->path, file_fi(file), uid, gid);
}

int umfuse_futimens(void *mnt, void *handle, const struct timespec ts[2])
{
	struct umfuse_file *file = handle;

	return set_times(mnt, file->path, file_fi(file), ts);
}

int umfuse_statfs(void *mnt, const char *path, struct statfs *buf)
{
	struct umfuse_mnt *m = mnt;
	struct statvfs sv = { .f_bsize = 512, .f_namemax = 255 };
	int err = umfuse_enter(m);

	if (err < 0)
		return err;
	if (OP(m)->statfs && (err = OP(m)->statfs(path, &sv)) < 0 &&
	    err != -ENOSYS)
		return err;
	memset(buf, 0, sizeof(*buf));
	buf->f_type = FUSE_SUPER_MAGIC;
	buf->f_bsize = sv.f_bsize;
	buf->f_frsize = sv.f_frsize ? sv.f_frsize : sv.f_bsize;
	buf->f_blocks = sv.f_blocks;
	buf->f_bfree = sv.f_bfree;
	buf->f_bavail = sv.f_bavail;
	buf->f_files = sv.f_files;
	buf->f_ffree = sv.f_ffree;
	buf->f_namelen = sv.f_namemax;
	buf->f_flags = is_ro(m) ? ST_RDONLY : 0;
	return 0;
}

/* --- extended attributes: ENOSYS means "not supported" --- */

static int xattr_res(int r)
{
	return r == -ENOSYS ? -EOPNOTSUPP : r;
}

ssize_t umfuse_getxattr(void *mnt, const char *path, const char *name,
			void *value, size_t size)
{
	struct umfuse_mnt *m = mnt;
	int err = umfuse_enter(m);

	if (err < 0)
		return err;
	if (!OP(m)->getxattr)
		return -EOPNOTSUPP;
	return xattr_res(OP(m)->getxattr(path, name, value, size));
}

int umfuse_setxattr(void *mnt, const char *path, const char *name,
		    const void *value, size_t size, int flags)
{
	struct umfuse_mnt *m = mnt;
	int err = pre_modify(m, path);

	if (err < 0 || (err = umfuse_perm_owner(m, path, NULL)) < 0)
		return err;
	if (!OP(m)->setxattr)
		return -EOPNOTSUPP;
	return res0(xattr_res(OP(m)->setxattr(path, name, value, size, flags)));
}

ssize_t umfuse_listxattr(void *mnt, const char *path, char *list, size_t size)
{
	struct umfuse_mnt *m = mnt;
	int err = umfuse_enter(m);

	if (err < 0)
		return err;
	if (!OP(m)->listxattr)
		return -EOPNOTSUPP;
	return xattr_res(OP(m)->listxattr(path, list, size));
}

int umfuse_removexattr(void *mnt, const char *path, const char *name)
{
	struct umfuse_mnt *m = mnt;
	int err = pre_modify(m, path);

	if (err < 0 || (err = umfuse_perm_owner(m, path, NULL)) < 0)
		return err;
	if (!OP(m)->removexattr)
		return -EOPNOTSUPP;
	return res0(xattr_res(OP(m)->removexattr(path, name)));
}
