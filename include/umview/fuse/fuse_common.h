/* umfuse: types and helpers shared by the FUSE high-level API (fuse.h) and
 * its option parser (fuse_opt.h), source-compatible with libfuse 3.
 *
 * A file system includes <fuse.h> after defining FUSE_USE_VERSION (30 to
 * 39, or 310 to 314 in the 3.10+ numbering); `pkg-config --cflags umfuse`
 * puts this directory on the include path. */
#ifndef UMFUSE_FUSE_COMMON_H
#define UMFUSE_FUSE_COMMON_H

#include <stdint.h>
#include <sys/types.h>

#include "fuse_log.h"
#include "fuse_opt.h"

/* The libfuse version whose API umfuse provides. */
#define FUSE_MAJOR_VERSION 3
#define FUSE_MINOR_VERSION 14
#define FUSE_MAKE_VERSION(maj, min) ((maj) * 100 + (min))
#define FUSE_VERSION FUSE_MAKE_VERSION(FUSE_MAJOR_VERSION, FUSE_MINOR_VERSION)

/* A program that does not say which API it wants gets the newest one. */
#ifndef FUSE_USE_VERSION
#define FUSE_USE_VERSION 35
#endif
#if FUSE_USE_VERSION < 30
#error "umfuse provides the libfuse 3 API: define FUSE_USE_VERSION to 30 or more"
#endif
/* 30 to 39 mean 3.0 to 3.9; from 3.10 on, 310, 311...  */
#if FUSE_USE_VERSION > 39 && FUSE_USE_VERSION < 310
#error "umfuse: FUSE_USE_VERSION must be 30 to 39 or 310 to 314"
#endif
#if FUSE_USE_VERSION > FUSE_VERSION
#error "umfuse: FUSE_USE_VERSION is newer than the API umfuse provides (3.14)"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * An open file, as seen by the file-system operations.  flags are the
 * open(2) flags; fh is the file system's own handle, set by open, create
 * or opendir and handed back to every later operation on the file.  The
 * cache hints (keep_cache, direct_io, ...) are accepted and ignored:
 * umfuse has no page cache of its own.
 */
struct fuse_file_info {
	int flags;
	unsigned int writepage : 1;
	unsigned int direct_io : 1;
	unsigned int keep_cache : 1;
	unsigned int flush : 1;
	unsigned int nonseekable : 1;
	unsigned int flock_release : 1;
	unsigned int cache_readdir : 1;
	unsigned int noflush : 1;
	unsigned int padding : 24;
	unsigned int padding2 : 32;
	uint64_t fh;
	uint64_t lock_owner;
	uint32_t poll_events;
};

/* Loop configuration (fuse_loop_mt).  umfuse serves a mount from one
 * thread whatever is asked: the members are accepted and ignored. */
struct fuse_loop_config {
	int clone_fd;
	unsigned int max_idle_threads;
	unsigned int max_threads;
};

/* Capabilities a file system may find in fuse_conn_info.capable and ask
 * for in .want (values as in libfuse; umfuse offers the ones it honours). */
#define FUSE_CAP_ASYNC_READ		(1 << 0)
#define FUSE_CAP_POSIX_LOCKS		(1 << 1)
#define FUSE_CAP_ATOMIC_O_TRUNC		(1 << 3)
#define FUSE_CAP_EXPORT_SUPPORT		(1 << 4)
#define FUSE_CAP_DONT_MASK		(1 << 6)
#define FUSE_CAP_SPLICE_WRITE		(1 << 7)
#define FUSE_CAP_SPLICE_MOVE		(1 << 8)
#define FUSE_CAP_SPLICE_READ		(1 << 9)
#define FUSE_CAP_FLOCK_LOCKS		(1 << 10)
#define FUSE_CAP_IOCTL_DIR		(1 << 11)
#define FUSE_CAP_AUTO_INVAL_DATA	(1 << 12)
#define FUSE_CAP_READDIRPLUS		(1 << 13)
#define FUSE_CAP_READDIRPLUS_AUTO	(1 << 14)
#define FUSE_CAP_ASYNC_DIO		(1 << 15)
#define FUSE_CAP_WRITEBACK_CACHE	(1 << 16)
#define FUSE_CAP_NO_OPEN_SUPPORT	(1 << 17)
#define FUSE_CAP_PARALLEL_DIROPS	(1 << 18)
#define FUSE_CAP_POSIX_ACL		(1 << 19)
#define FUSE_CAP_HANDLE_KILLPRIV	(1 << 20)
#define FUSE_CAP_CACHE_SYMLINKS		(1 << 23)
#define FUSE_CAP_NO_OPENDIR_SUPPORT	(1 << 24)
#define FUSE_CAP_EXPLICIT_INVAL_DATA	(1 << 25)
#define FUSE_CAP_EXPIRE_ONLY		(1 << 26)

