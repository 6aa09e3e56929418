/* The lock table: conflicts, splitting and merging of record locks, flock
 * beside record locks, owners' releases, waiters and deadlock chains. */
#include "unit.h"
#include <fcntl.h>
#include <stdbool.h>

#include "locktab.h"

static int owner_a, owner_b, owner_c; /* their addresses are the owners */
#define A ((const void *)&owner_a)
#define B ((const void *)&owner_b)
#define C ((const void *)&owner_c)

static struct lk req(enum lk_kind kind, const void *owner, short type,
		     off_t start, off_t end)
{
	return (struct lk){ .kind = kind, .owner = owner, .type = type,
			    .start = start, .end = end, .pid = 1 };
}

static int count(const struct lkfile *f, const void *owner)
{
	const struct lk *l;
	int n = 0;

	for (l = f->locks; l; l = l->next)
		n += l->owner == owner;
	return n;
}

static void teardown(void)
{
	struct lkfile *f;

	while ((f = locktab_files())) {
		while (f->waiters)
			locktab_unwait(f->waiters);
		locktab_drop_owner(f, A, LK_POSIX);
		locktab_drop_owner(f, B, LK_POSIX);
		locktab_drop_owner(f, C, LK_POSIX);
		locktab_drop_owner(f, A, LK_OFD);
		locktab_drop_owner(f, B, LK_OFD);
		locktab_drop_owner(f, A, LK_FLOCK);
		locktab_drop_owner(f, B, LK_FLOCK);
		locktab_tidy(f);
	}
}

START_TEST(files_by_identity)
{
	struct lkfile *f = locktab_file(A, 7, true);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_eq(locktab_file(A, 7, false), f);
	ck_assert_ptr_null(locktab_file(A, 8, false));
	ck_assert_ptr_null(locktab_file(B, 7, false));
	locktab_tidy(f); /* empty: gone */
	ck_assert_ptr_null(locktab_file(A, 7, false));
}
END_TEST

START_TEST(readers_share_writers_exclude)
{
	struct lkfile *f = locktab_file(A, 1, true);
	struct lk ra = req(LK_POSIX, A, F_RDLCK, 0, 9);
	struct lk rb = req(LK_POSIX, B, F_RDLCK, 5, 20);
	struct lk wb = req(LK_POSIX, B, F_WRLCK, 9, 9);
	struct lk wb2 = req(LK_POSIX, B, F_WRLCK, 10, LK_EOF);
	const struct lk *blk;

	ck_assert_int_eq(locktab_apply(f, &ra), 0);
	ck_assert_ptr_null(locktab_conflict(f, &rb));
	blk = locktab_conflict(f, &wb);
	ck_assert_ptr_nonnull(blk);
	ck_assert_ptr_eq(blk->owner, A);
	ck_assert_ptr_null(locktab_conflict(f, &wb2)); /* no overlap */
	/* the owner's own locks never conflict */
	wb.owner = A;
	ck_assert_ptr_null(locktab_conflict(f, &wb));
}
END_TEST

START_TEST(split_and_merge)
{
	struct lkfile *f = locktab_file(A, 2, true);
	struct lk w = req(LK_POSIX, A, F_WRLCK, 0, 99);
	struct lk un = req(LK_POSIX, A, F_UNLCK, 40, 59);
	struct lk r = req(LK_POSIX, A, F_RDLCK, 10, 19);
	struct lk probe = req(LK_POSIX, B, F_RDLCK, 0, LK_EOF);
	const struct lk *l;

	locktab_apply(f, &w);
	locktab_apply(f, &un); /* [0,39] [60,99] */
	ck_assert_int_eq(count(f, A), 2);
	locktab_apply(f, &r); /* W[0,9] R[10,19] W[20,39] W[60,99] */
	ck_assert_int_eq(count(f, A), 4);
	l = locktab_conflict(f, &probe);
	ck_assert_int_eq(l->start, 0); /* the lowest first */
	ck_assert_int_eq(l->end, 9);
	ck_assert_int_eq(l->type, F_WRLCK);
	/* a reader of B fits only in [10,19] and in the hole */
	probe.start = 10;
	probe.end = 19;
	ck_assert_ptr_null(locktab_conflict(f, &probe));
	probe.start = 40;
	probe.end = 59;
	ck_assert_ptr_null(locktab_conflict(f, &probe));
	/* filling the hole with W merges everything but the reader */
	w.start = 40;
	w.end = 59;
	locktab_apply(f, &w);
	ck_assert_int_eq(count(f, A), 3);
	r.type = F_WRLCK; /* the reader back to W: one lock [0,99] */
	locktab_apply(f, &r);
	ck_assert_int_eq(count(f, A), 1);
	ck_assert_int_eq(f->locks->start, 0);
	ck_assert_int_eq(f->locks->end, 99);
	/* adjacent ranges of one type merge; to the end stays to the end */
	w.start = 100;
	w.end = LK_EOF;
	locktab_apply(f, &w);
	ck_assert_int_eq(count(f, A), 1);
	ck_assert(f->locks->end == LK_EOF);
	un.start = 0;
	un.end = LK_EOF;
	locktab_apply(f, &un);
	ck_assert_int_eq(count(f, A), 0);
}
END_TEST

