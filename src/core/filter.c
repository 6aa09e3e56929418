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

static bool row_on_files_notified(const struct sc_row *row)
{
	return row_on_files(row) && !(row->flags & SC_PTRACED);
}

static bool row_on_files_traced(const struct sc_row *row)
{
	return row_on_files(row) && (row->flags & SC_PTRACED);
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
