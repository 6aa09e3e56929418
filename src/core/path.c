/* Path canonicalisation through the view: Linux's path walk over path_ops. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "path.h"

struct walk {
	const char *root; /* where "/", ".." and absolute targets stop */
	int flags;
	const struct path_ops *ops;
	void *ctx;
	char cur[PATH_MAX]; /* the canonical path walked so far */
	size_t len;
	mode_t mode; /* its type; 0: missing */
	int links;   /* symlinks followed */
	char *left;  /* the path left to walk after a symlink, owned */
};

/* One component of the path left to walk. */
struct comp {
	const char *name;
	size_t len;
	const char *after; /* what follows name: "" or "/..." */
	bool last;
	bool slash; /* last, and followed by a slash */
};

/* What a step did besides walking on. */
enum { STEP_ON = 0, STEP_FOLLOWED, STEP_MISSING };

static int set_cur(struct walk *w, const char *abs)
{
	size_t n = strlen(abs);

	if (n >= sizeof(w->cur))
		return -ENAMETOOLONG;
	memcpy(w->cur, abs, n + 1);
	w->len = n;
	w->mode = S_IFDIR;
	return 0;
}

static int push(struct walk *w, const char *name, size_t n)
{
	size_t sep = w->len > 1; /* no separator after "/" */

	if (w->len + sep + n >= sizeof(w->cur))
		return -ENAMETOOLONG;
	if (sep)
		w->cur[w->len++] = '/';
	memcpy(w->cur + w->len, name, n);
	w->len += n;
	w->cur[w->len] = '\0';
	return 0;
}

/* Back to the parent: cur is canonical, so its last slash separates it. */
static void pop(struct walk *w)
{
	char *s = strrchr(w->cur, '/');

	w->len = s == w->cur ? 1 : (size_t)(s - w->cur);
	w->cur[w->len] = '\0';
	w->mode = S_IFDIR;
}

static int dotdot(struct walk *w)
{
	if (strcmp(w->cur, w->root) == 0) {
		if (w->flags & PATH_BENEATH)
			return -EXDEV;
		return 0;
	}
	if (w->len > 1) /* "/" is its own parent, even outside a chroot */
		pop(w);
	return 0;
}

static void next_comp(const char *p, struct comp *c)
{
	const char *q;

	c->name = p;
	c->after = strchrnul(p, '/');
	c->len = (size_t)(c->after - p);
	for (q = c->after; *q == '/'; q++)
		;
	c->last = *q == '\0';
	c->slash = c->last && *c->after == '/';
}

static bool is_dots(const struct comp *c, size_t n)
{
	return c->len == n && strncmp(c->name, "..", n) == 0;
}

/* Replace the symlink at cur by its target, followed by what was after it. */
static int follow(struct walk *w, const char *after)
{
	char target[PATH_MAX];
	size_t alen = strlen(after);
	ssize_t n;
	char *left;

	if (w->flags & PATH_NO_SYMLINKS)
		return -ELOOP;
	if (++w->links > PATH_MAXSYMLINKS)
		return -ELOOP;
	n = w->ops->readlink(w->ctx, w->cur, target, sizeof(target));
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;
	if ((size_t)n >= sizeof(target))
		return -ENAMETOOLONG;
	pop(w);
	if (target[0] == '/') {
		if (w->flags & PATH_BENEATH)
			return -EXDEV;
		set_cur(w, w->root);
	}
	left = malloc((size_t)n + alen + 1);
	if (!left)
		return -ENOMEM;
	memcpy(left, target, (size_t)n);
	memcpy(left + n, after, alen + 1); /* after may lie in w->left */
	free(w->left);
	w->left = left;
	return STEP_FOLLOWED;
}

static bool follows_last(const struct walk *w, const struct comp *c)
{
	if (w->flags & PATH_NEW)
		return false;
	return c->slash || !(w->flags & PATH_NOFOLLOW);
}

static int missing(struct walk *w, const struct comp *c)
{
	if (c->slash && (w->flags & PATH_NEW) && !(w->flags & PATH_DIRECTORY))
		return -ENOENT;
	w->mode = 0;
	return STEP_MISSING;
}

