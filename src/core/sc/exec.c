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
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../inject.h"
#include "../mem.h"
#include "../mtab.h"
#include "../path.h"
#include "../reg.h"
#include "../service.h"
#include "../tracee.h"
#include "../view.h"
#include "exec.h"
#include "sc.h"

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
	addr = exec_scratch_put(&s, path, strlen(path) + 1);
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
		vec[j] = exec_scratch_put(&s, p->pre[j], strlen(p->pre[j]) + 1);
		if (!vec[j])
			goto out_fault;
	}
	if (k && mem_read(c->t->tid, argv + p->skip * 8, vec + p->npre,
			  k * 8) < 0)
		goto out_fault;
	vec[n - 1] = 0;
	addr = exec_scratch_put(&s, vec, n * sizeof(*vec));
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
	struct exec_note *n = exec_note_find(c->t->tgid, false);
	enum sc_action act;

	if (!p->execfd && !p->preserve) {
		if (n)
			exec_note_drop(n);
		return rewrite(c, i, path, p);
	}
	if (!n && !(n = exec_note_find(c->t->tgid, true)))
		return sc_return(c, -ENOMEM);
	/* made again, but for another binary (the rules changed) */
	if (n->redo && (n->bin_m != p->bin_m || strcmp(n->bin, p->bin)))
		n->redo = false;
	if (p->execfd && !n->redo) {
		long fd = exec_give_binary(c, p->bin_m, p->bin);

		if (fd == -ESRCH)
			return SC_KERNEL; /* gone */
		if (fd < 0) {
			exec_note_drop(n);
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

/* Is fd close-on-exec in process tgid?  Then, as Linux says, the
 * /dev/fd/N name of a file run by execveat from it is gone once the
 * program starts: no interpreter could open it, and a script or rule
 * fails with ENOENT. */
static bool fd_cloexec(pid_t tgid, int fd)
{
	char path[64], line[128];
	unsigned long flags;
	bool ret = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", tgid, fd);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "flags: %lo", &flags) == 1) {
			ret = flags & O_CLOEXEC;
			break;
		}
	fclose(f);
	return ret;
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
	bool hidden;
	struct vpath vp;
	int depth, r, err;
	size_t len;

	if (c->via_notify)
		return SC_KERNEL;
	note = exec_note_find(c->t->tgid, false);
	if (note && !note->redo)
		exec_note_drop(note); /* an execve that failed: its note is stale */
	/* Nothing mounted and no rule: nothing to look at. */
	if (!rules && !mtab_any())
		return SC_KERNEL;
	err = first_name(c, i, dirfd, cur.name, sizeof(cur.name));
	if (err < 0)
		return rules ? sc_return(c, err) : SC_KERNEL;
	hidden = strncmp(cur.name, "/dev/fd/", 8) == 0 &&
		 fd_cloexec(c->t->tgid, dirfd);
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
			upath = exec_scratch_put(&s, cur.name, strlen(cur.name) + 1);
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
		if (err == 1 && depth == 0 && hidden) {
			err = -ENOENT;
			goto out;
		}
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
			if (!err && depth == 0 && hidden)
				err = -ENOENT;
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
				err = exec_cached_copy(&vp, &st, target,
						  sizeof(target));
			if (!err)
				err = exec_fix_interp(c, target, sizeof(target));
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
