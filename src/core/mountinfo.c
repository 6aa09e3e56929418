/* The view's /proc/PID/mountinfo and /proc/PID/mounts: the real text with
 * the virtual mounts merged in. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "mountinfo.h"

/* Growing output; a failed allocation sticks and is reported at the end. */
struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

static bool buf_room(struct buf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->oom)
		return false;
	if (b->len + more + 1 <= b->cap)
		return true;
	cap = b->cap ? b->cap : 1024;
	while (cap < b->len + more + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (!buf_room(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* s, escaped as the kernel's mangle(): space, tab, newline, backslash. */
static void buf_esc(struct buf *b, const char *s, size_t n)
{
	char oct[5];
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case ' ':
		case '\t':
		case '\n':
		case '\\':
			snprintf(oct, sizeof(oct), "\\%03o",
				 (unsigned char)s[i]);
			buf_add(b, oct, 4);
			break;
		default:
			buf_add(b, s + i, 1);
		}
	}
}

static char *buf_end(struct buf *b)
{
	if (!buf_room(b, 0)) {
		free(b->p);
		errno = ENOMEM;
		return NULL;
	}
	b->p[b->len] = '\0';
	return b->p;
}

/* The next line of *cur (without its newline), or false at the end. */
static bool next_line(const char **cur, const char **s, size_t *len)
{
	const char *nl;

	if (!*cur || !**cur)
		return false;
	*s = *cur;
	nl = strchr(*cur, '\n');
	*len = nl ? (size_t)(nl - *cur) : strlen(*cur);
	*cur = nl ? nl + 1 : *cur + *len;
	return true;
}

/* Field k (from 0) of a space separated line. */
static bool field(const char *s, size_t len, int k, const char **f,
		  size_t *flen)
{
	size_t i = 0, start;

	for (;;) {
		while (i < len && s[i] == ' ')
			i++;
		if (i == len)
			return false;
		start = i;
		while (i < len && s[i] != ' ')
			i++;
		if (k-- == 0) {
			*f = s + start;
			*flen = i - start;
			return true;
		}
	}
}

/* A field with the kernel's \ooo escapes undone; malloc'ed. */
static char *unescape(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' &&
		    s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
		    s[i + 3] >= '0' && s[i + 3] <= '7') {
			*o++ = (char)((s[i + 1] - '0') << 6 |
				      (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));
			i += 3;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

/* Is mount point a at or above path p, at a component boundary? */
static bool covers(const char *a, const char *p)
{
	size_t la = strlen(a);

	if (a[0] != '/' || p[0] != '/')
		return false;
	if (la == 1)
		return true;
	return !strncmp(a, p, la) && (p[la] == '/' || p[la] == '\0');
}

/* p as seen from root (rootlen 0: no chroot), or NULL if unreachable. */
static const char *from_root(const char *root, size_t rootlen, const char *p)
{
	if (!rootlen)
		return p;
	if (!covers(root, p))
		return NULL;
	return p[rootlen] ? p + rootlen : "/";
}

/* One real line with its unescaped mount point (NULL: unparsed). */
struct real {
	const char *s;
	size_t len;
	const char *mp; /* the escaped field inside s */
	size_t mplen;
	char *path;
	long id;
};

struct merge {
	struct real *r;
	size_t nr;
	char *root; /* without trailing slashes; NULL: no chroot */
	size_t rootlen;
};

static void merge_free(struct merge *m)
{
	size_t i;

	for (i = 0; i < m->nr; i++)
		free(m->r[i].path);
	free(m->r);
	free(m->root);
}

/* Split real into lines; the mount point is field mpfield, the id field 0
 * if with_id.  Returns 0 or -ENOMEM. */
static int merge_read(struct merge *m, const char *real, const char *root,
		      int mpfield, bool with_id)
{
	const char *cur = real, *s, *f;
	size_t len, flen, cap = 0;
	struct real *r;

	memset(m, 0, sizeof(*m));
	if (root && root[0] == '/') {
		m->rootlen = strlen(root);
		while (m->rootlen > 1 && root[m->rootlen - 1] == '/')
			m->rootlen--;
		if (m->rootlen > 1) {
			m->root = strndup(root, m->rootlen);
			if (!m->root)
				return -ENOMEM;
		} else {
			m->rootlen = 0;
		}
	}
	while (next_line(&cur, &s, &len)) {
		if (!len)
			continue;
		if (m->nr == cap) {
			cap = cap ? 2 * cap : 64;
			r = realloc(m->r, cap * sizeof(*r));
			if (!r)
				return -ENOMEM;
			m->r = r;
		}
		r = &m->r[m->nr++];
		memset(r, 0, sizeof(*r));
		r->s = s;
		r->len = len;
		if (with_id && field(s, len, 0, &f, &flen))
			r->id = strtol(f, NULL, 10);
		if (!field(s, len, mpfield, &r->mp, &r->mplen))
			continue;
		r->path = unescape(r->mp, r->mplen);
		if (!r->path)
			return -ENOMEM;
	}
	return 0;
}

/* A real line as seen from the view's root, or nothing. */
static void put_real(struct buf *b, const struct merge *m,
		     const struct real *r)
{
	const char *rel;

	if (m->root) {
		if (!r->path)
			return;
		rel = from_root(m->root, m->rootlen, r->path);
		if (!rel)
			return;
		buf_add(b, r->s, (size_t)(r->mp - r->s));
		buf_esc(b, rel, strlen(rel));
		buf_add(b, r->mp + r->mplen,
			r->len - (size_t)(r->mp - r->s) - r->mplen);
	} else {
		buf_add(b, r->s, r->len);
	}
	buf_add(b, "\n", 1);
}

static const char *or_none(const char *s)
{
	return s && *s ? s : "none";
}

/* The options without their leading "rw"/"ro"; *ro says which it was. */
static const char *vm_data(const struct mountinfo_vmount *v, bool *ro)
{
	const char *o = v->options ? v->options : "";

	*ro = false;
	if (!strncmp(o, "ro", 2) && (o[2] == ',' || o[2] == '\0'))
		*ro = true;
	else if (strncmp(o, "rw", 2) || (o[2] != ',' && o[2] != '\0'))
		return o;
	return o[2] ? o + 3 : o + 2;
}

/* Do all the keys qualify as stable distinct ids? */
static bool keys_ok(const struct mountinfo_vmount *v, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (!v[i].key)
			return false;
		for (j = 0; j < i; j++)
			if (v[j].key == v[i].key)
				return false;
	}
	return true;
}

char *mountinfo_merge(const char *real, const char *root,
		      const struct mountinfo_vmount *v, size_t n)
{
	struct buf b = { 0 };
	struct merge m;
	long base = MOUNTINFO_ID_BASE, *ids = NULL, parent;
	bool use_keys = keys_ok(v, n), ro;
	size_t i, j, best, l;
	const char *rel, *data;
	unsigned int anon;
	char num[96];

	if (merge_read(&m, real, root, 4, true) < 0 ||
	    !(ids = calloc(n + 1, sizeof(*ids))))
		goto out_oom;
	for (i = 0; i < m.nr; i++)
		if (m.r[i].id >= base)
			base = m.r[i].id;
	for (i = 0; i < m.nr; i++)
		put_real(&b, &m, &m.r[i]);
	for (i = 0; i < n; i++) {
		unsigned int key = use_keys ? v[i].key : (unsigned int)(i + 1);

		ids[i] = base + key;
		if (!v[i].target || v[i].target[0] != '/')
			continue;
		parent = ids[i];
		best = 0;
		for (j = 0; j < m.nr; j++) {
			if (!m.r[j].path || !covers(m.r[j].path, v[i].target))
				continue;
			l = strlen(m.r[j].path);
			if (l >= best) {
				best = l;
				parent = m.r[j].id;
			}
		}
		for (j = 0; j < i; j++) {
			if (!v[j].target || !covers(v[j].target, v[i].target))
				continue;
			l = strlen(v[j].target);
			if (l >= best) {
				best = l;
				parent = ids[j];
			}
		}
		rel = from_root(m.root, m.rootlen, v[i].target);
		if (!rel)
			continue;
		anon = MOUNTINFO_MINOR_BASE + key;
		data = vm_data(&v[i], &ro);
		snprintf(num, sizeof(num), "%ld %ld %u:%u / ", ids[i], parent,
			 v[i].dev ? major(v[i].dev) : 0,
			 v[i].dev ? minor(v[i].dev) : anon);
		buf_str(&b, num);
		buf_esc(&b, rel, strlen(rel));
		buf_str(&b, ro ? " ro,relatime - " : " rw,relatime - ");
		buf_esc(&b, or_none(v[i].fstype), strlen(or_none(v[i].fstype)));
		buf_add(&b, " ", 1);
		buf_esc(&b, or_none(v[i].source), strlen(or_none(v[i].source)));
		buf_str(&b, ro ? " ro" : " rw");
		if (*data) {
			buf_add(&b, ",", 1);
			buf_esc(&b, data, strlen(data));
		}
		buf_add(&b, "\n", 1);
	}
	free(ids);
	merge_free(&m);
	return buf_end(&b);
out_oom:
	free(ids);
	merge_free(&m);
	free(b.p);
	errno = ENOMEM;
	return NULL;
}

char *mounts_merge(const char *real, const char *root,
		   const struct mountinfo_vmount *v, size_t n)
{
	struct buf b = { 0 };
	struct merge m;
	const char *rel, *data;
	bool ro;
	size_t i;

	if (merge_read(&m, real, root, 1, false) < 0) {
		merge_free(&m);
		errno = ENOMEM;
		return NULL;
	}
	for (i = 0; i < m.nr; i++)
		put_real(&b, &m, &m.r[i]);
	for (i = 0; i < n; i++) {
		if (!v[i].target || v[i].target[0] != '/')
			continue;
		rel = from_root(m.root, m.rootlen, v[i].target);
		if (!rel)
			continue;
		data = vm_data(&v[i], &ro);
		buf_esc(&b, or_none(v[i].source), strlen(or_none(v[i].source)));
		buf_add(&b, " ", 1);
		buf_esc(&b, rel, strlen(rel));
		buf_add(&b, " ", 1);
		buf_esc(&b, or_none(v[i].fstype), strlen(or_none(v[i].fstype)));
		buf_str(&b, ro ? " ro,relatime" : " rw,relatime");
		if (*data) {
			buf_add(&b, ",", 1);
			buf_esc(&b, data, strlen(data));
		}
		buf_str(&b, " 0 0\n");
	}
	merge_free(&m);
	return buf_end(&b);
}
