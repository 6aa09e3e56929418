/* The filter builder: which system calls stop, as a seccomp BPF program
 * made from the syscall table plus what the registrations need.
 * libseccomp builds the program; we export it as raw BPF because the
 * engine installs it inside tracees by injecting seccomp(2). */
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <umview/umcall.h>

#include "filter.h"
#include "reg.h"
#include "sctab.h"

void filter_set_add(struct filter_set *s, int nr)
{
	if (nr >= 0 && nr < FILTER_MAXNR)
		s->bit[nr / 64] |= 1ULL << (nr % 64);
}

bool filter_set_has(const struct filter_set *s, int nr)
{
	return nr >= 0 && nr < FILTER_MAXNR &&
	       (s->bit[nr / 64] & (1ULL << (nr % 64)));
}

bool filter_set_subset(const struct filter_set *a, const struct filter_set *b)
{
	size_t i;

	for (i = 0; i < FILTER_MAXNR / 64; i++)
		if (a->bit[i] & ~b->bit[i])
			return false;
	return true;
}

void filter_set_union(struct filter_set *dst, const struct filter_set *src)
{
	size_t i;

	for (i = 0; i < FILTER_MAXNR / 64; i++)
		dst->bit[i] |= src->bit[i];
}

static void add_rows(struct filter_set *s, bool (*want)(const struct sc_row *))
{
	int i, n;
	const struct sc_row *rows = sctab_rows(&n);

	for (i = 0; i < n; i++)
		if (want(&rows[i]))
			filter_set_add(s, rows[i].nr);
}

static bool row_on_files(const struct sc_row *row)
{
	return sctab_has_path(row) || row->family == SCF_FD ||
	       row->family == SCF_DIR || row->family == SCF_XATTR;
}

bool filter_row_by_fd(const struct sc_row *row)
{
	int i;
	bool fd = false;

	if (row->flags & SC_IF_VIRTUAL)
		return true;
	for (i = 0; i < 6; i++) {
		if (row->arg[i] == A_PATH || row->arg[i] == A_DIRFD)
			return false;
		fd |= row->arg[i] == A_FD;
	}
	/* fchdir leaves a virtual cwd, from any fd: always seen */
	return fd && row->nr != __NR_fchdir;
}

/* Once something is mounted, every path call stops; calls by fd stop only
 * through the per-thread fd filters. */
static bool row_on_files_notified(const struct sc_row *row)
{
	return row_on_files(row) && !(row->flags & SC_PTRACED) &&
	       !filter_row_by_fd(row);
}

static bool row_on_files_traced(const struct sc_row *row)
{
	return row_on_files(row) && (row->flags & SC_PTRACED) &&
	       !filter_row_by_fd(row);
}

static bool row_on_sockets(const struct sc_row *row)
{
	return row->family == SCF_SOCKET;
}

struct wanted {
	struct filter_set *trap;
	struct filter_set *notify;
};

static void want_reg(const struct reg *r, void *arg)
{
	struct wanted *w = arg;

	switch (r->kind) {
	case UM_REG_SYSCALL:
		filter_set_add(w->trap, (int)r->num);
		break;
	case UM_REG_PATH:
	case UM_REG_DEVICE:
	case UM_REG_IOCTL:
	case UM_REG_BINFMT:
		add_rows(w->notify, row_on_files_notified);
		add_rows(w->trap, row_on_files_traced);
		break;
	case UM_REG_FAMILY:
		add_rows(w->trap, row_on_sockets);
		break;
	case UM_REG_FSTYPE: /* mount(2) is always trapped */
	default:
		break;
	}
}

void filter_wanted(struct filter_set *trap, struct filter_set *notify)
{
	struct wanted w = { trap, notify };

	memset(trap, 0, sizeof(*trap));
	memset(notify, 0, sizeof(*notify));
	reg_foreach(want_reg, &w);
}

bool filter_set_empty(const struct filter_set *s)
{
	size_t i;

	for (i = 0; i < FILTER_MAXNR / 64; i++)
		if (s->bit[i])
			return false;
	return true;
}

bool filter_hides_vdso(void)
{
	int i, n;
	const struct sc_row *rows = sctab_rows(&n);

	for (i = 0; i < n; i++)
		if ((rows[i].flags & SC_VDSO) &&
		    reg_choose(UM_REG_SYSCALL, rows[i].nr, NULL, REG_EPOCH_MAX))
			return true;
	return false;
}

