/* The engine: starts the command under ptrace with the seccomp filter and
 * serves every stop of every tracee until the last one has gone. */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <umview/module.h>
#include <umview/umcall.h>

#include "cred.h"
#include "engine.h"
#include "fdtab.h"
#include "filter.h"
#include "inject.h"
#include "log.h"
#include "mem.h"
#include "notify.h"
#include "reg.h"
#include "sctab.h"
#include "service.h"
#include "sc/sc.h"
#include "tracee.h"

#define PTRACE_OPTIONS                                                       \
	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |  \
	 PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP | \
	 PTRACE_O_EXITKILL)

/* Filter generations: every tracee has generation 1 (installed by the
 * first process itself) up to `gen`; a tracee with less gets `prog`, which
 * traps everything any generation trapped.
 *
 * A filter chain can hold one listener only (a second seccomp(2) with
 * NEW_LISTENER is EBUSY): a tracee that already has one, from generation
 * listener_gen on (filters and generations are inherited), gets `plain`
 * instead, the same without a listener, which leaves the calls its
 * listener already receives to it and stops any newer ones for ptrace. */
static struct {
	unsigned int gen;
	struct sock_fprog prog;
	struct filter_set trapped;  /* what prog traps beyond the table's rows */
	struct filter_set notified; /* what it sends to a listener */
	bool listener;              /* install it with a new listener */
	unsigned int listener_gen;  /* first generation with one; 0: none */
	struct filter_set listened; /* what that generation's listener gets */
	struct sock_fprog plain;    /* for tracees past listener_gen */
} flt;

/* A new generation: remember its listener, build `plain`. */
static int new_generation(void)
{
	struct filter_set trap = flt.trapped;
	int nr, err;

	flt.listener = !filter_set_empty(&flt.notified);
	flt.gen++;
	if (flt.listener && !flt.listener_gen) {
		flt.listener_gen = flt.gen;
		flt.listened = flt.notified;
	}
	if (!flt.listener_gen)
		return 0;
	for (nr = 0; nr < FILTER_MAXNR; nr++)
		if (filter_set_has(&flt.notified, nr) &&
		    !filter_set_has(&flt.listened, nr))
			filter_set_add(&trap, nr);
	free(flt.plain.filter);
	flt.plain.filter = NULL;
	err = filter_build(&trap, NULL, &flt.plain);
	if (err < 0)
		log_error("cannot build the seccomp filter: %s",
			  strerror(-err));
	return err;
}

/* Whether programs started now must not see the vDSO, cached. */
static struct {
	unsigned long reg_gen;
	bool hide;
} vdso = { ~0UL, false };

static pid_t root_pid;
static bool root_listener_pending; /* UMCALL_LISTENER not made yet */
static int root_status = -1;
static struct tracee *current;
static volatile sig_atomic_t stop_signal;

struct tracee *engine_current(void)
{
	return current;
}

void engine_set_current(struct tracee *t)
{
	current = t;
}

pid_t um_caller_tid(void)
{
	return current ? current->tid : 0;
}

pid_t um_caller_pid(void)
{
	return current ? current->tgid : 0;
}

/* The fd numbers virtual in t's table. */
static void files_mask(const struct tracee *t, struct fdmask *m)
{
	int fd;

	memset(m, 0, sizeof(*m));
	for (fd = fdtab_next(t->files, 0); fd >= 0;
	     fd = fdtab_next(t->files, fd + 1))
		fdmask_add(m, fd);
}

/* Does t's table hold a virtual number that its fd filters miss? */
static bool fd_stale(struct tracee *t)
{
	struct fdmask want;
	unsigned long gen;

	if (!t->files || (gen = fdtab_generation(t->files)) == t->fdmask_gen)
		return false;
	files_mask(t, &want);
	if (!fdmask_subset(&want, &t->fdmask))
		return true;
	t->fdmask_gen = gen;
	return false;
}

