/* Per-process tables of virtual file descriptors and the open file
 * descriptions behind them, shared and copied as the kernel does. */
#ifndef UM_FDTAB_H
#define UM_FDTAB_H

#include <stdbool.h>
#include <sys/types.h>

struct um_service;
struct vmount;

/* An open file description served by a module: shared by dup() and by
 * fork(), like the kernel's struct file. */
struct ofd {
	int refs;
	struct um_service *svc;
	struct vmount *mount; /* the mount the file lives in */
	void *handle;      /* the module's own handle */
	int flags;         /* O_* status flags */
	off_t offset;
	char *path;        /* the virtual path, for /proc/PID/fd */
	/* locks (sc/lock.c): the served file's inode number once asked,
	 * and whether this description may own flock or OFD locks */
	unsigned long long lk_ino;
	bool lk_ino_known;
	bool lk_owner;
	void (*release)(struct ofd *ofd); /* last reference gone */
};

struct ofd *ofd_new(struct um_service *svc, void *handle, int flags,
		    const char *path, void (*release)(struct ofd *));
struct ofd *ofd_get(struct ofd *ofd);
void ofd_put(struct ofd *ofd);

struct fdtab;

struct fdtab *fdtab_new(void);
/* Another reference to the same table (CLONE_FILES). */
struct fdtab *fdtab_share(struct fdtab *tab);
/* A private copy (fork without CLONE_FILES, or unshare at execve). */
struct fdtab *fdtab_copy(const struct fdtab *tab);
void fdtab_put(struct fdtab *tab);
bool fdtab_is_shared(const struct fdtab *tab);

/* Install ofd at fd (taking a reference), replacing what was there. */
int fdtab_set(struct fdtab *tab, int fd, struct ofd *ofd, bool cloexec);
/* The description at fd, or NULL if fd is not virtual. No reference. */
struct ofd *fdtab_lookup(const struct fdtab *tab, int fd);
int fdtab_get_cloexec(const struct fdtab *tab, int fd);
int fdtab_set_cloexec(struct fdtab *tab, int fd, bool cloexec);
/* Forget fd.  Returns 0, or -EBADF if it was not virtual. */
int fdtab_close(struct fdtab *tab, int fd);
/* execve: drop the close-on-exec entries. */
void fdtab_exec(struct fdtab *tab);
/* Number of virtual fds in the table. */
int fdtab_count(const struct fdtab *tab);
/* The lowest virtual fd number >= from, or -1. */
int fdtab_next(const struct fdtab *tab, int from);
/* A counter that moves whenever a number becomes virtual (the engine's
 * cue to check the per-thread fd filters). */
unsigned long fdtab_generation(const struct fdtab *tab);

#endif