static int export(scmp_filter_ctx ctx, struct sock_fprog *prog)
{
	int fd, err;
	off_t len;
	void *buf;

	fd = memfd_create("umview-filter", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = seccomp_export_bpf(ctx, fd);
	if (err < 0)
		goto out;
	len = lseek(fd, 0, SEEK_CUR);
	if (len <= 0 || len % sizeof(struct sock_filter)) {
		err = -EINVAL;
		goto out;
	}
	buf = malloc(len);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	if (pread(fd, buf, len, 0) != len) {
		free(buf);
		err = -EIO;
		goto out;
	}
	prog->filter = buf;
	prog->len = len / sizeof(struct sock_filter);
	err = 0;
out:
	close(fd);
	return err;
}

int filter_build(const struct filter_set *s, const struct filter_set *notify,
		 struct sock_fprog *prog)
{
	scmp_filter_ctx ctx;
	int i, n, err = 0;
	const struct sc_row *rows = sctab_rows(&n);

	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return -ENOMEM;
	/* Other ABIs (i386 int 0x80) and x32 numbers: refused. */
	err = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
			       SCMP_ACT_ERRNO(ENOSYS));
	/* The filter is installed by the tracee itself or by injection:
	 * never let libseccomp touch no_new_privs on its own. */
	if (!err)
		err = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	/* A binary search over the numbers, not a linear scan: every system
	 * call of every tracee runs this program. */
	if (!err)
		err = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (i = 0; i < n && !err; i++) {
		uint32_t action;

		if (rows[i].flags & SC_ENOSYS)
			action = SCMP_ACT_ERRNO(ENOSYS);
		else if ((rows[i].flags & SC_ALWAYS) ||
			 filter_set_has(s, rows[i].nr))
			action = SCMP_ACT_TRACE(0);
		else if (notify && filter_set_has(notify, rows[i].nr))
			action = SCMP_ACT_NOTIFY;
		else
			continue;
		err = seccomp_rule_add(ctx, action, rows[i].nr, 0);
	}
	/* The relay: a call stopped for ptrace that must be answered by
	 * the listener is rewritten into it (engine.c). */
	if (!err && notify && !filter_set_empty(notify))
		err = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, UM_RELAY_NR, 0);
	/* Trapped numbers without a row: a module asked for them. */
	for (i = 0; i < FILTER_MAXNR && !err; i++)
		if (filter_set_has(s, i) && !sctab_lookup(i))
			err = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), i, 0);
	if (!err)
		err = export(ctx, prog);
	seccomp_release(ctx);
	return err;
}

/* A filter that stops munmap, msync and mremap (for ptrace) and allows
 * the rest, injected only into processes that have shared mappings of
 * virtual files (sc/mmap.c): those calls are on addresses, and elsewhere
 * they must not cost a stop.  Writes it to prog (room for max
 * instructions) and returns its length, or 0 if max is too small. */
unsigned short filter_addr_calls(struct sock_filter *prog, int max)
{
	const struct sock_filter p[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_munmap, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_msync, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mremap, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
	};
	int n = sizeof(p) / sizeof(p[0]);

	if (n > max)
		return 0;
	memcpy(prog, p, sizeof(p));
	return n;
}

/* --- per-thread fd filters --- */

void fdmask_add(struct fdmask *m, int fd)
{
	if (fd < 0)
		return;
	if (fd >= FDMASK_BITS)
		m->high = true;
	else
		m->bit[fd / 64] |= 1ULL << (fd % 64);
}

bool fdmask_has(const struct fdmask *m, int fd)
{
	if (fd < 0)
		return false;
	if (fd >= FDMASK_BITS)
		return m->high;
	return m->bit[fd / 64] & (1ULL << (fd % 64));
}

bool fdmask_subset(const struct fdmask *a, const struct fdmask *b)
{
	size_t i;

	if (a->high && !b->high)
		return false;
	for (i = 0; i < FDMASK_WORDS; i++)
		if (a->bit[i] & ~b->bit[i])
			return false;
	return true;
}

void fdmask_union(struct fdmask *dst, const struct fdmask *src)
{
	size_t i;

	dst->high |= src->high;
	for (i = 0; i < FDMASK_WORDS; i++)
		dst->bit[i] |= src->bit[i];
}

/* A classic BPF program under construction. */
struct bpf {
	struct sock_filter insn[1024];
	int len;
	bool overflow;
};

