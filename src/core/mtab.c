/* The view's mount table: virtual mounts made by modules, each one a
 * UM_REG_PATH registration of its service. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "mtab.h"
#include "reg.h"
#include "service.h"

static struct vmount *oldest;

static void vmount_free(struct vmount *m)
{
	if (!m)
		return;
	free(m->target);
	free(m->source);
	free(m->fstype);
	free(m->options);
	free(m);
}

int mtab_add(struct um_service *svc, void *mnt, const char *target,
	     const char *source, const char *fstype, unsigned long flags,
	     const char *data, struct vmount **out)
{
	struct vmount *m = calloc(1, sizeof(*m)), **p;
	const char *mode = (flags & MS_RDONLY) ? "ro" : "rw";
	size_t n;

	if (!m)
		return -ENOMEM;
	m->svc = svc;
	m->mnt = mnt;
	m->flags = flags;
	m->target = strdup(target);
	m->source = strdup(source && *source ? source : "none");
	m->fstype = strdup(fstype ? fstype : "none");
	n = strlen(mode) + (data ? strlen(data) + 1 : 0) + 1;
	m->options = malloc(n);
	if (!m->target || !m->source || !m->fstype || !m->options) {
		vmount_free(m);
		return -ENOMEM;
	}
	strcpy(m->options, mode);
	if (data && *data) {
		strcat(m->options, ",");
		strcat(m->options, data);
	}
	m->reg_id = reg_add_data(svc, UM_REG_PATH, 0, target, m);
	if (m->reg_id < 0) {
		int err = m->reg_id;

		vmount_free(m);
		return err;
	}
	/* the newest registration at target is the one just made */
	m->epoch = reg_choose(UM_REG_PATH, 0, target, REG_EPOCH_MAX)->epoch;
	for (p = &oldest; *p; p = &(*p)->next)
		;
	*p = m;
	if (out)
		*out = m;
	return 0;
}

struct vmount *mtab_at(const char *target)
{
	struct vmount *m, *found = NULL;

	for (m = oldest; m; m = m->next)
		if (!m->detached && strcmp(m->target, target) == 0)
			found = m;
	return found;
}

struct vmount *mtab_lookup(const char *abs, unsigned long before)
{
	const struct reg *r;

	if (!oldest)
		return NULL;
	r = reg_choose(UM_REG_PATH, 0, abs, before);
	return r ? r->data : NULL;
}

const char *mtab_relative(const struct vmount *m, const char *abs)
{
	size_t n = strlen(m->target);

	if (n == 1) /* mounted on "/" */
		return abs;
	return abs[n] ? abs + n : "/";
}

void mtab_remove(struct vmount *m)
{
	struct vmount **p;

	for (p = &oldest; *p; p = &(*p)->next) {
		if (*p == m) {
			*p = m->next;
			if (m->reg_id >= 0)
				reg_del(m->svc, m->reg_id);
			vmount_free(m);
			return;
		}
	}
}

static bool covered(const struct vmount *m)
{
	const struct vmount *o;
	size_t n = strlen(m->target);

	for (o = m->next; o; o = o->next)
		if (!o->detached &&
		    (n == 1 || (strncmp(o->target, m->target, n) == 0 &&
				(o->target[n] == '/' || !o->target[n]))))
			return true;
	return false;
}

static void finish(struct vmount *m, int flags)
{
	int (*op)(void *, int) = SERVICE_OP(m->svc, umount);

	if (op)
		NESTED_CALL(m->epoch, op, m->mnt, flags);
	mtab_remove(m);
}

int mtab_umount(struct vmount *m, int flags)
{
	int (*op)(void *, int) = SERVICE_OP(m->svc, umount);
	int err;

	if (!(flags & MNT_DETACH) && (m->busy > 0 || covered(m)))
		return -EBUSY;
	if (m->busy > 0) { /* lazy: out of the view now, freed later */
		reg_del(m->svc, m->reg_id);
		m->reg_id = -1;
		m->detached = true;
		return 0;
	}
	if (op && !(flags & MNT_DETACH)) {
		err = NESTED_CALL(m->epoch, op, m->mnt, flags);
		if (err < 0)
			return err;
		mtab_remove(m);
		return 0;
	}
	finish(m, flags);
	return 0;
}

void mtab_unbusy(struct vmount *m)
{
	if (--m->busy == 0 && m->detached)
		finish(m, MNT_DETACH);
}

bool mtab_near(const char *abs)
{
	const struct vmount *m;

	for (m = oldest; m; m = m->next) {
		size_t n = strlen(m->target);

		if (m->detached)
			continue;
		if (n == 1 || (strncmp(abs, m->target, n) == 0 &&
			       (abs[n] == '/' || abs[n] == '\0')))
			return true;
	}
	return false;
}

bool mtab_any(void)
{
	return oldest != NULL;
}

struct vmount *mtab_first(void)
{
	return oldest;
}

void mtab_umount_all(struct um_service *svc)
{
	for (;;) {
		struct vmount *m, *last = NULL;

		for (m = oldest; m; m = m->next)
			if (!svc || m->svc == svc)
				last = m;
		if (!last)
			return;
		finish(last, MNT_FORCE);
	}
}
