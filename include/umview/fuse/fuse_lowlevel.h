/* umfuse: the parts of libfuse 3's fuse_lowlevel.h that high-level file
 * systems use: the command-line parser and session control.  The
 * low-level request API (fuse_reply_*, fuse_lowlevel_ops) is not provided:
 * umfuse serves the high-level operations only. */
#ifndef UMFUSE_FUSE_LOWLEVEL_H
#define UMFUSE_FUSE_LOWLEVEL_H

#include "fuse_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What fuse_parse_cmdline found.  Under umview a file system always runs
 * in the foreground and is served from one thread. */
struct fuse_cmdline_opts {
	int singlethread;
	int foreground;
	int debug;
	int nodefault_subtype;
	char *mountpoint; /* malloc'ed; free it */
	int show_version;
	int show_help;
	int clone_fd;
	unsigned int max_idle_threads;
	unsigned int max_threads;
};

/*
 * Parse and remove -h/--help, -V/--version, -d/-o debug, -f, -s,
 * -o clone_fd, -o max_idle_threads=N, -o max_threads=N and the mount point
 * (the one non-option argument); the rest stays in args.  0 or -1 (with a
 * message on stderr).
 */
int fuse_parse_cmdline_30(struct fuse_args *args,
			  struct fuse_cmdline_opts *opts);
int fuse_parse_cmdline_312(struct fuse_args *args,
			   struct fuse_cmdline_opts *opts);
#if FUSE_USE_VERSION < FUSE_MAKE_VERSION(3, 12)
#define fuse_parse_cmdline(args, opts) fuse_parse_cmdline_30(args, opts)
#else
#define fuse_parse_cmdline(args, opts) fuse_parse_cmdline_312(args, opts)
#endif

/* Print the options fuse_parse_cmdline knows (stdout). */
void fuse_cmdline_help(void);
/* Print the version of umfuse (stdout). */
void fuse_lowlevel_version(void);

/* Session control for a high-level file system (fuse_get_session). */
int fuse_session_mount(struct fuse_session *se, const char *mountpoint);
void fuse_session_unmount(struct fuse_session *se);
int fuse_session_loop(struct fuse_session *se);
void fuse_session_exit(struct fuse_session *se);
void fuse_session_reset(struct fuse_session *se);
int fuse_session_exited(struct fuse_session *se);
/* There is no /dev/fuse channel: -1. */
int fuse_session_fd(struct fuse_session *se);

#ifdef __cplusplus
}
#endif
#endif /* UMFUSE_FUSE_LOWLEVEL_H */