static bool stale(struct tracee *t)
{
	return t->filter_gen < flt.gen || fd_stale(t) ||
	       (t->unmaps_wanted && !t->unmaps_trapped);
}

/* Resume a stopped tracee.  A tracee whose filter is stale is resumed to
 * its next syscall entry, where the new filter is injected. */
static void resume(struct tracee *t, int sig)
{
	int req = stale(t) ? PTRACE_SYSCALL : PTRACE_CONT;

	t->flags &= ~T_STOPPED;
	if (ptrace(req, t->tid, 0, sig) < 0 && errno != ESRCH)
		log_error("cannot resume %d: %s", t->tid, strerror(errno));
}

static void tracee_gone(struct tracee *t, pid_t tid, int status)
{
	if (tid == root_pid)
		root_status = status;
	if (t) {
		debug("%d gone (status %#x)", tid, status);
		tracee_free(t);
	}
	if (t == current)
		current = NULL;
}

/* --- filter updates --- */

static void interrupt_stale(struct tracee *t, void *arg)
{
	(void)arg;
	if (t == current || !stale(t) ||
	    (t->flags & (T_HELD | T_LISTEN | T_INTERRUPTED | T_STOPPED)))
		return;
	if (ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) == 0)
		t->flags |= T_INTERRUPTED;
}

void engine_filter_refresh(void)
{
	struct filter_set trap, notify;
	struct sock_fprog prog;
	int err;

	if (flt.gen == 0) /* not started: engine_run builds the first one */
		return;
	filter_wanted(&trap, &notify);
	if (filter_set_subset(&trap, &flt.trapped) &&
	    filter_set_subset(&notify, &flt.notified))
		return;
	filter_set_union(&trap, &flt.trapped);
	filter_set_union(&notify, &flt.notified);
	err = filter_build(&trap, &notify, &prog);
	if (err < 0) {
		log_error("cannot build the seccomp filter: %s", strerror(-err));
		return;
	}
	free(flt.prog.filter);
	flt.prog = prog;
	flt.trapped = trap;
	flt.notified = notify;
	new_generation();
	debug("filter generation %u (%u instructions)", flt.gen, prog.len);
	/* Running tracees stop and pick it up before their next call. */
	tracee_foreach(interrupt_stale, NULL);
}

static unsigned long filter_flags(void)
{
	return flt.listener ? SECCOMP_FILTER_FLAG_NEW_LISTENER |
				      SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
			    : 0;
}

/* Copy the tracee's listener fd n into the hypervisor's channel. */
static int fetch_listener(pid_t tgid, int n)
{
	int pidfd = syscall(SYS_pidfd_open, tgid, 0), fd;

	if (pidfd < 0)
		return -errno;
	fd = syscall(SYS_pidfd_getfd, pidfd, n, 0);
	if (fd < 0)
		fd = -errno;
	close(pidfd);
	if (fd < 0)
		return fd;
	return notify_add_listener(fd);
}

int engine_take_listener(struct tracee *t, int n)
{
	if (!root_listener_pending || t->tid != root_pid)
		return -EPERM;
	root_listener_pending = false;
	return fetch_listener(root_pid, n);
}

/* The injected seccomp(2) left a listener at fd n in the tracee: take a
 * copy, then close it there (with close_range, which no filter stops). */
static long take_listener(struct tracee *t, int n,
			  const struct user_regs_struct *back, int *status)
{
	unsigned long args[6] = { n, n, 0 };
	int err = fetch_listener(t->tgid, n);
	long ret = sc_inject_again(t->tid, back, __NR_close_range, args, status);

	return err < 0 ? err : ret;
}

/* Write prog below t's stack pointer and inject seccomp(2) for it (with
 * a new listener, taken over, when `listener`).  The first injection of a
 * stop starts from its entry registers (*first true), later ones from the
 * rewound registers *back that the first left.  Returns 0 or -errno;
 * -ESRCH when t died (and was handled). */
