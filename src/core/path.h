/* Path canonicalisation through the view: Linux's path walk, component by
 * component, asking a callback about each object. */
#ifndef UM_PATH_H
#define UM_PATH_H

#include <stddef.h>
#include <sys/types.h>

/* What the walker asks about the objects it meets.  Paths are canonical and
 * absolute, in the hypervisor's namespace (root's prefix included). */
struct path_ops {
	/* lstat semantics: 0 and *mode (S_IFDIR, S_IFLNK, ...) or -errno
	 * (-ENOENT, -ENOTDIR, -EACCES, ...), which the walk returns as is. */
	int (*lstat)(void *ctx, const char *abs, mode_t *mode);
	/* The symlink's target text: its length (not NUL terminated) or
	 * -errno.  A target filling size is taken as truncated, and the walk
	 * says -ENAMETOOLONG; an empty one, -ENOENT. */
	ssize_t (*readlink)(void *ctx, const char *abs, char *buf, size_t size);
};

/* Do not follow a symlink in the last component (lstat, O_NOFOLLOW,
 * AT_SYMLINK_NOFOLLOW, O_CREAT|O_EXCL).  A trailing slash still follows. */
#define PATH_NOFOLLOW (1 << 0)
/* The last component may be missing (O_CREAT, mkdir, mknod, symlink, link,
 * rename's target...): success with its would-be path and mode 0 when its
 * parent exists and is a directory.  Alone it keeps the lookup rules for
 * the last component, and a missing "name/" succeeds (mode 0);
 * PATH_OPEN_CREAT and PATH_NEW give open's and filename_create's rules,
 * which differ from these and from each other on a trailing slash. */
#define PATH_CREATE (1 << 1)
/* The result must be a directory (O_DIRECTORY); -ENOTDIR otherwise.  A
 * missing last component under PATH_CREATE is not checked. */
#define PATH_DIRECTORY (1 << 2)
/* RESOLVE_NO_SYMLINKS: following any symlink is -ELOOP (a final one left
 * alone under PATH_NOFOLLOW is fine). */
#define PATH_NO_SYMLINKS (1 << 3)
/* RESOLVE_BENEATH: escaping base (an absolute path or symlink target, or
 * ".." at base) is -EXDEV. */
#define PATH_BENEATH (1 << 4)
/* RESOLVE_IN_ROOT: base is the root for "/", ".." and absolute targets. */
#define PATH_IN_ROOT (1 << 5)
/* AT_EMPTY_PATH: "" is base itself, whatever its type. */
#define PATH_EMPTY_OK (1 << 6)
/* open(O_CREAT); implies PATH_CREATE.  A trailing slash on a last component
 * that is a name (not "." or "..") is -EISDIR, before it is looked up, as
 * Linux's open says for "newfile/", "file/" and "dir/" alike. */
#define PATH_OPEN_CREAT (1 << 7)
/* The last component names a new object (mkdir, mknod, symlink, link), as
 * Linux's filename_create; implies PATH_CREATE.  The last component is never
 * followed, not even with a trailing slash, and an existing one is returned
 * with its mode whatever its type (the caller says -EEXIST).  A missing one
 * with a trailing slash is -ENOENT, unless PATH_DIRECTORY (mkdir) is given
 * too, which then means "a directory is wanted" and checks nothing else. */
#define PATH_NEW (1 << 8)

/* Bits above these are ignored: callers may carry their own. */

/* The flags above that open(2)'s flags ask for (O_NOFOLLOW, O_CREAT,
 * O_EXCL, O_DIRECTORY): open and openat of a tracee and of module code. */
int path_open_flags(int flags);

/* Linux's MAXSYMLINKS: symlinks followed in one walk. */
#define PATH_MAXSYMLINKS 40

/*
 * Canonicalise path as Linux's path walk would.
 *
 * root: the process's root ("/", or a chroot directory), canonical absolute.
 * base: where relative paths start (the cwd or a dirfd's path), canonical
 *   absolute, a directory (the caller checks a dirfd's type: -ENOTDIR),
 *   normally inside root; if not (a cwd left outside a chroot), ".." climbs
 *   up to "/" as in Linux.  Any type with PATH_EMPTY_OK and "".
 * Components are walked left to right: "." is skipped, ".." goes to the
 * parent but never above root, multiple slashes collapse, every component
 * but the last must be a directory, symlinks are followed (relative targets
 * from the link's directory, absolute ones from root) except a final one
 * under PATH_NOFOLLOW without a trailing slash, and a trailing slash (in
 * path or in a final symlink's target) requires a directory.  ops->lstat is
 * called on each name walked, not on root or base (taken as directories;
 * base is looked at only for "" under PATH_EMPTY_OK) nor after "." or "..".
 *
 * Writes the canonical absolute path (no trailing slash) to out and, if mode
 * is not NULL, its type to *mode (S_IFLNK for a final symlink not followed;
 * 0 for a missing last component under PATH_CREATE).  Returns 0 or -errno:
 *   -ENOENT        a missing component; "" without PATH_EMPTY_OK
 *   -ENOTDIR       a non-directory used as a directory, a trailing slash on
 *                  a non-directory, PATH_DIRECTORY on a non-directory
 *   -ELOOP         more than PATH_MAXSYMLINKS symlinks; PATH_NO_SYMLINKS
 *   -ENAMETOOLONG  path, a path walked or the result PATH_MAX or longer (or
 *                  not fitting outsize); a component over NAME_MAX
 *   -EXDEV         a PATH_BENEATH escape
 *   -EISDIR        PATH_OPEN_CREAT and a trailing slash
 *   -EINVAL        root or base not absolute; PATH_BENEATH with PATH_IN_ROOT
 *   -ENOMEM
 *   or any error of ops.  -EEXIST is the caller's business.
 */
int path_resolve(const char *root, const char *base, const char *path,
		 int flags, const struct path_ops *ops, void *ctx, char *out,
		 size_t outsize, mode_t *mode);

#endif
