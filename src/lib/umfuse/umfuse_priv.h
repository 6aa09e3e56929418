/* umfuse: what libumfuse shares with the umfuse module (not installed).
 * The module runs a submodule's main() on a thread with a start record;
 * the library fills it as main() calls fuse_new, fuse_mount and fuse_loop,
 * and the module then calls the file system's operations itself. */
#ifndef UMFUSE_PRIV_H
#define UMFUSE_PRIV_H

#include <pthread.h>
#include <stdbool.h>

#include "fuse.h"

/* Mount options that libfuse hands to the kernel; umfuse enforces them. */
struct umfuse_mount_opts {
	int ro;
	int allow_other;
	int allow_root;
	int default_permissions;
	char *fsname;
	char *subtype;
};

enum umfuse_state {
	UMFUSE_STARTING, /* main() is running, not yet in the loop */
	UMFUSE_READY,    /* init done, the loop waits: serve calls */
	UMFUSE_DONE,     /* main() has returned */
};

/* One submodule's main() and its mount, shared by the two threads. */
struct umfuse_start {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	enum umfuse_state state;
	struct fuse *fuse;  /* set by fuse_new */
	int status;         /* main()'s return value once DONE */
	bool unmounting;    /* set by the module: the loop returns */
};

struct fuse_session {
	struct fuse *f;
};

struct fuse {
	struct fuse_operations op;
	void *private_data;
	struct fuse_config conf;
	struct fuse_conn_info conn;
	struct umfuse_mount_opts mo;
	char *mountpoint;
	bool inited;
	bool exited; /* fuse_exit was called */
	struct fuse_session se;
	struct umfuse_start *start; /* NULL outside umfuse's thread */
};

/* Set by the module on the thread that runs main(), before it runs. */
void umfuse_set_start(struct umfuse_start *start);

/* The context of an operation about to run on this thread: pid is the
 * caller.  Its uid and gid are umview's own in an unprivileged view, else
 * the caller's, asked from the credential source when the file system
 * asks; its umask is given (as in libfuse) only to the operations that
 * create, which say so with umfuse_ctx_umask() after umfuse_ctx_begin(). */
void umfuse_ctx_begin(struct fuse *f, pid_t pid);
void umfuse_ctx_umask(void);
/* Where the caller's credentials come from: the module gives umview's own
 * record of them (um_caller_cred), read once per thread from /proc and
 * followed through set*id and execve.  fn returns 0, or -errno when it does
 * not know pid (the context then keeps umview's own ids). */
typedef int umfuse_cred_fn(pid_t pid, uid_t *uid, gid_t *gid, mode_t *umask);
void umfuse_set_cred_source(umfuse_cred_fn *fn);

#endif /* UMFUSE_PRIV_H */
