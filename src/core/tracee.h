/* Tracees (traced threads) and the per-process state they share. */
#ifndef UM_TRACEE_H
#define UM_TRACEE_H

#include <stdbool.h>
#include <sys/types.h>
#include <sys/user.h>

#include "filter.h"

struct fdtab;
struct vmas;

/* cwd, root and umask: shared under CLONE_FS, copied otherwise.  cwd and
 * root are set only while they lie inside a virtual mount (NULL: the
 * kernel's own are right).  umask(2) stops only once something is
 * mounted, so the umask is read once from /proc/PID/status (umask_known
 * false until then, cred.c) and followed by the trapped umask calls
 * after. */
struct fsinfo {
	int refs;
	mode_t umask;
	bool umask_known;
	char *cwd;
	char *root;
};

struct fsinfo *fsinfo_new(mode_t umask);
struct fsinfo *fsinfo_share(struct fsinfo *fs);
struct fsinfo *fsinfo_copy(const struct fsinfo *fs);
void fsinfo_put(struct fsinfo *fs);

enum tracee_flags {
	T_HELD = 1 << 1,        /* stopped at its initial stop, waiting for
				   its parent's fork/clone event */
	T_LISTEN = 1 << 2,      /* in group-stop under PTRACE_LISTEN */
	T_STOPPED = 1 << 3,     /* in a ptrace stop we have not resumed */
	T_INTERRUPTED = 1 << 4, /* PTRACE_INTERRUPT sent, stop not seen */
};

struct tracee {
	pid_t tid;
	pid_t tgid;
	unsigned int flags;
	unsigned int filter_gen; /* newest filter generation installed */
	struct fdmask fdmask;    /* fd numbers its fd filters stop */
	unsigned long fdmask_gen; /* files' generation it was checked at */
	long relay_nr; /* the call its relay call (UM_RELAY_NR) stands for */
	struct fdtab *files;
	struct fsinfo *fs;
	struct vmas *vmas; /* shared mappings of virtual files (sc/mmap.c),
			      shared under CLONE_VM; NULL: none */
	bool unmaps_wanted;  /* munmap, msync, mremap must stop in it (it
				shares a map of a served file) */
	bool unmaps_trapped; /* its filters stop them */
	struct {
		bool known; /* read (cred.c); forgotten by set*id, execve */
		uid_t fsuid;
		gid_t fsgid;
	} cred;
	struct user_regs_struct regs; /* valid while stopped, once read */
	struct tracee *hnext;
};

struct tracee *tracee_new(pid_t tid, pid_t tgid);
struct tracee *tracee_find(pid_t tid);
/* Re-key a tracee under another tid (execve from a non-leader thread). */
void tracee_rekey(struct tracee *t, pid_t tid);
void tracee_free(struct tracee *t);
int tracee_count(void);
/* A new tracee c made by parent with clone flags: its address-space
 * state (CLONE_VM shares it, fork copies it). */
void tracee_clone_vm(struct tracee *c, const struct tracee *parent,
		     unsigned long flags);
/* execve: the old address space and its mappings are gone. */
void tracee_exec_vm(struct tracee *t);

/* The mapping list, in sc/mmap.c: a reference shared (CLONE_VM), a copy
 * (fork: the same memfds at the same addresses), and dropping one (the
 * last writes the mappings' changes back to their modules). */
struct vmas *vmas_share(struct vmas *vm);
struct vmas *vmas_copy(const struct vmas *vm);
void vmas_put(struct vmas *vm);

/* Call fn on every tracee; fn may not free tracees. */
void tracee_foreach(void (*fn)(struct tracee *t, void *arg), void *arg);

#endif
