/* The declarative syscall table. */
#include <string.h>
#include <sys/syscall.h>

#include <umview/umcall.h>

#include "sctab.h"
#include "unit.h"

START_TEST(rows_are_unique_and_named)
{
	int n, i, j;
	const struct sc_row *rows = sctab_rows(&n);

	ck_assert_int_gt(n, 50);
	for (i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(rows[i].name);
		ck_assert_int_lt(rows[i].family, SCF_NFAMILIES);
		for (j = i + 1; j < n; j++)
			ck_assert_msg(rows[i].nr != rows[j].nr,
				      "%s and %s share a number", rows[i].name,
				      rows[j].name);
	}
}
END_TEST

START_TEST(lookup_by_number)
{
	ck_assert_str_eq(sctab_lookup(__NR_openat)->name, "openat");
	ck_assert_str_eq(sctab_lookup(__NR_uname)->name, "uname");
	ck_assert_str_eq(sctab_lookup(UM_SYSCALL_NR)->name, "umcall");
	ck_assert_ptr_null(sctab_lookup(__NR_getppid));
	ck_assert_ptr_null(sctab_lookup(-1));
	ck_assert_ptr_null(sctab_lookup(100000));
}
END_TEST

START_TEST(what_always_stops)
{
	int n, i;
	const struct sc_row *rows = sctab_rows(&n);

	ck_assert(sctab_lookup(__NR_mount)->flags & SC_ALWAYS);
	ck_assert(sctab_lookup(__NR_umount2)->flags & SC_ALWAYS);
	ck_assert(sctab_lookup(UM_SYSCALL_NR)->flags & SC_ALWAYS);
	ck_assert(sctab_lookup(__NR_io_uring_setup)->flags & SC_ENOSYS);
	/* Nothing else stops in an empty view. */
	for (i = 0; i < n; i++)
		if (rows[i].flags & SC_ALWAYS)
			ck_assert_msg(rows[i].family == SCF_MOUNT ||
					      rows[i].family == SCF_MGMT,
				      "%s always stops", rows[i].name);
}
END_TEST

START_TEST(argument_roles)
{
	ck_assert(sctab_has_path(sctab_lookup(__NR_open)));
	ck_assert(sctab_has_path(sctab_lookup(__NR_newfstatat)));
	ck_assert(!sctab_has_path(sctab_lookup(__NR_read)));
	ck_assert_int_eq(sctab_lookup(__NR_openat)->arg[0], A_DIRFD);
	ck_assert_int_eq(sctab_lookup(__NR_read)->arg[0], A_FD);
	ck_assert(sctab_lookup(__NR_clock_gettime)->flags & SC_VDSO);
	ck_assert(sctab_lookup(__NR_dup)->flags & SC_NEWFD);
}
END_TEST

static void add(TCase *tc)
{
	tcase_add_test(tc, rows_are_unique_and_named);
	tcase_add_test(tc, lookup_by_number);
	tcase_add_test(tc, what_always_stops);
	tcase_add_test(tc, argument_roles);
}

int main(void)
{
	return unit_run("sctab", add, NULL);
}
