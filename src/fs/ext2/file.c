/* umfuseext2: regular files: getattr, open, create, read, write, truncate. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ext2fuse.h"

static int e2f_getattr(const char *path, struct stat *st,
		       struct fuse_file_info *fi)
{
	struct e2f *e = e2f_get();
	struct ext2_inode_large in;
	ext2_ino_t ino;
	int ret;

	e2f_lock(e);
	ret = e2f_node(e, path, fi, &ino, &in);
	if (!ret)
		e2f_fill_stat(e, ino, &in, st);
	e2f_unlock(e);
	return ret;
}

/*
 * libext2fs 1.47 writes into inline data wrongly (it stores the length of
 * the write as the size of the data), and its function to move inline
 * data out is private: a regular file's inline data is moved to blocks
 * here, with the public API, before any write or size change.
 */
static errcode_t leave_inline(struct e2f *e, ext2_ino_t ino)
{
	struct ext2_xattr_handle *h;
	struct ext2_inode_large in;
	ext2_file_t f;
	size_t size;
	unsigned int got;
	errcode_t err;
	char *buf;

	if (e2f_read_inode(e, ino, &in))
		return EXT2_ET_SHORT_READ;
	if (!(in.i_flags & EXT4_INLINE_DATA_FL) || !LINUX_S_ISREG(in.i_mode))
		return 0;
	err = ext2fs_inline_data_size(e->fs, ino, &size);
	if (err)
		return err;
	buf = malloc(size ? size : 1);
	if (!buf)
		return EXT2_ET_NO_MEMORY;
	err = ext2fs_inline_data_get(e->fs, ino, (struct ext2_inode *)&in,
				     buf, &size);
	if (err)
		goto out;
	/* The inline area may be larger than the file. */
	if (size > EXT2_I_SIZE(&in))
		size = EXT2_I_SIZE(&in);
	/* The part beyond i_block lives in the "system.data" xattr. */
	err = ext2fs_xattrs_open(e->fs, ino, &h);
	if (!err) {
		err = ext2fs_xattrs_read(h);
		if (!err)
			err = ext2fs_xattr_remove(h, "system.data");
		if (!err)
			err = ext2fs_xattrs_close(&h);
		else
			ext2fs_xattrs_close(&h);
	}
	if (err)
		goto out;
	if (e2f_read_inode(e, ino, &in)) {
		err = EXT2_ET_SHORT_READ;
		goto out;
	}
	in.i_flags &= ~EXT4_INLINE_DATA_FL;
	memset(in.i_block, 0, sizeof(in.i_block));
	in.i_size = 0;
	in.i_size_high = 0;
	if (ext2fs_has_feature_extents(e->fs->super)) {
		ext2_extent_handle_t eh;

		in.i_flags |= EXT4_EXTENTS_FL;
		err = ext2fs_extent_open2(e->fs, ino,
					  (struct ext2_inode *)&in, &eh);
		if (err)
			goto out;
		ext2fs_extent_free(eh);
	}
	if (e2f_write_inode(e, ino, &in)) {
		err = EXT2_ET_SHORT_WRITE;
		goto out;
	}
	if (size == 0)
		goto out;
	err = ext2fs_file_open(e->fs, ino, EXT2_FILE_WRITE, &f);
	if (!err) {
		err = ext2fs_file_write(f, buf, size, &got);
		if (!err && got != size)
			err = EXT2_ET_SHORT_WRITE;
		if (!err)
			err = ext2fs_file_close(f);
		else
			ext2fs_file_close(f);
	}
out:
	free(buf);
	return err;
}

/* Set the size of INO (through a file handle, which punches blocks). */
static int set_size(struct e2f *e, ext2_ino_t ino, off_t size)
{
	ext2_file_t f;
	errcode_t err, err2;

	if (size < 0)
		return -EINVAL;
	err = leave_inline(e, ino);
	if (!err)
		err = ext2fs_file_open(e->fs, ino, EXT2_FILE_WRITE, &f);
	if (err)
		return -e2f_errno(err);
	err = ext2fs_file_set_size2(f, size);
	err2 = ext2fs_file_close(f);
	if (err || err2)
		return -e2f_errno(err ? err : err2);
	return e2f_stamp(e, ino, E2F_MTIME | E2F_CTIME);
}

static int open_checks(struct e2f *e, const struct ext2_inode_large *in,
		       int flags)
{
	int acc = flags & O_ACCMODE, mask = 0;

	if (acc == O_RDONLY || acc == O_RDWR)
		mask |= R_OK;
	if (acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC))
		mask |= W_OK;
	if ((mask & W_OK) && e->ro)
		return -EROFS;
	if ((mask & W_OK) && LINUX_S_ISDIR(in->i_mode))
		return -EISDIR;
	return e2f_access(e, in, mask);
}

