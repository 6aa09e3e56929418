/* The view's mount table: virtual mounts made by modules, each one a
 * UM_REG_PATH registration of its service. */
#ifndef UM_MTAB_H
#define UM_MTAB_H

#include <stdbool.h>

struct um_service;

struct vmount {
	int reg_id;     /* its UM_REG_PATH registration */
	unsigned long epoch; /* and that registration's epoch: module code
				serving this mount sees only older ones */
	struct um_service *svc;
	void *mnt;      /* the module's per-mount state */
	char *target;   /* canonical mount point */
	char *source;
	char *fstype;
	char *options;  /* "rw" or "ro", then the data string */
	unsigned long flags;
	int busy;       /* open files and cwds inside it */
	bool detached;  /* lazily unmounted: gone from the view, freed when
			   no longer busy */
	struct vmount *next; /* newer */
};

/* Add a mount (registers target for svc).  Returns 0 or -errno. */
int mtab_add(struct um_service *svc, void *mnt, const char *target,
	     const char *source, const char *fstype, unsigned long flags,
	     const char *data, struct vmount **out);
/* The newest mount at exactly target, or NULL. */
struct vmount *mtab_at(const char *target);
/* The mount that owns canonical path abs (newest, longest match), before
 * epoch limit (REG_EPOCH_MAX: any), or NULL if abs is real. */
struct vmount *mtab_lookup(const char *abs, unsigned long before);
/* The path of abs relative to m's root: "/" or "/a/b".  Points into abs
 * or to a static "/". */
const char *mtab_relative(const struct vmount *m, const char *abs);
/* Remove m: unregisters it and frees it (the module's umount must have
 * run). */
void mtab_remove(struct vmount *m);
/* umount2(2) of m: -EBUSY while files are open in it or another mount
 * sits on it, unless MNT_DETACH, which hides it now and lets it go when
 * the last file closes.  Returns 0 or -errno. */
int mtab_umount(struct vmount *m, int flags);
/* A file in m was closed. */
void mtab_unbusy(struct vmount *m);
/* Does abs (lexically) lie at or under any mount point? */
bool mtab_near(const char *abs);
/* Is there any mount at all? */
bool mtab_any(void);
/* Oldest first. */
struct vmount *mtab_first(void);
/* umview is stopping, or svc goes: umount everything (newest first). */
void mtab_umount_all(struct um_service *svc_or_null);

#endif
