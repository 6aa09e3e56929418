/* execve and execveat through the view.  The chain Linux would follow is
 * followed here, through the view: binfmt rules (UM_REG_BINFMT, asked
 * first, newest first, as Linux puts binfmt_misc ahead of ELF and #!), #!
 * scripts, and the final program.  A program inside a virtual mount is
 * copied to a private cache (the kernel needs a real file); the call is
 * rewritten to run what the kernel can run, with the argv Linux builds.
 * These calls come through ptrace (not the user-notification channel),
 * because their path and argv arguments must change. */
#include <errno.h>
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
#include "../path.h"
#include "../reg.h"
#include "../service.h"
#include "../tracee.h"
#include "../view.h"
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

/* Copy the virtual file to the cache (once per version of it).  Returns 0
 * with its path in out, or -errno. */
static int cached_copy(struct vpath *vp, const struct stat *st, char *out,
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


/* --- the plan: what the kernel will be asked to run --- */

/* Linux follows at most 5 levels of #! and binfmt interpreters
 * (BINPRM_MAX_RECURSION 4 below the first). */
#define EXEC_DEPTH 5
/* Strings put in front of the caller's argv: 3 per level at most. */
#define EXEC_MAXPRE (3 * EXEC_DEPTH + 1)
/* Arguments read from the caller: Linux's own limit is in bytes (ARG_MAX
 * and the stack rlimit); this one only bounds the work. */
#define EXEC_MAXARGS (1 << 20)

/* The argv the kernel will see is pre[0..npre) followed by the caller's
 * argv[skip..]; name is the file's name as Linux's bprm->interp says it
 * (what binfmt rules match an extension against and what goes in argv). */
struct plan {
	char name[PATH_MAX];
	char *pre[EXEC_MAXPRE];
	int npre;
	long skip;
	/* the rule that ran: P (AT_FLAGS_PRESERVE_ARGV0), and with O or C
	 * the binary it matched, for AT_EXECFD */
	bool preserve;
	bool execfd;
	struct vmount *bin_m;      /* the binary's mount, or NULL: real */
	char bin[PATH_MAX + 32];   /* its path in bin_m, or a real path */
};

static void plan_free(struct plan *p)
{
	int i;

	for (i = 0; i < p->npre; i++)
		free(p->pre[i]);
	p->npre = 0;
}

static int plan_copy(struct plan *dst, const struct plan *src)
{
	int i;

	plan_free(dst);
	memcpy(dst->name, src->name, sizeof(dst->name));
	dst->skip = src->skip;
	dst->preserve = src->preserve;
	dst->execfd = src->execfd;
	dst->bin_m = src->bin_m;
	memcpy(dst->bin, src->bin, sizeof(dst->bin));
	for (i = 0; i < src->npre; i++) {
		dst->pre[i] = strdup(src->pre[i]);
		if (!dst->pre[i])
			return -ENOMEM;
		dst->npre = i + 1;
	}
	return 0;
}

/* Remove argv[0] (Linux's remove_arg_zero). */
static void plan_drop_argv0(struct plan *p)
{
	if (p->npre > 0) {
		free(p->pre[0]);
		memmove(p->pre, p->pre + 1, --p->npre * sizeof(p->pre[0]));
	} else {
		p->skip++;
	}
}

/* Put strs[0..n) in front of argv. */
static int plan_prepend(struct plan *p, const char *const *strs, int n)
{
	int i;

	if (p->npre + n > EXEC_MAXPRE)
		return -ELOOP;
	memmove(p->pre + n, p->pre, p->npre * sizeof(p->pre[0]));
	for (i = 0; i < n; i++)
		p->pre[i] = NULL;
	p->npre += n;
	for (i = 0; i < n; i++) {
		p->pre[i] = strdup(strs[i]);
		if (!p->pre[i])
			return -ENOMEM;
	}
	return 0;
}

static int plan_rename(struct plan *p, const char *name)
{
	if (strlen(name) >= sizeof(p->name))
		return -ENAMETOOLONG;
	strcpy(p->name, name);
	return 0;
}

/* --- tracee scratch memory, below its stack pointer --- */

struct scratch {
	pid_t tid;
	unsigned long top;
};

/* Copy len bytes below the previous ones.  Returns their address, 0 if
 * the tracee's memory refused them. */
static unsigned long scratch_put(struct scratch *s, const void *data,
				 size_t len)
{
	s->top = (s->top - len) & ~15UL;
	return mem_write(s->tid, s->top, data, len) < 0 ? 0 : s->top;
}

/* --- looking at a file --- */

/* The file's first bytes and whether it may be executed, read through
 * the view.  head is zero-filled past *len; path (PATH_MAX + 32 bytes)
 * receives the real path read, for a real file.  Returns 0, 1 when the view
 * cannot read it but the kernel can run it (an execute-only real file:
 * no binfmt rule or #! can be seen), or -errno. */
static int file_head(struct sc_call *c, int where, const struct vpath *vp,
		     int dirfd, const char *given, unsigned char *head,
		     size_t *len, char *path)
{
	struct stat st;
	ssize_t n;
	int fd, err;

	memset(head, 0, UM_BINFMT_HEAD);
	*len = 0;
	if (where == VIEW_VIRTUAL) {
		void *h = NULL;
		int src;

		err = MOUNT_OP(vp->m, lstat, vp->rel, &st);
		if (err < 0)
			return err;
		if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
			return -EACCES;
		src = MOUNT_OP(vp->m, open, vp->rel, O_RDONLY, 0, &h);
		if (src < 0)
			return src;
		if (src > 0) {
			n = pread(src, head, UM_BINFMT_HEAD, 0);
			n = n < 0 ? -errno : n;
			close(src);
		} else {
			n = MOUNT_OP(vp->m, pread, h, head,
				    UM_BINFMT_HEAD, 0);
			MOUNT_OP(vp->m, release, h);
		}
		if (n < 0)
			return (int)n;
		*len = n;
		return 0;
	}
	/* A real file.  Without a walk (nothing mounted) the name is the
	 * caller's: make it absolute as the kernel would take it. */
	if (vp->abs[0])
		snprintf(path, PATH_MAX + 32, "%s", vp->abs);
	else if (strncmp(given, "/dev/fd/", 8) == 0)
		snprintf(path, PATH_MAX + 32, "/proc/%d/fd/%s", c->t->tgid,
			 given + 8);
	else if (strncmp(given, "/proc/self/", 11) == 0)
		snprintf(path, PATH_MAX + 32, "/proc/%d/%s", c->t->tgid,
			 given + 11);
	else if (given[0] == '/')
		snprintf(path, PATH_MAX + 32, "%s", given);
	else if (dirfd != AT_FDCWD)
		snprintf(path, PATH_MAX + 32, "/proc/%d/fd/%d%s%s", c->t->tgid,
			 dirfd, given[0] ? "/" : "", given);
	else
		snprintf(path, PATH_MAX + 32, "/proc/%d/cwd/%s", c->t->tid,
			 given);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		if (err == -EACCES && stat(path, &st) == 0 &&
		    S_ISREG(st.st_mode) && access(path, X_OK) == 0)
			return 1;
		return err;
	}
	err = 0;
	if (fstat(fd, &st) < 0)
		err = -errno;
	else if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111) ||
		 access(path, X_OK) < 0)
		err = -EACCES;
	if (!err) {
		n = pread(fd, head, UM_BINFMT_HEAD, 0);
		if (n < 0)
			err = -errno;
		else
			*len = n;
	}
	close(fd);
	return err;
}

