/* purelibc: the hook, the real system call, and syscall(). */
#include <unistd.h>

#include "internal.h"

PC_HIDDEN purelibc_hook_t pc_hook;

PC_EXPORT purelibc_hook_t purelibc_set_hook(purelibc_hook_t hook)
{
	return __atomic_exchange_n(&pc_hook, hook, __ATOMIC_SEQ_CST);
}

PC_EXPORT purelibc_hook_t purelibc_get_hook(void)
{
	return __atomic_load_n(&pc_hook, __ATOMIC_RELAXED);
}

long pc_hooked(purelibc_hook_t hook, long nr, long a1, long a2, long a3,
	       long a4, long a5, long a6)
{
	const long args[6] = { a1, a2, a3, a4, a5, a6 };
	long ret;

	if (hook(nr, args, &ret))
		return ret;
	return pc_native(nr, a1, a2, a3, a4, a5, a6);
}

PC_EXPORT long purelibc_syscall(long nr, long a1, long a2, long a3, long a4,
				long a5, long a6)
{
	return pc_call(nr, a1, a2, a3, a4, a5, a6);
}

PC_EXPORT long purelibc_native_syscall(long nr, long a1, long a2, long a3,
				       long a4, long a5, long a6)
{
	return pc_native(nr, a1, a2, a3, a4, a5, a6);
}

int pc_fd_virtual(int fd)
{
	purelibc_hook_t hook = __atomic_load_n(&pc_hook, __ATOMIC_RELAXED);
	const long args[6] = { fd };
	long ret = 0;

	return hook && hook(PURELIBC_NR_VIRTUAL_FD, args, &ret) && ret == 1;
}

/*
 * syscall(2).  Callers pass only the arguments their call takes, so the
 * six cannot be read with va_arg: the missing ones would be read from the
 * caller's frame (ASan rightly reports it).  As glibc does, an entry in
 * assembly hands the registers over as they are: syscall_regs() takes
 * seven arguments, finds nr and the first five in registers and the sixth
 * where a caller that passed one put it (else whatever lies there, which
 * the kernel ignores for calls with fewer arguments).
 */
__attribute__((used)) static long syscall_regs(long nr, long a1, long a2,
					       long a3, long a4, long a5,
					       long a6)
{
	return pc_ret(pc_call(nr, a1, a2, a3, a4, a5, a6));
}

__asm__(".text\n"
	".globl syscall\n"
	".type syscall, @function\n"
	"syscall:\n"
	"\tjmp syscall_regs\n"
	".size syscall, .-syscall\n");