static int emit(struct bpf *b, uint16_t code, uint8_t jt, uint8_t jf,
		uint32_t k)
{
	if (b->len >= (int)(sizeof(b->insn) / sizeof(b->insn[0]))) {
		b->overflow = true;
		return b->len;
	}
	b->insn[b->len] = (struct sock_filter){ code, jt, jf, k };
	return b->len++;
}

/* Make the conditional jump at `at` go to `to` when true. */
static void patch_jt(struct bpf *b, int at, int to)
{
	if (at >= b->len || to - at - 1 > 255)
		b->overflow = true;
	else
		b->insn[at].jt = (uint8_t)(to - at - 1);
}

/* Which fd arguments a row has (bit i: argument i), and how it stops. */
struct fd_group {
	unsigned int args;
	bool traced;
	bool range;     /* close_range: any first fd up to the highest */
	int start;      /* where its block begins */
};

struct fd_row {
	int nr;
	int group;
};

#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))

/* The test of argument `arg` against m: returns `action` when its 32 low
 * bits (an int, as the kernel reads an fd) are a number in m; falls
 * through otherwise. */
static void emit_arg_test(struct bpf *b, const struct fdmask *m, int arg,
			  uint32_t action)
{
	int skip_neg, j, w;
	int words[FDMASK_WORDS * 2], nwords = 0;
	int ends[FDMASK_WORDS * 2 + 4], nends = 0;

	emit(b, BPF_LD | BPF_W | BPF_ABS, 0, 0, ARG_LO(arg));
	/* negative: AT_FDCWD, -1 for anonymous mmap... never a fd */
	skip_neg = emit(b, BPF_JMP | BPF_JGE | BPF_K, 0, 0, 0x80000000U);
	ends[nends++] = skip_neg;
	emit(b, BPF_ST, 0, 0, 0); /* M[0] = fd */
	emit(b, BPF_ALU | BPF_RSH | BPF_K, 0, 0, 5); /* A = 32-bit word */
	if (m->high) {
		j = emit(b, BPF_JMP | BPF_JGE | BPF_K, 0, 0, FDMASK_BITS / 32);
		/* jt -> return the action: placed right after the word
		 * tests, patched below */
		words[nwords++] = -j - 1;
	}
	for (w = 0; w < FDMASK_BITS / 32; w++) {
		uint32_t bits = (uint32_t)(m->bit[w / 2] >> (32 * (w % 2)));

		if (bits)
			words[nwords++] = emit(b, BPF_JMP | BPF_JEQ | BPF_K, 0,
					       0, (uint32_t)w);
	}
	ends[nends++] = emit(b, BPF_JMP | BPF_JA, 0, 0, 0); /* no word */
	for (j = 0; j < nwords; j++) {
		int at = words[j];
		uint32_t bits;

		if (at < 0) /* the high test: return the action */
			continue;
		w = (int)b->insn[at].k;
		bits = (uint32_t)(m->bit[w / 2] >> (32 * (w % 2)));
		patch_jt(b, at, b->len);
		emit(b, BPF_LD | BPF_MEM, 0, 0, 0);
		emit(b, BPF_ALU | BPF_AND | BPF_K, 0, 0, 31);
		emit(b, BPF_MISC | BPF_TAX, 0, 0, 0);
		emit(b, BPF_LD | BPF_IMM, 0, 0, 1);
		emit(b, BPF_ALU | BPF_LSH | BPF_X, 0, 0, 0);
		emit(b, BPF_ALU | BPF_AND | BPF_K, 0, 0, bits);
		/* zero: not ours, go on; else return the action */
		ends[nends++] = emit(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0);
		emit(b, BPF_RET | BPF_K, 0, 0, action);
	}
	for (j = 0; j < nwords; j++)
		if (words[j] < 0) {
			patch_jt(b, -words[j] - 1, b->len);
			emit(b, BPF_RET | BPF_K, 0, 0, action);
		}
	/* every miss lands here */
	for (j = 0; j < nends; j++) {
		int at = ends[j];

		if (BPF_OP(b->insn[at].code) == BPF_JA)
			b->insn[at].k = (uint32_t)(b->len - at - 1);
		else
			patch_jt(b, at, b->len);
	}
}

/* close_range(first, last, flags): returns `action` when first is at
 * most the highest number in m, allows the call otherwise. */
