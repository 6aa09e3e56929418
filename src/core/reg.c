/* Registrations: what each service claims, stamped with epochs; choice of
 * the newest matching registration. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reg.h"

static struct reg *head[UM_REG_NKINDS]; /* newest first */
static unsigned long next_epoch = 1;
static int next_id = 1;
static unsigned long generation;

bool reg_kind_is_numeric(enum um_reg_kind kind)
{
	switch (kind) {
	case UM_REG_SYSCALL:
	case UM_REG_FAMILY:
	case UM_REG_DEVICE:
	case UM_REG_IOCTL:
		return true;
	default:
		return false;
	}
}

/* A mount point key: absolute, no "." or ".." components, no double or
 * trailing slash (except "/" itself). */
static bool path_key_ok(const char *p)
{
	const char *c;

	if (p[0] != '/')
		return false;
	if (p[1] == '\0')
		return true;
	for (c = p; *c; c++) {
		if (*c != '/')
			continue;
		if (c[1] == '/' || c[1] == '\0')
			return false;
		if (c[1] == '.' && (c[2] == '/' || c[2] == '\0'))
			return false;
		if (c[1] == '.' && c[2] == '.' && (c[3] == '/' || c[3] == '\0'))
			return false;
	}
	return true;
}

int reg_add(struct um_service *svc, enum um_reg_kind kind, long num,
	    const char *str)
{
	return reg_add_data(svc, kind, num, str, NULL);
}

int reg_add_data(struct um_service *svc, enum um_reg_kind kind, long num,
		 const char *str, void *data)
{
	struct reg *r;

	if ((unsigned int)kind >= UM_REG_NKINDS)
		return -EINVAL;
	if (!reg_kind_is_numeric(kind)) {
		if (!str || !*str)
			return -EINVAL;
		if (kind == UM_REG_PATH && !path_key_ok(str))
			return -EINVAL;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	if (!reg_kind_is_numeric(kind) && !(r->str = strdup(str))) {
		free(r);
		return -ENOMEM;
	}
	r->id = next_id++;
	r->epoch = next_epoch++;
	r->kind = kind;
	r->num = reg_kind_is_numeric(kind) ? num : 0;
	r->svc = svc;
	r->data = data;
	r->next = head[kind];
	head[kind] = r;
	generation++;
	return r->id;
}

static void drop_matching(struct um_service *svc, int id)
{
	int k;

	for (k = 0; k < UM_REG_NKINDS; k++) {
		struct reg **p = &head[k];

		while (*p) {
			struct reg *r = *p;

			if (r->svc == svc && (id < 0 || r->id == id)) {
				*p = r->next;
				free(r->str);
				free(r);
				generation++;
			} else {
				p = &r->next;
			}
		}
	}
}

int reg_del(struct um_service *svc, int id)
{
	unsigned long before = generation;

	drop_matching(svc, id);
	return generation == before ? -ENOENT : 0;
}

void reg_del_service(struct um_service *svc)
{
	drop_matching(svc, -1);
}

/* A key ending in '*' matches every string that starts with the rest:
 * umfuse claims "umfuse*" to serve "umfuseext2", "umfuseiso9660"... */
static bool str_match(const char *key, const char *str)
{
	size_t n = strlen(key);

	if (n > 0 && key[n - 1] == '*')
		return strncmp(key, str, n - 1) == 0;
	return strcmp(key, str) == 0;
}

static bool path_match(const char *prefix, const char *path)
{
	size_t n = strlen(prefix);

	if (n == 1) /* "/" */
		return path[0] == '/';
	return strncmp(prefix, path, n) == 0 &&
	       (path[n] == '/' || path[n] == '\0');
}

const struct reg *reg_choose(enum um_reg_kind kind, long num,
			     const char *str, unsigned long before)
{
	const struct reg *r;

	if ((unsigned int)kind >= UM_REG_NKINDS)
		return NULL;
	/* The list is newest first: the first match wins. */
	for (r = head[kind]; r; r = r->next) {
		if (r->epoch >= before)
			continue;
		if (reg_kind_is_numeric(kind)) {
			if (r->num == num)
				return r;
		} else if (!str) {
			continue;
		} else if (kind == UM_REG_PATH) {
			if (path_match(r->str, str))
				return r;
		} else if (str_match(r->str, str)) {
			return r;
		}
	}
	return NULL;
}

struct um_service *reg_syscall_owner(long nr)
{
	const struct reg *r = reg_choose(UM_REG_SYSCALL, nr, NULL,
					 REG_EPOCH_MAX);

	return r ? r->svc : NULL;
}

bool reg_any(enum um_reg_kind kind)
{
	return (unsigned int)kind < UM_REG_NKINDS && head[kind];
}

void reg_foreach(void (*fn)(const struct reg *r, void *arg), void *arg)
{
	int k;
	const struct reg *r;

	for (k = 0; k < UM_REG_NKINDS; k++)
		for (r = head[k]; r; r = r->next)
			fn(r, arg);
}

unsigned long reg_generation(void)
{
	return generation;
}
