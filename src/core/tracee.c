/* Tracees (traced threads) and the per-process state they share. */
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "fdtab.h"
#include "tracee.h"

#define NBUCKETS 1024

static struct tracee *bucket[NBUCKETS];
static int ntracees;

struct fsinfo *fsinfo_new(mode_t umask)
{
	struct fsinfo *fs = calloc(1, sizeof(*fs));

	if (fs) {
		fs->refs = 1;
		fs->umask = umask;
	}
	return fs;
}

struct fsinfo *fsinfo_share(struct fsinfo *fs)
{
	fs->refs++;
	return fs;
}

struct fsinfo *fsinfo_copy(const struct fsinfo *fs)
{
	struct fsinfo *copy = fsinfo_new(fs->umask);

	if (!copy)
		return NULL;
	copy->umask_known = fs->umask_known;
	if ((fs->cwd && !(copy->cwd = strdup(fs->cwd))) ||
	    (fs->root && !(copy->root = strdup(fs->root)))) {
		fsinfo_put(copy);
		return NULL;
	}
	return copy;
}

void fsinfo_put(struct fsinfo *fs)
{
	if (!fs || --fs->refs > 0)
		return;
	free(fs->cwd);
	free(fs->root);
	free(fs);
}

static struct tracee **slot_of(pid_t tid)
{
	struct tracee **p = &bucket[(unsigned int)tid % NBUCKETS];

	while (*p && (*p)->tid != tid)
		p = &(*p)->hnext;
	return p;
}

struct tracee *tracee_new(pid_t tid, pid_t tgid)
{
	struct tracee *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->tid = tid;
	t->tgid = tgid;
	t->hnext = bucket[(unsigned int)tid % NBUCKETS];
	bucket[(unsigned int)tid % NBUCKETS] = t;
	ntracees++;
	return t;
}

struct tracee *tracee_find(pid_t tid)
{
	return *slot_of(tid);
}

static void unlink_tracee(struct tracee *t)
{
	struct tracee **p = slot_of(t->tid);

	if (*p == t)
		*p = t->hnext;
	t->hnext = NULL;
}

void tracee_rekey(struct tracee *t, pid_t tid)
{
	unlink_tracee(t);
	t->tid = tid;
	t->hnext = bucket[(unsigned int)tid % NBUCKETS];
	bucket[(unsigned int)tid % NBUCKETS] = t;
}

void tracee_free(struct tracee *t)
{
	if (!t)
		return;
	unlink_tracee(t);
	fdtab_put(t->files);
	fsinfo_put(t->fs);
	vmas_put(t->vmas);
	free(t);
	ntracees--;
}

void tracee_clone_vm(struct tracee *c, const struct tracee *parent,
		     unsigned long flags)
{
	vmas_put(c->vmas);
	c->vmas = (flags & CLONE_VM) ? vmas_share(parent->vmas)
				     : vmas_copy(parent->vmas);
	/* seccomp filters are inherited by threads and children alike */
	c->unmaps_wanted = parent->unmaps_wanted;
	c->unmaps_trapped = parent->unmaps_trapped;
}

void tracee_exec_vm(struct tracee *t)
{
	vmas_put(t->vmas);
	t->vmas = NULL;
}

int tracee_count(void)
{
	return ntracees;
}

void tracee_foreach(void (*fn)(struct tracee *t, void *arg), void *arg)
{
	int i;
	struct tracee *t;

	for (i = 0; i < NBUCKETS; i++)
		for (t = bucket[i]; t; t = t->hnext)
			fn(t, arg);
}
