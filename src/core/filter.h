/* The filter builder: which system calls stop, as a seccomp BPF program
 * made from the syscall table plus what the registrations need. */
#ifndef UM_FILTER_H
#define UM_FILTER_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>

#define FILTER_MAXNR 512

/* A set of x86-64 syscall numbers to trap. */
struct filter_set {
	uint64_t bit[FILTER_MAXNR / 64];
};

void filter_set_add(struct filter_set *s, int nr);
bool filter_set_has(const struct filter_set *s, int nr);
/* Is every member of a also in b? */
bool filter_set_subset(const struct filter_set *a, const struct filter_set *b);
void filter_set_union(struct filter_set *dst, const struct filter_set *src);

/* The calls the current registrations need to see (beyond the rows the
 * filter always traps): trap stops them for ptrace, notify sends them to
 * the user-notification listener (the file family, once anything is
 * mounted: answered without a ptrace stop). */
void filter_wanted(struct filter_set *trap, struct filter_set *notify);
/* Do the registrations claim a call that the vDSO would answer? */
bool filter_hides_vdso(void);

/* Build the program: architecture check (other ABIs and x32 refused
 * with ENOSYS), the table's always-trapped and refused rows, trap for
 * every member of trap and user notification for every member of notify
 * (NULL: none).  prog->filter is malloc'ed.  Returns 0 or -errno. */
int filter_build(const struct filter_set *trap,
		 const struct filter_set *notify, struct sock_fprog *prog);
/* Is the set empty? */
bool filter_set_empty(const struct filter_set *s);

/*
 * Per-thread fd filters.  Calls whose only file argument is an fd (read,
 * write, close, fstat...) do not stop for every process once something is
 * mounted: a thread gets a small extra program that stops them only when
 * one of their fd arguments is a number that is (or was) virtual in it.
 * Numbers below FDMASK_BITS are tested one by one; at or above it, any fd
 * stops once `high` is set.
 */
#define FDMASK_BITS 1024
#define FDMASK_WORDS (FDMASK_BITS / 64)

struct fdmask {
	uint64_t bit[FDMASK_WORDS];
	bool high;
};

void fdmask_add(struct fdmask *m, int fd);
bool fdmask_has(const struct fdmask *m, int fd);
/* Is every number of a also covered by b? */
bool fdmask_subset(const struct fdmask *a, const struct fdmask *b);
void fdmask_union(struct fdmask *dst, const struct fdmask *src);

/* Is this row one the per-thread fd filters serve (an fd argument, no
 * path; or SC_IF_VIRTUAL)? */
struct sc_row;
bool filter_row_by_fd(const struct sc_row *row);

/* Build the fd filter for m: a row's call stops when any of its fd
 * arguments is in m, with `notify` (SECCOMP_RET_USER_NOTIF), or `trace`
 * for rows served at a ptrace stop; everything else is allowed (the
 * thread's other filters still apply).  The actions are parameters so
 * that the unit test can use SECCOMP_RET_ERRNO.  Returns 0 or -errno. */
int filter_build_fdmask(const struct fdmask *m, uint32_t notify,
			uint32_t trace, struct sock_fprog *prog);

/* The filter that stops munmap, msync and mremap in threads that share a
 * map of a served file (sc/mmap.c asks, engine.c installs it).
 * Writes it to prog (room for max instructions); returns its length, or
 * 0 if it does not fit. */
unsigned short filter_addr_calls(struct sock_filter *prog, int max);

#endif
