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

#endif