static long inject_filter(struct tracee *t, const struct sock_fprog *prog,
			  bool listener, bool *first,
			  struct user_regs_struct *back)
{
	size_t size = prog->len * sizeof(struct sock_filter);
	unsigned long addr = scratch_below_sp(&t->regs, size + 16);
	unsigned long faddr = addr + 16;
	unsigned long args[6] = { SECCOMP_SET_MODE_FILTER,
				  listener ? SECCOMP_FILTER_FLAG_NEW_LISTENER |
					  SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
					   : 0,
				  addr };
	unsigned char fprog[16] = { 0 }; /* struct sock_fprog, in the tracee */
	unsigned short len = prog->len;
	long ret;
	int status = -1, err;

	memcpy(fprog, &len, sizeof(len));
	memcpy(fprog + 8, &faddr, sizeof(faddr));
	err = mem_write(t->tid, addr, fprog, sizeof(fprog));
	if (!err)
		err = mem_write(t->tid, faddr, prog->filter, size);
	if (err < 0)
		return err;
	if (*first)
		ret = sc_inject_back(t->tid, &t->regs, __NR_seccomp, args,
				     &status, back);
	else
		ret = sc_inject_again(t->tid, back, __NR_seccomp, args,
				      &status);
	*first = false;
	if (ret >= 0 && listener)
		ret = take_listener(t, (int)ret, back, &status);
	if (ret == -ESRCH && status != -1) {
		tracee_gone(t, t->tid, status);
		return -ESRCH;
	}
	return ret < 0 ? ret : 0;
}

/* At a syscall-entry stop: install the newest filter generation and the
 * fd filter t's table needs, by injecting seccomp(2), then rewind so that
 * the call is made again under them.  Returns 0, or -ESRCH if the tracee
 * died (and was handled). */
static int update_filter(struct tracee *t)
{
	struct user_regs_struct back;
	bool first = true;
	long ret;

	if (t->filter_gen < flt.gen) {
		bool has = flt.listener_gen && t->filter_gen >= flt.listener_gen;

		ret = has && !flt.plain.filter ? -ENOMEM
		      : inject_filter(t, has ? &flt.plain : &flt.prog,
				      flt.listener && !has, &first, &back);
		if (ret == -ESRCH)
			return -ESRCH;
		if (ret < 0)
			log_error("cannot install the filter in %d: %s", t->tid,
				  strerror((int)-ret));
		else
			debug("%d: filter generation %u installed", t->tid,
			      flt.gen);
		t->filter_gen = flt.gen; /* do not loop on it */
	}
	if (fd_stale(t)) {
		struct fdmask want;
		struct sock_fprog prog;

		files_mask(t, &want);
		fdmask_union(&want, &t->fdmask);
		/* Stops for ptrace: a thread's filters may hold one listener
		 * only, and the first generation's has it. */
		ret = filter_build_fdmask(&want, SECCOMP_RET_TRACE,
					  SECCOMP_RET_TRACE, &prog);
		if (ret == 0) {
			ret = inject_filter(t, &prog, false, &first, &back);
			free(prog.filter);
		}
		if (ret == -ESRCH)
			return -ESRCH;
		if (ret < 0)
			log_error("cannot install an fd filter in %d: %s",
				  t->tid, strerror((int)-ret));
		else
			debug("%d: fd filter installed", t->tid);
		t->fdmask = want; /* do not loop on it */
		t->fdmask_gen = fdtab_generation(t->files);
	}
	if (t->unmaps_wanted && !t->unmaps_trapped) {
		struct sock_filter insn[8];
		struct sock_fprog prog = { filter_addr_calls(insn, 8), insn };

		ret = prog.len ? inject_filter(t, &prog, false, &first, &back)
			       : -E2BIG;
		if (ret == -ESRCH)
			return -ESRCH;
		if (ret < 0)
			log_error("%d: cannot trap munmap: %s: shared maps are "
				  "written back at msync and exit only",
				  t->tid, strerror((int)-ret));
		t->unmaps_trapped = true; /* do not loop on it */
	}
	return 0;
}

