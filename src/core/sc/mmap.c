/* mmap of a virtual file.  The tracee must end up holding a real kernel
 * object, so at mmap's ptrace stop the hypervisor makes the tracee create a
 * memfd (an injected memfd_create, which no filter stops), takes its own
 * reference to it with pidfd_getfd, fills it with the file's data from the
 * module, runs the tracee's mmap on it and closes the tracee's number
 * (close_range, not stopped either).  The tracee is left with the mapping
 * only.
 *
 * Private mappings need nothing more: their pages are copies.  Shared ones
 * of a file open for writing keep the hypervisor's reference and a snapshot
 * of what was read; pages that differ from the snapshot are written back
 * to the module on msync, munmap, mremap away, execve and the last exit of
 * the process.  munmap, msync and mremap are calls on addresses, not fds:
 * they stop only in the processes that made such a mapping, by a filter
 * injected into them at their first one. */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../engine.h"
#include "../fdtab.h"
#include "../filter.h"
#include "../inject.h"
#include "../log.h"
#include "../mem.h"
#include "../mtab.h"
#include "../service.h"
#include "../tracee.h"
#include "sc.h"

#define PAGE 4096UL
#define PAGE_UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))

/* The memfd behind one shared mmap(2) call, and the file range it holds
 * (memfd offsets are file offsets). */
struct vmap {
	struct vmap *next, **pprev; /* every vmap alive (for read/write) */
	int refs; /* segments (in any process) that map it */
	int fd;   /* the hypervisor's reference */
	struct ofd *ofd;
	off_t off;
	size_t len;
	unsigned char *snap; /* the range as the module last had it */
};

/* An address range of a process that maps part of a vmap. */
struct vseg {
	unsigned long start, end;
	struct vmap *v;
	struct vseg *next;
};

struct vmas {
	int refs; /* threads sharing the address space */
	struct vseg *segs;
};

static struct vmap *vmaps; /* alive, for read(2) and write(2) coherence */

/* --- write-back --- */

/* Write the pages of [from, to) (offsets in v) that changed since the
 * snapshot back to the module. */
static void vmap_writeback_range(struct vmap *v, size_t from, size_t to)
{
	struct vmount *m = v->ofd->mount;
	unsigned char page[PAGE];
	size_t pos, n;
	ssize_t got;

	for (pos = from & ~(PAGE - 1); pos < to && pos < v->len; pos += PAGE) {
		n = v->len - pos < PAGE ? v->len - pos : PAGE;
		got = pread(v->fd, page, n, v->off + pos);
		if (got < (ssize_t)n || memcmp(page, v->snap + pos, n) == 0)
			continue;
		if (!SERVICE_OP(m->svc, pwrite)) {
			log_error("mmap: %s: the module cannot write: "
				  "changes lost", v->ofd->path);
			return;
		}
		got = MOUNT_OP(m, pwrite, v->ofd->handle, page, n,
			       v->off + pos);
		if (got != (ssize_t)n) {
			log_error("mmap: %s: write-back at %lld failed: %s",
				  v->ofd->path, (long long)(v->off + pos),
				  got < 0 ? strerror((int)-got)
					  : "short write");
			continue;
		}
		memcpy(v->snap + pos, page, n);
	}
}

static void vmap_writeback(struct vmap *v)
{
	vmap_writeback_range(v, 0, v->len);
}

static void vmap_put(struct vmap *v)
{
	if (!v || --v->refs > 0)
		return;
	if (v->pprev) {
		*v->pprev = v->next;
		if (v->next)
			v->next->pprev = v->pprev;
	}
	vmap_writeback(v);
	close(v->fd);
	ofd_put(v->ofd);
	free(v->snap);
	free(v);
}

/* --- the per-process list (tracee.h) --- */

struct vmas *vmas_share(struct vmas *vm)
{
	if (vm)
		vm->refs++;
	return vm;
}

static void seg_free(struct vseg *s)
{
	vmap_put(s->v);
	free(s);
}

void vmas_put(struct vmas *vm)
{
	struct vseg *s, *next;

	if (!vm || --vm->refs > 0)
		return;
	for (s = vm->segs; s; s = next) {
		next = s->next;
		seg_free(s);
	}
	free(vm);
}

/* fork: the child maps the same memfds at the same addresses. */
struct vmas *vmas_copy(const struct vmas *vm)
{
	struct vmas *copy;
	struct vseg *s, *n, **tail;

