/* umfuseext2: directories and names: readdir, mkdir, rmdir, unlink, rename,
 * link, symlink, readlink, mknod. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ext2fuse.h"

/* Link INO as NAME into DIR, growing DIR once if it is full. */
errcode_t e2f_add_entry(struct e2f *e, ext2_ino_t dir, const char *name,
			ext2_ino_t ino, int ft)
{
	errcode_t err = ext2fs_link(e->fs, dir, name, ino, ft);

	if (err == EXT2_ET_DIR_NO_SPACE) {
		err = ext2fs_expand_dir(e->fs, dir);
		if (!err)
			err = ext2fs_link(e->fs, dir, name, ino, ft);
	}
	return err;
}

/* Inline-data directories must be asked for; block ones refuse the flag. */
static errcode_t dir_iterate(struct e2f *e, ext2_ino_t ino,
			     int (*fn)(ext2_ino_t, int, struct ext2_dir_entry *,
				       int, int, char *, void *),
			     void *priv)
{
	struct ext2_inode_large in;
	int ret = e2f_read_inode(e, ino, &in);

	if (ret)
		return -ret;
	if (!LINUX_S_ISDIR(in.i_mode))
		return EXT2_ET_NO_DIRECTORY;
	return ext2fs_dir_iterate2(e->fs, ino,
				   (in.i_flags & EXT4_INLINE_DATA_FL) ?
				   DIRENT_FLAG_INCLUDE_INLINE_DATA : 0,
				   NULL, fn, priv);
}

struct fill_ctx {
	void *buf;
	fuse_fill_dir_t filler;
};

static const unsigned int ft_mode[] = {
	[EXT2_FT_REG_FILE] = S_IFREG, [EXT2_FT_DIR] = S_IFDIR,
	[EXT2_FT_CHRDEV] = S_IFCHR, [EXT2_FT_BLKDEV] = S_IFBLK,
	[EXT2_FT_FIFO] = S_IFIFO, [EXT2_FT_SOCK] = S_IFSOCK,
	[EXT2_FT_SYMLINK] = S_IFLNK,
};

static int fill_one(ext2_ino_t dir, int entry, struct ext2_dir_entry *de,
		    int offset, int blocksize, char *blockbuf, void *priv)
{
	struct fill_ctx *c = priv;
	char name[EXT2_NAME_LEN + 1];
	int len = ext2fs_dirent_name_len(de);
	unsigned int ft = ext2fs_dirent_file_type(de);
	struct stat st;

	memcpy(name, de->name, len);
	name[len] = '\0';
	memset(&st, 0, sizeof(st));
	st.st_ino = de->inode;
	if (ft < sizeof(ft_mode) / sizeof(ft_mode[0]))
		st.st_mode = ft_mode[ft];
	return c->filler(c->buf, name, &st, 0, 0) ? DIRENT_ABORT : 0;
}

static int e2f_opendir(const char *path, struct fuse_file_info *fi)
{
	struct e2f *e = e2f_get();
	struct ext2_inode_large in;
	ext2_ino_t ino;
	int ret;

	e2f_lock(e);
	ret = e2f_node(e, path, NULL, &ino, &in);
	if (!ret && !LINUX_S_ISDIR(in.i_mode))
		ret = -ENOTDIR;
	if (!ret)
		ret = e2f_access(e, &in, R_OK);
	if (!ret)
		fi->fh = ino;
	e2f_unlock(e);
	return ret;
}

static int e2f_readdir(const char *path, void *buf, fuse_fill_dir_t filler,
		       off_t off, struct fuse_file_info *fi,
		       enum fuse_readdir_flags flags)
{
	struct e2f *e = e2f_get();
	struct fill_ctx c = { buf, filler };
	ext2_ino_t ino;
	errcode_t err;
	int ret;

	e2f_lock(e);
	ret = e2f_node(e, path, fi, &ino, NULL);
	if (!ret) {
		err = dir_iterate(e, ino, fill_one, &c);
		ret = -e2f_errno(err);
	}
	e2f_unlock(e);
	return ret;
}

