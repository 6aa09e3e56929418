/* Record locks (fcntl F_SETLK & co., POSIX and OFD) and flock(2) on
 * virtual fds.  The hypervisor keeps the locks (locktab.c), keyed by the
 * served file's identity, so they conflict between processes in the view.
 *
 * A request that must wait keeps its seccomp notification unanswered and
 * is answered when the lock is granted.  The filters make that wait
 * killable only (SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV), so the kernel
 * does not interrupt it for an ordinary signal: while anything waits, a
 * tick looks at each waiter's pending signals and, when one is there,
 * answers -ERESTARTSYS, which the kernel turns into EINTR or a restart
 * exactly as for a lock wait of its own. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "../fdtab.h"
#include "../locktab.h"
#include "../log.h"
#include "../mem.h"
#include "../mtab.h"
#include "../nested.h"
#include "../notify.h"
#include "../service.h"
#include "../tracee.h"
#include "sc.h"

#define ERESTARTSYS 512 /* the kernel's: restart, or EINTR under a handler */

#define RELAY 1 /* request(): wait, but from the listener */

/* The result of a request as the call's answer. */
static enum sc_action answer(struct sc_call *c, long ret)
{
	if (ret == RELAY)
		return SC_RELAY;
	return sc_return(c, ret);
}

struct waiter {
	struct notify_ticket tk;
	struct ofd *ofd; /* held: the request keeps its file open */
	/* Asked at a ptrace stop and relayed to the listener, where it is
	 * asked again (drop_stale() then takes this one away).  It waits
	 * meanwhile so that a deadlock through it is seen by whoever asks
	 * in between, as with the kernel's own locks; nothing is granted
	 * to it (no ticket yet). */
	bool relayed;
};

static int depth; /* nested entries (a release can wake, which can close) */
static bool ticking;

/* --- the file's identity --- */

static int file_ino(struct ofd *ofd, unsigned long long *ino)
{
	struct stat st;
	int err;

	if (!ofd->lk_ino_known) {
		err = MOUNT_OP(ofd->mount, fstat, ofd->handle, &st);
		if (err < 0)
			return err;
		ofd->lk_ino = st.st_ino;
		ofd->lk_ino_known = true;
	}
	*ino = ofd->lk_ino;
	return 0;
}

/* --- waiters --- */

static bool alive(struct lkwait *w)
{
	struct waiter *wd = w->data;

	/* a relayed request's call is on its way to the listener as long as
	 * its thread is traced */
	if (wd->relayed)
		return tracee_find(wd->tk.tid) != NULL;
	return notify_valid(&wd->tk);
}

static void drop_waiter(struct lkwait *w)
{
	struct waiter *wd = w->data;

	locktab_unwait(w);
	ofd_put(wd->ofd); /* may release locks, and wake: w is gone by then */
	free(wd);
}

static void tick(void);

static void update_tick(void)
{
	struct lkfile *f;
	bool any = false;

	for (f = locktab_files(); f && !any; f = f->next)
		any = f->waiters != NULL;
	if (any == ticking)
		return;
	if (notify_set_tick(tick, any) == 0)
		ticking = any;
}

static void tidy_all(void)
{
	struct lkfile *f, *next;

	for (f = locktab_files(); f; f = next) {
		next = f->next;
		locktab_tidy(f);
	}
	update_tick();
}

static void enter(void)
{
	depth++;
}

static void leave(void)
{
	if (--depth == 0)
		tidy_all();
}

/* Grant, in order of arrival, every waiter on f that no lock blocks. */
static void wake(struct lkfile *f)
{
	struct lkwait *w;
	int err;

again:
	for (w = f->waiters; w; w = w->next) {
		struct waiter *wd = w->data;

		if (wd->relayed || locktab_conflict(f, &w->req))
			continue;
		/* answer first: a caller gone meanwhile must not hold it */
		if (notify_answer(&wd->tk, 0) == 0) {
			err = locktab_apply(f, &w->req);
			if (err < 0)
				log_error("lock granted to %d but not recorded: "
					  "%s", wd->tk.tid, strerror(-err));
		}
		drop_waiter(w);
		goto again;
	}
}

/* Is a signal pending that the thread would take now?  A process-wide
 * one counts only for a single-threaded process (another thread could
 * take it, and the answer would then leak ERESTARTSYS). */
