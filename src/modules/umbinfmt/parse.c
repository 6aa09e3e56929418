/* umbinfmt: the register line format and matching, following Linux's
 * binfmt_misc (Documentation/admin-guide/binfmt-misc.rst). */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "umbinfmt.h"

/* The end of a magic or mask field: the next delimiter not inside a
 * "\xHH" escape.  NULL when there is none, or an escape lacks its two hex
 * digits. */
static char *scan_field(char *p, char del)
{
	while (*p && *p != del) {
		if (p[0] == '\\' && p[1] == 'x') {
			if (!isxdigit((unsigned char)p[2]) ||
			    !isxdigit((unsigned char)p[3]))
				return NULL;
			p += 4;
		} else {
			p++;
		}
	}
	return *p == del ? p : NULL;
}

static int hexval(char c)
{
	return isdigit((unsigned char)c) ? c - '0'
					 : tolower((unsigned char)c) - 'a' + 10;
}

/* Turn "\xHH" escapes into bytes (anything else is kept as it is), into
 * out of size bytes.  Returns the length, or -EINVAL if it does not fit. */
static int unescape(const char *s, unsigned char *out, size_t size)
{
	size_t n = 0;

	while (*s) {
		if (n >= size)
			return -EINVAL;
		if (s[0] == '\\' && s[1] == 'x' &&
		    isxdigit((unsigned char)s[2])) {
			int v = hexval(s[2]);

			s += 3;
			if (isxdigit((unsigned char)*s))
				v = v * 16 + hexval(*s++);
			out[n++] = (unsigned char)v;
		} else {
			out[n++] = (unsigned char)*s++;
		}
	}
	return (int)n;
}

/* Split off the field ending at the next delimiter: NUL-terminate it and
 * return what follows, or NULL. */
static char *field(char *p, char del)
{
	char *end = strchr(p, del);

	if (!end)
		return NULL;
	*end = '\0';
	return end + 1;
}

static int parse_offset(const char *s, int *offset)
{
	long v = 0;

	*offset = 0;
	if (!*s)
		return 0;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		v = v * 10 + (*s - '0');
		if (v > UM_BINFMT_HEAD)
			return -EINVAL;
	}
	*offset = (int)v;
	return 0;
}

int umbinfmt_parse(const char *buf, size_t count, struct bf_rule *r)
{
	char line[BF_MAX_REGISTER + 1], *p, *name, *magic, *mask, *interp;
	char del;
	int n;

	if (count < 11 || count > BF_MAX_REGISTER)
		return -EINVAL;
	memcpy(line, buf, count);
	line[count] = '\0';
	if (strlen(line) != count) /* a NUL inside */
		return -EINVAL;
	del = line[0];
	name = line + 1;
	p = field(name, del);
	if (!p || !*name || !strcmp(name, ".") || !strcmp(name, "..") ||
	    strchr(name, '/'))
		return -EINVAL;
	if (strlen(name) >= sizeof(r->name))
		return -ENAMETOOLONG;
	strcpy(r->name, name);

	if (*p != 'E' && *p != 'M')
		return -EINVAL;
	r->extension = *p++ == 'E';
	if (*p++ != del)
		return -EINVAL;

	if (r->extension) {
		/* the offset and mask fields are ignored */
		p = field(p, del);
		if (!p)
			return -EINVAL;
		magic = p;
		p = field(p, del);
		if (!p || !*magic || strchr(magic, '/'))
			return -EINVAL;
		strcpy((char *)r->magic, magic);
		r->size = (int)strlen(magic);
		p = field(p, del);
		if (!p)
			return -EINVAL;
	} else {
		char *off = p;

		p = field(p, del);
		if (!p || parse_offset(off, &r->offset) < 0)
			return -EINVAL;
		magic = p;
		p = scan_field(p, del);
		if (!p)
			return -EINVAL;
		*p++ = '\0';
		mask = p;
		p = scan_field(p, del);
		if (!p)
			return -EINVAL;
		*p++ = '\0';
		if (!*magic)
			return -EINVAL;
		r->size = unescape(magic, r->magic, UM_BINFMT_HEAD);
		if (r->size < 0)
			return -EINVAL;
		r->has_mask = *mask != '\0';
		if (r->has_mask) {
			n = unescape(mask, r->mask, UM_BINFMT_HEAD);
			if (n != r->size)
				return -EINVAL;
		}
		if (r->size + r->offset > UM_BINFMT_HEAD)
			return -EINVAL;
	}

	interp = p;
	p = field(p, del);
	if (!p || !*interp)
		return -EINVAL;
	strcpy(r->interpreter, interp);

	r->flags = 0;
	for (;; p++) {
		if (*p == 'P')
			r->flags |= UM_BINFMT_P;
		else if (*p == 'O')
			r->flags |= UM_BINFMT_O;
		else if (*p == 'C') /* credentials need the binary open */
			r->flags |= UM_BINFMT_C | UM_BINFMT_O;
		else if (*p == 'F')
			r->flags |= UM_BINFMT_F;
		else
			break;
	}
	if (*p == '\n')
		p++;
	return *p ? -EINVAL : 0;
}

bool umbinfmt_matches(const struct bf_rule *r, const char *path,
		      const unsigned char *head, size_t len)
{
	int i;

	if (r->extension) {
		const char *dot = strrchr(path, '.');

		return dot && strcmp(dot + 1, (const char *)r->magic) == 0;
	}
	for (i = 0; i < r->size; i++) {
		size_t at = (size_t)r->offset + i;
		unsigned char c = at < len ? head[at] : 0;

		if ((c ^ r->magic[i]) & (r->has_mask ? r->mask[i] : 0xff))
			return false;
	}
	return true;
}
