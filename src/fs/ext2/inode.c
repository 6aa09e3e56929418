/* umfuseext2: path lookup, inode I/O, stat, timestamps, access checks. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ext2fuse.h"

struct e2f *e2f_get(void)
{
	return fuse_get_context()->private_data;
}

void e2f_lock(struct e2f *e)
{
	pthread_mutex_lock(&e->lock);
}

void e2f_unlock(struct e2f *e)
{
	pthread_mutex_unlock(&e->lock);
}

static int e2f_access_dir(struct e2f *e, ext2_ino_t dir);

/*
 * Walk PATH from the root, component by component through the entry
 * cache.  When permissions are ours to check, every directory on the way
 * needs search (x) permission, as in the kernel's walk.
 */
static int e2f_lookup(struct e2f *e, const char *path, ext2_ino_t *ino)
{
	int check = e->check_perms && fuse_get_context()->uid != 0;
	ext2_ino_t dir = EXT2_ROOT_INO, next;
	const char *p = path, *end;
	errcode_t err;
	int ret;

	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = strchrnul(p, '/');
		if (end - p > EXT2_NAME_LEN)
			return -ENAMETOOLONG;
		if (check) {
			ret = e2f_access_dir(e, dir);
			if (ret)
				return ret;
		}
		if (!e2f_dcache_get(e, dir, p, end - p, &next)) {
			err = ext2fs_lookup(e->fs, dir, p, end - p, NULL,
					    &next);
			if (err)
				return -e2f_errno(err);
			/* "." and ".." change meaning with rename. */
			if (!(p[0] == '.' && (end - p == 1 ||
			      (end - p == 2 && p[1] == '.'))))
				e2f_dcache_put(e, dir, p, end - p, next);
		}
		if (*end) {
			struct ext2_inode_large in;

			ret = e2f_read_inode(e, next, &in);
			if (ret)
				return ret;
			if (LINUX_S_ISLNK(in.i_mode))	/* rare: let libext2fs
							 * follow it */
				return -e2f_errno(ext2fs_namei(e->fs,
						EXT2_ROOT_INO, dir, p, ino));
		}
		dir = next;
		p = end;
	}
	*ino = dir;
	return 0;
}

/* Find the directory that holds the last component of PATH. */
int e2f_lookup_parent(struct e2f *e, const char *path, ext2_ino_t *dir,
		      const char **name)
{
	const char *slash = strrchr(path, '/');
	char *copy;
	int ret;

	*name = slash ? slash + 1 : path;
	if (**name == '\0')
		return -EINVAL;
	if (strlen(*name) > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	if (!slash || slash == path) {
		*dir = EXT2_ROOT_INO;
		return 0;
	}
	copy = strndup(path, slash - path);
	if (!copy)
		return -ENOMEM;
	ret = e2f_lookup(e, copy, dir);
	free(copy);
	return ret;
}

int e2f_read_inode(struct e2f *e, ext2_ino_t ino, struct ext2_inode_large *in)
{
	memset(in, 0, sizeof(*in));
	return -e2f_errno(ext2fs_read_inode_full(e->fs, ino,
			(struct ext2_inode *)in, sizeof(*in)));
}

/*
 * The inode an operation works on: the one of the open handle FI if there
 * is one (the path may be gone: nullpath_ok), else PATH's.  IN, unless
 * NULL, receives the inode.
 */
int e2f_node(struct e2f *e, const char *path, struct fuse_file_info *fi,
	     ext2_ino_t *ino, struct ext2_inode_large *in)
{
	int ret = 0;

	if (fi && fi->fh)
		*ino = (ext2_ino_t)fi->fh;
	else
		ret = e2f_lookup(e, path, ino);
	if (!ret && in)
		ret = e2f_read_inode(e, *ino, in);
	return ret;
}

int e2f_write_inode(struct e2f *e, ext2_ino_t ino,
		    struct ext2_inode_large *in)
{
	return -e2f_errno(ext2fs_write_inode_full(e->fs, ino,
			(struct ext2_inode *)in, sizeof(*in)));
}

/* The extra timestamp word exists only if the inode's extra area covers it. */
#define HAS_EXTRA(in, field) \
	((size_t)EXT2_GOOD_OLD_INODE_SIZE + (in)->i_extra_isize >= \
	 offsetof(struct ext2_inode_large, field) + sizeof((in)->field))

static void decode_time(__u32 lo, __u32 extra, int has_extra,
			struct timespec *ts)
{
	ts->tv_sec = (__s32)lo;
	ts->tv_nsec = 0;
	if (has_extra) {
		ts->tv_sec += (time_t)(extra & EXT4_EPOCH_MASK) << 32;
		ts->tv_nsec = (extra >> EXT4_EPOCH_BITS) % 1000000000;
	}
}

static void encode_time(const struct timespec *ts, __u32 *lo, __u32 *extra,
			int has_extra)
{
	__s64 s = ts->tv_sec;

	*lo = (__u32)s;
	if (has_extra)
		*extra = ((__u32)((s - (__s32)s) >> 32) & EXT4_EPOCH_MASK) |
			 ((__u32)ts->tv_nsec << EXT4_EPOCH_BITS);
}

void e2f_fill_stat(struct e2f *e, ext2_ino_t ino,
		   const struct ext2_inode_large *in, struct stat *st)
{
	const struct ext2_inode *base = (const struct ext2_inode *)in;

	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = in->i_mode;
	st->st_nlink = in->i_links_count;
	if (LINUX_S_ISDIR(in->i_mode) && st->st_nlink <= 1)
		st->st_nlink = 1;	/* dir_nlink: more than 65000 */
	st->st_uid = inode_uid(*in);
	st->st_gid = inode_gid(*in);
	st->st_size = EXT2_I_SIZE(in);
	st->st_blksize = e->fs->blocksize;
	st->st_blocks = ext2fs_get_stat_i_blocks(e->fs,
				(struct ext2_inode *)base);
	if (LINUX_S_ISCHR(in->i_mode) || LINUX_S_ISBLK(in->i_mode)) {
		/* Old encoding in i_block[0], new (huge) one in i_block[1]. */
		if (in->i_block[0]) {
			st->st_rdev = makedev((in->i_block[0] >> 8) & 255,
					      in->i_block[0] & 255);
		} else {
			__u32 d = in->i_block[1];

			st->st_rdev = makedev((d & 0xfff00) >> 8,
					(d & 0xff) | ((d >> 12) & 0xfff00));
		}
	}
	decode_time(in->i_atime, in->i_atime_extra,
		    HAS_EXTRA(in, i_atime_extra), &st->st_atim);
	decode_time(in->i_mtime, in->i_mtime_extra,
		    HAS_EXTRA(in, i_mtime_extra), &st->st_mtim);
	decode_time(in->i_ctime, in->i_ctime_extra,
		    HAS_EXTRA(in, i_ctime_extra), &st->st_ctim);
}

void e2f_set_time(struct ext2_inode_large *in, int which,
		  const struct timespec *ts)
{
	if (which & E2F_ATIME)
		encode_time(ts, &in->i_atime, &in->i_atime_extra,
			    HAS_EXTRA(in, i_atime_extra));
	if (which & E2F_MTIME)
		encode_time(ts, &in->i_mtime, &in->i_mtime_extra,
			    HAS_EXTRA(in, i_mtime_extra));
	if (which & E2F_CTIME)
		encode_time(ts, &in->i_ctime, &in->i_ctime_extra,
			    HAS_EXTRA(in, i_ctime_extra));
}

void e2f_touch(struct ext2_inode_large *in, int which)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	e2f_set_time(in, which, &now);
}