bool sc_signal_pending(pid_t tid)
{
	unsigned long long pnd = 0, shd = 0, blk = 0, ign = 0;
	unsigned int threads = 0;
	char path[64], line[256];
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	fp = fopen(path, "re");
	if (!fp)
		return false;
	while (fgets(line, sizeof(line), fp)) {
		sscanf(line, "Threads: %u", &threads);
		sscanf(line, "SigPnd: %llx", &pnd);
		sscanf(line, "ShdPnd: %llx", &shd);
		sscanf(line, "SigBlk: %llx", &blk);
		sscanf(line, "SigIgn: %llx", &ign);
	}
	fclose(fp);
	if (threads == 1)
		pnd |= shd;
	return (pnd & ~blk & ~ign) != 0;
}

/* While anything waits: forget callers that were killed, interrupt the
 * ones a signal is waiting for. */
static void tick(void)
{
	struct lkfile *f;
	struct lkwait *w;

	enter();
again:
	for (f = locktab_files(); f; f = f->next)
		for (w = f->waiters; w; w = w->next) {
			struct waiter *wd = w->data;

			if (!alive(w)) {
				drop_waiter(w);
				goto again;
			}
			if (wd->relayed)
				continue; /* the listener sees its signals */
			if (sc_signal_pending(wd->tk.tid)) {
				notify_answer(&wd->tk, -ERESTARTSYS);
				drop_waiter(w);
				goto again;
			}
		}
	leave();
}

/* A thread makes one call at a time: a waiter of the same thread belongs
 * to a call that is over (interrupted). */
static void drop_stale(pid_t tid)
{
	struct lkfile *f;
	struct lkwait *w;

again:
	for (f = locktab_files(); f; f = f->next)
		for (w = f->waiters; w; w = w->next)
			if (((struct waiter *)w->data)->tk.tid == tid) {
				drop_waiter(w);
				goto again;
			}
}

/* --- requests --- */

static long request(struct sc_call *c, struct ofd *ofd, struct lk *req,
		    bool wait)
{
	const struct lk *blk, *own;
	unsigned long long ino;
	struct lkfile *f;
	struct lkwait *w;
	struct waiter *wd;
	long err;

	err = file_ino(ofd, &ino);
	if (err < 0)
		return err;
	f = locktab_file(ofd->mount, ino, true);
	if (!f)
		return -ENOLCK;
	if (req->kind != LK_POSIX)
		ofd->lk_owner = true;
	drop_stale(c->t->tid);
	if (req->kind == LK_FLOCK) {
		own = locktab_owned(f, ofd, LK_FLOCK);
		if (own && own->type == req->type)
			return 0;
		if (own) {
			/* as Linux: a conversion lets go first, so it is
			 * not atomic and others may get in between */
			struct lk un = *req;

			un.type = F_UNLCK;
			locktab_apply(f, &un);
			wake(f);
		}
	}
	blk = locktab_conflict(f, req);
	if (!blk) {
		err = locktab_apply(f, req);
		wake(f); /* an unlock or a downgrade may let others in */
		return err;
	}
	if (!wait)
		return -EAGAIN; /* == EWOULDBLOCK for flock */
	if (locktab_deadlock(req, blk, alive))
		return -EDEADLK;
	wd = calloc(1, sizeof(*wd));
	w = wd ? locktab_wait(f, req, wd) : NULL;
	if (!w) {
		free(wd);
		return -ENOLCK;
	}
	wd->ofd = ofd_get(ofd);
	if (!c->via_notify) {
		/* a ptrace stop cannot wait here: relayed to the listener
		 * (engine.c), where the call comes back and waits */
		wd->relayed = true;
		wd->tk.tid = c->t->tid;
		return RELAY;
	}
	if (!notify_defer(&wd->tk)) {
		drop_waiter(w);
		return -ENOLCK;
	}
	return 0; /* not sent: answered by wake() or tick() */
}

enum sc_action sc_flock(struct sc_call *c)
{
	struct ofd *ofd = fdtab_lookup(c->t->files, (int)c->arg[0]);
	int op = (int)c->arg[1];
	struct lk req = { .kind = LK_FLOCK, .start = 0, .end = LK_EOF };
	long ret;

	if (!ofd)
		return SC_KERNEL;
	if (ofd->flags & O_PATH)
		return sc_return(c, -EBADF);
	switch (op & ~LOCK_NB) {
	case LOCK_SH:
		req.type = F_RDLCK;
		break;
	case LOCK_EX:
		req.type = F_WRLCK;
		break;
	case LOCK_UN:
		req.type = F_UNLCK;
		break;
	default:
		return sc_return(c, -EINVAL);
	}
	req.owner = ofd;
	req.pid = c->t->tgid;
	enter();
	ret = request(c, ofd, &req, !(op & LOCK_NB));
	leave();
	return answer(c, ret);
}

