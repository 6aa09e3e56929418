/* The engine: starts the command under ptrace with the seccomp filter and
 * serves every stop of every tracee until the last one has gone. */
#ifndef UM_ENGINE_H
#define UM_ENGINE_H

struct tracee;

/* Run argv under the view.  Returns the exit code umview should exit
 * with: the command's status, or 128+N if it was killed by signal N. */
int engine_run(char *const argv[]);

/* The registrations changed: make sure every tracee's filter traps what
 * they now need (new filters are injected lazily, before each tracee's
 * next system call). */
void engine_filter_refresh(void);

/* UMCALL_LISTENER: the first process hands over the listener of the
 * filter it installed (fd n in it).  Refused from anyone else, or twice. */
int engine_take_listener(struct tracee *t, int n);

/* A call of t has been served through a listener, which may have made fd
 * numbers virtual in its table: threads whose fd filters do not cover them
 * yet are stopped before they return to user space, and get a new fd
 * filter before their next system call.  Call before answering. */
void engine_files_changed(struct tracee *t);


/* munmap, msync and mremap must stop in t's process from now on (a shared
 * map of a served file): each of its threads gets the filter before its
 * next call (t, at its ptrace stop, when it is resumed). */
void engine_trap_unmaps(struct tracee *t);

/* The tracee whose call is being served. */
struct tracee *engine_current(void);
void engine_set_current(struct tracee *t);

#endif