	if (!vm || !vm->segs)
		return NULL;
	copy = calloc(1, sizeof(*copy));
	if (!copy)
		return NULL;
	copy->refs = 1;
	tail = &copy->segs;
	for (s = vm->segs; s; s = s->next) {
		n = malloc(sizeof(*n));
		if (!n)
			break; /* those left out are not written back */
		*n = *s;
		n->v->refs++;
		n->next = NULL;
		*tail = n;
		tail = &n->next;
	}
	return copy;
}

/* Give a thread of t's process that has no list yet t's new one. */
static void share_new_vmas(struct tracee *other, void *arg)
{
	struct tracee *t = arg;

	if (other == t) {
		t->vmas->refs++;
	} else if (other->tgid == t->tgid && !other->vmas) {
		other->vmas = t->vmas;
		t->vmas->refs++;
	}
}

static int vmas_add(struct tracee *t, unsigned long start, size_t len,
		    struct vmap *v)
{
	struct vseg *s = malloc(sizeof(*s));

	if (!s)
		return -ENOMEM;
	if (!t->vmas) {
		struct vmas *vm = calloc(1, sizeof(*vm));

		if (!vm) {
			free(s);
			return -ENOMEM;
		}
		/* every thread of the process shares it from now on */
		vm->refs = 0;
		t->vmas = vm;
		tracee_foreach(share_new_vmas, t);
	}
	*s = (struct vseg){ start, start + PAGE_UP(len), v, t->vmas->segs };
	v->refs++;
	t->vmas->segs = s;
	return 0;
}

/* Write back every vmap mapped in [start, end). */
static void writeback_range(struct vmas *vm, unsigned long start,
			    unsigned long end)
{
	struct vseg *s;

	for (s = vm ? vm->segs : NULL; s; s = s->next)
		if (s->start < end && start < s->end)
			vmap_writeback(s->v);
}

/* [start, end) is no longer mapped: trim, split or drop segments. */
static void forget_range(struct vmas *vm, unsigned long start,
			 unsigned long end)
{
	struct vseg **p = vm ? &vm->segs : NULL, *s, *tail;

	while (p && (s = *p)) {
		if (s->end <= start || end <= s->start) {
			p = &s->next;
		} else if (start <= s->start && s->end <= end) {
			*p = s->next;
			seg_free(s);
		} else if (s->start < start && end < s->end) {
			tail = malloc(sizeof(*tail));
			if (tail) { /* else the tail is not written back */
				*tail = (struct vseg){ end, s->end, s->v,
						       s->next };
				s->v->refs++;
				s->next = tail;
			}
			s->end = start;
			p = &s->next;
		} else {
			if (s->start < start)
				s->end = start;
			else
				s->start = end;
			p = &s->next;
		}
	}
}

/* --- mmap --- */

/* Make the tracee create a memfd: its number there, and *own: the
 * hypervisor's reference to the same file. */
static long tracee_memfd(struct sc_call *c, struct user_regs_struct *back,
			 int *own, int *status)
{
	static const char name[] = "umview-mmap";
	unsigned long addr = scratch_below_sp(&c->t->regs, sizeof(name));
	unsigned long args[6] = { addr, MFD_CLOEXEC | MFD_ALLOW_SEALING };
	long n;
	int pidfd;

	if (mem_write(c->t->tid, addr, name, sizeof(name)) < 0)
		return -EFAULT;
	n = sc_inject_back(c->t->tid, &c->t->regs, __NR_memfd_create, args,
			   status, back);
	if (n < 0)
		return n;
	pidfd = syscall(SYS_pidfd_open, c->t->tgid, 0);
	*own = pidfd < 0 ? -1 : syscall(SYS_pidfd_getfd, pidfd, (int)n, 0);
	if (*own < 0) {
		long err = -errno;
		unsigned long cr[6] = { n, n, 0 };

		sc_inject_again(c->t->tid, back, __NR_close_range, cr, status);
		if (pidfd >= 0)
			close(pidfd);
		return err;
	}
	close(pidfd);
	return n;
}

/* Copy [off, off + len) of the file into the memfd (sized as the file),
 * and into snap when not NULL. */
static int fill(struct ofd *ofd, int fd, off_t size, off_t off, size_t len,
		unsigned char *snap)
{
	struct vmount *m = ofd->mount;
	char buf[65536];
	size_t pos = 0, want;
	ssize_t got;

	if (ftruncate(fd, size) < 0)
		return -errno;
	if (!SERVICE_OP(m->svc, pread))
		return -ENODEV;
	while (pos < len) {
		want = len - pos < sizeof(buf) ? len - pos : sizeof(buf);
		got = MOUNT_OP(m, pread, ofd->handle, buf, want, off + pos);
		if (got < 0)
			return (int)got;
		if (got == 0)
			break; /* shrunk meanwhile: zeros, as a hole */
		if (pwrite(fd, buf, got, off + pos) != got)
			return -errno;
		if (snap)
			memcpy(snap + pos, buf, got);
		pos += got;
	}
	return 0;
}



