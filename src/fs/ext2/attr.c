/* umfuseext2: attributes: chmod, chown, utimens, access, statfs, xattrs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "ext2fuse.h"

static int is_owner(struct e2f *e, const struct ext2_inode_large *in)
{
	struct fuse_context *c = fuse_get_context();

	return !e->check_perms || c->uid == 0 || c->uid == inode_uid(*in);
}

static int e2f_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	struct e2f *e = e2f_get();
	struct ext2_inode_large in;
	ext2_ino_t ino;
	int ret;

	if (e->ro)
		return -EROFS;
	e2f_lock(e);
	ret = e2f_node(e, path, fi, &ino, &in);
	if (!ret && !is_owner(e, &in))
		ret = -EPERM;
	if (!ret) {
		struct fuse_context *c = fuse_get_context();

		if (e->check_perms && c->uid != 0 && c->gid != inode_gid(in))
			mode &= ~S_ISGID;
		in.i_mode = (in.i_mode & LINUX_S_IFMT) | (mode & 07777);
		e2f_touch(&in, E2F_CTIME);
		ret = e2f_write_inode(e, ino, &in);
	}
	e2f_unlock(e);
	return ret;
}

static int e2f_chown(const char *path, uid_t uid, gid_t gid,
		     struct fuse_file_info *fi)
{
	struct e2f *e = e2f_get();
	struct fuse_context *c = fuse_get_context();
	struct ext2_inode_large in;
	ext2_ino_t ino;
	int ret;

	if (e->ro)
		return -EROFS;
	e2f_lock(e);
	ret = e2f_node(e, path, fi, &ino, &in);
	if (ret)
		goto out;
	if (e->check_perms && c->uid != 0 &&
	    ((uid != (uid_t)-1 && uid != inode_uid(in)) ||
	     (gid != (gid_t)-1 && (c->uid != inode_uid(in) ||
				   gid != c->gid)))) {
		ret = -EPERM;
		goto out;
	}
	if (uid != (uid_t)-1) {
		in.i_uid = uid;
		ext2fs_set_i_uid_high(in, uid >> 16);
	}
	if (gid != (gid_t)-1) {
		in.i_gid = gid;
		ext2fs_set_i_gid_high(in, gid >> 16);
	}
	/* As the kernel does: a new owner loses the set-id privileges. */
	if (!LINUX_S_ISDIR(in.i_mode) &&
	    (uid != (uid_t)-1 || gid != (gid_t)-1)) {
		in.i_mode &= ~LINUX_S_ISUID;
		if (in.i_mode & 010)
			in.i_mode &= ~LINUX_S_ISGID;
	}
	e2f_touch(&in, E2F_CTIME);
	ret = e2f_write_inode(e, ino, &in);
out:
	e2f_unlock(e);
	return ret;
}

static int e2f_utimens(const char *path, const struct timespec tv[2],
		       struct fuse_file_info *fi)
{
	struct e2f *e = e2f_get();
	struct ext2_inode_large in;
	struct timespec now;
	ext2_ino_t ino;
	int ret, i, explicit = 0;

	if (e->ro)
		return -EROFS;
	clock_gettime(CLOCK_REALTIME, &now);
	for (i = 0; i < 2; i++)
		if (tv[i].tv_nsec != UTIME_NOW && tv[i].tv_nsec != UTIME_OMIT)
			explicit = 1;
	e2f_lock(e);
	ret = e2f_node(e, path, fi, &ino, &in);
	if (ret)
		goto out;
	if (!is_owner(e, &in) &&
	    (explicit || e2f_access(e, &in, W_OK))) {
		ret = explicit ? -EPERM : -EACCES;
		goto out;
	}
	for (i = 0; i < 2; i++) {
		const struct timespec *t = &tv[i];

		if (t->tv_nsec == UTIME_OMIT)
			continue;
		if (t->tv_nsec == UTIME_NOW)
			t = &now;
		e2f_set_time(&in, i ? E2F_MTIME : E2F_ATIME, t);
	}
	e2f_set_time(&in, E2F_CTIME, &now);
	ret = e2f_write_inode(e, ino, &in);
out:
	e2f_unlock(e);
	return ret;
}

static int e2f_access_op(const char *path, int mask)
{
	struct e2f *e = e2f_get();
	struct ext2_inode_large in;
	ext2_ino_t ino;
	int ret;

	e2f_lock(e);
	ret = e2f_node(e, path, NULL, &ino, &in);
	if (!ret && (mask & W_OK) && e->ro)
		ret = -EROFS;
	if (!ret)
		ret = e2f_access(e, &in, mask);
	e2f_unlock(e);
	return ret;
}

static int e2f_statfs(const char *path, struct statvfs *sv)
{
	struct e2f *e = e2f_get();
	struct ext2_super_block *sb;
	blk64_t free, resv;

	e2f_lock(e);
	sb = e->fs->super;
	free = ext2fs_free_blocks_count(sb);
	resv = ext2fs_r_blocks_count(sb);
	memset(sv, 0, sizeof(*sv));
	sv->f_bsize = e->fs->blocksize;
	sv->f_frsize = e->fs->blocksize;
	sv->f_blocks = ext2fs_blocks_count(sb);
	sv->f_bfree = free;
	sv->f_bavail = free > resv ? free - resv : 0;
	sv->f_files = sb->s_inodes_count;
	sv->f_ffree = sb->s_free_inodes_count;
	sv->f_favail = sb->s_free_inodes_count;
	sv->f_namemax = EXT2_NAME_LEN;
	sv->f_flag = e->ro ? ST_RDONLY : 0;
	e2f_unlock(e);
	return 0;
}

