/* purelibc's internals: the call path every wrapper takes. */
#ifndef PURELIBC_INTERNAL_H
#define PURELIBC_INTERNAL_H

#include <errno.h>
#include <stddef.h>

#include <purelibc.h>

#define PC_HIDDEN __attribute__((visibility("hidden")))
/* The wrappers are the library's interface: exported by name. */
#define PC_EXPORT __attribute__((visibility("default")))

PC_HIDDEN extern purelibc_hook_t pc_hook;

static inline long pc_native(long nr, long a1, long a2, long a3, long a4,
			     long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			   "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

PC_HIDDEN long pc_hooked(purelibc_hook_t hook, long nr, long a1, long a2,
			 long a3, long a4, long a5, long a6);

/* The system call through the hook: the result or -errno.  Without a hook,
 * one test and the real call. */
static inline long pc_call(long nr, long a1, long a2, long a3, long a4,
			   long a5, long a6)
{
	purelibc_hook_t hook = __atomic_load_n(&pc_hook, __ATOMIC_RELAXED);

	if (__builtin_expect(hook != NULL, 0))
		return pc_hooked(hook, nr, a1, a2, a3, a4, a5, a6);
	return pc_native(nr, a1, a2, a3, a4, a5, a6);
}

/* A kernel result turned into libc's convention. */
static inline long pc_ret(long r)
{
	if ((unsigned long)r > -4096UL) {
		errno = -r;
		return -1;
	}
	return r;
}

#define PC_ARG(x) ((long)(x))
#define PC0(nr) pc_ret(pc_call((nr), 0, 0, 0, 0, 0, 0))
#define PC1(nr, a) pc_ret(pc_call((nr), PC_ARG(a), 0, 0, 0, 0, 0))
#define PC2(nr, a, b) pc_ret(pc_call((nr), PC_ARG(a), PC_ARG(b), 0, 0, 0, 0))
#define PC3(nr, a, b, c) \
	pc_ret(pc_call((nr), PC_ARG(a), PC_ARG(b), PC_ARG(c), 0, 0, 0))
#define PC4(nr, a, b, c, d) \
	pc_ret(pc_call((nr), PC_ARG(a), PC_ARG(b), PC_ARG(c), PC_ARG(d), 0, 0))
#define PC5(nr, a, b, c, d, e)                                              \
	pc_ret(pc_call((nr), PC_ARG(a), PC_ARG(b), PC_ARG(c), PC_ARG(d),     \
		       PC_ARG(e), 0))
#define PC6(nr, a, b, c, d, e, f)                                           \
	pc_ret(pc_call((nr), PC_ARG(a), PC_ARG(b), PC_ARG(c), PC_ARG(d),     \
		       PC_ARG(e), PC_ARG(f)))

/* Does the hook serve fd (a placeholder of a virtual file)? */
PC_HIDDEN int pc_fd_virtual(int fd);

#endif