/* --- binfmt rules --- */

struct rules {
	const struct reg *r[64];
	int n;
};

static void collect_rule(const struct reg *r, void *arg)
{
	struct rules *rs = arg;
	int i;

	if (r->kind != UM_REG_BINFMT || rs->n == 64)
		return;
	/* newest first: insertion by epoch */
	for (i = rs->n; i > 0 && rs->r[i - 1]->epoch < r->epoch; i--)
		rs->r[i] = rs->r[i - 1];
	rs->r[i] = r;
	rs->n++;
}

/* Ask the rules, newest first.  Returns 1 with *out, 0, or -errno. */
static int binfmt_find(const char *name, const unsigned char *head,
		       size_t len, struct um_binfmt *out)
{
	struct rules rs = { .n = 0 };
	int i, m;

	reg_foreach(collect_rule, &rs);
	for (i = 0; i < rs.n; i++) {
		struct um_service *svc = rs.r[i]->svc;

		out->interp_fd = -1;
		out->flags = 0;
		m = CALL_OP(svc, binfmt_match, svc, rs.r[i]->str, name, head,
			    len, out);
		if (m == -ENOSYS)
			continue;
		if (m != 0)
			return m < 0 ? m : 1;
	}
	return 0;
}

/* --- #! --- */

/* Linux's reading of a #! line (binfmt_script): the interpreter is the
 * first word after "#!", the optional argument everything after it on
 * the line, trimmed, as one string.  A line longer than the buffer is
 * fine as long as the interpreter's name ends inside it.  Returns 0 or
 * -ENOEXEC. */
