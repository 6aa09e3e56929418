/* Registrations, epochs and choice. */
#include "unit.h"
#include <errno.h>
#include <stdlib.h>

#include "reg.h"

/* Services are opaque to reg: any distinct pointers will do. */
static struct um_service *const A = (struct um_service *)0x1000;
static struct um_service *const B = (struct um_service *)0x2000;

static void teardown(void)
{
	reg_del_service(A);
	reg_del_service(B);
}

START_TEST(numeric_choice)
{
	ck_assert_int_ge(reg_add(A, UM_REG_SYSCALL, 63, NULL), 0);
	ck_assert_ptr_eq(reg_choose(UM_REG_SYSCALL, 63, NULL, REG_EPOCH_MAX)->svc, A);
	ck_assert_ptr_null(reg_choose(UM_REG_SYSCALL, 64, NULL, REG_EPOCH_MAX));
	/* kinds do not mix */
	ck_assert_ptr_null(reg_choose(UM_REG_IOCTL, 63, NULL, REG_EPOCH_MAX));
	ck_assert_ptr_eq(reg_syscall_owner(63), A);
}
END_TEST

START_TEST(newest_wins)
{
	const struct reg *r;

	ck_assert_int_ge(reg_add(A, UM_REG_FSTYPE, 0, "ext2"), 0);
	ck_assert_int_ge(reg_add(B, UM_REG_FSTYPE, 0, "ext2"), 0);
	r = reg_choose(UM_REG_FSTYPE, 0, "ext2", REG_EPOCH_MAX);
	ck_assert_ptr_eq(r->svc, B);
	/* A nested call made while serving B sees only older ones. */
	ck_assert_ptr_eq(reg_choose(UM_REG_FSTYPE, 0, "ext2", r->epoch)->svc, A);
	reg_del_service(B);
	ck_assert_ptr_eq(reg_choose(UM_REG_FSTYPE, 0, "ext2", REG_EPOCH_MAX)->svc, A);
}
END_TEST

START_TEST(fstype_wildcard)
{
	ck_assert_int_ge(reg_add(A, UM_REG_FSTYPE, 0, "umfuse*"), 0);
	ck_assert_int_ge(reg_add(B, UM_REG_FSTYPE, 0, "unreal"), 0);
	ck_assert_ptr_eq(reg_choose(UM_REG_FSTYPE, 0, "umfuseext2", REG_EPOCH_MAX)->svc, A);
	ck_assert_ptr_eq(reg_choose(UM_REG_FSTYPE, 0, "umfuse", REG_EPOCH_MAX)->svc, A);
	ck_assert_ptr_null(reg_choose(UM_REG_FSTYPE, 0, "umfus", REG_EPOCH_MAX));
	ck_assert_ptr_null(reg_choose(UM_REG_FSTYPE, 0, "unrealx", REG_EPOCH_MAX));
	ck_assert_ptr_eq(reg_choose(UM_REG_FSTYPE, 0, "unreal", REG_EPOCH_MAX)->svc, B);
}
END_TEST

START_TEST(path_prefix_at_component_boundary)
{
	ck_assert_int_ge(reg_add(A, UM_REG_PATH, 0, "/mnt"), 0);
	ck_assert_ptr_nonnull(reg_choose(UM_REG_PATH, 0, "/mnt", REG_EPOCH_MAX));
	ck_assert_ptr_nonnull(reg_choose(UM_REG_PATH, 0, "/mnt/a/b", REG_EPOCH_MAX));
	ck_assert_ptr_null(reg_choose(UM_REG_PATH, 0, "/mntx", REG_EPOCH_MAX));
	ck_assert_ptr_null(reg_choose(UM_REG_PATH, 0, "/", REG_EPOCH_MAX));
	ck_assert_ptr_null(reg_choose(UM_REG_PATH, 0, "/etc", REG_EPOCH_MAX));
}
END_TEST

START_TEST(path_stacking)
{
	/* /mnt/sub, then /mnt over it: the newer covers the older. */
	ck_assert_int_ge(reg_add(A, UM_REG_PATH, 0, "/mnt/sub"), 0);
	ck_assert_int_ge(reg_add(B, UM_REG_PATH, 0, "/mnt"), 0);
	ck_assert_ptr_eq(reg_choose(UM_REG_PATH, 0, "/mnt/sub/x", REG_EPOCH_MAX)->svc, B);
	reg_del_service(B);
	ck_assert_ptr_eq(reg_choose(UM_REG_PATH, 0, "/mnt/sub/x", REG_EPOCH_MAX)->svc, A);
	/* the root mount matches everything */
	ck_assert_int_ge(reg_add(B, UM_REG_PATH, 0, "/"), 0);
	ck_assert_ptr_eq(reg_choose(UM_REG_PATH, 0, "/etc/passwd", REG_EPOCH_MAX)->svc, B);
}
END_TEST

START_TEST(bad_keys)
{
	ck_assert_int_eq(reg_add(A, UM_REG_PATH, 0, "relative"), -EINVAL);
	ck_assert_int_eq(reg_add(A, UM_REG_PATH, 0, "/a/../b"), -EINVAL);
	ck_assert_int_eq(reg_add(A, UM_REG_PATH, 0, "/a/"), -EINVAL);
	ck_assert_int_eq(reg_add(A, UM_REG_PATH, 0, "/a//b"), -EINVAL);
	ck_assert_int_eq(reg_add(A, UM_REG_PATH, 0, "/a/./b"), -EINVAL);
	ck_assert_int_eq(reg_add(A, UM_REG_FSTYPE, 0, NULL), -EINVAL);
	ck_assert_int_eq(reg_add(A, UM_REG_FSTYPE, 0, ""), -EINVAL);
	ck_assert_int_eq(reg_add(A, UM_REG_NKINDS, 0, NULL), -EINVAL);
	ck_assert(!reg_any(UM_REG_PATH));
}
END_TEST

START_TEST(delete_one_and_generation)
{
	unsigned long g = reg_generation();
	int id = reg_add(A, UM_REG_FAMILY, 2, NULL);

	ck_assert_int_ge(id, 0);
	ck_assert_uint_gt(reg_generation(), g);
	ck_assert(reg_any(UM_REG_FAMILY));
	ck_assert_int_eq(reg_del(B, id), -ENOENT); /* not B's */
	ck_assert_int_eq(reg_del(A, id), 0);
	ck_assert_int_eq(reg_del(A, id), -ENOENT);
	ck_assert(!reg_any(UM_REG_FAMILY));
}
END_TEST

static void add(TCase *tc)
{
	tcase_add_test(tc, numeric_choice);
	tcase_add_test(tc, newest_wins);
	tcase_add_test(tc, fstype_wildcard);
	tcase_add_test(tc, path_prefix_at_component_boundary);
	tcase_add_test(tc, path_stacking);
	tcase_add_test(tc, bad_keys);
	tcase_add_test(tc, delete_one_and_generation);
}

int main(void)
{
	return unit_run("reg", add, teardown);
}
