/* The management call: how um_add_service and friends talk to the
 * hypervisor.  A reserved system call number that the seccomp filter
 * always traps; outside umview the kernel answers ENOSYS. */
#ifndef UMVIEW_UMCALL_H
#define UMVIEW_UMCALL_H

/* Far above any x86-64 system call, below the x32 bit. */
#define UM_SYSCALL_NR 0x2000000
/* Internal: a call the hypervisor rewrites a stopped one into, so that it
 * reaches the user-notification channel (to install an fd there). */
#define UM_RELAY_NR (UM_SYSCALL_NR + 1)

/*
 * syscall(UM_SYSCALL_NR, op, arg, out, outlen)
 *   arg:    NUL-terminated text (see each op), at most UMCALL_ARG_MAX bytes
 *   out:    buffer for a NUL-terminated reply: the listing, or a message
 *           explaining a failure
 * returns 0 (or a length) on success, -1 with errno on failure.
 */
enum umcall_op {
	UMCALL_PROBE = 0,       /* arg unused: succeeds inside umview */
	UMCALL_ADD_SERVICE = 1, /* arg "NAME[,OPTIONS]" */
	UMCALL_DEL_SERVICE = 2, /* arg "NAME" */
	UMCALL_LS_SERVICE = 3,  /* arg unused; out: one "NAME\tDESCRIPTION\n"
				   line per service */
	UMCALL_LISTENER = 4,    /* internal: the first process hands over its
				   seccomp listener (arg: the fd number) */
};

#define UMCALL_ARG_MAX 4096
#define UMCALL_OUT_MAX 65536

#endif /* UMVIEW_UMCALL_H */
