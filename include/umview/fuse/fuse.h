/* umfuse: the libfuse 3 high-level API, source-compatible.
 *
 * A FUSE file system written for libfuse 3 builds unmodified against this
 * header and libumfuse into a umview submodule, umfuseNAME.so:
 *
 *	cc -shared -fPIC -o umfuseNAME.so fs.c $(pkg-config --cflags --libs umfuse)
 *
 * Inside umview, `um_add_service umfuse` then `mount -t umfuseNAME SOURCE
 * DIR -o OPTIONS` runs the file system's main() as
 * `umfuseNAME -o OPTIONS SOURCE DIR` (SOURCE left out when it is "none" or
 * empty) on a thread of its own.  fuse_main() (or fuse_new + fuse_mount +
 * fuse_loop) hands the operations to umfuse; the mount is ready when the
 * loop starts, and every file operation of the processes in the view then
 * reaches the operations below, one at a time.  umount ends the loop:
 * fuse_loop returns, main() returns, the submodule is unloaded.
 *
 * Paths given to the operations are relative to the mount's root, written
 * from it: "/" is the root, "/a/b" a file below it.  Every operation
 * returns 0 (or a count) on success and -errno on failure; a missing one
 * answers -ENOSYS, or what the kernel's FUSE would do without it. */
#ifndef UMFUSE_FUSE_H
#define UMFUSE_FUSE_H

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <utime.h>

#include "fuse_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One mounted file system. */
struct fuse;

/* Flags given to readdir. */
enum fuse_readdir_flags {
	FUSE_READDIR_PLUS = (1 << 0), /* attributes are welcome */
};

/* Flags given to the fill function. */
enum fuse_fill_dir_flags {
	FUSE_FILL_DIR_PLUS = (1 << 1), /* every attribute in stbuf is valid */
};

/*
 * Add one directory entry (readdir).  stbuf may be NULL; only its st_ino
 * and the type bits of st_mode are used, unless FUSE_FILL_DIR_PLUS.
 * off is the position of the next entry (the file system then gets it
 * back as readdir's offset), or 0 for a file system that returns the whole
 * directory in one call.  Returns 1 when the buffer is full, else 0.
 */
typedef int (*fuse_fill_dir_t)(void *buf, const char *name,
			       const struct stat *stbuf, off_t off,
			       enum fuse_fill_dir_flags flags);

/*
 * Configuration of the high-level API, set from the -o options (uid=,
 * gid=, umask=, use_ino, ...) and handed to init, which may change it.
 * umfuse honours set_uid/uid, set_gid/gid, set_mode/umask (forced on every
 * file's attributes), use_ino and readdir_ino (inode numbers from the
 * file system; otherwise umfuse numbers files by path), nullpath_ok; the
 * cache timeouts and hints are accepted and have no effect (umfuse has
 * no cache to expire).
 */
struct fuse_config {
	int set_gid;
	unsigned int gid;
	int set_uid;
	unsigned int uid;
	int set_mode;
	unsigned int umask;
	double entry_timeout;
	double negative_timeout;
	double attr_timeout;
	int intr;
	int intr_signal;
	int remember;
	int hard_remove;
	int use_ino;
	int readdir_ino;
	int direct_io;
	int kernel_cache;
	int auto_cache;
	int no_rofd_flush;
	int ac_attr_timeout_set;
	double ac_attr_timeout;
	int nullpath_ok;
	/* Used by the library itself. */
	int show_help;
	char *modules;
	int debug;
};

/*
 * The file-system operations, in libfuse's order (positional
 * initialisers work).  All are optional.  fi is NULL when the call is
 * made by path (truncate(2), chmod(2), ...), the open file otherwise.
 */