START_TEST(flock_apart_from_record_locks)
{
	struct lkfile *f = locktab_file(A, 3, true);
	struct lk fa = req(LK_FLOCK, A, F_WRLCK, 0, LK_EOF);
	struct lk fb = req(LK_FLOCK, B, F_RDLCK, 0, LK_EOF);
	struct lk pb = req(LK_POSIX, B, F_WRLCK, 0, LK_EOF);
	struct lk ob = req(LK_OFD, B, F_WRLCK, 0, 0);

	locktab_apply(f, &fa);
	ck_assert_ptr_nonnull(locktab_conflict(f, &fb));
	ck_assert_ptr_null(locktab_conflict(f, &pb)); /* other space */
	/* OFD and POSIX locks meet, even with the same owner pointer */
	locktab_apply(f, &pb);
	ck_assert_ptr_nonnull(locktab_conflict(f, &ob));
	/* a flock conversion replaces the owner's one lock */
	fa.type = F_RDLCK;
	locktab_apply(f, &fa);
	ck_assert_int_eq(locktab_owned(f, A, LK_FLOCK)->type, F_RDLCK);
	ck_assert_ptr_null(locktab_conflict(f, &fb));
	ck_assert_int_eq(locktab_drop_owner(NULL, A, LK_FLOCK), 1);
	ck_assert(!locktab_owner_holds(A, LK_FLOCK));
	ck_assert(locktab_owner_holds(B, LK_POSIX));
}
END_TEST

static bool always(struct lkwait *w)
{
	(void)w;
	return true;
}

static bool never(struct lkwait *w)
{
	(void)w;
	return false;
}

START_TEST(deadlock_chains)
{
	struct lkfile *f = locktab_file(A, 4, true);
	struct lkfile *g = locktab_file(A, 5, true);
	struct lk a0 = req(LK_POSIX, A, F_WRLCK, 0, 0);
	struct lk b1 = req(LK_POSIX, B, F_WRLCK, 1, 1);
	struct lk cg = req(LK_POSIX, C, F_WRLCK, 0, 0);
	struct lk b_wants_a = req(LK_POSIX, B, F_WRLCK, 0, 0);
	struct lk a_wants_b = req(LK_POSIX, A, F_WRLCK, 1, 1);
	struct lk b_wants_c = req(LK_POSIX, B, F_WRLCK, 0, 0);
	struct lk c_wants_a = req(LK_POSIX, C, F_WRLCK, 0, 0);
	const struct lk *blk;
	struct lkwait *w;

	locktab_apply(f, &a0);
	locktab_apply(f, &b1);
	/* B waits for A's [0] */
	w = locktab_wait(f, &b_wants_a, NULL);
	ck_assert_ptr_nonnull(w);
	blk = locktab_conflict(f, &a_wants_b);
	ck_assert(locktab_deadlock(&a_wants_b, blk, always));
	/* a waiter that is gone is no link of the chain */
	ck_assert(!locktab_deadlock(&a_wants_b, blk, never));
	/* OFD requests are never refused that way */
	a_wants_b.kind = LK_OFD;
	ck_assert(!locktab_deadlock(&a_wants_b, blk, always));
	a_wants_b.kind = LK_POSIX;
	locktab_unwait(w);
	ck_assert(!locktab_deadlock(&a_wants_b, blk, always));
	/* three owners over two files: A -> B -> C -> A */
	locktab_apply(g, &cg);
	locktab_wait(g, &b_wants_c, NULL); /* B waits for C on g */
	locktab_wait(f, &c_wants_a, NULL); /* C waits for A on f */
	ck_assert(locktab_deadlock(&a_wants_b, blk, always));
}
END_TEST

START_TEST(waiters_in_order)
{
	struct lkfile *f = locktab_file(A, 6, true);
	struct lk r = req(LK_POSIX, A, F_RDLCK, 0, 0);
	struct lkwait *w1, *w2;
	int d1, d2;

	w1 = locktab_wait(f, &r, &d1);
	w2 = locktab_wait(f, &r, &d2);
	ck_assert_ptr_eq(f->waiters, w1);
	ck_assert_ptr_eq(w1->next, w2);
	locktab_unwait(w1);
	ck_assert_ptr_eq(f->waiters, w2);
	ck_assert_ptr_eq(w2->data, &d2);
	locktab_tidy(f); /* still a waiter: stays */
	ck_assert_ptr_eq(locktab_file(A, 6, false), f);
	locktab_unwait(w2);
	locktab_tidy(f);
	ck_assert_ptr_null(locktab_file(A, 6, false));
}
END_TEST

static void add(TCase *tc)
{
	tcase_add_test(tc, files_by_identity);
	tcase_add_test(tc, readers_share_writers_exclude);
	tcase_add_test(tc, split_and_merge);
	tcase_add_test(tc, flock_apart_from_record_locks);
	tcase_add_test(tc, deadlock_chains);
	tcase_add_test(tc, waiters_in_order);
}

int main(void)
{
	return unit_run("lock", add, teardown);
}
