/* The filter builder: sets, what registrations want, and the built program
 * installed for real in the (forked) test process. */
#include <errno.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "filter.h"
#include "reg.h"
#include "unit.h"

static struct um_service *const A = (struct um_service *)0x1000;

static void teardown(void)
{
	reg_del_service(A);
}

/* Install a program built for s in this (forked) test process. */
static void install(const struct filter_set *s)
{
	struct sock_fprog prog;

	ck_assert_int_eq(filter_build(s, NULL, &prog), 0);
	ck_assert_int_gt(prog.len, 4);
	ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	ck_assert_int_eq(syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog), 0);
	free(prog.filter);
}

/* A traced call with no tracer attached fails with ENOSYS. */
static long call_errno(long nr, long a0)
{
	errno = 0;
	return syscall(nr, a0, 0, 0, 0, 0) < 0 ? errno : 0;
}

START_TEST(sets)
{
	struct filter_set a = { { 0 } }, b = { { 0 } };

	filter_set_add(&a, 1);
	filter_set_add(&a, 300);
	filter_set_add(&a, FILTER_MAXNR); /* out of range: ignored */
	ck_assert(filter_set_has(&a, 300));
	ck_assert(!filter_set_has(&a, 2));
	ck_assert(!filter_set_subset(&a, &b));
	filter_set_union(&b, &a);
	ck_assert(filter_set_subset(&a, &b));
	filter_set_add(&b, 5);
	ck_assert(!filter_set_subset(&b, &a));
}
END_TEST

START_TEST(empty_view_traps_only_the_hypervisors_calls)
{
	struct filter_set none = { { 0 } };
	int ret;

	install(&none);
	/* untouched */
	ck_assert_int_eq(call_errno(__NR_getppid, 0), 0);
	ck_assert_int_eq(syscall(__NR_getpid), getpid());
	ck_assert_int_eq(call_errno(__NR_uname, 0), EFAULT);
	/* traced (ENOSYS without a tracer: a dead hypervisor fails closed) */
	ck_assert_int_eq(call_errno(__NR_mount, 0), ENOSYS);
	ck_assert_int_eq(call_errno(__NR_umount2, 0), ENOSYS);
	/* refused */
	ck_assert_int_eq(call_errno(__NR_io_uring_setup, 1), ENOSYS);
	ck_assert_int_eq(call_errno(0x40000000 | __NR_getpid, 0), ENOSYS);
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20) : "memory");
	ck_assert_int_eq(ret, -ENOSYS);
}
END_TEST

START_TEST(registered_syscall_is_trapped)
{
	struct filter_set want, notify;

	/* a call neither Check nor the sanitizers' runtimes make */
	ck_assert_int_ge(reg_add(A, UM_REG_SYSCALL, __NR_getitimer, NULL), 0);
	filter_wanted(&want, &notify);
	ck_assert(filter_set_has(&want, __NR_getitimer));
	ck_assert(filter_set_empty(&notify));
	ck_assert(!filter_set_has(&want, __NR_getpid));
	install(&want);
	ck_assert_int_eq(call_errno(__NR_getitimer, 0), ENOSYS);
	ck_assert_int_eq(call_errno(__NR_getpid, 0), 0);
}
END_TEST

START_TEST(path_registration_wants_file_calls)
{
	struct filter_set want, notify;

	filter_wanted(&want, &notify);
	ck_assert(filter_set_empty(&want) && filter_set_empty(&notify));
	ck_assert_int_ge(reg_add(A, UM_REG_PATH, 0, "/mnt"), 0);
	filter_wanted(&want, &notify);
	/* answered through the user-notification listener, not ptrace,
	 * except execve: its path argument may have to change */
	ck_assert(filter_set_has(&want, __NR_execve));
	ck_assert(!filter_set_has(&notify, __NR_execve));
	ck_assert(!filter_set_has(&want, __NR_openat));
	ck_assert(filter_set_has(&notify, __NR_openat));
	ck_assert(filter_set_has(&notify, __NR_newfstatat));
	ck_assert(filter_set_has(&notify, __NR_fchdir));
	/* calls by fd: only through the per-thread fd filters */
	ck_assert(!filter_set_has(&notify, __NR_read));
	ck_assert(!filter_set_has(&notify, __NR_close));
	ck_assert(!filter_set_has(&notify, __NR_sendmsg));
	ck_assert(!filter_set_has(&want, __NR_read));
	ck_assert(!filter_set_has(&notify, __NR_getpid));
}
END_TEST

/* The fd filter, installed for real with distinguishable errno actions:
 * EBADMSG stands for "notify", ENOSTR for "trace". */
START_TEST(fd_filter_stops_only_virtual_numbers)
{
	struct fdmask m = { { 0 }, false };
	struct sock_fprog prog;
	char c;

	fdmask_add(&m, 5);
	fdmask_add(&m, 40);
	fdmask_add(&m, 1000);
	ck_assert(fdmask_has(&m, 40) && !fdmask_has(&m, 41));
	ck_assert_int_eq(filter_build_fdmask(&m, SECCOMP_RET_ERRNO | EBADMSG,
					     SECCOMP_RET_ERRNO | ENOSTR, &prog),
			 0);
	ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	ck_assert_int_eq(syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog), 0);
	free(prog.filter);
	/* in the mask: stopped, whatever the call by fd */
	ck_assert_int_eq(call_errno(__NR_read, 5), EBADMSG);
	ck_assert_int_eq(call_errno(__NR_close, 40), EBADMSG);
	ck_assert_int_eq(call_errno(__NR_fstat, 1000), EBADMSG);
	errno = 0;
	ck_assert_int_eq(syscall(__NR_dup2, 0, 5), -1); /* the new fd too */
	ck_assert_int_eq(errno, EBADMSG);
	/* passing fds: whatever the socket, in a thread with virtual fds */
	ck_assert_int_eq(call_errno(__NR_sendmsg, 77), EBADMSG);
	/* close_range reaching a virtual number: for ptrace */
	ck_assert_int_eq(call_errno(__NR_close_range, 3), ENOSTR);
	/* not in the mask: untouched (EBADF from the kernel) */
	ck_assert_int_eq(call_errno(__NR_read, 6), EBADF);
	ck_assert_int_eq(call_errno(__NR_close, 41), EBADF);
	ck_assert_int_eq(call_errno(__NR_fstat, 999), EBADF);
	ck_assert_int_eq(read(0, &c, 0), 0);
	/* negative numbers are no fds: anonymous mmap is untouched */
	ck_assert(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0) != MAP_FAILED);
	/* calls that are not by fd: untouched */
	ck_assert_int_eq(syscall(__NR_getpid), getpid());
}
END_TEST

START_TEST(vdso_hidden_only_for_time_claims)
{
	ck_assert(!filter_hides_vdso());
	ck_assert_int_ge(reg_add(A, UM_REG_SYSCALL, __NR_uname, NULL), 0);
	ck_assert(!filter_hides_vdso());
	ck_assert_int_ge(reg_add(A, UM_REG_SYSCALL, __NR_clock_gettime, NULL), 0);
	ck_assert(filter_hides_vdso());
}
END_TEST

static void add(TCase *tc)
{
	tcase_add_test(tc, sets);
	tcase_add_test(tc, empty_view_traps_only_the_hypervisors_calls);
	tcase_add_test(tc, registered_syscall_is_trapped);
	tcase_add_test(tc, path_registration_wants_file_calls);
	tcase_add_test(tc, fd_filter_stops_only_virtual_numbers);
	tcase_add_test(tc, vdso_hidden_only_for_time_claims);
}

int main(void)
{
	return unit_run("filter", add, teardown);
}
