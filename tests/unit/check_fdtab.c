/* fd tables and open file descriptions: sharing, copying, close-on-exec. */
#include "unit.h"
#include <errno.h>
#include <stdlib.h>

#include "fdtab.h"

static int released;

static void count_release(struct ofd *ofd)
{
	(void)ofd;
	released++;
}

START_TEST(set_lookup_close)
{
	struct fdtab *t = fdtab_new();
	struct ofd *o = ofd_new(NULL, NULL, 0, "/v/file", count_release);

	released = 0;
	ck_assert_int_eq(fdtab_set(t, 5, o, false), 0);
	ofd_put(o); /* the table holds it now */
	ck_assert_ptr_eq(fdtab_lookup(t, 5), o);
	ck_assert_ptr_null(fdtab_lookup(t, 4));
	ck_assert_ptr_null(fdtab_lookup(t, 1000));
	ck_assert_ptr_null(fdtab_lookup(t, -1));
	ck_assert_int_eq(fdtab_count(t), 1);
	ck_assert_int_eq(fdtab_close(t, 5), 0);
	ck_assert_int_eq(released, 1);
	ck_assert_int_eq(fdtab_close(t, 5), -EBADF);
	ck_assert_int_eq(fdtab_set(t, -3, o, false), -EBADF);
	fdtab_put(t);
}
END_TEST

START_TEST(dup_shares_description)
{
	struct fdtab *t = fdtab_new();
	struct ofd *o = ofd_new(NULL, NULL, 0, NULL, count_release);

	released = 0;
	fdtab_set(t, 3, o, false);
	fdtab_set(t, 300, o, true); /* dup2 to a high number grows the table */
	ofd_put(o);
	fdtab_lookup(t, 3)->offset = 42;
	ck_assert_int_eq(fdtab_lookup(t, 300)->offset, 42);
	fdtab_close(t, 3);
	ck_assert_int_eq(released, 0);
	fdtab_close(t, 300);
	ck_assert_int_eq(released, 1);
	fdtab_put(t);
}
END_TEST

START_TEST(fork_copies_clone_files_shares)
{
	struct fdtab *t = fdtab_new(), *shared, *copy;
	struct ofd *o = ofd_new(NULL, NULL, 0, NULL, count_release);

	released = 0;
	fdtab_set(t, 3, o, false);
	ofd_put(o);
	shared = fdtab_share(t);
	copy = fdtab_copy(t);
	ck_assert(fdtab_is_shared(t));
	ck_assert(!fdtab_is_shared(copy));
	/* the copy has the same description (offsets are shared) */
	ck_assert_ptr_eq(fdtab_lookup(copy, 3), o);
	/* closing in the shared table is seen through both references */
	fdtab_close(shared, 3);
	ck_assert_ptr_null(fdtab_lookup(t, 3));
	ck_assert_ptr_eq(fdtab_lookup(copy, 3), o);
	ck_assert_int_eq(released, 0);
	fdtab_put(copy);
	ck_assert_int_eq(released, 1);
	fdtab_put(shared);
	fdtab_put(t);
}
END_TEST

START_TEST(exec_drops_cloexec)
{
	struct fdtab *t = fdtab_new();
	struct ofd *o = ofd_new(NULL, NULL, 0, NULL, NULL);

	fdtab_set(t, 3, o, true);
	fdtab_set(t, 4, o, false);
	ofd_put(o);
	ck_assert_int_eq(fdtab_get_cloexec(t, 3), 1);
	ck_assert_int_eq(fdtab_set_cloexec(t, 4, false), 0);
	ck_assert_int_eq(fdtab_get_cloexec(t, 9), -EBADF);
	fdtab_exec(t);
	ck_assert_ptr_null(fdtab_lookup(t, 3));
	ck_assert_ptr_eq(fdtab_lookup(t, 4), o);
	ck_assert_int_eq(fdtab_count(t), 1);
	fdtab_put(t);
}
END_TEST

static void add(TCase *tc)
{
	tcase_add_test(tc, set_lookup_close);
	tcase_add_test(tc, dup_shares_description);
	tcase_add_test(tc, fork_copies_clone_files_shares);
	tcase_add_test(tc, exec_drops_cloexec);
}

int main(void)
{
	return unit_run("fdtab", add, NULL);
}