struct fuse_operations {
	/* lstat: a symlink is described, not followed.  st_dev and
	 * st_blksize are ignored; st_ino too unless use_ino. */
	int (*getattr)(const char *path, struct stat *st,
		       struct fuse_file_info *fi);
	/* Store the target, NUL-terminated and truncated to size. */
	int (*readlink)(const char *path, char *buf, size_t size);
	/* Create a non-directory, non-symlink node (also regular files
	 * when create is missing). */
	int (*mknod)(const char *path, mode_t mode, dev_t rdev);
	int (*mkdir)(const char *path, mode_t mode);
	int (*unlink)(const char *path);
	int (*rmdir)(const char *path);
	int (*symlink)(const char *target, const char *path);
	/* flags: RENAME_NOREPLACE or RENAME_EXCHANGE, or 0. */
	int (*rename)(const char *from, const char *to, unsigned int flags);
	int (*link)(const char *from, const char *to);
	int (*chmod)(const char *path, mode_t mode, struct fuse_file_info *fi);
	/* (uid_t)-1 / (gid_t)-1 leave that id unchanged. */
	int (*chown)(const char *path, uid_t uid, gid_t gid,
		     struct fuse_file_info *fi);
	int (*truncate)(const char *path, off_t size,
			struct fuse_file_info *fi);
	/* Open a file: fi->flags are open(2)'s (O_CREAT, O_EXCL and O_TRUNC
	 * already dealt with); the file system may set fi->fh. */
	int (*open)(const char *path, struct fuse_file_info *fi);
	/* Read up to size bytes at offset: fewer only at the end of file. */
	int (*read)(const char *path, char *buf, size_t size, off_t offset,
		    struct fuse_file_info *fi);
	/* Write size bytes at offset: returns size unless an error. */
	int (*write)(const char *path, const char *buf, size_t size,
		     off_t offset, struct fuse_file_info *fi);
	int (*statfs)(const char *path, struct statvfs *st);
	/* Called at each close of the file (umfuse: before release). */
	int (*flush)(const char *path, struct fuse_file_info *fi);
	/* The last reference to the open file is gone. */
	int (*release)(const char *path, struct fuse_file_info *fi);
	int (*fsync)(const char *path, int datasync,
		     struct fuse_file_info *fi);
	int (*setxattr)(const char *path, const char *name, const char *value,
			size_t size, int flags);
	/* Size 0: return the value's size.  Else the bytes stored. */
	int (*getxattr)(const char *path, const char *name, char *value,
			size_t size);
	int (*listxattr)(const char *path, char *list, size_t size);
	int (*removexattr)(const char *path, const char *name);
	int (*opendir)(const char *path, struct fuse_file_info *fi);
	/* List a directory through filler, from offset (see fuse_fill_dir_t). */
	int (*readdir)(const char *path, void *buf, fuse_fill_dir_t filler,
		       off_t offset, struct fuse_file_info *fi,
		       enum fuse_readdir_flags flags);
	int (*releasedir)(const char *path, struct fuse_file_info *fi);
	int (*fsyncdir)(const char *path, int datasync,
			struct fuse_file_info *fi);
	/* Once, before any other operation: the result becomes the
	 * context's private_data. */
	void *(*init)(struct fuse_conn_info *conn, struct fuse_config *cfg);
	/* Once, at umount (also when umview stops). */
	void (*destroy)(void *private_data);
	/* access(2) (never called with default_permissions). */
	int (*access)(const char *path, int mask);
	/* Create and open a regular file. */
	int (*create)(const char *path, mode_t mode,
		      struct fuse_file_info *fi);
	/* POSIX record locks (not yet called: see umfuse(7)). */
	int (*lock)(const char *path, struct fuse_file_info *fi, int cmd,
		    struct flock *lock);
	/* ts[0] access, ts[1] modification; UTIME_NOW/UTIME_OMIT as in
	 * utimensat(2). */
	int (*utimens)(const char *path, const struct timespec tv[2],
		       struct fuse_file_info *fi);
	int (*bmap)(const char *path, size_t blocksize, uint64_t *idx);
	/* arg is the caller's argument; data a copy of the memory it points
	 * to when the request encodes a size (_IOC_SIZE). */
#if FUSE_USE_VERSION < 35
	int (*ioctl)(const char *path, int cmd, void *arg,
		     struct fuse_file_info *fi, unsigned int flags,
		     void *data);
#else
	int (*ioctl)(const char *path, unsigned int cmd, void *arg,
		     struct fuse_file_info *fi, unsigned int flags,
		     void *data);
#endif
	int (*poll)(const char *path, struct fuse_file_info *fi,
		    struct fuse_pollhandle *ph, unsigned *reventsp);
	/* Write the data in buf at off (used when write is missing). */
	int (*write_buf)(const char *path, struct fuse_bufvec *buf, off_t off,
			 struct fuse_file_info *fi);
	/* Store in *bufp a malloc'ed vector with up to size bytes at off
	 * (used when read is missing); umfuse frees it and its memory. */
	int (*read_buf)(const char *path, struct fuse_bufvec **bufp,
			size_t size, off_t off, struct fuse_file_info *fi);
	/* BSD locks (not yet called: see umfuse(7)). */
	int (*flock)(const char *path, struct fuse_file_info *fi, int op);
	int (*fallocate)(const char *path, int mode, off_t offset,
			 off_t length, struct fuse_file_info *fi);
	ssize_t (*copy_file_range)(const char *path_in,
				   struct fuse_file_info *fi_in,
				   off_t offset_in, const char *path_out,
				   struct fuse_file_info *fi_out,
				   off_t offset_out, size_t size, int flags);
	/* SEEK_DATA / SEEK_HOLE. */
	off_t (*lseek)(const char *path, off_t off, int whence,
		       struct fuse_file_info *fi);
};