/* struct flock's range made absolute, as the kernel's flock_to_posix_lock */
static int lock_range(struct ofd *ofd, const struct flock *fl, struct lk *l)
{
	off_t base, start, end;
	long err;

	switch (fl->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = ofd->offset;
		break;
	case SEEK_END:
		err = ofd_size(ofd, &base);
		if (err < 0)
			return err;
		break;
	default:
		return -EINVAL;
	}
	if (__builtin_add_overflow(base, fl->l_start, &start))
		return -EOVERFLOW;
	if (fl->l_len > 0) {
		if (__builtin_add_overflow(start, fl->l_len - 1, &end))
			return -EOVERFLOW;
	} else if (fl->l_len < 0) {
		end = start - 1;
		start += fl->l_len;
	} else {
		end = LK_EOF;
	}
	if (start < 0)
		return -EINVAL;
	l->start = start;
	l->end = end;
	return 0;
}

static long fcntl_lock(struct sc_call *c, struct ofd *ofd)
{
	int cmd = (int)c->arg[1];
	bool ofdlk = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK ||
		     cmd == F_OFD_SETLKW;
	bool get = cmd == F_GETLK || cmd == F_OFD_GETLK;
	struct lk req = { .kind = ofdlk ? LK_OFD : LK_POSIX };
	const struct lk *blk = NULL;
	unsigned long long ino;
	struct lkfile *f;
	struct flock fl;
	long ret;

	if (ofd->flags & O_PATH)
		return -EBADF;
	if (mem_read(c->t->tid, c->arg[2], &fl, sizeof(fl)) < 0)
		return -EFAULT;
	if (ofdlk && fl.l_pid != 0)
		return -EINVAL;
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK &&
	    (get || fl.l_type != F_UNLCK))
		return -EINVAL;
	ret = lock_range(ofd, &fl, &req);
	if (ret < 0)
		return ret;
	req.type = fl.l_type;
	req.owner = ofdlk ? (const void *)ofd : (const void *)c->t->files;
	req.pid = ofdlk ? -1 : c->t->tgid;
	if (get) {
		if (file_ino(ofd, &ino) == 0) {
			f = locktab_file(ofd->mount, ino, false);
			blk = f ? locktab_conflict(f, &req) : NULL;
		}
		if (blk) {
			fl.l_type = blk->type;
			fl.l_whence = SEEK_SET;
			fl.l_start = blk->start;
			fl.l_len = blk->end == LK_EOF ? 0
						      : blk->end - blk->start + 1;
			fl.l_pid = blk->pid;
		} else {
			fl.l_type = F_UNLCK;
		}
		if (mem_write(c->t->tid, c->arg[2], &fl, sizeof(fl)) < 0)
			return -EFAULT;
		return 0;
	}
	if ((fl.l_type == F_RDLCK && (ofd->flags & O_ACCMODE) == O_WRONLY) ||
	    (fl.l_type == F_WRLCK && (ofd->flags & O_ACCMODE) == O_RDONLY))
		return -EBADF;
	enter();
	ret = request(c, ofd, &req,
		      cmd == F_SETLKW || cmd == F_OFD_SETLKW);
	leave();
	return ret;
}

enum sc_action sc_fcntl_lock(struct sc_call *c, struct ofd *ofd)
{
	return answer(c, fcntl_lock(c, ofd));
}

/* --- releases --- */

void lock_fd_closed(struct fdtab *tab, struct ofd *ofd)
{
	unsigned long long ino;
	struct lkfile *f;

	/* POSIX: any close of the file drops the process's locks on it */
	if (!locktab_owner_holds(tab, LK_POSIX) || file_ino(ofd, &ino) < 0)
		return;
	enter();
	f = locktab_file(ofd->mount, ino, false);
	if (f && locktab_drop_owner(f, tab, LK_POSIX))
		wake(f);
	leave();
}

void lock_ofd_gone(struct ofd *ofd)
{
	struct lkfile *f;
	int n;

	enter();
	for (f = locktab_files(); f; f = f->next) {
		n = locktab_drop_owner(f, ofd, LK_OFD);
		n += locktab_drop_owner(f, ofd, LK_FLOCK);
		if (n)
			wake(f);
	}
	leave();
}

void lock_files_gone(struct fdtab *tab)
{
	struct lkfile *f;

	if (!locktab_owner_holds(tab, LK_POSIX))
		return;
	enter();
	for (f = locktab_files(); f; f = f->next)
		if (locktab_drop_owner(f, tab, LK_POSIX))
			wake(f);
	leave();
}
