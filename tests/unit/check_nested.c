/* Nested calls: module code's system calls (through purelibc) reach the
 * mounts older than the one it serves, never its own; served files opened
 * by module code are placeholders whose I/O reaches the module. */
#include "unit.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <purelibc.h>

#include "mtab.h"
#include "nested.h"
#include "reg.h"
#include "service.h"

/* Two mounts of one fake module stacked at /vm: mount 1 (older) serves a
 * file "/x" of 42 bytes; mount 2 (newer) answers an lstat of P by making
 * an lstat of "/vm" P itself, as module code (it stacks on /vm). */
static int trail[8], ntrail;
static int released;

static int fake_lstat(void *mnt, const char *path, struct stat *st)
{
	int id = (int)(long)mnt;

	if (ntrail < 8)
		trail[ntrail++] = id;
	if (id == 2) {
		char p[64];

		snprintf(p, sizeof(p), "/vm%s", strcmp(path, "/") ? path : "");
		return lstat(p, st) < 0 ? -errno : 0;
	}
	memset(st, 0, sizeof(*st));
	if (strcmp(path, "/") == 0) {
		st->st_mode = S_IFDIR | 0755;
		return 0;
	}
	if (strcmp(path, "/x") != 0)
		return -ENOENT;
	st->st_mode = S_IFREG | 0644;
	st->st_size = 42;
	return 0;
}

static int fake_open(void *mnt, const char *path, int flags, mode_t mode,
		     void **handle)
{
	if (strcmp(path, "/x") != 0)
		return -ENOENT;
	*handle = (void *)0x55;
	return 0;
}

static ssize_t fake_pread(void *mnt, void *handle, void *buf, size_t count,
			  off_t off)
{
	static const char data[] = "0123456789";
	size_t n;

	if (handle != (void *)0x55)
		return -EBADF;
	if (off >= 10)
		return 0;
	n = count < (size_t)(10 - off) ? count : (size_t)(10 - off);
	memcpy(buf, data + off, n);
	return n;
}

static int fake_fstat(void *mnt, void *handle, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFREG | 0644;
	st->st_size = 10;
	return 0;
}

static int fake_release(void *mnt, void *handle)
{
	released++;
	return 0;
}

static struct um_module fake = {
	.api_version = UM_MODULE_API_VERSION,
	.size = sizeof(struct um_module),
	.name = "fake",
	.lstat = fake_lstat,
	.open = fake_open,
	.pread = fake_pread,
	.fstat = fake_fstat,
	.release = fake_release,
};
static struct um_service svc = { .name = "fake", .mod = &fake };
static struct vmount *m1, *m2;

static void setup(void)
{
	ntrail = 0;
	released = 0;
	ck_assert_int_eq(mtab_add(&svc, (void *)1, "/vm", "src", "fake", 0,
				  NULL, &m1), 0);
	ck_assert_int_eq(mtab_add(&svc, (void *)2, "/vm", "src", "fake", 0,
				  NULL, &m2), 0);
	ck_assert_uint_lt(m1->epoch, m2->epoch);
}

static void teardown(void)
{
	if (m2)
		mtab_remove(m2);
	if (m1)
		mtab_remove(m1);
	m1 = m2 = NULL;
	purelibc_set_hook(NULL);
}

START_TEST(core_calls_are_real)
{
	struct stat st;

	setup();
	ck_assert_ptr_null(purelibc_get_hook());
	ck_assert_int_eq(stat("/vm/x", &st), -1); /* the core's own call */
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(ntrail, 0);
}
END_TEST

START_TEST(module_sees_older_mounts_only)
{
	struct stat st;
	int err;

	setup();
	/* the core serves lstat of /vm/x: the newest mount, as module code */
	err = MOUNT_OP(m2, lstat, "/x", &st);
	ck_assert_int_eq(err, 0);
	ck_assert_int_eq(st.st_size, 42); /* mount 1 answered */
	ck_assert_int_ge(ntrail, 2);
	ck_assert_int_eq(trail[0], 2);
	for (err = 1; err < ntrail; err++)
		ck_assert_int_eq(trail[err], 1); /* never 2 again */
	ck_assert_ptr_null(purelibc_get_hook()); /* the core again */
}
END_TEST

START_TEST(oldest_mount_reaches_real_files)
{
	struct nested_state s;
	struct stat st;

	setup();
	/* module code of mount 1 sees no mount at /vm: the real path */
	s = nested_enter(m1->epoch);
	ck_assert_int_eq(stat("/vm/x", &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(stat("/", &st), 0);
	nested_leave(s);
	ck_assert_int_eq(ntrail, 0);
}
END_TEST

START_TEST(placeholder_fd)
{
	struct nested_state s;
	char buf[16];
	struct stat st;
	int fd, fd2;

	setup();
	s = nested_enter(REG_EPOCH_MAX); /* as in a mount operation */
	fd = open("/vm/x", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(m2->busy, 1); /* the newest mount serves it */
	ck_assert_int_eq(read(fd, buf, 4), 4);
	ck_assert_int_eq(memcmp(buf, "0123", 4), 0);
	ck_assert_int_eq(lseek(fd, -3, SEEK_END), 7);
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), 3);
	ck_assert_int_eq(pread(fd, buf, 2, 5), 2);
	ck_assert_int_eq(memcmp(buf, "56", 2), 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(st.st_size, 10);
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
	ck_assert_int_eq(write(fd, "x", 1), -1);
	ck_assert_int_eq(errno, EBADF);
	fd2 = dup(fd);
	ck_assert_int_ge(fd2, 0);
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(released, 0); /* the dup holds it */
	ck_assert_int_eq(lseek(fd2, 0, SEEK_CUR), 10); /* shared offset */
	ck_assert_int_eq(close(fd2), 0);
	ck_assert_int_eq(released, 1);
	ck_assert_int_eq(m2->busy, 0);
	ck_assert_int_eq(close(fd2), -1); /* really closed */
	ck_assert_int_eq(errno, EBADF);
	nested_leave(s);
}
END_TEST

static void add(TCase *tc)
{
	tcase_add_test(tc, core_calls_are_real);
	tcase_add_test(tc, module_sees_older_mounts_only);
	tcase_add_test(tc, oldest_mount_reaches_real_files);
	tcase_add_test(tc, placeholder_fd);
}

int main(void)
{
	return unit_run("nested", add, teardown);
}
