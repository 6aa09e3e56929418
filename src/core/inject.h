/* x86-64 register access and the three primitives on a stopped tracee:
 * skip a call, rewrite it, and inject another call in its place. */
#ifndef UM_INJECT_H
#define UM_INJECT_H

#include <sys/types.h>
#include <sys/user.h>

int regs_get(pid_t tid, struct user_regs_struct *r);
int regs_set(pid_t tid, const struct user_regs_struct *r);

static inline unsigned long regs_arg(const struct user_regs_struct *r, int i)
{
	switch (i) {
	case 0: return r->rdi;
	case 1: return r->rsi;
	case 2: return r->rdx;
	case 3: return r->r10;
	case 4: return r->r8;
	default: return r->r9;
	}
}

void regs_set_call(struct user_regs_struct *r, long nr,
		   const unsigned long args[6]);

/* Skip: at a seccomp stop, the call is not run; the tracee sees ret when
 * resumed.  r holds the stop's registers and is updated. */
int sc_skip(pid_t tid, struct user_regs_struct *r, long ret);

/* Rewrite: at a syscall-entry stop (seccomp or PTRACE_SYSCALL), run the
 * call described by r (a changed number or arguments) and stop at its
 * exit.  Returns the call's result, or -ESRCH if the tracee died.
 * *status is -1, or the tracee's wait status if its death was reaped
 * here.  On return r holds the exit registers. */
long sc_rewrite(pid_t tid, struct user_regs_struct *r, int *status);

/* Inject: at a syscall-entry stop whose registers are at, run nr(args)
 * instead, then rewind the tracee so that the original call is made again
 * when it resumes.  Returns nr's result, or -ESRCH with *status as above. */
long sc_inject(pid_t tid, const struct user_regs_struct *at, long nr,
	       const unsigned long args[6], int *status);

/* The same, and *rewound receives the registers the tracee was left with
 * (for sc_inject_again). */
long sc_inject_back(pid_t tid, const struct user_regs_struct *at, long nr,
		    const unsigned long args[6], int *status,
		    struct user_regs_struct *rewound);

/* Inject once more, from the exit stop that sc_inject() left the tracee
 * in (back: the rewound registers it set).  The call must not be one the
 * filter stops: the hypervisor is busy waiting for it. */
long sc_inject_again(pid_t tid, const struct user_regs_struct *back, long nr,
		     const unsigned long args[6], int *status);

/* Scratch space in the tracee below its stack pointer, clear of the
 * x86-64 red zone: the address for len bytes, 16-byte aligned. */
unsigned long scratch_below_sp(const struct user_regs_struct *r, size_t len);

#endif