/* ioctl flags (the flags argument of the ioctl operation). */
#define FUSE_IOCTL_COMPAT	(1 << 0)
#define FUSE_IOCTL_UNRESTRICTED	(1 << 1)
#define FUSE_IOCTL_RETRY	(1 << 2)
#define FUSE_IOCTL_DIR		(1 << 4)
#define FUSE_IOCTL_MAX_IOV	256

/* The connection, as init() sees it: what umfuse can do (capable) and
 * what the file system asks for (want). */
struct fuse_conn_info {
	unsigned proto_major;
	unsigned proto_minor;
	unsigned max_write;
	unsigned max_read;
	unsigned max_readahead;
	unsigned capable;
	unsigned want;
	unsigned max_background;
	unsigned congestion_threshold;
	unsigned time_gran;
	unsigned reserved[22];
};

struct fuse_session;
struct fuse_pollhandle;
struct fuse_conn_info_opts;

/* Parse the -o options that tune fuse_conn_info (max_write=,
 * max_readahead=, async_read, ...), removing them from args; apply them
 * from init() with fuse_apply_conn_info_opts.  NULL on error. */
struct fuse_conn_info_opts *fuse_parse_conn_info_opts(struct fuse_args *args);
void fuse_apply_conn_info_opts(struct fuse_conn_info_opts *opts,
			       struct fuse_conn_info *conn);

/* Under umview a file system never detaches: returns 0. */
int fuse_daemonize(int foreground);

/* FUSE_VERSION of this library, and its package version as text. */
int fuse_version(void);
const char *fuse_pkgversion(void);

/* Free a poll handle given to the poll operation. */
void fuse_pollhandle_destroy(struct fuse_pollhandle *ph);

/* --- data buffers (read_buf, write_buf) --- */

enum fuse_buf_flags {
	FUSE_BUF_IS_FD = (1 << 1),    /* .fd is valid, not .mem */
	FUSE_BUF_FD_SEEK = (1 << 2),  /* use .pos on .fd */
	FUSE_BUF_FD_RETRY = (1 << 3), /* retry .fd until .size is done */
};

enum fuse_buf_copy_flags {
	FUSE_BUF_NO_SPLICE = (1 << 1),
	FUSE_BUF_FORCE_SPLICE = (1 << 2),
	FUSE_BUF_SPLICE_MOVE = (1 << 3),
	FUSE_BUF_SPLICE_NONBLOCK = (1 << 4),
};

/* One buffer: size bytes of memory at mem, or of the file fd (at pos
 * with FUSE_BUF_FD_SEEK). */
struct fuse_buf {
	size_t size;
	enum fuse_buf_flags flags;
	void *mem;
	int fd;
	off_t pos;
};

/* A vector of buffers; idx and off say where the next copy starts. */
struct fuse_bufvec {
	size_t count;
	size_t idx;
	size_t off;
	struct fuse_buf buf[1];
};

/* A vector of one memory buffer of size bytes (mem to be set). */
#define FUSE_BUFVEC_INIT(size__)                                      \
	((struct fuse_bufvec){                                        \
		1, 0, 0,                                              \
		{ { (size__), (enum fuse_buf_flags)0, NULL, -1, 0 } } })

/* Total bytes in bufv. */
size_t fuse_buf_size(const struct fuse_bufvec *bufv);
/* Copy from src to dst until either is exhausted; returns the bytes
 * copied or -errno.  Both vectors advance. */
ssize_t fuse_buf_copy(struct fuse_bufvec *dst, struct fuse_bufvec *src,
		      enum fuse_buf_copy_flags flags);

/* Signals belong to umview: these do nothing and return 0. */
int fuse_set_signal_handlers(struct fuse_session *se);
void fuse_remove_signal_handlers(struct fuse_session *se);

/* Loop configuration objects (3.12+). */
struct fuse_loop_config *fuse_loop_cfg_create(void);
void fuse_loop_cfg_destroy(struct fuse_loop_config *config);
void fuse_loop_cfg_set_idle_threads(struct fuse_loop_config *config,
				    unsigned int value);
void fuse_loop_cfg_set_max_threads(struct fuse_loop_config *config,
				   unsigned int value);
void fuse_loop_cfg_set_clone_fd(struct fuse_loop_config *config,
				unsigned int value);

#ifdef __cplusplus
}
#endif

/* off_t must be 64 bits wide, as in libfuse. */
struct umfuse_off_t_must_be_64bit {
	unsigned off_t_is_64bit : ((sizeof(off_t) == 8) ? 1 : -1);
};

#endif /* UMFUSE_FUSE_COMMON_H */
