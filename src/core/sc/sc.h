/* Handlers of the system call families, one file per family. */
#ifndef UM_SC_H
#define UM_SC_H

#include "../sctab.h"

/* sc/mgmt.c */
enum sc_action sc_umcall(struct sc_call *c);
/* sc/mount.c */
enum sc_action sc_mount(struct sc_call *c);
enum sc_action sc_umount2(struct sc_call *c);
/* sc/misc.c */
enum sc_action sc_uname(struct sc_call *c);
enum sc_action sc_sethostname(struct sc_call *c);
/* sc/time.c */
enum sc_action sc_clock_gettime(struct sc_call *c);
enum sc_action sc_gettimeofday(struct sc_call *c);
enum sc_action sc_time(struct sc_call *c);
enum sc_action sc_clock_settime(struct sc_call *c);
enum sc_action sc_settimeofday(struct sc_call *c);

#endif