static void want_unmaps(struct tracee *t, void *tgid)
{
	if (t->tgid == *(pid_t *)tgid)
		t->unmaps_wanted = true;
}

void engine_trap_unmaps(struct tracee *t)
{
	if (t->unmaps_trapped)
		return;
	tracee_foreach(want_unmaps, &t->tgid);
	tracee_foreach(interrupt_stale, NULL);
}

void engine_files_changed(struct tracee *t)
{
	if (!t || !fd_stale(t))
		return;
	/* Stopped on its way back to user space: resumed from there to its
	 * next syscall entry, where the fd filter goes in before the call
	 * runs.  (Its listener waits killably: the interrupt cannot
	 * withdraw the call being answered.) */
	if (!(t->flags & T_INTERRUPTED) &&
	    ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) == 0)
		t->flags |= T_INTERRUPTED;
	/* Threads sharing the table: before their next call. */
	tracee_foreach(interrupt_stale, NULL);
}

/* --- system calls --- */

/* Only the listener can install an fd in a tracee or keep a call waiting
 * without stopping the hypervisor: such a call, met at a ptrace stop, is
 * rewritten into the relay call, which the kernel then sends to the
 * listener (seccomp checks a call again when its tracer changed it), and
 * notify.c serves it there as the call nr, with its arguments as they
 * are.  t->relay_nr stays set: a restart after a signal comes back as
 * the relay call too. */
static void relay(struct tracee *t, long nr)
{
	t->relay_nr = nr;
	t->regs.orig_rax = UM_RELAY_NR;
	regs_set(t->tid, &t->regs);
}

static void on_seccomp(struct tracee *t)
{
	const struct sc_row *row;
	unsigned long arg[6];
	struct sc_call c;
	long nr;
	int i;

	if (regs_get(t->tid, &t->regs) < 0)
		return; /* gone: its exit is reported later */
	if (stale(t)) {
		if (update_filter(t) == 0)
			resume(t, 0);
		return;
	}
	nr = (long)t->regs.orig_rax;
	row = sctab_lookup(nr);
	if (!row || !row->handler) {
		resume(t, 0);
		return;
	}
	for (i = 0; i < 6; i++)
		arg[i] = regs_arg(&t->regs, i);
	sc_call_init(&c, t, nr, row, arg, false);
	switch (row->handler(&c)) {
	case SC_SKIP:
		debug("%d: %s -> %ld", t->tid, row->name, c.ret);
		sc_skip(t->tid, &t->regs, c.ret);
		break;
	case SC_REWRITE:
		regs_set_call(&t->regs, c.nr, c.arg);
		t->regs.rax = -ENOSYS; /* as at any syscall entry */
		regs_set(t->tid, &t->regs);
		break;
	case SC_INSTALL: /* made again by the listener */
		if (c.newfd >= 0)
			close(c.newfd);
		relay(t, nr);
		break;
	case SC_RELAY:
		relay(t, nr);
		break;
	case SC_KERNEL:
		break;
	}
	resume(t, 0);
}

/* A PTRACE_SYSCALL stop: only stale tracees are resumed that way. */
static void on_syscall_stop(struct tracee *t)
{
	struct __ptrace_syscall_info info;

	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof(info), &info) > 0 &&
	    info.op == PTRACE_SYSCALL_INFO_ENTRY && stale(t)) {
		if (regs_get(t->tid, &t->regs) < 0 || update_filter(t) < 0)
			return;
	}
	resume(t, 0);
}

/* --- process events --- */

