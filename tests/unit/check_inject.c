/* The engine's primitives on a real traced child: skip, rewrite, inject,
 * and the memory unit. */
#include <errno.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "filter.h"
#include "inject.h"
#include "mem.h"
#include "unit.h"

static char message[] = "hello from the tracee";

/* The child: getppid is trapped; each call's result is checked against
 * what the parent does at that stop.  Exit status: the first failed
 * step, or 0. */
static void child(int sync_fd, pid_t parent)
{
	struct filter_set s = { { 0 } };
	struct sock_fprog prog;
	char c;

	filter_set_add(&s, __NR_getppid);
	if (filter_build(&s, NULL, &prog) < 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		_exit(10);
	if (read(sync_fd, &c, 1) != 1)
		_exit(11);
	if (syscall(__NR_getppid) != 4242) /* skipped with 4242 */
		_exit(1);
	if (syscall(__NR_getppid) != parent) /* getpid injected, then rerun */
		_exit(2);
	if (syscall(__NR_getppid) != getpid()) /* rewritten to getpid */
		_exit(3);
	errno = 0;
	if (syscall(__NR_getppid) != -1 || errno != EPERM) /* skipped -EPERM */
		_exit(4);
	_exit(0);
}

static int seccomp_stop(pid_t pid, struct user_regs_struct *r)
{
	int st;

	ck_assert_int_eq(ptrace(PTRACE_CONT, pid, 0, 0), 0);
	ck_assert_int_eq(waitpid(pid, &st, __WALL), pid);
	ck_assert_msg(WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_SECCOMP,
		      "expected a seccomp stop, got %#x", st);
	ck_assert_int_eq(regs_get(pid, r), 0);
	ck_assert_int_eq((long)r->orig_rax, __NR_getppid);
	return st;
}

START_TEST(primitives)
{
	struct user_regs_struct r;
	int sync[2], st, dead;
	unsigned long args[6] = { 0 };
	char buf[64];
	pid_t pid;
	long ret;

	ck_assert_int_eq(pipe(sync), 0);
	pid = fork();
	if (pid == 0)
		child(sync[0], getppid());
	ck_assert_int_eq(ptrace(PTRACE_SEIZE, pid, 0,
				PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD |
					PTRACE_O_EXITKILL), 0);
	ck_assert_int_eq(ptrace(PTRACE_INTERRUPT, pid, 0, 0), 0);
	ck_assert_int_eq(waitpid(pid, &st, __WALL), pid);
	ck_assert_int_eq(write(sync[1], "x", 1), 1);

	/* memory unit, while the child is stopped */
	ck_assert_int_eq(mem_read(pid, (uintptr_t)message, buf,
				  sizeof(message)), 0);
	ck_assert_str_eq(buf, message);
	ck_assert_int_eq(mem_read_str(pid, (uintptr_t)message, buf, sizeof(buf)),
			 (long)strlen(message));
	ck_assert_int_eq(mem_read_str(pid, (uintptr_t)message, buf, 5),
			 -ENAMETOOLONG);
	ck_assert_int_eq(mem_read(pid, 16, buf, 8), -EFAULT);
	/* write into read-only text falls back to /proc/PID/mem */
	ck_assert_int_eq(mem_read(pid, (uintptr_t)child, buf, 4), 0);
	ck_assert_int_eq(mem_write(pid, (uintptr_t)child, buf, 4), 0);

	/* 1: skip */
	seccomp_stop(pid, &r);
	ck_assert_int_eq(sc_skip(pid, &r, 4242), 0);
	/* 2: inject getpid in place of getppid, which then runs again */
	seccomp_stop(pid, &r);
	ret = sc_inject(pid, &r, __NR_getpid, args, &dead);
	ck_assert_int_eq(ret, pid);
	seccomp_stop(pid, &r); /* the rewound getppid traps again */
	/* 3: rewrite getppid into getpid */
	seccomp_stop(pid, &r);
	r.orig_rax = __NR_getpid;
	ret = sc_rewrite(pid, &r, &dead);
	ck_assert_int_eq(ret, pid);
	/* 4: skip with an error */
	seccomp_stop(pid, &r);
	ck_assert_int_eq(sc_skip(pid, &r, -EPERM), 0);
	/* scratch space is below the red zone */
	ck_assert_uint_le(scratch_below_sp(&r, 100), r.rsp - 128 - 100);
	ck_assert_uint_eq(scratch_below_sp(&r, 100) % 16, 0);

	ck_assert_int_eq(ptrace(PTRACE_CONT, pid, 0, 0), 0);
	ck_assert_int_eq(waitpid(pid, &st, __WALL), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "child failed at step %d", WEXITSTATUS(st));
}
END_TEST

static void add(TCase *tc)
{
	tcase_add_test(tc, primitives);
}

int main(void)
{
	return unit_run("inject", add, NULL);
}