static int e2f_open(const char *path, struct fuse_file_info *fi)
{
	struct e2f *e = e2f_get();
	struct ext2_inode_large in;
	ext2_ino_t ino;
	int ret;

	e2f_lock(e);
	ret = e2f_node(e, path, NULL, &ino, &in);
	if (!ret)
		ret = open_checks(e, &in, fi->flags);
	if (!ret && (fi->flags & O_TRUNC) && LINUX_S_ISREG(in.i_mode) &&
	    EXT2_I_SIZE(&in) > 0)
		ret = set_size(e, ino, 0);
	if (!ret) {
		fi->fh = ino;
		e2f_open_ref(e, ino);
	}
	e2f_unlock(e);
	return ret;
}

/* A new inode of MODE named NAME in DIR, owned by the caller. */
int e2f_new_node(struct e2f *e, ext2_ino_t dir, const char *name,
		 mode_t mode, dev_t rdev, ext2_ino_t *ret_ino)
{
	struct ext2_inode_large in, din;
	ext2_ino_t ino;
	errcode_t err;
	int ret, ft;

	ret = e2f_may_create(e, dir, name, &din);
	if (ret)
		return ret;
	err = ext2fs_new_inode(e->fs, dir, mode, NULL, &ino);
	if (err)
		return -e2f_errno(err);
	ft = S_ISREG(mode) ? EXT2_FT_REG_FILE : S_ISCHR(mode) ? EXT2_FT_CHRDEV :
	     S_ISBLK(mode) ? EXT2_FT_BLKDEV : S_ISFIFO(mode) ? EXT2_FT_FIFO :
	     S_ISSOCK(mode) ? EXT2_FT_SOCK : EXT2_FT_UNKNOWN;
	err = e2f_add_entry(e, dir, name, ino, ft);
	if (err)
		return -e2f_errno(err);
	ext2fs_inode_alloc_stats2(e->fs, ino, +1, 0);

	memset(&in, 0, sizeof(in));
	in.i_mode = mode;
	in.i_links_count = 1;
	e2f_set_owner(&in, &din);
	if (EXT2_INODE_SIZE(e->fs->super) > EXT2_GOOD_OLD_INODE_SIZE)
		in.i_extra_isize = sizeof(in) - EXT2_GOOD_OLD_INODE_SIZE;
	e2f_touch(&in, E2F_ATIME | E2F_MTIME | E2F_CTIME);
	if (S_ISCHR(mode) || S_ISBLK(mode)) {
		unsigned int ma = major(rdev), mi = minor(rdev);

		if (ma < 256 && mi < 256)
			in.i_block[0] = ma * 256 + mi;
		else
			in.i_block[1] = (mi & 0xff) | (ma << 8) |
					((mi & ~0xffU) << 12);
	} else if (S_ISREG(mode) && ext2fs_has_feature_extents(e->fs->super)) {
		ext2_extent_handle_t h;

		/* Writes the empty extent header into i_block. */
		in.i_flags |= EXT4_EXTENTS_FL;
		err = ext2fs_extent_open2(e->fs, ino,
					  (struct ext2_inode *)&in, &h);
		if (err)
			return -e2f_errno(err);
		ext2fs_extent_free(h);
	}
	err = ext2fs_write_new_inode(e->fs, ino, (struct ext2_inode *)&in);
	if (err)
		return -e2f_errno(err);
	/* write_new_inode fills only the base; store the extra fields too. */
	ret = e2f_write_inode(e, ino, &in);
	if (ret)
		return ret;
	/* DIR may have grown: never write back the copy read above. */
	ret = e2f_touch_dir(e, dir, 0);
	if (!ret && ret_ino)
		*ret_ino = ino;
	return ret;
}

static int e2f_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	struct e2f *e = e2f_get();
	const char *name;
	ext2_ino_t dir, ino;
	int ret;

	if (e->ro)
		return -EROFS;
	e2f_lock(e);
	ret = e2f_lookup_parent(e, path, &dir, &name);
	if (!ret)
		ret = e2f_new_node(e, dir, name, (mode & 07777) | S_IFREG, 0,
				   &ino);
	if (!ret) {
		fi->fh = ino;
		e2f_open_ref(e, ino);
	}
	e2f_unlock(e);
	return ret;
}