/* Re-read INO and set the times WHICH to now. */
int e2f_stamp(struct e2f *e, ext2_ino_t ino, int which)
{
	struct ext2_inode_large in;
	int ret = e2f_read_inode(e, ino, &in);

	if (ret)
		return ret;
	e2f_touch(&in, which);
	return e2f_write_inode(e, ino, &in);
}

/* Re-read DIR, add DELTA to its link count, stamp mtime and ctime. */
int e2f_touch_dir(struct e2f *e, ext2_ino_t dir, int delta)
{
	struct ext2_inode_large in;
	int ret = e2f_read_inode(e, dir, &in);

	if (ret)
		return ret;
	if (delta > 0 && in.i_links_count > 0 &&
	    in.i_links_count < EXT2_LINK_MAX)
		in.i_links_count++;
	else if (delta > 0 && in.i_links_count >= EXT2_LINK_MAX)
		in.i_links_count = 1;	/* dir_nlink: "many" */
	else if (delta < 0 && in.i_links_count > 2)
		in.i_links_count--;
	e2f_touch(&in, E2F_MTIME | E2F_CTIME);
	return e2f_write_inode(e, dir, &in);
}

static int in_group(gid_t gid)
{
	struct fuse_context *c = fuse_get_context();
	gid_t groups[64];
	int i, n;

	if (c->gid == gid)
		return 1;
	n = fuse_getgroups(64, groups);
	for (i = 0; i < n && i < 64; i++)
		if (groups[i] == gid)
			return 1;
	return 0;
}

/* Permission bits as the kernel checks them for a local file system. */
int e2f_access(struct e2f *e, const struct ext2_inode_large *in, int mask)
{
	struct fuse_context *c = fuse_get_context();
	unsigned int mode = in->i_mode, bits;

	if (!e->check_perms || mask == F_OK)
		return 0;
	if (c->uid == 0) {
		if ((mask & X_OK) && !LINUX_S_ISDIR(mode) && !(mode & 0111))
			return -EACCES;
		return 0;
	}
	if (c->uid == inode_uid(*in))
		bits = (mode >> 6) & 7;
	else if (in_group(inode_gid(*in)))
		bits = (mode >> 3) & 7;
	else
		bits = mode & 7;
	return (bits & mask) == (unsigned int)mask ? 0 : -EACCES;
}

/* Search permission on directory DIR (ENOTDIR if it is not one). */
static int e2f_access_dir(struct e2f *e, ext2_ino_t dir)
{
	struct ext2_inode_large in;
	int ret = e2f_read_inode(e, dir, &in);

	if (ret)
		return ret;
	if (!LINUX_S_ISDIR(in.i_mode))
		return -ENOTDIR;
	return e2f_access(e, &in, X_OK);
}