static int count_one(ext2_ino_t dir, int entry, struct ext2_dir_entry *de,
		     int offset, int blocksize, char *blockbuf, void *priv)
{
	int len = ext2fs_dirent_name_len(de);

	if ((len == 1 && de->name[0] == '.') ||
	    (len == 2 && de->name[0] == '.' && de->name[1] == '.'))
		return 0;
	*(int *)priv = 1;
	return DIRENT_ABORT;
}

static int check_empty(struct e2f *e, ext2_ino_t ino)
{
	int found = 0;
	errcode_t err;

	err = dir_iterate(e, ino, count_one, &found);
	if (err)
		return -e2f_errno(err);
	return found ? -ENOTEMPTY : 0;
}

/* Give the new owner, mode and times to a node made by libext2fs. */
static int own_node(struct e2f *e, ext2_ino_t dir, const char *name,
		    mode_t mode, int keep_type)
{
	struct ext2_inode_large in, din;
	ext2_ino_t ino;
	errcode_t err;
	int ret;

	err = ext2fs_lookup(e->fs, dir, name, strlen(name), NULL, &ino);
	if (err)
		return -e2f_errno(err);
	ret = e2f_read_inode(e, dir, &din);
	if (!ret)
		ret = e2f_read_inode(e, ino, &in);
	if (ret)
		return ret;
	if (!keep_type)
		in.i_mode = (in.i_mode & LINUX_S_IFMT) | (mode & 07777);
	e2f_set_owner(&in, &din);
	/* A subdirectory of a set-group-ID directory inherits the bit. */
	if ((din.i_mode & LINUX_S_ISGID) && LINUX_S_ISDIR(in.i_mode))
		in.i_mode |= LINUX_S_ISGID;
	e2f_touch(&in, E2F_ATIME | E2F_MTIME | E2F_CTIME);
	return e2f_write_inode(e, ino, &in);
}

static int prepare_new(struct e2f *e, const char *path, ext2_ino_t *dir,
		       const char **name)
{
	struct ext2_inode_large din;
	int ret;

	if (e->ro)
		return -EROFS;
	ret = e2f_lookup_parent(e, path, dir, name);
	if (!ret)
		ret = e2f_may_create(e, *dir, *name, &din);
	return ret;
}

/* libext2fs makes a directory, or a symlink to TARGET when not NULL. */
static errcode_t make_entry(struct e2f *e, ext2_ino_t dir, const char *name,
			    const char *target)
{
	return target ? ext2fs_symlink(e->fs, dir, 0, name, target) :
			ext2fs_mkdir(e->fs, dir, 0, name);
}

/* mkdir (MODE), or symlink to TARGET: the node libext2fs makes is then
 * given its owner, mode and times. */
static int make_node(const char *path, mode_t mode, const char *target)
{
	struct e2f *e = e2f_get();
	const char *name;
	ext2_ino_t dir;
	errcode_t err;
	int ret;

	e2f_lock(e);
	ret = prepare_new(e, path, &dir, &name);
	if (ret)
		goto out;
	err = make_entry(e, dir, name, target);
	if (err == EXT2_ET_DIR_NO_SPACE) {
		err = ext2fs_expand_dir(e->fs, dir);
		if (!err)
			err = make_entry(e, dir, name, target);
	}
	ret = -e2f_errno(err);
	if (!ret)
		ret = own_node(e, dir, name, mode, target != NULL);
	if (!ret)
		ret = e2f_touch_dir(e, dir, 0);
out:
	e2f_unlock(e);
	return ret;
}

static int e2f_mkdir(const char *path, mode_t mode)
{
	return make_node(path, mode, NULL);
}

static int e2f_symlink(const char *target, const char *path)
{
	if (strlen(target) >= e2f_get()->fs->blocksize)
		return -ENAMETOOLONG;
	return make_node(path, 0, target);
}

/* No prepare_new: e2f_new_node makes the same checks. */
static int e2f_mknod(const char *path, mode_t mode, dev_t rdev)
{
	struct e2f *e = e2f_get();
	const char *name;
	ext2_ino_t dir;
	int ret;

	if (e->ro)
		return -EROFS;
	e2f_lock(e);
	ret = e2f_lookup_parent(e, path, &dir, &name);
	if (!ret)
		ret = e2f_new_node(e, dir, name, mode, rdev, NULL);
	e2f_unlock(e);
	return ret;
}

