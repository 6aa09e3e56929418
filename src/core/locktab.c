/* The lock table: record, OFD and flock locks on served files (see
 * locktab.h).  Few files are locked at once: plain lists are enough. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "locktab.h"

#define DEADLK_DEPTH 10 /* as Linux: chains longer than this are not seen */

static struct lkfile *files;

struct lkfile *locktab_files(void)
{
	return files;
}

struct lkfile *locktab_file(const void *fs, unsigned long long ino,
			    bool create)
{
	struct lkfile *f;

	for (f = files; f; f = f->next)
		if (f->fs == fs && f->ino == ino)
			return f;
	if (!create)
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->fs = fs;
	f->ino = ino;
	f->next = files;
	files = f;
	return f;
}

void locktab_tidy(struct lkfile *f)
{
	struct lkfile **p;

	if (!f || f->locks || f->waiters)
		return;
	for (p = &files; *p; p = &(*p)->next)
		if (*p == f) {
			*p = f->next;
			free(f);
			return;
		}
}

/* flock locks and record locks live side by side and never meet. */
static bool same_space(enum lk_kind a, enum lk_kind b)
{
	return (a == LK_FLOCK) == (b == LK_FLOCK);
}

static bool same_owner(const struct lk *a, const struct lk *b)
{
	return a->owner == b->owner && a->kind == b->kind;
}

static bool overlap(const struct lk *a, const struct lk *b)
{
	return a->start <= b->end && b->start <= a->end;
}

const struct lk *locktab_conflict(const struct lkfile *f,
				  const struct lk *req)
{
	const struct lk *l;

	if (req->type == F_UNLCK)
		return NULL;
	for (l = f->locks; l; l = l->next) {
		if (!same_space(l->kind, req->kind) || same_owner(l, req))
			continue;
		if (req->kind != LK_FLOCK && !overlap(l, req))
			continue;
		if (l->type == F_WRLCK || req->type == F_WRLCK)
			return l;
	}
	return NULL;
}

const struct lk *locktab_owned(const struct lkfile *f, const void *owner,
			       enum lk_kind kind)
{
	const struct lk *l;

	for (l = f->locks; l; l = l->next)
		if (l->owner == owner && l->kind == kind)
			return l;
	return NULL;
}

static struct lk *lk_dup(const struct lk *src, off_t start, off_t end,
			 short type)
{
	struct lk *l = malloc(sizeof(*l));

	if (l) {
		*l = *src;
		l->next = NULL;
		l->start = start;
		l->end = end;
		l->type = type;
	}
	return l;
}

static void free_list(struct lk *l)
{
	struct lk *next;

	for (; l; l = next) {
		next = l->next;
		free(l);
	}
}

/* Insert l into the sorted list *head (by start). */
static void insert_sorted(struct lk **head, struct lk *l)
{
	while (*head && (*head)->start <= l->start)
		head = &(*head)->next;
	l->next = *head;
	*head = l;
}

/* Merge neighbours of the same type that touch or overlap (sorted). */
static void coalesce(struct lk *l)
{
	while (l && l->next) {
		struct lk *n = l->next;

		if (n->type == l->type &&
		    (l->end == LK_EOF || n->start <= l->end + 1)) {
			if (n->end > l->end)
				l->end = n->end;
			l->next = n->next;
			free(n);
		} else {
			l = n;
		}
	}
}

/* The owner's new locks back into the file, which stays sorted by start
 * (F_GETLK reports the first conflict: the lowest, as Linux's order
 * gives for one owner). */
static void give_back(struct lkfile *f, struct lk *l)
{
	struct lk *next;

	for (; l; l = next) {
		next = l->next;
		insert_sorted(&f->locks, l);
	}
}

int locktab_apply(struct lkfile *f, const struct lk *req)
{
	struct lk **p, *mine = NULL, *next, *l;
	struct lk *fresh = NULL; /* the owner's new set, sorted */

	/* take the owner's locks out of the file */
	for (p = &f->locks; *p;) {
		l = *p;
		if (same_owner(l, req)) {
			*p = l->next;
			l->next = mine;
			mine = l;
		} else {
			p = &l->next;
		}
	}
	if (req->kind == LK_FLOCK) {
		free_list(mine);
		mine = NULL;
	}
	/* keep what lies outside the request's range */
	for (l = mine; l; l = next) {
		next = l->next;
		if (!overlap(l, req)) {
			insert_sorted(&fresh, l);
			continue;
		}
		if (l->start < req->start) {
			struct lk *left = lk_dup(l, l->start, req->start - 1,
						 l->type);

			if (!left)
				goto nomem;
			insert_sorted(&fresh, left);
		}
		if (l->end > req->end) {
			struct lk *right = lk_dup(l, req->end + 1, l->end,
						  l->type);

			if (!right)
				goto nomem;
			insert_sorted(&fresh, right);
		}
		free(l);
	}
	if (req->type != F_UNLCK) {
		l = lk_dup(req, req->start, req->end, req->type);
		if (!l)
			goto nomem;
		insert_sorted(&fresh, l);
	}
	coalesce(fresh);
	give_back(f, fresh);
	return 0;
nomem:
	/* only an allocation failure: the owner's old locks in the range
	 * are lost with the request */
	free_list(l);
	give_back(f, fresh);
	return -ENOMEM;
}

int locktab_drop_owner(struct lkfile *f, const void *owner,
		       enum lk_kind kind)
{
	struct lkfile *g, *gnext;
	struct lk **p, *l;
	int n = 0;

	for (g = f ? f : files; g; g = f ? NULL : gnext) {
		gnext = g->next;
		for (p = &g->locks; *p;) {
			l = *p;
			if (l->owner == owner && l->kind == kind) {
				*p = l->next;
				free(l);
				n++;
			} else {
				p = &l->next;
			}
		}
	}
	return n;
}

bool locktab_owner_holds(const void *owner, enum lk_kind kind)
{
	struct lkfile *f;

	for (f = files; f; f = f->next)
		if (locktab_owned(f, owner, kind))
			return true;
	return false;
}

/* The lock that a waiting POSIX owner is blocked on, or NULL. */
static const struct lk *waits_for(const void *owner,
				  bool (*alive)(struct lkwait *w))
{
	struct lkfile *f;
	struct lkwait *w;

	for (f = files; f; f = f->next)
		for (w = f->waiters; w; w = w->next)
			if (w->req.kind == LK_POSIX && w->req.owner == owner &&
			    alive(w))
				return locktab_conflict(f, &w->req);
	return NULL;
}

bool locktab_deadlock(const struct lk *req, const struct lk *blocker,
		      bool (*alive)(struct lkwait *w))
{
	int i;

	if (req->kind != LK_POSIX)
		return false;
	for (i = 0; blocker && i < DEADLK_DEPTH; i++) {
		if (blocker->kind != LK_POSIX)
			return false;
		blocker = waits_for(blocker->owner, alive);
		if (blocker && blocker->kind == LK_POSIX &&
		    blocker->owner == req->owner)
			return true;
	}
	return false;
}

struct lkwait *locktab_wait(struct lkfile *f, const struct lk *req,
			    void *data)
{
	struct lkwait *w = calloc(1, sizeof(*w)), **p;

	if (!w)
		return NULL;
	w->file = f;
	w->req = *req;
	w->req.next = NULL;
	w->data = data;
	for (p = &f->waiters; *p; p = &(*p)->next)
		;
	*p = w;
	return w;
}

void locktab_unwait(struct lkwait *w)
{
	struct lkwait **p;

	if (!w)
		return;
	for (p = &w->file->waiters; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			break;
		}
	free(w);
}