static unsigned long clone_flags(struct tracee *parent)
{
	struct user_regs_struct r;
	unsigned long flags = 0;

	if (regs_get(parent->tid, &r) < 0)
		return 0;
	switch ((long)r.orig_rax) {
	case __NR_clone:
		return r.rdi;
	case __NR_clone3:
		if (mem_read(parent->tid, r.rdi, &flags, sizeof(flags)) < 0)
			return 0;
		return flags;
	case __NR_vfork:
		return CLONE_VM | CLONE_VFORK;
	default: /* fork */
		return 0;
	}
}

static void on_clone(struct tracee *t)
{
	unsigned long msg, flags;
	struct tracee *c;
	bool held;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &msg) < 0)
		return;
	flags = clone_flags(t);
	c = tracee_find((pid_t)msg);
	held = c && (c->flags & T_HELD);
	if (!c && !(c = tracee_new((pid_t)msg, (pid_t)msg))) {
		log_error("out of memory: cannot follow %lu", msg);
		kill((pid_t)msg, SIGKILL);
		return;
	}
	c->tgid = (flags & CLONE_THREAD) ? t->tgid : c->tid;
	c->files = (flags & CLONE_FILES) ? fdtab_share(t->files)
					 : fdtab_copy(t->files);
	c->fs = (flags & CLONE_FS) ? fsinfo_share(t->fs) : fsinfo_copy(t->fs);
	tracee_clone_vm(c, t, flags);
	c->filter_gen = t->filter_gen;
	c->fdmask = t->fdmask; /* filters are inherited */
	if (!c->files || !c->fs) {
		log_error("out of memory: cannot follow %d", c->tid);
		kill(c->tid, SIGKILL);
	}
	debug("%d: new %s %d (flags %#lx)", t->tid,
	      (flags & CLONE_THREAD) ? "thread" : "process", c->tid, flags);
	if (held) {
		c->flags &= ~T_HELD;
		resume(c, 0);
	}
}

static bool want_hidden_vdso(void)
{
	if (vdso.reg_gen != reg_generation()) {
		vdso.hide = filter_hides_vdso();
		vdso.reg_gen = reg_generation();
	}
	return vdso.hide;
}

/* Words of tracee memory, read 512 bytes (never across a page) at once. */
struct word_reader {
	pid_t tid;
	unsigned long base;
	bool valid;
	unsigned long buf[64];
};

static int word_at(struct word_reader *w, unsigned long addr,
		   unsigned long *v)
{
	unsigned long block = addr & ~511UL;

	if (!w->valid || w->base != block) {
		if (mem_read(w->tid, block, w->buf, sizeof(w->buf)) < 0)
			return -1;
		w->base = block;
		w->valid = true;
	}
	*v = w->buf[(addr - block) / 8];
	return 0;
}

/* Turn the new program's AT_SYSINFO_EHDR into AT_IGNORE, so that its libc
 * makes real (trappable) calls instead of using the vDSO.  At the exec
 * stop the stack holds argc, argv[], NULL, envp[], NULL, then auxv. */
static void hide_vdso(struct tracee *t)
{
	struct word_reader w = { .tid = t->tid };
	unsigned long p, v, type;

	if (regs_get(t->tid, &t->regs) < 0 ||
	    word_at(&w, t->regs.rsp, &v) < 0)
		return;
	p = t->regs.rsp + 8 + (v + 1) * 8;
	do { /* envp */
		if (word_at(&w, p, &v) < 0)
			return;
		p += 8;
	} while (v != 0);
	for (; word_at(&w, p, &type) == 0 && type != AT_NULL; p += 16) {
		if (type == AT_SYSINFO_EHDR) {
			unsigned long ignore = AT_IGNORE;

			mem_write(t->tid, p, &ignore, sizeof(ignore));
			debug("%d: vDSO hidden", t->tid);
			return;
		}
	}
}