static void emit_range_test(struct bpf *b, const struct fdmask *m,
			    uint32_t action)
{
	int fd, top = -1;

	for (fd = 0; fd < FDMASK_BITS; fd++)
		if (fdmask_has(m, fd))
			top = fd;
	if (m->high)
		top = 0x7fffffff;
	if (top < 0) {
		emit(b, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
		return;
	}
	emit(b, BPF_LD | BPF_W | BPF_ABS, 0, 0, ARG_LO(0));
	/* first > top: allowed */
	emit(b, BPF_JMP | BPF_JGT | BPF_K, 1, 0, (uint32_t)top);
	emit(b, BPF_RET | BPF_K, 0, 0, action);
	emit(b, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
}

/* A binary search over rows[lo, hi) by number; a hit jumps (ja) to its
 * group's block, patched once the blocks are placed. */
static void emit_tree(struct bpf *b, const struct fd_row *rows, int lo,
		      int hi, int *fix, int *fixgroup, int *nfix)
{
	int i, split;

	if (hi - lo <= 4) {
		for (i = lo; i < hi; i++) {
			/* jeq nr: fall into the ja; else skip it */
			emit(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 1,
			     (uint32_t)rows[i].nr);
			fixgroup[*nfix] = rows[i].group;
			fix[(*nfix)++] = emit(b, BPF_JMP | BPF_JA, 0, 0, 0);
		}
		emit(b, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
		return;
	}
	i = lo + (hi - lo) / 2;
	split = emit(b, BPF_JMP | BPF_JGE | BPF_K, 0, 0, (uint32_t)rows[i].nr);
	emit_tree(b, rows, lo, i, fix, fixgroup, nfix);
	patch_jt(b, split, b->len);
	emit_tree(b, rows, i, hi, fix, fixgroup, nfix);
}

static int cmp_row(const void *a, const void *b)
{
	return ((const struct fd_row *)a)->nr - ((const struct fd_row *)b)->nr;
}

int filter_build_fdmask(const struct fdmask *m, uint32_t notify,
			uint32_t trace, struct sock_fprog *prog)
{
	struct fd_group group[16];
	struct fd_row frow[128];
	int fix[128], fixgroup[128], nfix = 0;
	int i, g, n, ngroups = 0, nrows = 0;
	const struct sc_row *rows = sctab_rows(&n);
	struct bpf *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		unsigned int args = 0;
		bool traced = rows[i].flags & SC_PTRACED, range;
		int a;

		if (!filter_row_by_fd(&rows[i]) || (rows[i].flags & SC_ENOSYS))
			continue;
		for (a = 0; a < 6; a++)
			if (rows[i].arg[a] == A_FD)
				args |= 1U << a;
		/* SC_IF_VIRTUAL rows have no fd argument to test: args 0
		 * makes their block stop them unconditionally */
		range = rows[i].nr == __NR_close_range;
		for (g = 0; g < ngroups; g++)
			if (group[g].args == args && group[g].traced == traced &&
			    group[g].range == range)
				break;
		if (g == ngroups) {
			if (ngroups == 16 || nrows == 128) {
				free(b);
				return -E2BIG;
			}
			group[ngroups++] =
				(struct fd_group){ args, traced, range, 0 };
		}
		frow[nrows++] = (struct fd_row){ rows[i].nr, g };
	}
	qsort(frow, nrows, sizeof(frow[0]), cmp_row);
	emit(b, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
	emit_tree(b, frow, 0, nrows, fix, fixgroup, &nfix);
	for (g = 0; g < ngroups; g++) {
		int a;

		group[g].start = b->len;
		if (group[g].range) {
			emit_range_test(b, m, group[g].traced ? trace : notify);
			continue;
		}
		if (!group[g].args) { /* SC_IF_VIRTUAL */
			emit(b, BPF_RET | BPF_K, 0, 0,
			     group[g].traced ? trace : notify);
			continue;
		}
		for (a = 0; a < 6; a++)
			if (group[g].args & (1U << a))
				emit_arg_test(b, m, a, group[g].traced ? trace
								       : notify);
		emit(b, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
	}
	for (i = 0; i < nfix; i++)
		b->insn[fix[i]].k = (uint32_t)(group[fixgroup[i]].start -
					       fix[i] - 1);
	if (b->overflow) {
		free(b);
		return -E2BIG;
	}
	prog->len = (unsigned short)b->len;
	prog->filter = malloc(b->len * sizeof(struct sock_filter));
	if (!prog->filter) {
		free(b);
		return -ENOMEM;
	}
	memcpy(prog->filter, b->insn, b->len * sizeof(struct sock_filter));
	free(b);
	return 0;
}