/* Inline data, through libext2fs's file I/O. */
static int read_inline(struct e2f *e, ext2_ino_t ino, char *buf, size_t size,
		       off_t off)
{
	ext2_file_t f;
	errcode_t err;
	unsigned int got;
	size_t done = 0;

	err = ext2fs_file_open(e->fs, ino, 0, &f);
	if (err)
		return -e2f_errno(err);
	err = ext2fs_file_llseek(f, off, EXT2_SEEK_SET, NULL);
	while (!err && done < size) {
		err = ext2fs_file_read(f, buf + done, size - done, &got);
		if (got == 0)
			break;
		done += got;
	}
	ext2fs_file_close(f);
	return err ? -e2f_errno(err) : (int)done;
}

static int e2f_read(const char *path, char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct e2f *e = e2f_get();
	struct ext2_inode_large in;
	ext2_ino_t ino;
	__u64 fsize;
	int ret;

	if (off < 0)
		return -EINVAL;
	e2f_lock(e);
	ret = e2f_node(e, path, fi, &ino, &in);
	if (ret)
		goto out;
	/* never past the end (libext2fs 1.47 repeats inline data there) */
	fsize = EXT2_I_SIZE(&in);
	if ((__u64)off >= fsize)
		size = 0;
	else if (size > fsize - off)
		size = fsize - off;
	if (size == 0)
		ret = 0;
	else if (in.i_flags & EXT4_INLINE_DATA_FL)
		ret = read_inline(e, ino, buf, size, off);
	else
		ret = e2f_read_blocks(e, ino, &in, buf, size, off);
out:
	e2f_unlock(e);
	return ret;
}

static int e2f_write(const char *path, const char *buf, size_t size,
		     off_t off, struct fuse_file_info *fi)
{
	struct e2f *e = e2f_get();
	ext2_ino_t ino;
	ext2_file_t f;
	errcode_t err, err2;
	unsigned int got;
	size_t done = 0;
	int ret;

	if (e->ro)
		return -EROFS;
	e2f_lock(e);
	ret = e2f_node(e, path, fi, &ino, NULL);
	if (ret)
		goto out;
	err = leave_inline(e, ino);
	if (!err)
		err = ext2fs_file_open(e->fs, ino, EXT2_FILE_WRITE, &f);
	if (err) {
		ret = -e2f_errno(err);
		goto out;
	}
	err = ext2fs_file_llseek(f, off, EXT2_SEEK_SET, NULL);
	while (!err && done < size) {
		err = ext2fs_file_write(f, buf + done, size - done, &got);
		if (got == 0)
			break;
		done += got;
	}
	err2 = ext2fs_file_close(f);
	if (!err)
		err = err2;
	if (done == 0 && size > 0) {
		ret = err ? -e2f_errno(err) : -EIO;
		goto out;
	}
	ret = e2f_stamp(e, ino, E2F_MTIME | E2F_CTIME);
	if (!ret)
		ret = (int)done;
out:
	e2f_unlock(e);
	return ret;
}

static int e2f_truncate(const char *path, off_t size,
			struct fuse_file_info *fi)
{
	struct e2f *e = e2f_get();
	struct ext2_inode_large in;
	ext2_ino_t ino;
	int ret;

	if (e->ro)
		return -EROFS;
	e2f_lock(e);
	ret = e2f_node(e, path, fi, &ino, &in);
	if (!ret && LINUX_S_ISDIR(in.i_mode))
		ret = -EISDIR;
	if (!ret && !fi)
		ret = e2f_access(e, &in, W_OK);
	if (!ret)
		ret = set_size(e, ino, size);
	e2f_unlock(e);
	return ret;
}

/* Everything cached in libext2fs reaches the image. */
int e2f_sync(struct e2f *e)
{
	errcode_t err;

	if (e->ro)
		return 0;
	err = ext2fs_write_bitmaps(e->fs);
	if (!err) {
		ext2fs_mark_super_dirty(e->fs);
		err = ext2fs_flush(e->fs);
	}
	if (!err)
		err = io_channel_flush(e->fs->io);
	return -e2f_errno(err);
}

static int e2f_fsync(const char *path, int datasync,
		     struct fuse_file_info *fi)
{
	struct e2f *e = e2f_get();
	int ret;

	e2f_lock(e);
	ret = e2f_sync(e);
	e2f_unlock(e);
	return ret;
}

static int e2f_release(const char *path, struct fuse_file_info *fi)
{
	struct e2f *e = e2f_get();
	int ret;

	e2f_lock(e);
	ret = e2f_open_unref(e, (ext2_ino_t)fi->fh);
	e2f_unlock(e);
	return ret;
}

void e2f_file_ops(struct fuse_operations *ops)
{
	ops->getattr = e2f_getattr;
	ops->open = e2f_open;
	ops->create = e2f_create;
	ops->read = e2f_read;
	ops->write = e2f_write;
	ops->truncate = e2f_truncate;
	ops->fsync = e2f_fsync;
	ops->release = e2f_release;
}
