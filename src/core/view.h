/* Paths through the view: which calls touch a virtual mount, and where. */
#ifndef UM_VIEW_H
#define UM_VIEW_H

#include <limits.h>
#include <sys/types.h>

struct sc_call;
struct vmount;

/* A flag for view_resolve beyond path.h's: always walk, and give a
 * canonical vp->abs even for a path the kernel could take (mount points). */
#define VIEW_WALK (1 << 30)

struct vpath {
	char abs[PATH_MAX];  /* canonical absolute path in the view */
	struct vmount *m;    /* the mount it lies in; NULL: a real path */
	const char *rel;     /* the path inside m ("/" for its root) */
	mode_t mode;         /* its type, 0 if it does not exist */
};

/* What view_resolve found. */
enum view_where {
	VIEW_KERNEL = 0, /* real, and the kernel resolves it the same way:
			    let the call run as it is (vp->abs: the path,
			    absolute but not canonical) */
	VIEW_VIRTUAL,    /* in a virtual mount: vp->m and vp->rel */
	VIEW_REAL,       /* real, but reached through the view (a virtual
			    symlink leading out): serve it on vp->abs */
};

/*
 * Resolve the path argument at tracee address upath of call c, relative to
 * dirfd (AT_FDCWD or an fd), with PATH_* flags (path.h).  Returns an enum
 * view_where or -errno (the call's error, e.g. -ENOENT, -EFAULT).
 * When nothing mounted can be involved, no walk is made: the kernel
 * resolves the path in one step and the result is only checked.
 */
int view_resolve(struct sc_call *c, int dirfd, unsigned long upath,
		 int pflags, struct vpath *vp);

/* The directory an fd refers to, for *at calls and fchdir: its view path.
 * Returns 0 or -errno (-EBADF, -ENOTDIR is the caller's to check). */
int view_fd_path(struct sc_call *c, int fd, char *buf, size_t size);

struct tracee;

/* A path written by tracee t (NULL: by umview itself) made absolute against
 * its cwd, lexically ("." and "//" folded, ".." kept).  Returns 0 or
 * -errno. */
int view_caller_abspath(struct tracee *t, const char *path, char *out,
			size_t size);

/*
 * Resolve a path written by module code inside the hypervisor (a nested
 * call) from base, a canonical absolute directory in the view, seeing only
 * the mounts older than epoch before.  The same results as view_resolve:
 * VIEW_KERNEL (the call can run as written), VIEW_VIRTUAL (vp->m, vp->rel)
 * or VIEW_REAL (serve it on vp->abs), or -errno.
 */
int view_resolve_local(const char *base, const char *path, int pflags,
		       unsigned long before, struct vpath *vp);

#endif