/* May the caller add the entry NAME to DIR?  *DIN receives DIR's inode. */
int e2f_may_create(struct e2f *e, ext2_ino_t dir, const char *name,
		   struct ext2_inode_large *din)
{
	ext2_ino_t ino;
	errcode_t err;
	int ret;

	ret = e2f_read_inode(e, dir, din);
	if (ret)
		return ret;
	if (!LINUX_S_ISDIR(din->i_mode))
		return -ENOTDIR;
	ret = e2f_access(e, din, W_OK | X_OK);
	if (ret)
		return ret;
	err = ext2fs_lookup(e->fs, dir, name, strlen(name), NULL, &ino);
	if (!err)
		return -EEXIST;
	return err == EXT2_ET_FILE_NOT_FOUND ? 0 : -e2f_errno(err);
}

/* A new inode belongs to the caller, and to the group of a set-group-ID
 * directory DIN. */
void e2f_set_owner(struct ext2_inode_large *in,
		   const struct ext2_inode_large *din)
{
	struct fuse_context *c = fuse_get_context();

	in->i_uid = c->uid;
	ext2fs_set_i_uid_high(*in, c->uid >> 16);
	if (din->i_mode & LINUX_S_ISGID) {
		in->i_gid = din->i_gid;
		ext2fs_set_i_gid_high(*in, inode_gid(*din) >> 16);
	} else {
		in->i_gid = c->gid;
		ext2fs_set_i_gid_high(*in, c->gid >> 16);
	}
}

/* The sticky bit of a directory restricts who may remove its entries. */
int e2f_may_delete(struct e2f *e, const struct ext2_inode_large *dir,
		   const struct ext2_inode_large *victim)
{
	struct fuse_context *c = fuse_get_context();
	int ret = e2f_access(e, dir, W_OK | X_OK);

	if (ret || !e->check_perms || c->uid == 0)
		return ret;
	if ((dir->i_mode & LINUX_S_ISVTX) && c->uid != inode_uid(*dir) &&
	    c->uid != inode_uid(*victim))
		return -EPERM;
	return 0;
}

/* Release the blocks, the xattr block and the inode itself. */
int e2f_free_inode(struct e2f *e, ext2_ino_t ino)
{
	struct ext2_inode_large in;
	errcode_t err;
	int ret;

	ret = e2f_read_inode(e, ino, &in);
	if (ret)
		return ret;
	if (ext2fs_inode_has_valid_blocks2(e->fs, (struct ext2_inode *)&in) ||
	    (in.i_flags & EXT4_INLINE_DATA_FL)) {
		err = ext2fs_punch(e->fs, ino, (struct ext2_inode *)&in, NULL,
				   0, ~0ULL);
		if (err)
			return -e2f_errno(err);
	}
	err = ext2fs_free_ext_attr(e->fs, ino, &in);
	if (err)
		return -e2f_errno(err);
	in.i_links_count = 0;
	in.i_dtime = time(NULL);
	ret = e2f_write_inode(e, ino, &in);
	if (ret)
		return ret;
	ext2fs_inode_alloc_stats2(e->fs, ino, -1, LINUX_S_ISDIR(in.i_mode));
	return 0;
}

static struct e2f_open *find_open(struct e2f *e, ext2_ino_t ino)
{
	struct e2f_open *o;

	for (o = e->open; o; o = o->next)
		if (o->ino == ino)
			return o;
	return NULL;
}

/* Drop one name of a non-directory; the inode goes with its last name,
 * or at its last release if it is still open. */
int e2f_drop_link(struct e2f *e, ext2_ino_t ino)
{
	struct ext2_inode_large in;
	struct e2f_open *o;
	int ret;

	ret = e2f_read_inode(e, ino, &in);
	if (ret)
		return ret;
	if (in.i_links_count > 0)
		in.i_links_count--;
	e2f_touch(&in, E2F_CTIME);
	ret = e2f_write_inode(e, ino, &in);
	if (ret || in.i_links_count > 0)
		return ret;
	o = find_open(e, ino);
	if (o) {
		o->orphan = 1;
		return 0;
	}
	return e2f_free_inode(e, ino);
}

void e2f_open_ref(struct e2f *e, ext2_ino_t ino)
{
	struct e2f_open *o = find_open(e, ino);

	if (!o) {
		o = calloc(1, sizeof(*o));
		if (!o)
			return;	/* worst case: an unlinked open file is
				 * freed at unlink, like hard_remove */
		o->ino = ino;
		o->next = e->open;
		e->open = o;
	}
	o->count++;
}

int e2f_open_unref(struct e2f *e, ext2_ino_t ino)
{
	struct e2f_open **p, *o;
	int orphan;

	for (p = &e->open; (o = *p); p = &o->next)
		if (o->ino == ino)
			break;
	if (!o || --o->count > 0)
		return 0;
	orphan = o->orphan;
	*p = o->next;
	free(o);
	return orphan ? e2f_free_inode(e, ino) : 0;
}
