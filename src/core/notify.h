/* The user-notification channel: seccomp listeners whose calls are served
 * without a ptrace stop (the file family, once something is mounted). */
#ifndef UM_NOTIFY_H
#define UM_NOTIFY_H

#include <stdbool.h>
#include <sys/types.h>

/* Take a listener fd (obtained from a tracee) into the channel. */
int notify_add_listener(int fd);
/* Is any listener open? */
bool notify_active(void);
/* Wait for the next notification or the next SIGCHLD (sigfd, a signalfd)
 * and serve notifications as they come.  Returns 1 when sigfd is ready, 0
 * when interrupted by a signal, -errno on failure. */
int notify_wait(int sigfd);

/* Deferred answers, for a call that must wait (a blocking lock request)
 * without blocking the hypervisor.  The kernel keeps the caller waiting
 * (killable only: the filters use SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
 * until the answer is sent. */
struct notify_ticket {
	int listener;
	unsigned long long id;
	pid_t tid;
};
/* From a handler on this channel: the call will be answered later with
 * notify_answer(); nothing is sent when the handler returns.  False (and
 * nothing deferred) on the ptrace channel. */
bool notify_defer(struct notify_ticket *tk);
/* Answer a deferred call: ret >= 0 or -errno.  -ENOENT: the caller is no
 * longer waiting (killed). */
int notify_answer(const struct notify_ticket *tk, long ret);
/* Is the caller still waiting for this answer? */
bool notify_valid(const struct notify_ticket *tk);
/* Call fn every NOTIFY_TICK_MS milliseconds from the wait loop while ms
 * is not 0 (ms 0: stop calling fn).  A few callers may tick at once.  0 or
 * -errno. */
#define NOTIFY_TICK_MS 20
int notify_set_tick(void (*fn)(void), int ms);

#endif