static int shebang(const unsigned char *head, size_t len, char *interp,
		   char *arg, size_t size)
{
	const char *p = (const char *)head + 2, *end;
	const char *nl = memchr(head, '\n', len);
	size_t n;

	end = nl ? nl : (const char *)head + len;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	n = 0;
	while (p + n < end && p[n] != ' ' && p[n] != '\t' && p[n])
		n++;
	if (n == 0 || n >= size || (!nl && p + n == end))
		return -ENOEXEC;
	memcpy(interp, p, n);
	interp[n] = '\0';
	p += n;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	n = 0;
	while (p + n < end && p[n])
		n++;
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n >= size)
		return -ENOEXEC;
	memcpy(arg, p, n);
	arg[n] = '\0';
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
struct exec_note {
	pid_t tgid;
	int memfd;     /* the tracee's number of the binary's copy, or -1 */
	bool redo;     /* made, the execve is being made again */
	bool armed;    /* the execve is under way: edit auxv at its event */
	bool preserve;
	bool execfd;
	struct vmount *bin_m; /* what the memfd holds */
	char bin[PATH_MAX + 32];
	struct exec_note *next;
};

static struct exec_note *notes;

static struct exec_note *note_find(pid_t tgid, bool create)
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

static void note_drop(struct exec_note *gone)
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

/* Make the tracee hold a memfd with the binary, open across exec.
 * Returns its number there, -ESRCH if the tracee is gone, or -errno. */
static long give_binary(struct sc_call *c, const struct plan *p)
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
	err = own < 0 ? -errno : copy_binary(p->bin_m, p->bin, own);
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
	struct exec_note *n = note_find(t->tgid, false);

	if (!n)
		return;
	if (n->armed && edit_auxv(t, n) < 0)
		log_error("%d: exec: cannot give the interpreter its binary "
			  "(AT_EXECFD) or AT_FLAGS", t->tid);
	note_drop(n);
}

/* --- the call --- */

/* Give the call path and the plan's argv, written below the stack. */
static enum sc_action rewrite(struct sc_call *c, int i, const char *path,
			      const struct plan *p)
{
	struct scratch s = { .tid = c->t->tid };
	unsigned long argv = c->arg[i + 1], *vec, addr, w;
	long argc = 0, k, n;
	int j;

	s.top = scratch_below_sp(&c->t->regs, 0);
	addr = scratch_put(&s, path, strlen(path) + 1);
	if (!addr)
		return sc_return(c, -EFAULT);
	c->arg[i] = addr;
	if (i == 1) { /* execveat: an absolute path ignores dirfd */
		c->arg[0] = AT_FDCWD;
		c->arg[4] &= ~(unsigned long)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH);
	}
	if (p->npre == 0 && p->skip == 0)
		return SC_REWRITE;
	/* The caller's argv, up to its NULL (a NULL argv is empty). */
	while (argv && argc < EXEC_MAXARGS) {
		if (mem_read(c->t->tid, argv + argc * 8, &w, sizeof(w)) < 0)
			return sc_return(c, -EFAULT);
		if (!w)
			break;
		argc++;
	}
	if (argc == EXEC_MAXARGS)
		return sc_return(c, -E2BIG);
	k = argc > p->skip ? argc - p->skip : 0;
	n = p->npre + k + 1;
	vec = calloc(n, sizeof(*vec));
	if (!vec)
		return sc_return(c, -ENOMEM);
	for (j = 0; j < p->npre; j++) {
		vec[j] = scratch_put(&s, p->pre[j], strlen(p->pre[j]) + 1);
		if (!vec[j])
			goto out_fault;
	}
	if (k && mem_read(c->t->tid, argv + p->skip * 8, vec + p->npre,
			  k * 8) < 0)
		goto out_fault;
	vec[n - 1] = 0;
	addr = scratch_put(&s, vec, n * sizeof(*vec));
	if (!addr)
		goto out_fault;
	free(vec);
	c->arg[i + 1] = addr;
	return SC_REWRITE;
