/* Paths through the view: which calls touch a virtual mount, and where.
 *
 * The common case must be cheap: when the path, as written and as the
 * kernel resolves it, stays clear of every mount, the call runs as it is.
 * Otherwise the path is walked component by component through the view
 * (path.c), asking the modules about their objects and the kernel about
 * real ones. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fdtab.h"
#include "mem.h"
#include "mtab.h"
#include "path.h"
#include "reg.h"
#include "sctab.h"
#include "service.h"
#include "tracee.h"
#include "view.h"

/* One walk through the view: a tracee's (t, every mount, its /proc/self
 * and /dev/fd are its own) or module code's (t NULL, mounts older than
 * before, the hypervisor's own /proc/self). */
struct walk {
	const struct tracee *t;
	unsigned long before;
	bool crossed; /* the walk looked inside a virtual mount */
};

/* Does path start with the component(s) prefix?  Returns the rest. */
static const char *under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(path, prefix, n) == 0 && (path[n] == '/' || !path[n]))
		return path + n;
	return NULL;
}

/* /proc/self, /proc/thread-self and the /dev links to them would name the
 * hypervisor: rewrite them for the tracee.  Returns 0 or -ENAMETOOLONG. */
static int proc_self(const struct tracee *t, const char *in, char *out,
		     size_t size)
{
	static const char *const std[] = { "/dev/stdin", "/dev/stdout",
					   "/dev/stderr" };
	static const char self[] = "/proc/self", tself[] = "/proc/thread-self";
	const char *rest = NULL;
	size_t i;
	int n;

	if ((rest = under(in, "/dev/fd"))) {
		n = snprintf(out, size, "/proc/%d/fd%s", t->tgid, rest);
		return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
	}
	for (i = 0; i < 3; i++)
		if ((rest = under(in, std[i]))) {
			n = snprintf(out, size, "/proc/%d/fd/%zu%s", t->tgid, i,
				     rest);
			return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
		}
	if (strncmp(in, tself, sizeof(tself) - 1) == 0 &&
	    (in[sizeof(tself) - 1] == '/' || !in[sizeof(tself) - 1])) {
		rest = in + sizeof(tself) - 1;
		n = snprintf(out, size, "/proc/%d/task/%d%s", t->tgid, t->tid,
			     rest);
	} else if (strncmp(in, self, sizeof(self) - 1) == 0 &&
		   (in[sizeof(self) - 1] == '/' || !in[sizeof(self) - 1])) {
		rest = in + sizeof(self) - 1;
		n = snprintf(out, size, "/proc/%d%s", t->tgid, rest);
	} else { /* most paths: a plain copy (this runs for every call) */
		n = strlen(in);
		if ((size_t)n >= size)
			return -ENAMETOOLONG;
		memcpy(out, in, n + 1);
		return 0;
	}
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static ssize_t proc_link(pid_t pid, const char *what, char *buf, size_t size)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/%s", pid, what);
	n = readlink(link, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

int view_fd_path(struct sc_call *c, int fd, char *buf, size_t size)
{
	const struct ofd *ofd = fdtab_lookup(c->t->files, fd);
	char what[32];
	ssize_t n;

	if (ofd) {
		if (!ofd->path || strlen(ofd->path) >= size)
			return -ENAMETOOLONG;
		strcpy(buf, ofd->path);
		return 0;
	}
	snprintf(what, sizeof(what), "fd/%d", fd);
	n = proc_link(c->t->tgid, what, buf, size);
	if (n == -ENOENT)
		return -EBADF;
	return n < 0 ? (int)n : 0;
}

static int base_dir(struct sc_call *c, int dirfd, char *buf, size_t size)
{
	ssize_t n;

	if (dirfd != AT_FDCWD)
		return view_fd_path(c, dirfd, buf, size);
	if (c->t->fs->cwd) {
		if (strlen(c->t->fs->cwd) >= size)
			return -ENAMETOOLONG;
		strcpy(buf, c->t->fs->cwd);
		return 0;
	}
	n = proc_link(c->t->tid, "cwd", buf, size);
	return n < 0 ? (int)n : 0;
}

/* --- the walker's view of objects --- */

static int walk_lstat(void *ctx, const char *abs, mode_t *mode)
{
	struct walk *w = ctx;
	struct vmount *m = mtab_lookup(abs, w->before);
	char real[PATH_MAX];
	struct stat st;
	int err;

	if (m) {
		w->crossed = true;
		err = MOUNT_OP(m, lstat, mtab_relative(m, abs), &st);
	} else {
		err = w->t ? proc_self(w->t, abs, real, sizeof(real)) : 0;
		if (!err && lstat(w->t ? real : abs, &st) < 0)
			err = -errno;
	}
	if (!err)
		*mode = st.st_mode;
	return err;
}

static ssize_t walk_readlink(void *ctx, const char *abs, char *buf,
			     size_t size)
{
	struct walk *w = ctx;
	struct vmount *m = mtab_lookup(abs, w->before);
	char real[PATH_MAX];
	ssize_t n;
	int err;

	if (m) {
		w->crossed = true;
		return MOUNT_OP(m, readlink, mtab_relative(m, abs), buf, size);
	}
	if (w->t && strcmp(abs, "/proc/self") == 0)
		return snprintf(buf, size, "%d", w->t->tgid);
	if (w->t && strcmp(abs, "/proc/thread-self") == 0)
		return snprintf(buf, size, "%d/task/%d", w->t->tgid, w->t->tid);
	err = w->t ? proc_self(w->t, abs, real, sizeof(real)) : 0;
	if (err < 0)
		return err;
	n = readlink(w->t ? real : abs, buf, size);
	return n < 0 ? -errno : n;
}

static const struct path_ops view_ops = {
	.lstat = walk_lstat,
	.readlink = walk_readlink,
};

/* --- the fast path --- */

/* base + "/" + path with "//" and "." folded (".." kept: symlinks).
 * Returns 0 or -ENAMETOOLONG. */
static int lexical(const char *base, const char *path, char *out,
		   size_t size)
{
	size_t len = 0;
	const char *p;

	if (path[0] != '/') {
		len = strlen(base);
		if (len >= size)
			return -ENAMETOOLONG;
		memcpy(out, base, len);
	}
	for (p = path;;) {
		size_t n;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		n = strcspn(p, "/");
		if (!(n == 1 && p[0] == '.')) {
			if (len + 1 + n >= size)
				return -ENAMETOOLONG;
			if (len == 0 || out[len - 1] != '/')
				out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		p += n;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}

/* Where the kernel takes abs (or, if abs does not exist, its parent).
 * Returns 0, or -errno when that tells nothing: a missing parent, or a
 * last component that is a symlink the kernel could not follow (it may
 * lead into a mount), so the caller must walk. */
static int kernel_resolve(const char *abs, bool nofollow, char *out,
			  size_t size)
{
	char parent[PATH_MAX], link[64];
	int fd = open(abs, O_PATH | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
	struct stat st;
	ssize_t n;

	if (fd < 0) {
		char *slash;

		if (errno != ENOENT)
			return -errno;
		if (!nofollow && lstat(abs, &st) == 0 && S_ISLNK(st.st_mode))
			return -ENOENT; /* a dangling symlink: walk it */
		snprintf(parent, sizeof(parent), "%s", abs);
		slash = strrchr(parent, '/');
		if (slash == parent)
			slash[1] = '\0';
		else if (slash)
			*slash = '\0';
		fd = open(parent, O_PATH | O_CLOEXEC | O_DIRECTORY);
		if (fd < 0)
			return -errno;
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, out, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	out[n] = '\0';
	return 0;
}

/* The cheap proof that the kernel walks abs as written: no ".." in it,
 * and the kernel's walk ends (at the object, or where it fails) without
 * following any symlink.  One openat2(2) instead of kernel_resolve's
 * open, readlink of /proc and close: about a fourth of the cost. */
static bool no_symlinks(const char *abs, bool nofollow)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0),
		.resolve = RESOLVE_NO_SYMLINKS,
	};
	const char *p;
	int fd;

	for (p = strstr(abs, "/.."); p; p = strstr(p + 1, "/.."))
		if (p[3] == '/' || !p[3])
			return false;
	fd = (int)syscall(SYS_openat2, AT_FDCWD, abs, &how, sizeof(how));
	if (fd >= 0) {
		close(fd);
		return true;
	}
	/* The walk stopped at a missing name (ENOENT: the call creates it,
	 * or fails), at a directory it may not search (EACCES: it runs with
	 * the caller's credentials) or at a file (ENOTDIR), before any
	 * symlink: the real call goes the same way and stops there too.
	 * A symlink or magic link (ELOOP), or an older kernel: look. */
	return errno == ENOENT || errno == EACCES || errno == ENOTDIR ||
	       errno == ENAMETOOLONG;
}

/* A proof that costs nothing: one name, relative to a directory whose
 * path the kernel gave (a real dirfd or cwd, from /proc), and a call that
 * does not follow it if it is a symlink (fstatat with AT_SYMLINK_NOFOLLOW
 * and openat with O_NOFOLLOW, as find and tar make them).  The walk has
 * nothing to follow: it ends at base/name. */
static bool one_name_nofollow(const char *path, int pflags)
{
	return (pflags & PATH_NOFOLLOW) && path[0] && path[0] != '/' &&
	       !strchr(path, '/') && strcmp(path, ".") != 0 &&
	       strcmp(path, "..") != 0;
}

/* Does the kernel walk lex (path made absolute, no virtual base) clear of
 * every mount, as written and where it takes it?  Then the kernel can run
 * the call.  If the cheap proofs fail, look where the kernel ends up: a
 * symlink may lead into a mount. */
static bool kernel_walks_clear(const char *lex, const char *path, int pflags)
{
	char res[PATH_MAX];

	return !mtab_near(lex) &&
	       (one_name_nofollow(path, pflags) ||
		no_symlinks(lex, pflags & PATH_NOFOLLOW) ||
		(kernel_resolve(lex, pflags & PATH_NOFOLLOW, res,
				sizeof(res)) == 0 &&
		 !mtab_near(res)));
}

int view_resolve(struct sc_call *c, int dirfd, unsigned long upath,
		 int pflags, struct vpath *vp)
{
	char path[PATH_MAX], base[PATH_MAX], lex[PATH_MAX], res[PATH_MAX];
	struct walk w = { .t = c->t, .before = REG_EPOCH_MAX };
	bool virtual_base;
	ssize_t n;
	int err;

	bool walk = pflags & VIEW_WALK;
	/* openat2's RESOLVE_BENEATH and RESOLVE_IN_ROOT: an absolute path
	 * and ".." are taken from dirfd, which the fast path's lexical check
	 * does not follow: these (rare) calls are always walked. */
	bool scoped = pflags & (PATH_BENEATH | PATH_IN_ROOT);
	/* a virtual root (chroot into a mount, sc/dir.c) */
	const char *root = c->t->fs->root ? c->t->fs->root : "/";

	pflags &= ~VIEW_WALK;
	vp->abs[0] = '\0';
	if (!mtab_any() && !walk)
		return VIEW_KERNEL;
	n = mem_read_str(c->t->tid, upath, path, sizeof(path));
	if (n < 0)
		return n == -ENAMETOOLONG ? -ENAMETOOLONG : -EFAULT;
	if (path[0] == '/' && !scoped) {
		strcpy(base, root); /* root is a path the view made: < PATH_MAX */
	} else {
		err = base_dir(c, dirfd, base, sizeof(base));
		if (err < 0)
			return path[0] || (pflags & PATH_EMPTY_OK) ? err
								  : VIEW_KERNEL;
	}
	/* Relative to a cwd the hypervisor keeps, or to a virtual directory:
	 * the kernel would start from the wrong place. */
	virtual_base = ((path[0] != '/' || scoped) && dirfd == AT_FDCWD &&
			c->t->fs->cwd) ||
		       mtab_lookup(base, REG_EPOCH_MAX) != NULL ||
		       c->t->fs->root;
	if (!virtual_base && !walk && !scoped) {
		if (lexical(base, path, res, sizeof(res)) < 0 ||
		    proc_self(c->t, res, lex, sizeof(lex)) < 0)
			return VIEW_KERNEL; /* the kernel says ENAMETOOLONG */
		strcpy(vp->abs, lex);
		if (kernel_walks_clear(lex, path, pflags))
			return VIEW_KERNEL;
	}
	err = path_resolve(root, base, path, pflags, &view_ops, &w, vp->abs,
			   sizeof(vp->abs), &vp->mode);
	if (err < 0)
		return err;
	vp->m = mtab_lookup(vp->abs, REG_EPOCH_MAX);
	if (vp->m) {
		vp->rel = mtab_relative(vp->m, vp->abs);
		return VIEW_VIRTUAL;
	}
	vp->rel = NULL;
	/* Real: if the walk never looked inside a mount, the kernel goes
	 * the same way. */
	return w.crossed || virtual_base || walk ? VIEW_REAL : VIEW_KERNEL;
}

/* --- paths written by module code (nested calls) and by callers --- */

int view_caller_abspath(struct tracee *t, const char *path, char *out,
			size_t size)
{
	char base[PATH_MAX], res[PATH_MAX];
	int err;

	if (path[0] == '/' && t && t->fs->root) {
		/* a virtual root (chroot into a mount): "/" is that */
		snprintf(base, sizeof(base), "%s", t->fs->root);
		path += strspn(path, "/");
	} else if (path[0] == '/' || !t) {
		if (path[0] != '/' && !getcwd(base, sizeof(base)))
			return -errno;
		if (path[0] == '/')
			strcpy(base, "/");
	} else {
		struct sc_call c = { .t = t };

		err = base_dir(&c, AT_FDCWD, base, sizeof(base));
		if (err < 0)
			return err;
	}
	err = lexical(base, path, res, sizeof(res));
	if (err < 0)
		return err;
	if (strlen(res) >= size)
		return -ENAMETOOLONG;
	strcpy(out, res);
	return 0;
}

int view_resolve_local(const char *base, const char *path, int pflags,
		       unsigned long before, struct vpath *vp)
{
	char lex[PATH_MAX];
	struct walk w = { .before = before };
	int err;

	vp->abs[0] = '\0';
	vp->m = NULL;
	vp->rel = NULL;
	vp->mode = 0;
	if (!mtab_any())
		return VIEW_KERNEL;
	if (lexical(base, path, lex, sizeof(lex)) < 0)
		return VIEW_KERNEL; /* the kernel says ENAMETOOLONG */
	if (path[0] && kernel_walks_clear(lex, path, pflags)) {
		strcpy(vp->abs, lex);
		return VIEW_KERNEL;
	}
	err = path_resolve("/", base, path, pflags, &view_ops, &w, vp->abs,
			   sizeof(vp->abs), &vp->mode);
	if (err < 0)
		return err;
	vp->m = mtab_lookup(vp->abs, before);
	if (vp->m) {
		vp->rel = mtab_relative(vp->m, vp->abs);
		return VIEW_VIRTUAL;
	}
	return w.crossed ? VIEW_REAL : VIEW_KERNEL;
}