/* Walk one component; STEP_* or -errno. */
static int step(struct walk *w, const struct comp *c)
{
	mode_t m = 0;
	int ret;

	if (is_dots(c, 1))
		return STEP_ON;
	if (is_dots(c, 2))
		return dotdot(w);
	if (c->slash && (w->flags & PATH_OPEN_CREAT))
		return -EISDIR;
	if (c->len > NAME_MAX)
		return -ENAMETOOLONG;
	ret = push(w, c->name, c->len);
	if (ret < 0)
		return ret;
	ret = w->ops->lstat(w->ctx, w->cur, &m);
	if (ret == -ENOENT && c->last && (w->flags & PATH_CREATE))
		return missing(w, c);
	if (ret < 0)
		return ret;
	w->mode = m & S_IFMT;
	if (S_ISLNK(w->mode) && (!c->last || follows_last(w, c)))
		return follow(w, c->after);
	return STEP_ON;
}

/* What the last component must be. */
static int finish(const struct walk *w, const struct comp *c)
{
	if (w->flags & PATH_NEW)
		return 0;
	if ((c->slash || (w->flags & PATH_DIRECTORY)) && !S_ISDIR(w->mode))
		return -ENOTDIR;
	return 0;
}

static int walk(struct walk *w, const char *p)
{
	struct comp c = { .slash = false };
	int ret;

	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			return finish(w, &c);
		next_comp(p, &c);
		ret = step(w, &c);
		if (ret < 0)
			return ret;
		if (ret == STEP_MISSING)
			return 0;
		if (ret == STEP_FOLLOWED) {
			p = w->left;
			continue;
		}
		if (!c.last && !S_ISDIR(w->mode))
			return -ENOTDIR;
		p = c.after;
	}
}

/* AT_EMPTY_PATH: base itself, whatever its type. */
static int empty(struct walk *w, const char *base)
{
	mode_t m = 0;
	int ret;

	if (!(w->flags & PATH_EMPTY_OK))
		return -ENOENT;
	ret = set_cur(w, base);
	if (ret < 0)
		return ret;
	ret = w->ops->lstat(w->ctx, w->cur, &m);
	if (ret < 0)
		return ret;
	w->mode = m & S_IFMT;
	if ((w->flags & PATH_DIRECTORY) && !S_ISDIR(w->mode))
		return -ENOTDIR;
	return 0;
}

static int start(struct walk *w, const char *base, const char *path)
{
	int ret;

	if (!*path)
		return empty(w, base);
	if (path[0] == '/' && (w->flags & PATH_BENEATH))
		return -EXDEV;
	ret = set_cur(w, path[0] == '/' ? w->root : base);
	if (ret < 0)
		return ret;
	return walk(w, path);
}

int path_resolve(const char *root, const char *base, const char *path,
		 int flags, const struct path_ops *ops, void *ctx, char *out,
		 size_t outsize, mode_t *mode)
{
	struct walk w;
	int ret;

	if (!root || root[0] != '/' || !base || base[0] != '/')
		return -EINVAL;
	if ((flags & PATH_BENEATH) && (flags & PATH_IN_ROOT))
		return -EINVAL;
	if (strnlen(path, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	if (flags & (PATH_OPEN_CREAT | PATH_NEW))
		flags |= PATH_CREATE;
	w.root = flags & (PATH_BENEATH | PATH_IN_ROOT) ? base : root;
	w.flags = flags;
	w.ops = ops;
	w.ctx = ctx;
	w.links = 0;
	w.left = NULL;
	ret = start(&w, base, path);
	free(w.left);
	if (ret < 0)
		return ret;
	if (w.len >= outsize)
		return -ENAMETOOLONG;
	memcpy(out, w.cur, w.len + 1);
	if (mode)
		*mode = w.mode;
	return 0;
}

int path_open_flags(int flags)
{
	int p = 0;

	if (flags & O_NOFOLLOW)
		p |= PATH_NOFOLLOW;
	if (flags & O_CREAT) {
		p |= PATH_OPEN_CREAT;
		if (flags & O_EXCL)
			p |= PATH_NOFOLLOW;
	}
	if (flags & O_DIRECTORY)
		p |= PATH_DIRECTORY;
	return p;
}
