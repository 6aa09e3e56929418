/* umfuseext2: shared state and helpers of the ext2/3/4 FUSE file system. */
#ifndef UMFUSEEXT2_EXT2FUSE_H
#define UMFUSEEXT2_EXT2FUSE_H

#define FUSE_USE_VERSION 35
#include <fuse.h>
#include <ext2fs/ext2fs.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* One mounted image.  libext2fs is not thread-safe: every operation holds
 * the lock for its whole duration. */
struct e2f {
	ext2_filsys fs;
	const char *image;
	int ro;
	int check_perms;	/* enforce modes here (no default_permissions) */
	pthread_mutex_t lock;
	struct e2f_open *open;	/* inodes with open handles */
	struct e2f_dcache *dcache;	/* directory entries seen */
};

/* Inodes that are open: an unlinked inode is freed at its last release. */
struct e2f_open {
	ext2_ino_t ino;
	int count;
	int orphan;
	struct e2f_open *next;
};

struct e2f *e2f_get(void);
void e2f_lock(struct e2f *e);
void e2f_unlock(struct e2f *e);

/* dcache.c */
int e2f_dcache_get(struct e2f *e, ext2_ino_t dir, const char *name,
		   unsigned int len, ext2_ino_t *ino);
void e2f_dcache_put(struct e2f *e, ext2_ino_t dir, const char *name,
		    unsigned int len, ext2_ino_t ino);
void e2f_dcache_flush(struct e2f *e);
void e2f_dcache_free(struct e2f *e);

/* errors.c */
int e2f_errno(errcode_t err);

/* inode.c */
int e2f_lookup_parent(struct e2f *e, const char *path, ext2_ino_t *dir,
		      const char **name);
int e2f_read_inode(struct e2f *e, ext2_ino_t ino, struct ext2_inode_large *in);
int e2f_node(struct e2f *e, const char *path, struct fuse_file_info *fi,
	     ext2_ino_t *ino, struct ext2_inode_large *in);
int e2f_write_inode(struct e2f *e, ext2_ino_t ino,
		    struct ext2_inode_large *in);
void e2f_fill_stat(struct e2f *e, ext2_ino_t ino,
		   const struct ext2_inode_large *in, struct stat *st);
void e2f_set_time(struct ext2_inode_large *in, int which,
		  const struct timespec *ts);
void e2f_touch(struct ext2_inode_large *in, int which);
int e2f_stamp(struct e2f *e, ext2_ino_t ino, int which);
int e2f_touch_dir(struct e2f *e, ext2_ino_t dir, int delta);
int e2f_access(struct e2f *e, const struct ext2_inode_large *in, int mask);
int e2f_may_create(struct e2f *e, ext2_ino_t dir, const char *name,
		   struct ext2_inode_large *din);
void e2f_set_owner(struct ext2_inode_large *in,
		   const struct ext2_inode_large *din);
int e2f_may_delete(struct e2f *e, const struct ext2_inode_large *dir,
		   const struct ext2_inode_large *victim);
int e2f_free_inode(struct e2f *e, ext2_ino_t ino);
int e2f_drop_link(struct e2f *e, ext2_ino_t ino);
void e2f_open_ref(struct e2f *e, ext2_ino_t ino);
int e2f_open_unref(struct e2f *e, ext2_ino_t ino);

#define E2F_ATIME	1
#define E2F_MTIME	2
#define E2F_CTIME	4

/* dir.c */
errcode_t e2f_add_entry(struct e2f *e, ext2_ino_t dir, const char *name,
			ext2_ino_t ino, int ft);

/* file.c */
int e2f_new_node(struct e2f *e, ext2_ino_t dir, const char *name,
		 mode_t mode, dev_t rdev, ext2_ino_t *ret_ino);
int e2f_sync(struct e2f *e);

/* blockread.c */
int e2f_read_blocks(struct e2f *e, ext2_ino_t ino,
		    struct ext2_inode_large *in, char *buf, size_t size,
		    __u64 off);

/* Operation tables filled by each file. */
void e2f_file_ops(struct fuse_operations *ops);
void e2f_dir_ops(struct fuse_operations *ops);
void e2f_attr_ops(struct fuse_operations *ops);

#endif