static int e2f_readlink(const char *path, char *buf, size_t size)
{
	struct e2f *e = e2f_get();
	struct ext2_inode_large in;
	ext2_ino_t ino;
	ext2_file_t f;
	errcode_t err;
	unsigned int got = 0;
	__u64 len;
	int ret;

	if (size == 0)
		return -EINVAL;
	e2f_lock(e);
	ret = e2f_node(e, path, NULL, &ino, &in);
	if (ret)
		goto out;
	if (!LINUX_S_ISLNK(in.i_mode)) {
		ret = -EINVAL;
		goto out;
	}
	len = EXT2_I_SIZE(&in);
	if (len >= e->fs->blocksize) {
		ret = -EIO;	/* longer than any valid symlink */
		goto out;
	}
	if (len > size - 1)
		len = size - 1;
	if (ext2fs_is_fast_symlink((struct ext2_inode *)&in)) {
		if (len > sizeof(in.i_block))
			len = sizeof(in.i_block);
		memcpy(buf, in.i_block, len);
		got = len;
	} else {
		err = ext2fs_file_open(e->fs, ino, 0, &f);
		if (!err) {
			err = ext2fs_file_read(f, buf, len, &got);
			ext2fs_file_close(f);
		}
		if (err) {
			ret = -e2f_errno(err);
			goto out;
		}
	}
	buf[got] = '\0';
out:
	e2f_unlock(e);
	return ret;
}

/* The entry NAME of DIR: its inode number *INO, and both inodes. */
static int lookup_entry(struct e2f *e, ext2_ino_t dir, const char *name,
			ext2_ino_t *ino, struct ext2_inode_large *din,
			struct ext2_inode_large *in)
{
	int ret = -e2f_errno(ext2fs_lookup(e->fs, dir, name, strlen(name),
					   NULL, ino));

	if (!ret)
		ret = e2f_read_inode(e, dir, din);
	if (!ret)
		ret = e2f_read_inode(e, *ino, in);
	return ret;
}

static int e2f_unlink(const char *path)
{
	struct e2f *e = e2f_get();
	struct ext2_inode_large din, in;
	const char *name;
	ext2_ino_t dir, ino;
	errcode_t err;
	int ret;

	if (e->ro)
		return -EROFS;
	e2f_lock(e);
	e2f_dcache_flush(e);
	ret = e2f_lookup_parent(e, path, &dir, &name);
	if (!ret)
		ret = lookup_entry(e, dir, name, &ino, &din, &in);
	if (ret)
		goto out;
	if (LINUX_S_ISDIR(in.i_mode)) {
		ret = -EISDIR;
		goto out;
	}
	ret = e2f_may_delete(e, &din, &in);
	if (ret)
		goto out;
	err = ext2fs_unlink(e->fs, dir, name, ino, 0);
	ret = -e2f_errno(err);
	if (!ret)
		ret = e2f_drop_link(e, ino);
	if (!ret)
		ret = e2f_touch_dir(e, dir, 0);
out:
	e2f_unlock(e);
	return ret;
}

/* Remove directory INO (already unlinked from DIR, known empty). */
static int drop_dir(struct e2f *e, ext2_ino_t dir, ext2_ino_t ino)
{
	struct ext2_inode_large in;
	int ret = e2f_read_inode(e, ino, &in);

	if (ret)
		return ret;
	in.i_links_count = 0;
	ret = e2f_write_inode(e, ino, &in);
	if (!ret)
		ret = e2f_free_inode(e, ino);
	if (!ret)
		ret = e2f_touch_dir(e, dir, -1);
	return ret;
}