static struct tracee *on_exec(struct tracee *t)
{
	unsigned long former;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &former) == 0 &&
	    (pid_t)former != t->tid) {
		/* A non-leader thread called execve: it now has the leader's
		 * tid, and the old leader is gone without a report. */
		struct tracee *execer = tracee_find((pid_t)former);

		if (execer) {
			pid_t tid = t->tid;

			if (current == t)
				current = execer;
			tracee_free(t);
			tracee_rekey(execer, tid);
			t = execer;
		}
	}
	if (fdtab_is_shared(t->files)) {
		struct fdtab *own = fdtab_copy(t->files);

		if (own) {
			fdtab_put(t->files);
			t->files = own;
		}
	}
	fdtab_exec(t->files);
	tracee_exec_vm(t);
	tracee_cred_forget(t); /* a set-user-ID program */
	if (want_hidden_vdso())
		hide_vdso(t);
	exec_event(t);
	return t;
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU;
}

static void on_stop(struct tracee *t, int status)
{
	int sig = WSTOPSIG(status);
	int event = (unsigned int)status >> 16;

	t->flags |= T_STOPPED;
	if (event != PTRACE_EVENT_SECCOMP)
		debug("%d: stop event %d signal %d", t->tid, event, sig);
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		on_seccomp(t);
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_clone(t);
		resume(t, 0);
		break;
	case PTRACE_EVENT_EXEC:
		t = on_exec(t);
		resume(t, 0);
		break;
	case PTRACE_EVENT_STOP:
		t->flags &= ~T_INTERRUPTED;
		if (is_stop_signal(sig)) {
			/* group-stop: stay stopped, but let SIGCONT in */
			t->flags |= T_LISTEN;
			t->flags &= ~T_STOPPED;
			ptrace(PTRACE_LISTEN, t->tid, 0, 0);
		} else {
			t->flags &= ~T_LISTEN;
			resume(t, 0);
		}
		break;
	case 0:
		if (sig == (SIGTRAP | 0x80))
			on_syscall_stop(t);
		else
			resume(t, sig); /* signal-delivery-stop: deliver it */
		break;
	default:
		resume(t, 0);
		break;
	}
}

/* --- start and main loop --- */

static void child_start(char *const argv[], int sync_fd)
{
	char c;
	int err, listener;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		fprintf(stderr, "umview: PR_SET_NO_NEW_PRIVS: %s\n",
			strerror(errno));
		_exit(126);
	}
	/* Wait until the hypervisor has attached. */
	if (read(sync_fd, &c, 1) != 1)
		_exit(126);
	close(sync_fd);
	listener = syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
			   filter_flags(), &flt.prog);
	if (listener < 0) {
		fprintf(stderr, "umview: cannot install the seccomp filter: %s\n",
			strerror(errno));
		_exit(126);
	}
	/* Hand the listener over with the management call, which stops for
	 * ptrace: once the filter is in, file-family calls (read, write...)
	 * wait for a listener nobody serves yet. */
	if (listener > 0) {
		if (syscall(UM_SYSCALL_NR, UMCALL_LISTENER, (long)listener, 0,
			    0) < 0) {
			fprintf(stderr, "umview: cannot hand over the listener: "
					"%s\n", strerror(errno));
			_exit(126);
		}
		syscall(__NR_close_range, listener, listener, 0);
	}
	execvp(argv[0], argv);
	err = errno;
	fprintf(stderr, "umview: %s: %s\n", argv[0], strerror(err));
	_exit(err == ENOENT ? 127 : 126);
}

static void on_signal(int sig, siginfo_t *info, void *ctx)
{
	(void)ctx;
	/* Ctrl-C and Ctrl-\ reach the tracees too: they decide. */
	if ((sig == SIGINT || sig == SIGQUIT) && info->si_code == SI_KERNEL)
		return;
	stop_signal = sig;
}

static void install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO; /* no SA_RESTART: waitpid must return */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* SIGCHLD as a file descriptor, for the loop that also serves listeners. */
static int sigchld_fd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* The next ptrace event: its tid (status in *status), 0 when there is
 * none yet (interrupted, or notifications were served), -errno. */