out_fault:
	free(vec);
	return sc_return(c, -EFAULT);
}

/* Rewrite the call to run the plan; with O, first make the tracee hold
 * the binary and make the call again. */
static enum sc_action run_plan(struct sc_call *c, int i, const char *path,
			       const struct plan *p)
{
	struct exec_note *n = note_find(c->t->tgid, false);
	enum sc_action act;

	if (!p->execfd && !p->preserve) {
		if (n)
			note_drop(n);
		return rewrite(c, i, path, p);
	}
	if (!n && !(n = note_find(c->t->tgid, true)))
		return sc_return(c, -ENOMEM);
	/* made again, but for another binary (the rules changed) */
	if (n->redo && (n->bin_m != p->bin_m || strcmp(n->bin, p->bin)))
		n->redo = false;
	if (p->execfd && !n->redo) {
		long fd = give_binary(c, p);

		if (fd == -ESRCH)
			return SC_KERNEL; /* gone */
		if (fd < 0) {
			note_drop(n);
			return sc_return(c, fd);
		}
		n->memfd = fd;
		n->redo = true;
		n->bin_m = p->bin_m;
		snprintf(n->bin, sizeof(n->bin), "%s", p->bin);
		/* the tracee was rewound: it makes the execve again */
		return SC_KERNEL;
	}
	act = rewrite(c, i, path, p);
	n->redo = false;
	n->armed = act == SC_REWRITE;
	n->preserve = p->preserve;
	n->execfd = p->execfd;
	return act;
}

/* The name Linux gives the file: the path as the caller wrote it, or
 * /dev/fd/N[/path] for execveat from a directory fd. */
static int first_name(struct sc_call *c, int i, int dirfd, char *name,
		      size_t size)
{
	char path[PATH_MAX];
	ssize_t n = mem_read_str(c->t->tid, c->arg[i], path, sizeof(path));
	int len;

	if (n < 0)
		return n == -ENAMETOOLONG ? -ENAMETOOLONG : -EFAULT;
	if (i == 0 || dirfd == AT_FDCWD || path[0] == '/')
		len = snprintf(name, size, "%s", path);
	else if (!path[0])
		len = snprintf(name, size, "/dev/fd/%d", dirfd);
	else
		len = snprintf(name, size, "/dev/fd/%d/%s", dirfd, path);
	return len < 0 || (size_t)len >= size ? -ENAMETOOLONG : 0;
}

enum sc_action sc_execve(struct sc_call *c)
{
	int i = c->nr == __NR_execve ? 0 : 1;
	int flags = c->nr == __NR_execveat ? (int)c->arg[4] : 0;
	int dirfd = i ? (int)c->arg[0] : AT_FDCWD;
	int pflags = ((flags & AT_SYMLINK_NOFOLLOW) ? PATH_NOFOLLOW : 0) |
		     ((flags & AT_EMPTY_PATH) ? PATH_EMPTY_OK : 0);
	unsigned char head[UM_BINFMT_HEAD];
	char target[PATH_MAX], given[PATH_MAX], real[PATH_MAX + 32];
	struct plan cur = { .npre = 0 }, fin = { .npre = 0 };
	unsigned long upath = c->arg[i];
	bool rules = reg_any(UM_REG_BINFMT), have = false;
	struct exec_note *note;
	enum sc_action act;
	struct vpath vp;
	int depth, r, err;
	size_t len;