static int e2f_rmdir(const char *path)
{
	struct e2f *e = e2f_get();
	struct ext2_inode_large din, in;
	const char *name;
	ext2_ino_t dir, ino;
	int ret;

	if (e->ro)
		return -EROFS;
	e2f_lock(e);
	e2f_dcache_flush(e);
	ret = e2f_lookup_parent(e, path, &dir, &name);
	if (!ret && (!strcmp(name, ".") || !strcmp(name, "..")))
		ret = -EINVAL;
	if (!ret)
		ret = lookup_entry(e, dir, name, &ino, &din, &in);
	if (!ret && !LINUX_S_ISDIR(in.i_mode))
		ret = -ENOTDIR;
	if (!ret && ino == EXT2_ROOT_INO)
		ret = -EBUSY;
	if (!ret)
		ret = check_empty(e, ino);
	if (!ret)
		ret = e2f_may_delete(e, &din, &in);
	if (!ret)
		ret = -e2f_errno(ext2fs_unlink(e->fs, dir, name, ino, 0));
	if (!ret)
		ret = drop_dir(e, dir, ino);
	e2f_unlock(e);
	return ret;
}

static int set_dotdot(ext2_ino_t dir, int entry, struct ext2_dir_entry *de,
		      int offset, int blocksize, char *blockbuf, void *priv)
{
	if (ext2fs_dirent_name_len(de) == 2 && de->name[0] == '.' &&
	    de->name[1] == '.') {
		de->inode = *(ext2_ino_t *)priv;
		return DIRENT_CHANGED | DIRENT_ABORT;
	}
	return 0;
}

/* Is ANC an ancestor of (or equal to) DIR?  Walks ".." up to the root. */
static int is_ancestor(struct e2f *e, ext2_ino_t anc, ext2_ino_t dir)
{
	int depth;
	errcode_t err;

	for (depth = 0; depth < 4096; depth++) {
		if (dir == anc)
			return 1;
		if (dir == EXT2_ROOT_INO)
			return 0;
		err = ext2fs_lookup(e->fs, dir, "..", 2, NULL, &dir);
		if (err)
			return -e2f_errno(err);
	}
	return -EIO;	/* a loop of ".." entries: damaged image */
}

static int file_type(const struct ext2_inode_large *in)
{
	switch (in->i_mode & LINUX_S_IFMT) {
	case LINUX_S_IFREG: return EXT2_FT_REG_FILE;
	case LINUX_S_IFDIR: return EXT2_FT_DIR;
	case LINUX_S_IFLNK: return EXT2_FT_SYMLINK;
	case LINUX_S_IFCHR: return EXT2_FT_CHRDEV;
	case LINUX_S_IFBLK: return EXT2_FT_BLKDEV;
	case LINUX_S_IFIFO: return EXT2_FT_FIFO;
	case LINUX_S_IFSOCK: return EXT2_FT_SOCK;
	}
	return EXT2_FT_UNKNOWN;
}