/* -errno for a mapping the kernel would refuse on this open file. */
static int check_access(const struct ofd *ofd, int prot, int flags)
{
	int acc = ofd->flags & O_ACCMODE;

	if (ofd->flags & O_PATH)
		return -EBADF;
	if (acc == O_WRONLY)
		return -EACCES;
	if ((flags & MAP_TYPE) == MAP_SHARED && (prot & PROT_WRITE) &&
	    acc != O_RDWR)
		return -EACCES;
	if ((ofd->flags & O_APPEND) && (flags & MAP_TYPE) == MAP_SHARED &&
	    (prot & PROT_WRITE))
		return -EACCES;
	return 0;
}

enum sc_action sc_mmap(struct sc_call *c)
{
	unsigned long len = c->arg[1];
	int prot = (int)c->arg[2], flags = (int)c->arg[3];
	off_t off = (off_t)c->arg[5], size;
	struct ofd *ofd;
	struct vmount *m;
	struct user_regs_struct back;
	struct vmap *v = NULL;
	struct stat st;
	int own = -1, status, err;
	bool shared, track;
	long n, ret;
	size_t flen;

	/* A fixed map replaces what was there: write that back first. */
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) == MAP_FIXED &&
	    c->t->vmas) {
		unsigned long end = c->arg[0] + PAGE_UP(len);

		writeback_range(c->t->vmas, c->arg[0], end);
		forget_range(c->t->vmas, c->arg[0], end);
	}
	if (flags & MAP_ANONYMOUS)
		return SC_KERNEL;
	ofd = fdtab_lookup(c->t->files, (int)c->arg[4]);
	if (!ofd)
		return SC_KERNEL; /* a real file (or passthrough): the kernel */
	if (len == 0 || (off & (PAGE - 1)) || off < 0)
		return sc_return(c, -EINVAL);
	err = check_access(ofd, prot, flags);
	if (err < 0)
		return sc_return(c, err);
	m = ofd->mount;
	err = MOUNT_OP(m, fstat, ofd->handle, &st);
	if (err < 0)
		return sc_return(c, err);
	if (!S_ISREG(st.st_mode))
		return sc_return(c, -ENODEV);
	size = st.st_size;
	flen = off >= size ? 0
			   : (size - off < (off_t)len ? (size_t)(size - off)
						      : len);
	shared = (flags & MAP_TYPE) == MAP_SHARED ||
		 (flags & MAP_TYPE) == MAP_SHARED_VALIDATE;
	/* read-write shared maps can be written (now or after mprotect) */
	track = shared && (ofd->flags & O_ACCMODE) == O_RDWR;
	if (track) {
		v = calloc(1, sizeof(*v));
		if (!v || !(v->snap = malloc(flen ? flen : 1))) {
			free(v);
			return sc_return(c, -ENOMEM);
		}
		v->fd = -1;
		v->off = off;
		v->len = flen;
		v->ofd = ofd_get(ofd);
	}
	n = tracee_memfd(c, &back, &own, &status);
	if (n < 0) {
		ret = n;
		goto out;
	}
	err = fill(ofd, own, size, off, flen, v ? v->snap : NULL);
	/* a read-only shared map must not become writable by mprotect */
	if (!err && shared && !track &&
	    fcntl(own, F_ADD_SEALS, F_SEAL_FUTURE_WRITE | F_SEAL_SHRINK |
					    F_SEAL_GROW) < 0)
		err = -errno;
	if (err < 0) {
		unsigned long cr[6] = { n, n, 0 };

		sc_inject_again(c->t->tid, &back, __NR_close_range, cr,
				&status);
		ret = err;
		goto out;
	}
	{
		unsigned long margs[6] = { c->arg[0], len, prot, flags, n,
					   off };
		unsigned long cr[6] = { n, n, 0 };

		ret = sc_inject_again(c->t->tid, &back, __NR_mmap, margs,
				      &status);
		sc_inject_again(c->t->tid, &back, __NR_close_range, cr,
				&status);
	}
	if (track && ret >= 0) { /* a mapping, not -errno */
		v->fd = own;
		own = -1;
		if (vmas_add(c->t, (unsigned long)ret, len, v) < 0) {
			log_error("mmap: out of memory: changes to %s will "
				  "not be written back", ofd->path);
		} else {
			v->next = vmaps;
			v->pprev = &vmaps;
			if (vmaps)
				vmaps->pprev = &v->next;
			vmaps = v;
		}
		engine_trap_unmaps(c->t);
	}
	debug("%d: mmap of %s (%s, %lu bytes at %lld) -> %#lx", c->t->tid,
	      ofd->path, shared ? "shared" : "private", len, (long long)off,
	      ret);