/* Who is calling: valid during an operation (and init/destroy). */
struct fuse_context {
	struct fuse *fuse;
	uid_t uid;          /* the caller's effective uid */
	gid_t gid;          /* the caller's effective gid */
	pid_t pid;          /* the caller's process id */
	void *private_data; /* as returned by init */
	mode_t umask;       /* the caller's umask (create, mknod, mkdir;
			     * 0 in the other operations) */
};

/*
 * The whole life of a file system: parse the command line (-h, -V, -d,
 * -f, -s, -o OPTIONS, the mount point), fuse_new, fuse_mount, fuse_loop,
 * then clean up.  Returns 0, or 1 (bad arguments), 2 (no mount point),
 * 3 (fuse_new failed), 4 (mount failed), 7 (the loop failed).
 */
int fuse_main_real(int argc, char *argv[], const struct fuse_operations *op,
		   size_t op_size, void *private_data);
#define fuse_main(argc, argv, op, private_data) \
	fuse_main_real(argc, argv, op, sizeof(*(op)), private_data)

/* Print the library's options (stdout). */
void fuse_lib_help(struct fuse_args *args);

/*
 * A new file system from the options in args (the ones of the library
 * and of the mount; the rest is an error, as in libfuse).  Prints the
 * help text and returns NULL for --help; NULL with a message on stderr on
 * error.
 */
struct fuse *fuse_new_30(struct fuse_args *args,
			 const struct fuse_operations *op, size_t op_size,
			 void *private_data);
struct fuse *fuse_new_31(struct fuse_args *args,
			 const struct fuse_operations *op, size_t op_size,
			 void *private_data);
#if FUSE_USE_VERSION == 30
#define fuse_new(args, op, size, data) fuse_new_30(args, op, size, data)
#else
#define fuse_new(args, op, size, data) fuse_new_31(args, op, size, data)
#endif

/* Attach f to mountpoint: under umview, to the mount(2) under way.
 * 0 or -1. */
int fuse_mount(struct fuse *f, const char *mountpoint);
void fuse_unmount(struct fuse *f);
/* Free f (calls destroy if init was called). */
void fuse_destroy(struct fuse *f);

/* Serve f until fuse_exit or umount.  0, or -1 if f cannot be served. */
int fuse_loop(struct fuse *f);
/* The same: umfuse serves a mount from one thread. */
int fuse_loop_mt_31(struct fuse *f, int clone_fd);
int fuse_loop_mt_32(struct fuse *f, struct fuse_loop_config *config);
#if FUSE_USE_VERSION < 32
#define fuse_loop_mt(f, clone_fd) fuse_loop_mt_31(f, clone_fd)
#else
#define fuse_loop_mt(f, config) fuse_loop_mt_32(f, config)
#endif
/* Make the loop return. */
void fuse_exit(struct fuse *f);

/* The caller of the operation under way. */
struct fuse_context *fuse_get_context(void);
/* Supplementary groups of the caller; returns their count or -errno. */
int fuse_getgroups(int size, gid_t list[]);
/* umfuse operations are never interrupted: 0. */
int fuse_interrupted(void);
/* No kernel cache to invalidate: 0 (or -ENOENT for no f). */
int fuse_invalidate_path(struct fuse *f, const char *path);
/* Ask for a new poll; with no kernel waiting on it, returns 0. */
int fuse_notify_poll(struct fuse_pollhandle *ph);

/* No cache to clean: these return 0. */
int fuse_start_cleanup_thread(struct fuse *fuse);
void fuse_stop_cleanup_thread(struct fuse *fuse);
int fuse_clean_cache(struct fuse *fuse);

/* The session of f (fuse_session_exit and friends in fuse_lowlevel.h). */
struct fuse_session *fuse_get_session(struct fuse *f);

#ifdef __cplusplus
}
#endif

#include "fuse_lowlevel.h"

#endif /* UMFUSE_FUSE_H */