static int do_rename(struct e2f *e, const char *from, const char *to,
		     unsigned int flags)
{
	struct ext2_inode_large fdin, tdin, in, tin;
	const char *fname, *tname;
	ext2_ino_t fdir, tdir, ino, tino = 0;
	errcode_t err;
	int ret, isdir;

	ret = e2f_lookup_parent(e, from, &fdir, &fname);
	if (!ret)
		ret = e2f_lookup_parent(e, to, &tdir, &tname);
	if (!ret)
		ret = -e2f_errno(ext2fs_lookup(e->fs, fdir, fname,
					       strlen(fname), NULL, &ino));
	if (!ret)
		ret = e2f_read_inode(e, fdir, &fdin);
	if (!ret)
		ret = e2f_read_inode(e, tdir, &tdin);
	if (!ret)
		ret = e2f_read_inode(e, ino, &in);
	if (ret)
		return ret;
	if (!LINUX_S_ISDIR(tdin.i_mode))
		return -ENOTDIR;
	isdir = LINUX_S_ISDIR(in.i_mode);
	ret = e2f_may_delete(e, &fdin, &in);
	if (!ret)
		ret = e2f_access(e, &tdin, W_OK | X_OK);
	if (ret)
		return ret;
	err = ext2fs_lookup(e->fs, tdir, tname, strlen(tname), NULL, &tino);
	if (err == EXT2_ET_FILE_NOT_FOUND)
		tino = 0;
	else if (err)
		return -e2f_errno(err);
	if (tino == ino)
		return 0;
	if (tino && (flags & RENAME_NOREPLACE))
		return -EEXIST;
	if (isdir && fdir != tdir) {
		ret = is_ancestor(e, ino, tdir);
		if (ret)
			return ret < 0 ? ret : -EINVAL;
	}
	if (tino) {
		ret = e2f_read_inode(e, tino, &tin);
		if (ret)
			return ret;
		if (isdir && !LINUX_S_ISDIR(tin.i_mode))
			return -ENOTDIR;
		if (!isdir && LINUX_S_ISDIR(tin.i_mode))
			return -EISDIR;
		if (LINUX_S_ISDIR(tin.i_mode)) {
			ret = check_empty(e, tino);
			if (ret)
				return ret;
		}
		ret = e2f_may_delete(e, &tdin, &tin);
		if (ret)
			return ret;
		err = ext2fs_unlink(e->fs, tdir, tname, tino, 0);
		if (err)
			return -e2f_errno(err);
		ret = LINUX_S_ISDIR(tin.i_mode) ? drop_dir(e, tdir, tino) :
						  e2f_drop_link(e, tino);
		if (ret)
			return ret;
	}
	err = e2f_add_entry(e, tdir, tname, ino, file_type(&in));
	if (err)
		return -e2f_errno(err);
	err = ext2fs_unlink(e->fs, fdir, fname, ino, 0);
	if (err)
		return -e2f_errno(err);
	if (isdir && fdir != tdir) {
		err = dir_iterate(e, ino, set_dotdot, &tdir);
		if (err)
			return -e2f_errno(err);
		ret = e2f_touch_dir(e, fdir, -1);
		if (!ret)
			ret = e2f_touch_dir(e, tdir, +1);
	} else {
		ret = e2f_touch_dir(e, fdir, 0);
		if (!ret && tdir != fdir)
			ret = e2f_touch_dir(e, tdir, 0);
	}
	if (ret)
		return ret;
	return e2f_stamp(e, ino, E2F_CTIME);
}

static int e2f_rename(const char *from, const char *to, unsigned int flags)
{
	struct e2f *e = e2f_get();
	int ret;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;	/* RENAME_EXCHANGE, RENAME_WHITEOUT */
	if (e->ro)
		return -EROFS;
	e2f_lock(e);
	e2f_dcache_flush(e);
	ret = do_rename(e, from, to, flags);
	e2f_dcache_flush(e);
	e2f_unlock(e);
	return ret;
}

static int e2f_link(const char *from, const char *to)
{
	struct e2f *e = e2f_get();
	struct ext2_inode_large in;
	const char *name;
	ext2_ino_t dir, ino;
	errcode_t err;
	int ret;

	e2f_lock(e);
	ret = prepare_new(e, to, &dir, &name);
	if (!ret)
		ret = e2f_node(e, from, NULL, &ino, &in);
	if (ret)
		goto out;
	if (LINUX_S_ISDIR(in.i_mode)) {
		ret = -EPERM;
		goto out;
	}
	if (in.i_links_count >= EXT2_LINK_MAX) {
		ret = -EMLINK;
		goto out;
	}
	err = e2f_add_entry(e, dir, name, ino, file_type(&in));
	if (err) {
		ret = -e2f_errno(err);
		goto out;
	}
	in.i_links_count++;
	e2f_touch(&in, E2F_CTIME);
	ret = e2f_write_inode(e, ino, &in);
	if (!ret)
		ret = e2f_touch_dir(e, dir, 0);
out:
	e2f_unlock(e);
	return ret;
}

void e2f_dir_ops(struct fuse_operations *ops)
{
	ops->opendir = e2f_opendir;
	ops->readdir = e2f_readdir;
	ops->mkdir = e2f_mkdir;
	ops->mknod = e2f_mknod;
	ops->symlink = e2f_symlink;
	ops->readlink = e2f_readlink;
	ops->unlink = e2f_unlink;
	ops->rmdir = e2f_rmdir;
	ops->rename = e2f_rename;
	ops->link = e2f_link;
}
