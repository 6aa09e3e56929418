/* The declarative system call table: every call the engine knows, its
 * family, the role of each argument, and how it is handled. */
#ifndef UM_SCTAB_H
#define UM_SCTAB_H

#include <stdbool.h>

struct tracee;

enum sc_family {
	SCF_FILE,    /* path-taking file calls */
	SCF_FD,      /* calls on an fd */
	SCF_DIR,
	SCF_XATTR,
	SCF_SOCKET,
	SCF_PROCESS,
	SCF_MOUNT,
	SCF_MISC,    /* uname, hostname */
	SCF_TIME,
	SCF_MGMT,    /* the management call */
	SCF_REFUSED, /* never allowed inside the view */
	SCF_NFAMILIES
};

enum sc_arg {
	A_NONE,
	A_PATH,    /* const char * path */
	A_DIRFD,   /* dirfd for the next path argument */
	A_FD,      /* an fd */
	A_FLAGS,
	A_MODE,
	A_INT,
	A_SIZE,
	A_IN,      /* pointer to data the call reads */
	A_OUT,     /* pointer to data the call writes */
	A_INOUT,
};

enum sc_flags {
	SC_ALWAYS = 1 << 0,   /* the filter always traps it */
	SC_ENOSYS = 1 << 1,   /* the filter answers ENOSYS, no stop */
	SC_VDSO = 1 << 2,     /* also served by the vDSO: claiming it hides
				 the vDSO from programs started later */
	SC_BLOCKING = 1 << 3, /* may block */
	SC_NEWFD = 1 << 4,    /* returns a new fd */
	SC_PTRACED = 1 << 5,  /* served at a ptrace stop even in the file
				 family (its registers must change) */
	SC_IF_VIRTUAL = 1 << 6, /* stops only in threads that have (or had)
				   virtual fds: by their fd filter */
};

/* What the engine does once a handler has run. */
enum sc_action {
	SC_KERNEL, /* let the kernel run the call as it stands */
	SC_SKIP,   /* skip the call; the tracee sees c->ret */
	SC_INSTALL,  /* the call returns c->newfd installed in the tracee
		      (only the listener can: on the ptrace channel the call
		      is relayed, as SC_RELAY) */
	SC_RELAY,    /* ptrace channel: serve the call again from the
		      listener, where it can install an fd or wait
		      (engine.c: relay()) */
	SC_REWRITE,  /* the kernel runs the call with the arguments in c->arg
		      (ptrace channel only) */
};

struct sc_call {
	struct tracee *t;
	const struct sc_row *row;
	long nr;
	unsigned long arg[6];
	long ret; /* result (>= 0) or -errno, with SC_SKIP */
	bool via_notify; /* served from the user-notification channel */
	/* SC_INSTALL: the hypervisor's fd to install (closed after), its
	 * close-on-exec flag, and what to do with the tracee's number */
	int newfd;
	int newfd_at; /* the number to install it at; -1: the lowest free */
	bool newfd_cloexec;
	void (*installed)(struct sc_call *c, int fd);
	void *priv; /* the handler's, for installed() */
};

typedef enum sc_action (*sc_handler)(struct sc_call *c);

/* A call as a handler receives it, from either channel. */
static inline void sc_call_init(struct sc_call *c, struct tracee *t, long nr,
				const struct sc_row *row,
				const unsigned long arg[6], bool via_notify)
{
	int i;

	*c = (struct sc_call){ .t = t, .row = row, .nr = nr, .newfd = -1,
			       .newfd_at = -1, .via_notify = via_notify };
	for (i = 0; i < 6; i++)
		c->arg[i] = arg[i];
}

struct sc_row {
	int nr;
	const char *name;
	enum sc_family family;
	unsigned int flags;
	enum sc_arg arg[6];
	sc_handler handler; /* NULL: the kernel runs it */
};

/* The row for syscall nr, or NULL when the engine does not know it. */
const struct sc_row *sctab_lookup(long nr);
/* All rows, for the filter builder and the tests. */
const struct sc_row *sctab_rows(int *count);
/* Does the row take a path argument? */
bool sctab_has_path(const struct sc_row *row);

#endif
