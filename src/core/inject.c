/* x86-64 register access and the three primitives on a stopped tracee:
 * skip a call, rewrite it, and inject another call in its place. */
#include <errno.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "inject.h"

#define RED_ZONE 128
#define SYSCALL_INSN_LEN 2 /* 0f 05 */

int regs_get(pid_t tid, struct user_regs_struct *r)
{
	return ptrace(PTRACE_GETREGS, tid, 0, r) < 0 ? -errno : 0;
}

int regs_set(pid_t tid, const struct user_regs_struct *r)
{
	return ptrace(PTRACE_SETREGS, tid, 0, r) < 0 ? -errno : 0;
}

void regs_set_call(struct user_regs_struct *r, long nr,
		   const unsigned long args[6])
{
	r->orig_rax = nr;
	r->rax = nr;
	r->rdi = args[0];
	r->rsi = args[1];
	r->rdx = args[2];
	r->r10 = args[3];
	r->r8 = args[4];
	r->r9 = args[5];
}

int sc_skip(pid_t tid, struct user_regs_struct *r, long ret)
{
	r->orig_rax = -1;
	r->rax = ret;
	return regs_set(tid, r);
}

/* Resume to the exit stop of the call under way.  Other stops cannot come
 * first: signals and interrupts are reported on the way back to user mode,
 * after the exit stop. */
static long to_exit_stop(pid_t tid, struct user_regs_struct *r, int *status)
{
	int st, err;

	*status = -1;
	if (ptrace(PTRACE_SYSCALL, tid, 0, 0) < 0)
		return -errno;
	for (;;) {
		if (waitpid(tid, &st, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			*status = st;
			return -ESRCH;
		}
		if (WIFSTOPPED(st) && WSTOPSIG(st) == (SIGTRAP | 0x80))
			break;
		/* Not expected; let the tracee go on to its exit stop. */
		if (ptrace(PTRACE_SYSCALL, tid, 0, 0) < 0)
			return -errno;
	}
	err = regs_get(tid, r);
	return err < 0 ? err : (long)r->rax;
}

long sc_rewrite(pid_t tid, struct user_regs_struct *r, int *status)
{
	int err = regs_set(tid, r);

	if (err < 0)
		return err;
	return to_exit_stop(tid, r, status);
}

long sc_inject(pid_t tid, const struct user_regs_struct *at, long nr,
	       const unsigned long args[6], int *status)
{
	struct user_regs_struct back;

	return sc_inject_back(tid, at, nr, args, status, &back);
}

long sc_inject_back(pid_t tid, const struct user_regs_struct *at, long nr,
		    const unsigned long args[6], int *status,
		    struct user_regs_struct *rewound)
{
	struct user_regs_struct r = *at, back = *at;
	long ret;
	int err;

	regs_set_call(&r, nr, args);
	ret = sc_rewrite(tid, &r, status);
	if (ret == -ESRCH)
		return ret;
	/* Rewind: the original call is made again when the tracee runs. */
	back.rip -= SYSCALL_INSN_LEN;
	back.rax = at->orig_rax;
	err = regs_set(tid, &back);
	*rewound = back;
	return err < 0 ? err : ret;
}

/* Resume to the next syscall-entry stop. */
static long to_entry_stop(pid_t tid, int *status)
{
	int st;

	if (ptrace(PTRACE_SYSCALL, tid, 0, 0) < 0)
		return -errno;
	while (waitpid(tid, &st, __WALL) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(st) || WIFSIGNALED(st)) {
		*status = st;
		return -ESRCH;
	}
	return WIFSTOPPED(st) && WSTOPSIG(st) == (SIGTRAP | 0x80) ? 0 : -EIO;
}

long sc_inject_again(pid_t tid, const struct user_regs_struct *back, long nr,
		     const unsigned long args[6], int *status)
{
	struct user_regs_struct r = *back;
	long ret;
	int err;

	*status = -1;
	/* back.rip is at the syscall instruction: run it with our number. */
	regs_set_call(&r, nr, args);
	err = regs_set(tid, &r);
	if (err < 0)
		return err;
	ret = to_entry_stop(tid, status);
	if (ret < 0)
		return ret;
	ret = to_exit_stop(tid, &r, status);
	if (ret == -ESRCH && *status != -1)
		return ret;
	err = regs_set(tid, back);
	return err < 0 ? err : ret;
}

unsigned long scratch_below_sp(const struct user_regs_struct *r, size_t len)
{
	return (r->rsp - RED_ZONE - len) & ~15UL;
}
