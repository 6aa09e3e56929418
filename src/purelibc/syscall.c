/* purelibc: the hook, the real system call, and syscall(). */
#include <stdarg.h>
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

/* syscall(2): six arguments are always read, as the kernel ABI has them;
 * callers pass fewer, and the extra ones are ignored by the kernel. */
PC_EXPORT long syscall(long nr, ...)
{
	long a[6];
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	return pc_ret(pc_call(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
}