	if (c->via_notify)
		return SC_KERNEL;
	note = note_find(c->t->tgid, false);
	if (note && !note->redo)
		note_drop(note); /* an execve that failed: its note is stale */
	/* Nothing mounted and no rule: nothing to look at. */
	if (!rules && !mtab_any())
		return SC_KERNEL;
	err = first_name(c, i, dirfd, cur.name, sizeof(cur.name));
	if (err < 0)
		return rules ? sc_return(c, err) : SC_KERNEL;
	for (depth = 0;; depth++) {
		struct um_binfmt bf;
		char interp[PATH_MAX], arg[PATH_MAX];

		if (depth == EXEC_DEPTH) {
			err = -ELOOP;
			goto out;
		}
		if (depth > 0) {
			/* the interpreter's name, for the walk to read */
			struct scratch s = { .tid = c->t->tid };

			s.top = scratch_below_sp(&c->t->regs, 0);
			upath = scratch_put(&s, cur.name, strlen(cur.name) + 1);
			if (!upath) {
				err = -EFAULT;
				goto out;
			}
			dirfd = AT_FDCWD;
			pflags = 0;
		}
		r = view_resolve(c, dirfd, upath, pflags, &vp);
		if (r < 0) {
			err = r;
			goto out;
		}
		/* What the kernel finds by itself, with no rule to ask: the
		 * rest of the chain is the kernel's. */
		if (r == VIEW_KERNEL && !rules)
			break;
		/* the name as the caller's kernel would take it */
		if (depth == 0)
			err = mem_read_str(c->t->tid, c->arg[i], given,
					   sizeof(given)) < 0 ? -EFAULT : 0;
		else
			snprintf(given, sizeof(given), "%s", cur.name);
		if (!err)
			err = file_head(c, r, &vp, dirfd, given, head, &len,
					real);
		if (err < 0)
			goto out;
		if (err == 1) { /* execute-only: the kernel runs it */
			if (r == VIEW_REAL) {
				err = plan_copy(&fin, &cur);
				snprintf(target, sizeof(target), "%s", vp.abs);
				have = true;
			}
			break;
		}
		err = rules ? binfmt_find(cur.name, head, len, &bf) : 0;
		if (err < 0)
			goto out;
		if (err == 1) {
			const char *pre[2] = { bf.interpreter, cur.name };

			if (!(bf.flags & UM_BINFMT_P))
				plan_drop_argv0(&cur);
			cur.preserve = bf.flags & UM_BINFMT_P;
			cur.execfd = bf.flags & (UM_BINFMT_O | UM_BINFMT_C);
			cur.bin_m = r == VIEW_VIRTUAL ? vp.m : NULL;
			snprintf(cur.bin, sizeof(cur.bin), "%s",
				 r == VIEW_VIRTUAL ? vp.rel : real);
			err = plan_prepend(&cur, pre, 2);
			if (!err)
				err = plan_rename(&cur, bf.interpreter);
			if (!err)
				err = plan_copy(&fin, &cur);
			if (err < 0)
				goto out;
			have = true;
			if (bf.flags & UM_BINFMT_F) {
				/* the file opened at registration, wherever
				 * its name leads now */
				snprintf(target, sizeof(target),
					 "/proc/%d/fd/%d", (int)getpid(),
					 bf.interp_fd);
				break;
			}
			snprintf(target, sizeof(target), "%s", cur.name);
			continue;
		}
		if (len >= 2 && head[0] == '#' && head[1] == '!') {
			const char *pre[3];
			int n = 0;

			err = shebang(head, len, interp, arg, sizeof(interp));
			if (err < 0)
				goto out;
			pre[n++] = interp;
			if (arg[0])
				pre[n++] = arg;
			pre[n++] = cur.name;
			plan_drop_argv0(&cur);
			err = plan_prepend(&cur, pre, n);
			if (!err)
				err = plan_rename(&cur, interp);
			if (err < 0)
				goto out;
			/* A script the kernel cannot reach: run its
			 * interpreter here, with the script's name as the
			 * caller gave it (the interpreter opens it through
			 * the view). */
			if (r != VIEW_KERNEL) {
				err = plan_copy(&fin, &cur);
				if (err < 0)
					goto out;
				snprintf(target, sizeof(target), "%s", interp);
				have = true;
			}
			continue;
		}
		/* The program itself. */
		if (r == VIEW_VIRTUAL) {
			struct stat st;

			err = MOUNT_OP(vp.m, lstat, vp.rel, &st);
			if (!err)
				err = cached_copy(&vp, &st, target,
						  sizeof(target));
			if (err < 0)
				goto out;
			chmod(target, st.st_mode & 07755 & ~S_ISUID & ~S_ISGID);
			err = plan_copy(&fin, &cur);
			have = true;
		} else if (r == VIEW_REAL) {
			snprintf(target, sizeof(target), "%s", vp.abs);
			err = plan_copy(&fin, &cur);
			have = true;
		}
		if (err < 0)
			goto out;
		break;
	}
	err = 0;
out:
	if (err < 0)
		act = sc_return(c, err);
	else if (!have)
		act = SC_KERNEL;
	else
		act = run_plan(c, i, target, &fin);
	plan_free(&cur);
	plan_free(&fin);
	return act;
}