out:
	if (own >= 0)
		close(own);
	if (v && v->refs == 0) { /* not mapped: nothing to write back */
		if (v->fd >= 0)
			close(v->fd);
		ofd_put(v->ofd);
		free(v->snap);
		free(v);
	}
	return sc_return(c, ret);
}

/* --- calls on addresses, in processes with shared mappings --- */

enum sc_action sc_munmap(struct sc_call *c)
{
	unsigned long start = c->arg[0] & ~(PAGE - 1);
	unsigned long end = PAGE_UP(c->arg[0] + c->arg[1]);

	if (!c->t->vmas)
		return SC_KERNEL;
	switch (c->nr) {
	case __NR_msync:
		writeback_range(c->t->vmas, start, end);
		break;
	case __NR_munmap:
		/* written back by the last segment of each vmap dropped */
		writeback_range(c->t->vmas, start, end);
		forget_range(c->t->vmas, start, end);
		break;
	}
	return SC_KERNEL;
}

enum sc_action sc_mremap(struct sc_call *c)
{
	unsigned long start = c->arg[0], old = PAGE_UP(c->arg[1]);
	unsigned long new = PAGE_UP(c->arg[2]);
	struct user_regs_struct r = c->t->regs;
	struct vseg *s;
	int status;
	long ret;

	if (!c->t->vmas)
		return SC_KERNEL;
	for (s = c->t->vmas->segs; s; s = s->next)
		if (s->start < start + old && start < s->end)
			break;
	if (!s)
		return SC_KERNEL;
	writeback_range(c->t->vmas, start, start + old);
	/* run it now, to learn where the mapping went */
	ret = sc_rewrite(c->t->tid, &r, &status);
	if (ret < 0)
		return sc_return(c, ret);
	if (s->start == start && s->end == start + old) {
		s->start = (unsigned long)ret;
		s->end = (unsigned long)ret + new;
	} else { /* part of a mapping moved: no longer followed */
		forget_range(c->t->vmas, start, start + old);
	}
	return sc_return(c, ret);
}

/* --- read(2) and write(2) of a file that is mapped shared --- */

/* Is v a map of the file open as ofd (the same path in the same mount;
 * another name of it, a hard link, is not recognised)? */
static bool same_file(const struct vmap *v, const struct ofd *ofd)
{
	return v->ofd == ofd ||
	       (v->ofd->mount == ofd->mount && v->ofd->path && ofd->path &&
		strcmp(v->ofd->path, ofd->path) == 0);
}

/* The pages of [off, off + len) that v holds: false if none. */
static bool overlap(const struct vmap *v, off_t off, size_t len,
		    size_t *from, size_t *to)
{
	off_t lo = off > v->off ? off : v->off;
	off_t hi = off + (off_t)len < v->off + (off_t)v->len
			   ? off + (off_t)len
			   : v->off + (off_t)v->len;

	if (lo >= hi)
		return false;
	*from = lo - v->off;
	*to = hi - v->off;
	return true;
}

void mmap_before_read(struct ofd *ofd, off_t off, size_t len)
{
	struct vmap *v;
	size_t from, to;

	if (!vmaps)
		return;
	for (v = vmaps; v; v = v->next)
		if (same_file(v, ofd) && overlap(v, off, len, &from, &to))
			vmap_writeback_range(v, from, to);
}

void mmap_after_write(struct ofd *ofd, const void *buf, ssize_t len,
		      off_t off)
{
	struct vmap *v;
	size_t from, to;

	if (!vmaps || len <= 0)
		return;
	for (v = vmaps; v; v = v->next) {
		if (!same_file(v, ofd) || !overlap(v, off, len, &from, &to))
			continue;
		/* the mapping shows it, and it is not a change to write back */
		if (pwrite(v->fd, (const char *)buf + (v->off + from - off),
			   to - from, v->off + from) == (ssize_t)(to - from))
			memcpy(v->snap + from,
			       (const char *)buf + (v->off + from - off),
			       to - from);
	}
}
