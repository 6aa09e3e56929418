/* A tracee's file-system credentials and umask, kept for the modules
 * (um_caller_cred() in include/umview/module.h). */
#ifndef UM_CRED_H
#define UM_CRED_H

#include <errno.h>
#include <sys/types.h>
#include <umview/module.h>

struct tracee;

/* The umask of t's process (read once, then followed through umask(2)). */
mode_t tracee_umask(struct tracee *t);
/* t is about to change its credentials (set*id, execve). */
void tracee_cred_forget(struct tracee *t);

#endif
