/* The images execve runs: the private cache of programs read out of
 * virtual mounts (the kernel needs a real file), their ELF interpreter
 * found through the view, and the new program's auxiliary vector (O and P
 * of binfmt rules).  The call itself is in exec.c. */
#include <errno.h>
#include <elf.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/auxvec.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../inject.h"
#include "../log.h"
#include "../mem.h"
#include "../mtab.h"
#include "../service.h"
#include "../tracee.h"
#include "../view.h"
#include "exec.h"
#include "sc.h"

static char cache_dir[64];

static int remove_entry(const char *path, const struct stat *st, int type,
			struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	remove(path);
	return 0;
}

void exec_cache_cleanup(void)
{
	if (!cache_dir[0])
		return;
	/* depth first, not following symlinks: the copies, then the dir */
	nftw(cache_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	cache_dir[0] = '\0';
}

static int ensure_cache(void)
{
	const char *tmp = getenv("TMPDIR");

	if (cache_dir[0])
		return 0;
	snprintf(cache_dir, sizeof(cache_dir), "%s/umview-exec.XXXXXX",
		 tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if (!mkdtemp(cache_dir)) {
		cache_dir[0] = '\0';
		return -errno;
	}
	return 0;
}

int exec_cached_copy(struct vpath *vp, const struct stat *st, char *out,
		       size_t size)
{
	struct um_service *svc = vp->m->svc;
	int (*op)(void *, const char *, int, mode_t, void **) =
		SERVICE_OP(svc, open);
	ssize_t (*rd)(void *, void *, void *, size_t, off_t) =
		SERVICE_OP(svc, pread);
	int (*rel)(void *, void *) = SERVICE_OP(svc, release);
	unsigned long h = 5381;
	char tmp[PATH_MAX + 8], buf[65536];
	const char *p;
	void *handle = NULL;
	off_t off = 0;
	ssize_t n = 0;
	int fd, src, err;

	err = ensure_cache();
	if (err < 0)
		return err;
	for (p = vp->abs; *p; p++)
		h = h * 33 + (unsigned char)*p;
	snprintf(out, size, "%s/%lx-%lx-%lx-%lx", cache_dir, h,
		 (unsigned long)st->st_ino, (unsigned long)st->st_mtim.tv_sec,
		 (unsigned long)st->st_size);
	if (access(out, F_OK) == 0)
		return 0;
	if (!op)
		return -ENOEXEC;
	src = NESTED_CALL(vp->m->epoch, op, vp->m->mnt, vp->rel, O_RDONLY, 0, &handle);
	if (src < 0)
		return src;
	snprintf(tmp, sizeof(tmp), "%s.new", out);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	for (;;) {
		n = src > 0 ? pread(src, buf, sizeof(buf), off)
			    : (rd ? NESTED_CALL(vp->m->epoch, rd, vp->m->mnt, handle, buf, sizeof(buf), off)
				  : -ENOEXEC);
		if (n < 0 && src > 0)
			n = -errno;
		if (n <= 0)
			break;
		if (write(fd, buf, n) != n) {
			n = -EIO;
			break;
		}
		off += n;
	}
	err = n < 0 ? (int)n : 0;
	if (close(fd) < 0 && !err)
		err = -EIO;
	if (!err && rename(tmp, out) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
out:
	if (src > 0)
		close(src);
	else if (rel)
		NESTED_CALL(vp->m->epoch, rel, vp->m->mnt, handle);
	return err;
}


/* --- tracee scratch memory, below its stack pointer --- */


unsigned long exec_scratch_put(struct scratch *s, const void *data,
			       size_t len)
{
	s->top = (s->top - len) & ~15UL;
	return mem_write(s->tid, s->top, data, len) < 0 ? 0 : s->top;
}

/* --- PT_INTERP through the view --- */

/* The ELF program header of copy's PT_INTERP and its text.  Returns 1
 * when found, 0 when the file has none (static, not ELF64), -errno. */
static int read_interp(int fd, Elf64_Phdr *ph, off_t *at, char *interp,
		       size_t size)
{
	Elf64_Ehdr eh;
	int i;

	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(*ph))
		return 0;
	for (i = 0; i < eh.e_phnum; i++) {
		*at = eh.e_phoff + (off_t)i * sizeof(*ph);
		if (pread(fd, ph, sizeof(*ph), *at) != sizeof(*ph))
			return 0;
		if (ph->p_type != PT_INTERP)
			continue;
		if (ph->p_filesz < 2 || ph->p_filesz > size ||
		    pread(fd, interp, ph->p_filesz, ph->p_offset) !=
			    (ssize_t)ph->p_filesz ||
		    interp[ph->p_filesz - 1] != '\0')
			return -ENOEXEC;
		return 1;
	}
	return 0;
}

/*
 * A program run from the cache still names its ELF interpreter (PT_INTERP)
 * by a path, which the kernel would look up outside the view.  Resolve it
 * through the view; when the kernel would not find the same file there (a
 * loader inside a mount, or under a virtual root), give the cache a copy
 * of the program whose PT_INTERP names a file the kernel can open: the
 * loader itself if real, or its cached copy.  The new name is appended to
 * the copy and the program header pointed at it (the kernel reads
 * PT_INTERP from the file; the loader's mapped copy of the old name is
 * only a name).  copy is updated in place.  Returns 0 or -errno.
 */
int exec_fix_interp(struct sc_call *c, char *copy, size_t size)
{
	char interp[PATH_MAX], real[PATH_MAX], patched[PATH_MAX + 32];
	struct scratch s = { .tid = c->t->tid };
	Elf64_Phdr ph;
	struct vpath vp;
	unsigned long addr, h = 5381;
	off_t at, end;
	size_t len;
	char *p, buf[65536];
	ssize_t n;
	int fd, out, r, err;

	fd = open(copy, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = read_interp(fd, &ph, &at, interp, sizeof(interp));
	if (r <= 0) {
		close(fd);
		return r;
	}
	s.top = scratch_below_sp(&c->t->regs, 0);
	addr = exec_scratch_put(&s, interp, strlen(interp) + 1);
	r = addr ? view_resolve(c, AT_FDCWD, addr, 0, &vp) : -EFAULT;
	if (r == VIEW_KERNEL || r < 0) {
		close(fd);
		return r < 0 ? r : 0;
	}
	if (r == VIEW_VIRTUAL) {
		struct stat st;

		err = MOUNT_OP(vp.m, lstat, vp.rel, &st);
		if (!err)
			err = exec_cached_copy(&vp, &st, real, sizeof(real));
		if (err < 0) {
			close(fd);
			return err;
		}
		chmod(real, 0755);
	} else {
		snprintf(real, sizeof(real), "%s", vp.abs);
	}
	for (p = real; *p; p++)
		h = h * 33 + (unsigned char)*p;
	snprintf(patched, sizeof(patched), "%s-i%lx", copy, h);
	if (access(patched, F_OK) == 0)
		goto done;
	snprintf(buf, sizeof(buf), "%s.new", patched);
	out = open(buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
	if (out < 0) {
		close(fd);
		return -errno;
	}
	end = 0;
	err = 0;
	while ((n = pread(fd, buf, sizeof(buf), end)) > 0) {
		if (write(out, buf, n) != n) {
			err = -EIO;
			break;
		}
		end += n;
	}
	if (n < 0)
		err = -errno;
	len = strlen(real) + 1;
	end = (end + 7) & ~(off_t)7;
	ph.p_offset = end;
	ph.p_filesz = len;
	if (!err && (pwrite(out, real, len, end) != (ssize_t)len ||
		     pwrite(out, &ph, sizeof(ph), at) != sizeof(ph)))
		err = -EIO;
	if (close(out) < 0 && !err)
		err = -EIO;
	snprintf(buf, sizeof(buf), "%s.new", patched);
	if (!err && rename(buf, patched) < 0)
		err = -errno;
	if (err) {
		unlink(buf);
		close(fd);
		return err;
	}
done:
	close(fd);
	if (strlen(patched) >= size)
		return -ENAMETOOLONG;
	strcpy(copy, patched);
	return 0;
}

/* --- O and P: the new program's auxiliary vector --- */

/*
 * Linux hands an interpreter run by a rule with O (or C) the binary as an
 * open descriptor named by AT_EXECFD in its auxiliary vector, and sets
 * AT_FLAGS_PRESERVE_ARGV0 in AT_FLAGS for a rule with P.  The same here:
 * the tracee is made to create a memfd (no filter stops memfd_create)
 * that the hypervisor fills with the binary read through the view; the
 * execve is then made again by the tracee with the descriptor open, and
 * at the exec event the auxiliary vector gets the entry.
 */

static struct exec_note *notes;

struct exec_note *exec_note_find(pid_t tgid, bool create)
{
	struct exec_note *n;

	for (n = notes; n; n = n->next)
		if (n->tgid == tgid)
			return n;
	if (!create || !(n = calloc(1, sizeof(*n))))
		return NULL;
	n->tgid = tgid;
	n->memfd = -1;
	n->next = notes;
	notes = n;
	return n;
}

void exec_note_drop(struct exec_note *gone)
{
	struct exec_note **pp;

	for (pp = &notes; *pp; pp = &(*pp)->next)
		if (*pp == gone) {
			*pp = gone->next;
			free(gone);
			return;
		}
}

/* Copy the binary (in mount m at path, or real at path) into fd. */
static int copy_binary(struct vmount *m, const char *path, int fd)
{
	char buf[65536];
	void *h = NULL;
	off_t off = 0;
	ssize_t n;
	int src;

	src = m ? MOUNT_OP(m, open, path, O_RDONLY, 0, &h)
		: open(path, O_RDONLY | O_CLOEXEC);
	if (src < 0)
		return m ? src : -errno;
	for (;;) {
		if (!m || src > 0) {
			n = pread(src, buf, sizeof(buf), off);
			n = n < 0 ? -errno : n;
		} else {
			n = MOUNT_OP(m, pread, h, buf, sizeof(buf),
				    off);
		}
		if (n <= 0)
			break;
		if (pwrite(fd, buf, n, off) != n) {
			n = -EIO;
			break;
		}
		off += n;
	}
	if (!m || src > 0)
		close(src);
	else
		MOUNT_OP(m, release, h);
	return n < 0 ? (int)n : 0;
}

long exec_give_binary(struct sc_call *c, struct vmount *m,
		       const char *path)
{
	static const char name[] = "umbinfmt-execfd";
	unsigned long addr = scratch_below_sp(&c->t->regs, sizeof(name));
	unsigned long args[6] = { addr, 0 };
	struct user_regs_struct back;
	int pidfd, own, status, err;
	long n;

	if (mem_write(c->t->tid, addr, name, sizeof(name)) < 0)
		return -EFAULT;
	n = sc_inject_back(c->t->tid, &c->t->regs, __NR_memfd_create, args,
			   &status, &back);
	if (n < 0)
		return n;
	pidfd = syscall(SYS_pidfd_open, c->t->tgid, 0);
	own = pidfd < 0 ? -1 : syscall(SYS_pidfd_getfd, pidfd, (int)n, 0);
	err = own < 0 ? -errno : copy_binary(m, path, own);
	if (own >= 0)
		close(own);
	if (pidfd >= 0)
		close(pidfd);
	if (err < 0) {
		unsigned long cr[6] = { n, n, 0 };

		sc_inject_again(c->t->tid, &back, __NR_close_range, cr,
				&status);
		return err;
	}
	return n;
}

#ifndef AT_FLAGS_PRESERVE_ARGV0
#define AT_FLAGS_PRESERVE_ARGV0 1
#endif
/* Words of the initial stack we are willing to move: argc, argv, envp
 * and auxv of any sane program fit. */
#define EXEC_MAXWORDS (1 << 20)

/* At the exec event: the stack holds argc, argv[], NULL, envp[], NULL,
 * then auxv pairs up to AT_NULL.  AT_FLAGS is changed in place; AT_EXECFD
 * is added by moving everything below it 16 bytes down (rsp too), which
 * keeps the ABI's 16-byte alignment. */
static int edit_auxv(struct tracee *t, const struct exec_note *n)
{
	unsigned long *w = NULL, sp, k, cap = 0, i, auxv;
	int err = -EFAULT;

	if (regs_get(t->tid, &t->regs) < 0)
		return -ESRCH;
	sp = t->regs.rsp;
	/* read the block until AT_NULL, in small steps: the stack may end
	 * soon after it */
	for (;;) {
		unsigned long *nw;

		if (cap + 16 > EXEC_MAXWORDS)
			goto out;
		nw = realloc(w, (cap + 16) * sizeof(*w));
		if (!nw) {
			err = -ENOMEM;
			goto out;
		}
		w = nw;
		if (mem_read(t->tid, sp + cap * 8, w + cap, 16 * 8) < 0)
			goto out;
		cap += 16;
		/* find the end: argc, argv, NULL, envp, NULL, auxv, AT_NULL */
		i = w[0] + 2;
		while (i < cap && w[i])
			i++;
		auxv = i + 1;
		for (i = auxv; i + 1 < cap && w[i] != AT_NULL; i += 2)
			;
		if (i + 1 < cap) {
			k = i + 2;
			break;
		}
	}
	if (n->preserve)
		for (i = auxv; i + 2 < k; i += 2)
			if (w[i] == AT_FLAGS)
				w[i + 1] |= AT_FLAGS_PRESERVE_ARGV0;
	if (n->execfd && n->memfd >= 0) {
		unsigned long *nw = realloc(w, (k + 2) * sizeof(*w));

		if (!nw) {
			err = -ENOMEM;
			goto out;
		}
		w = nw;
		w[k + 1] = w[k - 1];
		w[k] = w[k - 2]; /* AT_NULL, 0 */
		w[k - 2] = AT_EXECFD;
		w[k - 1] = n->memfd;
		k += 2;
		if (mem_write(t->tid, sp - 16, w, k * 8) < 0)
			goto out;
		t->regs.rsp = sp - 16;
		if (regs_set(t->tid, &t->regs) < 0)
			goto out;
	} else if (mem_write(t->tid, sp, w, k * 8) < 0) {
		goto out;
	}
	err = 0;
out:
	free(w);
	return err;
}

void exec_event(struct tracee *t)
{
	struct exec_note *n = exec_note_find(t->tgid, false);

	if (!n)
		return;
	if (n->armed && edit_auxv(t, n) < 0)
		log_error("%d: exec: cannot give the interpreter its binary "
			  "(AT_EXECFD) or AT_FLAGS", t->tid);
	exec_note_drop(n);
}

