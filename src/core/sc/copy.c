/* copy_file_range, sendfile, splice and tee with a virtual fd on either
 * side: emulated in the hypervisor, reading from one side and writing to
 * the other.  A real side is reached through a copy of the tracee's fd
 * (pidfd_getfd: the same open file, so its offset moves as it should); a
 * real pipe is opened anew, non-blocking, so the hypervisor never waits
 * on it.  With no virtual fd the kernel runs the call untouched. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../fdtab.h"
#include "../mem.h"
#include "../mtab.h"
#include "../nested.h"
#include "../notify.h"
#include "../service.h"
#include "../tracee.h"
#include "sc.h"

#define CHUNK (1 << 20)      /* one module call moves at most this much */
#define MAX_CALL (64 << 20)  /* one call moves at most this much: callers
				loop, and the others wait meanwhile */
#define SENDFILE_MAX 0x7ffff000L

/* One end of the transfer. */
struct side {
	struct ofd *ofd; /* virtual: the description, else NULL */
	int fd;          /* real: the hypervisor's copy, else -1 */
	int flags;       /* O_* status flags */
	struct stat st;
	bool sock;
	bool usable; /* open for the way it is used (else EBADF, in the
			order each call checks) */
};

static void side_close(struct side *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

static int tracee_fd(pid_t tgid, int n)
{
	int pidfd = syscall(SYS_pidfd_open, tgid, 0), fd;

	if (pidfd < 0)
		return -errno;
	fd = syscall(SYS_pidfd_getfd, pidfd, n, 0);
	fd = fd < 0 ? -errno : fd;
	close(pidfd);
	return fd;
}

/* Open one side; writing says which way it is used.  EBADF for a fd
 * that is not open; usable says whether it is open that way. */
static int side_open(struct sc_call *c, int n, bool writing, struct side *s)
{
	int deny = writing ? O_RDONLY : O_WRONLY;
	char path[64];
	int err, fd;

	*s = (struct side){ .fd = -1, .ofd = fdtab_lookup(c->t->files, n) };
	if (s->ofd) {
		s->flags = s->ofd->flags;
		s->usable = (s->flags & O_ACCMODE) != deny &&
			    !(s->flags & O_PATH);
		return MOUNT_OP(s->ofd->mount, fstat, s->ofd->handle, &s->st);
	}
	s->fd = tracee_fd(c->t->tgid, n);
	if (s->fd < 0)
		return s->fd == -ESRCH ? -ESRCH : -EBADF;
	s->flags = fcntl(s->fd, F_GETFL);
	if (s->flags < 0 || fstat(s->fd, &s->st) < 0) {
		err = -errno;
		side_close(s);
		return err;
	}
	s->usable = (s->flags & O_ACCMODE) != deny && !(s->flags & O_PATH);
	s->sock = S_ISSOCK(s->st.st_mode);
	if (!S_ISFIFO(s->st.st_mode) || !s->usable)
		return 0;
	/* a pipe: a description of our own that never blocks */
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", c->t->tgid, n);
	fd = open(path, (writing ? O_WRONLY : O_RDONLY) | O_NONBLOCK |
			O_CLOEXEC);
	if (fd < 0)
		err = errno == ENXIO ? -EPIPE : -errno;
	side_close(s);
	if (fd < 0)
		return err;
	s->fd = fd;
	return 0;
}

static bool is_pipe(const struct side *s)
{
	return S_ISFIFO(s->st.st_mode);
}

/* Read from a side at *off (NULL: at its file offset, which moves). */
static ssize_t side_read(struct side *s, void *buf, size_t n, off_t *off)
{
	ssize_t r;

	if (s->ofd) {
		off_t at = off ? *off : s->ofd->offset;

		r = MOUNT_OP(s->ofd->mount, pread, s->ofd->handle, buf, n, at);
		return r;
	}
	r = off ? pread(s->fd, buf, n, *off) : read(s->fd, buf, n);
	return r < 0 ? -errno : r;
}

/* A write to a pipe or socket without a reader fails with EPIPE; the
 * SIGPIPE it raises is the caller's, not the hypervisor's. */
static ssize_t real_write(struct side *s, const void *buf, size_t n,
			  off_t *off)
{
	sigset_t pipe, old;
	ssize_t r;
	int err;

	if (s->sock) {
		r = send(s->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		return r < 0 ? -errno : r;
	}
	if (off) {
		r = pwrite(s->fd, buf, n, *off);
		return r < 0 ? -errno : r;
	}
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe, &old);
	r = write(s->fd, buf, n);
	err = errno;
	if (r < 0 && err == EPIPE) {
		struct timespec zero = { 0 };

		sigtimedwait(&pipe, NULL, &zero);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r < 0 ? -err : r;
}

static ssize_t side_write(struct side *s, const void *buf, size_t n,
			  off_t *off)
{
	if (s->ofd) {
		off_t at = off ? *off : s->ofd->offset;

		return MOUNT_OP(s->ofd->mount, pwrite, s->ofd->handle, buf, n, at);
	}
	return real_write(s, buf, n, off);
}

/* Move up to len bytes; inoff and outoff (NULL: the file offsets) advance
 * by what was written.  EAGAIN only when nothing moved. */
static ssize_t pump(struct side *in, off_t *inoff, struct side *out,
		    off_t *outoff, size_t len, struct sc_call *c)
{
	size_t total = 0;
	ssize_t r = 0, w = 0;
	char *buf;

	if (len > MAX_CALL)
		len = MAX_CALL;
	buf = malloc(len < CHUNK ? (len ? len : 1) : CHUNK);
	if (!buf)
		return -ENOMEM;
	while (total < len) {
		size_t n = len - total < CHUNK ? len - total : CHUNK;

		r = side_read(in, buf, n, inoff);
		if (r <= 0)
			break;
		w = side_write(out, buf, r, outoff);
		if (w > 0) {
			/* a real file's offset moved in the kernel */
			if (inoff)
				*inoff += w;
			else if (in->ofd)
				in->ofd->offset += w;
			else if (w < r && !is_pipe(in))
				lseek(in->fd, w - r, SEEK_CUR);
			if (outoff)
				*outoff += w;
			else if (out->ofd)
				out->ofd->offset += w;
			total += w;
		}
		if (w < r)
			break;
	}
	free(buf);
	(void)c;
	if (total)
		return total;
	if (r < 0)
		return r;
	return w < 0 ? w : 0;
}

/* An offset argument: read from the tracee (0: none given; a negative
 * one is refused with neg, which differs between the calls). */
static int get_off(struct sc_call *c, unsigned long addr, off_t *off, int neg)
{
	if (!addr)
		return 0;
	if (mem_read(c->t->tid, addr, off, sizeof(*off)) < 0)
		return -EFAULT;
	return *off < 0 ? neg : 1;
}

static int put_off(struct sc_call *c, unsigned long addr, off_t off)
{
	if (addr && mem_write(c->t->tid, addr, &off, sizeof(off)) < 0)
		return -EFAULT;
	return 0;
}

static bool same_file(const struct side *a, const struct side *b)
{
	if (a->ofd || b->ofd)
		return a->ofd && b->ofd && a->ofd->mount == b->ofd->mount &&
		       a->st.st_ino == b->st.st_ino;
	return a->st.st_dev == b->st.st_dev && a->st.st_ino == b->st.st_ino;
}

static long copy_file_range_(struct sc_call *c, struct side *in,
			     struct side *out)
{
	unsigned long inp = c->arg[1], outp = c->arg[3];
	size_t len = c->arg[4];
	off_t inoff, outoff, a, b;
	int hi, ho;
	long ret;

	if (c->arg[5])
		return -EINVAL;
	if (S_ISDIR(in->st.st_mode) || S_ISDIR(out->st.st_mode))
		return -EISDIR;
	if (!S_ISREG(in->st.st_mode) || !S_ISREG(out->st.st_mode))
		return -EINVAL;
	if (!in->usable || !out->usable || (out->flags & O_APPEND))
		return -EBADF;
	hi = get_off(c, inp, &inoff, -EOVERFLOW);
	ho = get_off(c, outp, &outoff, -EOVERFLOW);
	if (hi < 0 || ho < 0)
		return hi < 0 ? hi : ho;
	if (same_file(in, out)) {
		a = hi ? inoff : in->ofd ? in->ofd->offset
					 : lseek(in->fd, 0, SEEK_CUR);
		b = ho ? outoff : out->ofd ? out->ofd->offset
					   : lseek(out->fd, 0, SEEK_CUR);
		if (a < b + (off_t)len && b < a + (off_t)len)
			return -EINVAL;
	}
	if (len == 0)
		return 0;
	ret = pump(in, hi ? &inoff : NULL, out, ho ? &outoff : NULL, len, c);
	if (ret > 0 && ((hi && put_off(c, inp, inoff) < 0) ||
			(ho && put_off(c, outp, outoff) < 0)))
		return -EFAULT;
	return ret;
}

static long sendfile_(struct sc_call *c, struct side *out, struct side *in)
{
	unsigned long offp = c->arg[2];
	size_t count = c->arg[3];
	off_t off;
	int has;
	long ret;

	if (!in->usable || !out->usable)
		return -EBADF;
	if (out->flags & O_APPEND)
		return -EINVAL;
	if (S_ISDIR(in->st.st_mode) || is_pipe(in) || in->sock)
		return -EINVAL;
	has = get_off(c, offp, &off, -EINVAL);
	if (has < 0)
		return has;
	if (count > SENDFILE_MAX)
		count = SENDFILE_MAX;
	if (count == 0)
		return 0;
	ret = pump(in, has ? &off : NULL, out, NULL, count, c);
	if (ret > 0 && has && put_off(c, offp, off) < 0)
		return -EFAULT;
	return ret;
}

static long splice_(struct sc_call *c, struct side *in, struct side *out)
{
	unsigned long inp = c->arg[1], outp = c->arg[3];
	off_t inoff, outoff;
	int hi, ho;
	long ret;

	if (c->arg[5] & ~(unsigned long)(SPLICE_F_MOVE | SPLICE_F_NONBLOCK |
					 SPLICE_F_MORE | SPLICE_F_GIFT))
		return -EINVAL;
	if (!in->usable || !out->usable)
		return -EBADF;
	if (!is_pipe(in) && !is_pipe(out))
		return -EINVAL;
	if ((is_pipe(in) && inp) || (is_pipe(out) && outp))
		return -ESPIPE;
	if (out->flags & O_APPEND)
		return -EINVAL;
	if (S_ISDIR(in->st.st_mode) || S_ISDIR(out->st.st_mode))
		return -EISDIR;
	hi = get_off(c, inp, &inoff, -EINVAL);
	ho = get_off(c, outp, &outoff, -EINVAL);
	if (hi < 0 || ho < 0)
		return hi < 0 ? hi : ho;
	if (c->arg[4] == 0)
		return 0;
	ret = pump(in, hi ? &inoff : NULL, out, ho ? &outoff : NULL,
		   c->arg[4], c);
	if (ret > 0 && ((hi && put_off(c, inp, inoff) < 0) ||
			(ho && put_off(c, outp, outoff) < 0)))
		return -EFAULT;
	return ret;
}

/* The call on its two sides.  *blocking: an EAGAIN came from a real pipe
 * or socket that the caller would wait on. */
static long run(struct sc_call *c, bool *blocking)
{
	int infd, outfd;
	struct side in, out;
	long ret;

	*blocking = false;
	if (c->nr == __NR_sendfile) {
		outfd = (int)c->arg[0];
		infd = (int)c->arg[1];
	} else {
		infd = (int)c->arg[0];
		outfd = (int)c->arg[2];
	}
	ret = side_open(c, infd, false, &in);
	if (ret < 0)
		return ret;
	ret = side_open(c, outfd, true, &out);
	if (ret < 0) {
		side_close(&in);
		return ret;
	}
	switch (c->nr) {
	case __NR_copy_file_range:
		ret = copy_file_range_(c, &in, &out);
		break;
	case __NR_sendfile:
		ret = sendfile_(c, &out, &in);
		break;
	default:
		ret = splice_(c, &in, &out);
		break;
	}
	if (ret == -EAGAIN)
		*blocking = !(c->nr == __NR_splice &&
			      (c->arg[5] & SPLICE_F_NONBLOCK)) &&
			    !((in.fd >= 0 && (in.flags & O_NONBLOCK)) ||
			      (out.fd >= 0 && (out.flags & O_NONBLOCK)));
	side_close(&in);
	side_close(&out);
	return ret;
}

/* --- waiting on a real pipe or socket ---
 * The hypervisor never blocks on the caller's pipe: a call that would
 * wait keeps its notification and is tried again at each tick (as lock
 * waits are, see sc/lock.c), until it moves data or a signal comes. */

#define ERESTARTSYS 512

struct pending {
	struct pending *next;
	struct notify_ticket tk;
	struct sc_call c;
};

static struct pending *pendings;

static void copy_tick(void)
{
	struct pending **pp = &pendings, *p;
	bool blocking;
	long ret;

	while ((p = *pp)) {
		if (notify_valid(&p->tk)) {
			ret = run(&p->c, &blocking);
			if (ret == -EAGAIN && blocking) {
				if (!sc_signal_pending(p->tk.tid)) {
					pp = &p->next;
					continue;
				}
				ret = -ERESTARTSYS;
			}
			notify_answer(&p->tk, ret);
		}
		*pp = p->next;
		free(p);
	}
	if (!pendings)
		notify_set_tick(copy_tick, 0);
}

enum sc_action sc_copy(struct sc_call *c)
{
	struct pending *p;
	bool blocking;
	long ret;

	if (!fdtab_lookup(c->t->files, (int)c->arg[0]) &&
	    !fdtab_lookup(c->t->files, (int)c->arg[c->nr == __NR_sendfile ||
						      c->nr == __NR_tee ? 1
									: 2]))
		return SC_KERNEL;
	if (c->nr == __NR_tee)
		return sc_return(c, -EINVAL); /* a served file is no pipe */
	ret = run(c, &blocking);
	if (ret != -EAGAIN || !blocking)
		return sc_return(c, ret);
	if (!c->via_notify) {
		/* a ptrace stop cannot wait: relayed to the listener
		 * (engine.c), where the call comes back */
		return SC_RELAY;
	}
	p = calloc(1, sizeof(*p));
	if (!p || notify_set_tick(copy_tick, 1) < 0 ||
	    !notify_defer(&p->tk)) {
		free(p);
		return sc_return(c, -EAGAIN);
	}
	p->c = *c;
	p->next = pendings;
	pendings = p;
	return SC_SKIP; /* not sent: answered by copy_tick() */
}
