/* umfuse: the module's per-mount and per-file state, shared by its
 * units (umfuse.c: submodules and their thread; ops.c: file operations;
 * dir.c: directory listings; hide.c: files removed while open; perm.c:
 * default_permissions). */
#ifndef UMFUSE_MODULE_H
#define UMFUSE_MODULE_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#include <umview/module.h>

#include "umfuse_priv.h"

struct umfuse_file;

/* One mount of a submodule. */
struct umfuse_mnt {
	struct um_service *svc;
	char *type;        /* "umfuseNAME" */
	char *copy;        /* private copy of the .so, or NULL */
	void *dl;          /* the submodule */
	pthread_t thread;  /* runs the submodule's main() */
	struct umfuse_start start;
	struct fuse *f;    /* valid while mounted */
	int argc;
	char **argv;
	dev_t dev;         /* st_dev of every file */
	uid_t owner;       /* who mounted it (allow_other) */
	bool check_owner;  /* other users can exist in the view */
	struct umfuse_file *files; /* open files, for umount */
};

/* One open file or directory. */
struct umfuse_file {
	struct umfuse_mnt *m;
	char *path;
	struct fuse_file_info fi;
	bool is_dir;
	bool opened; /* open/opendir/create was called: release is due */
	bool hidden; /* unlinked while open: path is a hidden name */
	/* directory listing, read whole at position 0 */
	struct umfuse_dirent *ents;
	size_t nents, cap;
	bool listed;
	struct umfuse_file *next, *prev;
};

struct umfuse_dirent {
	char *name;
	ino_t ino;
	unsigned char type;
};

/* Start an operation for the current caller: 0 or -EACCES (allow_other). */
int umfuse_enter(struct umfuse_mnt *m);
/* The inode number umfuse gives path when the file system gives none. */
ino_t umfuse_ino(const char *path);
/* Fix up a getattr result: st_dev, inode numbers, uid=/gid=/umask=. */
void umfuse_fix_stat(struct umfuse_mnt *m, const char *path, struct stat *st);
/* Release every file still open (umount). */
void umfuse_release_all(struct umfuse_mnt *m);
/* Files removed while open (hide.c): is path open?  Rename it to a
 * hidden name; remove that name once gone (the last open file on it) is
 * released; keep open files' paths right across a rename. */
bool umfuse_is_open(const struct umfuse_mnt *m, const char *path);
int umfuse_hide(struct umfuse_mnt *m, const char *path);
void umfuse_unhide(struct umfuse_mnt *m, const struct umfuse_file *gone);
void umfuse_rename_open(struct umfuse_mnt *m, const char *from,
			const char *to);
/* Forget a directory's listing. */
void umfuse_dir_clear(struct umfuse_file *file);

/* default_permissions: may the caller do mask (R_OK|W_OK|X_OK) on
 * path?  0 or -errno.  fi (or NULL): the attributes are read through this
 * open file, which may have been unlinked. */
int umfuse_perm(struct umfuse_mnt *m, const char *path,
		struct fuse_file_info *fi, int mask);
/* ... write and search in path's parent directory? */
int umfuse_perm_parent(struct umfuse_mnt *m, const char *path);
/* ... change the attributes of path (owner or root)? */
int umfuse_perm_owner(struct umfuse_mnt *m, const char *path,
		      struct fuse_file_info *fi);
/* ... chown path to uid/gid? */
int umfuse_perm_chown(struct umfuse_mnt *m, const char *path,
		      struct fuse_file_info *fi, uid_t uid, gid_t gid);

/* The module operations (ops.c), named after struct um_module's. */
int umfuse_lstat(void *mnt, const char *path, struct stat *st);
ssize_t umfuse_readlink(void *mnt, const char *path, char *buf, size_t size);
int umfuse_access(void *mnt, const char *path, int mode);
int umfuse_open(void *mnt, const char *path, int flags, mode_t mode,
		void **handle);
int umfuse_release(void *mnt, void *handle);
ssize_t umfuse_pread(void *mnt, void *handle, void *buf, size_t count,
		     off_t offset);
ssize_t umfuse_pwrite(void *mnt, void *handle, const void *buf, size_t count,
		      off_t offset);
int umfuse_fstat(void *mnt, void *handle, struct stat *st);
ssize_t umfuse_getdents64(void *mnt, void *handle, void *buf, size_t count,
			  off_t *pos);
int umfuse_ftruncate(void *mnt, void *handle, off_t length);
int umfuse_fchmod(void *mnt, void *handle, mode_t mode);
int umfuse_fchown(void *mnt, void *handle, uid_t uid, gid_t gid);
int umfuse_futimens(void *mnt, void *handle, const struct timespec ts[2]);
int umfuse_fsync(void *mnt, void *handle, int datasync);
int umfuse_truncate(void *mnt, const char *path, off_t length);
int umfuse_mkdir(void *mnt, const char *path, mode_t mode);
int umfuse_mknod(void *mnt, const char *path, mode_t mode, dev_t dev);
int umfuse_rmdir(void *mnt, const char *path);
int umfuse_unlink(void *mnt, const char *path);
int umfuse_rename(void *mnt, const char *from, const char *to,
		  unsigned int flags);
int umfuse_link(void *mnt, const char *from, const char *to);
int umfuse_symlink(void *mnt, const char *target, const char *path);
int umfuse_chmod(void *mnt, const char *path, mode_t mode);
int umfuse_chown(void *mnt, const char *path, uid_t uid, gid_t gid);
int umfuse_utimens(void *mnt, const char *path, const struct timespec ts[2]);
int umfuse_statfs(void *mnt, const char *path, struct statfs *buf);
ssize_t umfuse_getxattr(void *mnt, const char *path, const char *name,
			void *value, size_t size);
int umfuse_setxattr(void *mnt, const char *path, const char *name,
		    const void *value, size_t size, int flags);
ssize_t umfuse_listxattr(void *mnt, const char *path, char *list,
			 size_t size);
int umfuse_removexattr(void *mnt, const char *path, const char *name);
int umfuse_fallocate(void *mnt, void *handle, int mode, off_t offset,
		     off_t len);
off_t umfuse_lseek(void *mnt, void *handle, off_t offset, int whence);
int umfuse_ioctl(void *mnt, void *handle, unsigned long request, void *arg,
		 size_t size);

#endif /* UMFUSE_MODULE_H */