static pid_t next_event(int sigfd, int *status)
{
	static bool draining = true; /* SIGCHLD seen: reap before sleeping */
	struct signalfd_siginfo si;
	pid_t tid;
	int ready;

	if (!notify_active() || sigfd < 0) {
		tid = waitpid(-1, status, __WALL);
		return tid < 0 ? (errno == EINTR ? 0 : -errno) : tid;
	}
	if (draining) {
		tid = waitpid(-1, status, __WALL | WNOHANG);
		if (tid != 0)
			return tid < 0 ? -errno : tid;
		draining = false;
	}
	ready = notify_wait(sigfd);
	if (ready > 0) {
		while (read(sigfd, &si, sizeof(si)) == sizeof(si))
			;
		draining = true;
	}
	return ready < 0 ? ready : 0;
}

static int exit_code(int status)
{
	if (status == -1)
		return 1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int engine_run(char *const argv[])
{
	int sync[2], status, err, sigfd;
	struct tracee *t;
	pid_t tid;
	mode_t mask;

	filter_wanted(&flt.trapped, &flt.notified);
	err = filter_build(&flt.trapped, &flt.notified, &flt.prog);
	if (err < 0) {
		log_error("cannot build the seccomp filter: %s", strerror(-err));
		return 1;
	}
	new_generation(); /* 1 */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sync) < 0) {
		log_error("socketpair: %s", strerror(errno));
		return 1;
	}
	root_pid = fork();
	if (root_pid < 0) {
		log_error("fork: %s", strerror(errno));
		return 1;
	}
	if (root_pid == 0) {
		close(sync[1]);
		child_start(argv, sync[0]);
	}
	close(sync[0]);
	if (ptrace(PTRACE_SEIZE, root_pid, 0, PTRACE_OPTIONS) < 0) {
		if (errno == EPERM && syscall(UM_SYSCALL_NR, UMCALL_PROBE) == 0)
			log_error("already inside a umview view: nested views "
				  "are not supported yet (use um_add_service "
				  "in this view)");
		else
			log_error("cannot trace the command: ptrace: %s%s",
				  strerror(errno),
				  errno == EPERM
					  ? " (is ptrace forbidden here? see "
					    "/proc/sys/kernel/yama/ptrace_scope)"
					  : "");
		kill(root_pid, SIGKILL);
		waitpid(root_pid, NULL, 0);
		return 1;
	}
	mask = umask(0);
	umask(mask);
	t = tracee_new(root_pid, root_pid);
	if (!t || !(t->files = fdtab_new()) || !(t->fs = fsinfo_new(mask))) {
		log_error("out of memory");
		kill(root_pid, SIGKILL);
		return 1;
	}
	t->filter_gen = flt.gen;
	install_signal_handlers();
	sigfd = sigchld_fd();
	root_listener_pending = flt.listener;
	if (write(sync[1], "x", 1) != 1)
		log_error("cannot start the command: %s", strerror(errno));
	close(sync[1]);

	for (;;) {
		if (stop_signal) {
			log_error("stopping on signal %d", (int)stop_signal);
			service_fini_all();
			exec_cache_cleanup();
			return 128 + stop_signal;
		}
		tid = next_event(sigfd, &status);
		if (tid == 0)
			continue;
		if (tid < 0) {
			if (tid != -ECHILD)
				log_error("waitpid: %s", strerror(-tid));
			break;
		}
		t = tracee_find(tid);
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			tracee_gone(t, tid, status);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		if (!t) {
			/* A new child, reported before its parent's event:
			 * hold it until we know what it shares. */
			t = tracee_new(tid, tid);
			if (t)
				t->flags |= T_HELD | T_STOPPED;
			continue;
		}
		current = t;
		on_stop(t, status);
		current = NULL;
	}
	service_fini_all();
	exec_cache_cleanup();
	return exit_code(root_status);
}
