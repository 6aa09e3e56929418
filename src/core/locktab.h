/* The lock table: POSIX record locks, open-file-description (OFD) locks
 * and flock(2) locks on the files that modules serve, kept by the
 * hypervisor so that they conflict between processes inside the view.
 * Pure bookkeeping: who waits and how a waiter is woken is sc/lock.c's. */
#ifndef UM_LOCKTAB_H
#define UM_LOCKTAB_H

#include <stdbool.h>
#include <sys/types.h>

#define LK_EOF ((off_t)0x7fffffffffffffffLL) /* a range to the end */

enum lk_kind {
	LK_POSIX, /* fcntl F_SETLK: owned by a process's fd table */
	LK_OFD,   /* fcntl F_OFD_SETLK: owned by an open file description */
	LK_FLOCK, /* flock(2): owned by an open file description, whole file */
};

struct lk {
	struct lk *next;
	enum lk_kind kind;
	short type;        /* F_RDLCK or F_WRLCK (F_UNLCK in a request) */
	off_t start, end;  /* inclusive; end LK_EOF: to the end of the file */
	const void *owner; /* fd table (POSIX) or open file description */
	pid_t pid;         /* reported by F_GETLK (-1 for OFD locks) */
};

/* A blocked request, in the order it came. */
struct lkwait {
	struct lkwait *next;
	struct lkfile *file;
	struct lk req;
	void *data; /* the waker's */
};

/* One locked file: its identity (a mount and an inode number). */
struct lkfile {
	struct lkfile *next;
	const void *fs;
	unsigned long long ino;
	struct lk *locks;
	struct lkwait *waiters;
};

/* The file with this identity; create it if asked.  NULL: not there, or
 * out of memory. */
struct lkfile *locktab_file(const void *fs, unsigned long long ino,
			    bool create);
/* Forget f if it holds no lock and no waiter. */
void locktab_tidy(struct lkfile *f);
/* The first lock that stops req from being granted, or NULL. */
const struct lk *locktab_conflict(const struct lkfile *f,
				  const struct lk *req);
/* Grant req without checking conflicts: F_UNLCK removes the owner's locks
 * in the range; the others replace them there, split and merged as the
 * kernel does (flock: the owner's one lock is replaced).  0 or -ENOMEM. */
int locktab_apply(struct lkfile *f, const struct lk *req);
/* The owner's lock of this kind on f (flock: its one lock), or NULL. */
const struct lk *locktab_owned(const struct lkfile *f, const void *owner,
			       enum lk_kind kind);
/* Drop every lock the owner holds with this kind, on f or (f NULL) on
 * every file.  Returns how many were dropped. */
int locktab_drop_owner(struct lkfile *f, const void *owner,
		       enum lk_kind kind);
/* Does the owner hold any lock of this kind anywhere? */
bool locktab_owner_holds(const void *owner, enum lk_kind kind);
/* Would req, blocked by blocker, wait for itself through a chain of
 * POSIX waiters (EDEADLK)?  alive() says whether a waiter still waits. */
bool locktab_deadlock(const struct lk *req, const struct lk *blocker,
		      bool (*alive)(struct lkwait *w));
/* Queue a blocked request (at the end); NULL on ENOMEM. */
struct lkwait *locktab_wait(struct lkfile *f, const struct lk *req,
			    void *data);
/* Take a waiter off its queue and free it (not its data). */
void locktab_unwait(struct lkwait *w);
/* Every file, for walks over all waiters. */
struct lkfile *locktab_files(void);

#endif
