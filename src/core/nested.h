/* Nested calls: system calls made by module code inside the hypervisor,
 * captured by purelibc and served through the view. */
#ifndef UM_NESTED_H
#define UM_NESTED_H

#include <stdbool.h>

struct ofd;
struct vmount;

/* What nested_enter saved, for nested_leave. */
struct nested_state {
	unsigned long before;
	unsigned long main_before;
	int core;
};

/*
 * Module code is about to run on behalf of a registration of epoch
 * `before` (REG_EPOCH_MAX: every registration that exists, as when the
 * core serves mount(2) itself or loads a service): until nested_leave, the
 * system calls it makes through purelibc see only the registrations older
 * than that.  Pairs nest.  Cheap: a few stores.
 */
struct nested_state nested_enter(unsigned long before);
void nested_leave(struct nested_state saved);

/* Call fn(...) as module code for a registration of epoch before. */
#define NESTED_CALL(before, fn, ...)                                         \
	({                                                                   \
		struct nested_state nested_saved_ = nested_enter(before);    \
		__typeof__((fn)(__VA_ARGS__)) nested_ret_ = (fn)(__VA_ARGS__); \
		nested_leave(nested_saved_);                                 \
		nested_ret_;                                                 \
	})

/* What statx(2) gives for st: the basic stats only (STATX_BASIC_STATS).
 * For nested statx and for sc/stat.c's, which serve it from a module's
 * struct stat. */
struct stat;
struct statx;
void stat_to_statx(const struct stat *st, struct statx *x);

/* --- between nested.c and nested_fd.c --- */

/* The open file behind a placeholder fd the hypervisor holds for module
 * code, or NULL. */
struct ofd *nested_ofd(int fd);
/* lseek(2) on a served file, for the tracees' calls and module code's
 * alike: the new offset or -errno (SEEK_DATA/SEEK_HOLE through the
 * module's lseek, else the whole file is data). */
long ofd_lseek(struct ofd *ofd, off_t off, int whence);
/* Its size, from the module's fstat: 0 or -errno. */
long ofd_size(struct ofd *ofd, off_t *size);
/* Forget fd (closed, or its number reused by a real open). */
void nested_forget(int fd);
/* Install a served open file at a new placeholder: the fd or -errno. */
int nested_install(struct ofd *ofd, int at, bool cloexec);
/* A module handed the core, as its own real file, a placeholder fd that
 * module code got from a nested open: the open file behind it (a reference
 * for the caller, path set to the caller's view path), fd now a plain
 * /dev/null fd of the hypervisor; NULL if fd is not a placeholder. */
struct ofd *nested_take(int fd, const char *path);
/* A call on an fd: 1 and *ret when fd is a placeholder, 0 when not. */
int nested_fd_call(long nr, const long a[6], long *ret);

#endif
