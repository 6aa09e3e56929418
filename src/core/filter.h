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

/* A per-process filter that stops munmap, msync and mremap (sc/mmap.c).
 * Writes it to prog (room for max instructions); returns its length, or
 * 0 if it does not fit. */
unsigned short filter_addr_calls(struct sock_filter *prog, int max);

#endif