/* Open the xattr handle of PATH after the permission check for MASK. */
static int xattr_open(struct e2f *e, const char *path, const char *name,
		      int mask, struct ext2_xattr_handle **h)
{
	struct ext2_inode_large in;
	ext2_ino_t ino;
	errcode_t err;
	int ret;

	if (!ext2fs_has_feature_xattr(e->fs->super))
		return -EOPNOTSUPP;
	ret = e2f_node(e, path, NULL, &ino, &in);
	if (ret)
		return ret;
	/* user.* follows the file's modes; trusted.* is root's. */
	if (name && !strncmp(name, "user.", 5))
		ret = e2f_access(e, &in, mask);
	else if (name && !strncmp(name, "trusted.", 8) && e->check_perms &&
		 fuse_get_context()->uid != 0)
		ret = mask == W_OK ? -EPERM : -ENODATA;
	else if (mask == W_OK && !is_owner(e, &in))
		ret = -EPERM;
	if (ret)
		return ret;
	err = ext2fs_xattrs_open(e->fs, ino, h);
	if (!err) {
		err = ext2fs_xattrs_read(*h);
		if (err)
			ext2fs_xattrs_close(h);
	}
	return -e2f_errno(err);
}

/* Set NAME to VALUE as FLAGS say, or REMOVE it; closing the handle
 * writes the change. */
static int xattr_change(const char *path, const char *name, const char *value,
			size_t size, int flags, int remove)
{
	struct e2f *e = e2f_get();
	struct ext2_xattr_handle *h;
	void *old;
	size_t oldlen;
	errcode_t err;
	int ret;

	if (e->ro)
		return -EROFS;
	e2f_lock(e);
	ret = xattr_open(e, path, name, W_OK, &h);
	if (ret)
		goto out;
	/* Looked up first also for REMOVE: ext2fs_xattr_remove succeeds on
	 * a missing key, and the caller must see ENODATA. */
	err = ext2fs_xattr_get(h, name, &old, &oldlen);
	if (!err)
		ext2fs_free_mem(&old);
	if (remove)
		ret = -e2f_errno(err ? err : ext2fs_xattr_remove(h, name));
	else if (!err && (flags & XATTR_CREATE))
		ret = -EEXIST;
	else if (err == EXT2_ET_EA_KEY_NOT_FOUND && (flags & XATTR_REPLACE))
		ret = -ENODATA;
	else if (err && err != EXT2_ET_EA_KEY_NOT_FOUND)
		ret = -e2f_errno(err);
	else
		ret = -e2f_errno(ext2fs_xattr_set(h, name, value, size));
	err = ext2fs_xattrs_close(&h);
	if (!ret)
		ret = -e2f_errno(err);
out:
	e2f_unlock(e);
	return ret;
}

static int e2f_setxattr(const char *path, const char *name, const char *value,
			size_t size, int flags)
{
	return xattr_change(path, name, value, size, flags, 0);
}

static int e2f_getxattr(const char *path, const char *name, char *value,
			size_t size)
{
	struct e2f *e = e2f_get();
	struct ext2_xattr_handle *h;
	void *val;
	size_t len;
	errcode_t err;
	int ret;

	e2f_lock(e);
	ret = xattr_open(e, path, name, R_OK, &h);
	if (ret)
		goto out;
	err = ext2fs_xattr_get(h, name, &val, &len);
	ext2fs_xattrs_close(&h);
	if (err) {
		ret = -e2f_errno(err);
		goto out;
	}
	if (size == 0)
		ret = len;
	else if (len > size)
		ret = -ERANGE;
	else {
		memcpy(value, val, len);
		ret = len;
	}
	ext2fs_free_mem(&val);
out:
	e2f_unlock(e);
	return ret;
}

struct list_ctx {
	char *buf;
	size_t size, len;
};

static int list_one(char *name, char *value, size_t value_len, void *data)
{
	struct list_ctx *l = data;
	size_t n = strlen(name) + 1;

	if (l->size && l->len + n <= l->size)
		memcpy(l->buf + l->len, name, n);
	l->len += n;
	return 0;
}

static int e2f_listxattr(const char *path, char *list, size_t size)
{
	struct e2f *e = e2f_get();
	struct ext2_xattr_handle *h;
	struct list_ctx l = { list, size, 0 };
	errcode_t err;
	int ret;

	e2f_lock(e);
	ret = xattr_open(e, path, NULL, R_OK, &h);
	if (ret)
		goto out;
	err = ext2fs_xattrs_iterate(h, list_one, &l);
	ext2fs_xattrs_close(&h);
	if (err)
		ret = -e2f_errno(err);
	else if (size && l.len > size)
		ret = -ERANGE;
	else
		ret = l.len;
out:
	e2f_unlock(e);
	return ret;
}

static int e2f_removexattr(const char *path, const char *name)
{
	return xattr_change(path, name, NULL, 0, 0, 1);
}

void e2f_attr_ops(struct fuse_operations *ops)
{
	ops->chmod = e2f_chmod;
	ops->chown = e2f_chown;
	ops->utimens = e2f_utimens;
	ops->access = e2f_access_op;
	ops->statfs = e2f_statfs;
	ops->setxattr = e2f_setxattr;
	ops->getxattr = e2f_getxattr;
	ops->listxattr = e2f_listxattr;
	ops->removexattr = e2f_removexattr;
}
