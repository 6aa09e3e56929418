/* purelibc: wrappers reach the hook in their *at form, the real call runs
 * without a hook or when it declines, a served file works through stdio
 * (fopencookie) and directory streams. */
#include "unit.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <purelibc.h>

/* --- a test hook: records calls, serves one virtual file and dir --- */

#define VFILE "/virtual/file"
#define VDIR "/virtual/dir"
static const char vdata[] = "hello from the hook\nsecond line\n";

static long seen_nr[64];
static long seen_a0[64], seen_a1[64], seen_a2[64];
static int nseen;
static int vfd = -1;      /* the placeholder of the virtual file */
static int vdirfd = -1;   /* ... and of the virtual directory */
static off_t voff, vdirpos;

static void record(long nr, const long a[6])
{
	if (nseen < 64) {
		seen_nr[nseen] = nr;
		seen_a0[nseen] = a[0];
		seen_a1[nseen] = a[1];
		seen_a2[nseen] = a[2];
		nseen++;
	}
}

static bool saw(long nr)
{
	int i;

	for (i = 0; i < nseen; i++)
		if (seen_nr[i] == nr)
			return true;
	return false;
}

/* One linux_dirent64 record per name, from position vdirpos. */
static long vgetdents(char *buf, size_t count)
{
	static const char *const names[] = { ".", "..", "a", "b", "c" };
	size_t used = 0;

	while (vdirpos < 5) {
		const char *n = names[vdirpos];
		size_t rec = (19 + strlen(n) + 1 + 7) & ~7UL;
		struct dirent64 *d = (void *)(buf + used);

		if (used + rec > count)
			break;
		memset(d, 0, rec);
		d->d_ino = vdirpos + 1;
		d->d_off = vdirpos + 1;
		d->d_reclen = rec;
		d->d_type = vdirpos < 2 ? DT_DIR : DT_REG;
		strcpy(d->d_name, n);
		used += rec;
		vdirpos++;
	}
	return used;
}

static int hook(long nr, const long a[6], long *ret)
{
	record(nr, a);
	if (nr == PURELIBC_NR_VIRTUAL_FD) {
		*ret = a[0] == vfd || a[0] == vdirfd;
		return 1;
	}
	if (nr == __NR_openat && a[1] && strcmp((char *)a[1], VFILE) == 0) {
		vfd = purelibc_native_syscall(__NR_openat, AT_FDCWD,
					      (long)"/dev/null", O_RDONLY, 0, 0,
					      0);
		voff = 0;
		*ret = vfd;
		return 1;
	}
	if (nr == __NR_openat && a[1] && strcmp((char *)a[1], VDIR) == 0) {
		vdirfd = purelibc_native_syscall(__NR_openat, AT_FDCWD,
						 (long)"/dev/null", O_RDONLY,
						 0, 0, 0);
		vdirpos = 0;
		*ret = vdirfd;
		return 1;
	}
	if (nr == __NR_openat && a[1] &&
	    strcmp((char *)a[1], "/virtual/denied") == 0) {
		*ret = -EACCES;
		return 1;
	}
	if (a[0] == vdirfd && vdirfd >= 0) {
		switch (nr) {
		case __NR_getdents64:
			*ret = vgetdents((char *)a[1], a[2]);
			return 1;
		case __NR_fstat:
			memset((void *)a[1], 0, sizeof(struct stat));
			((struct stat *)a[1])->st_mode = S_IFDIR | 0755;
			*ret = 0;
			return 1;
		case __NR_fcntl:
			*ret = O_RDONLY | O_DIRECTORY;
			return 1;
		case __NR_lseek:
			vdirpos = a[1];
			*ret = a[1];
			return 1;
		case __NR_close:
			purelibc_native_syscall(__NR_close, a[0], 0, 0, 0, 0,
						0);
			vdirfd = -1;
			*ret = 0;
			return 1;
		}
	}
	if (a[0] != vfd || vfd < 0)
		return 0;
	switch (nr) {
	case __NR_read: {
		size_t n = sizeof(vdata) - 1 - voff;

		if (n > (size_t)a[2])
			n = a[2];
		memcpy((void *)a[1], vdata + voff, n);
		voff += n;
		*ret = n;
		return 1;
	}
	case __NR_lseek:
		voff = a[2] == SEEK_SET ? a[1]
		       : a[2] == SEEK_CUR ? voff + a[1]
					  : (off_t)sizeof(vdata) - 1 + a[1];
		*ret = voff;
		return 1;
	case __NR_fstat:
		memset((void *)a[1], 0, sizeof(struct stat));
		((struct stat *)a[1])->st_mode = S_IFREG | 0644;
		((struct stat *)a[1])->st_size = sizeof(vdata) - 1;
		*ret = 0;
		return 1;
	case __NR_close:
		purelibc_native_syscall(__NR_close, a[0], 0, 0, 0, 0, 0);
		vfd = -1;
		*ret = 0;
		return 1;
	default:
		*ret = -EBADF;
		return 1;
	}
}

static void reset(void)
{
	purelibc_set_hook(NULL);
	nseen = 0;
}

/* --- without a hook: the real calls --- */

START_TEST(no_hook_real_calls)
{
	char path[] = "/tmp/purelibc-XXXXXX", buf[16];
	struct stat st;
	int fd = mkstemp(path);

	ck_assert_ptr_null(purelibc_get_hook());
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "abcdef", 6), 6);
	ck_assert_int_eq(lseek(fd, 2, SEEK_SET), 2);
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), 4);
	ck_assert_int_eq(memcmp(buf, "cdef", 4), 0);
	ck_assert_int_eq(pread(fd, buf, 3, 1), 3);
	ck_assert_int_eq(memcmp(buf, "bcd", 3), 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(st.st_size, 6);
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(access(path, R_OK), 0);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(stat(path, &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(open("/nonexistent/x", O_RDONLY), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(syscall(SYS_getpid), getpid());
}
END_TEST

/* --- the hook sees the calls, in their *at forms --- */

START_TEST(hook_sees_at_forms)
{
	char dir[] = "/tmp/purelibc-XXXXXX", sub[64];
	struct stat st;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	purelibc_set_hook(hook);
	nseen = 0;
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert(saw(__NR_mkdirat) && seen_a0[0] == AT_FDCWD);
	nseen = 0;
	ck_assert_int_eq(lstat(sub, &st), 0); /* declined: the real call */
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert(saw(__NR_newfstatat) && seen_a2[0] == (long)&st);
	nseen = 0;
	fd = open(sub, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(fd, 0);
	ck_assert(saw(__NR_openat) && strcmp((char *)seen_a1[0], sub) == 0);
	ck_assert_int_eq(close(fd), 0);
	ck_assert(saw(__NR_close));
	nseen = 0;
	ck_assert_int_eq(rmdir(sub), 0);
	ck_assert(saw(__NR_unlinkat) && seen_a2[0] == AT_REMOVEDIR);
	nseen = 0;
	ck_assert_int_eq(syscall(SYS_getppid), getppid());
	ck_assert(saw(__NR_getppid));
	ck_assert_int_eq(rmdir(dir), 0);
	reset();
}
END_TEST

START_TEST(hook_serves_and_sets_errno)
{
	char buf[64];
	struct stat st;
	int fd;

	purelibc_set_hook(hook);
	fd = open(VFILE, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(st.st_size, sizeof(vdata) - 1);
	ck_assert_int_eq(read(fd, buf, 5), 5);
	ck_assert_int_eq(memcmp(buf, "hello", 5), 0);
	ck_assert_int_eq(lseek(fd, -12, SEEK_END), sizeof(vdata) - 13);
	ck_assert_int_eq(write(fd, "x", 1), -1); /* the hook says EBADF */
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(open("/virtual/denied", O_RDONLY), -1);
	ck_assert_int_eq(errno, EACCES);
	reset();
	/* no hook any more: the virtual path is gone */
	ck_assert_int_eq(open(VFILE, O_RDONLY), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* --- stdio --- */

START_TEST(stdio_on_served_file)
{
	char line[64];
	FILE *f;

	purelibc_set_hook(hook);
	f = fopen(VFILE, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fileno(f), -1); /* a fopencookie stream */
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_str_eq(line, "hello from the hook\n");
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_str_eq(line, "second line\n");
	ck_assert_ptr_null(fgets(line, sizeof(line), f));
	ck_assert_int_eq(fseeko(f, 6, SEEK_SET), 0);
	ck_assert_int_eq(fread(line, 1, 4, f), 4);
	ck_assert_int_eq(memcmp(line, "from", 4), 0);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(vfd, -1); /* closed through the hook */
	reset();
}
END_TEST

START_TEST(stdio_on_real_file)
{
	char path[] = "/tmp/purelibc-XXXXXX", line[32];
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	close(fd);
	purelibc_set_hook(hook);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fileno(f), 0); /* libc's own stream */
	fputs("real\n", f);
	ck_assert_int_eq(fclose(f), 0);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_str_eq(line, "real\n");
	fclose(f);
	ck_assert_ptr_null(fopen(path, "q"));
	ck_assert_int_eq(errno, EINVAL);
	unlink(path);
	reset();
}
END_TEST

/* --- directory streams --- */

START_TEST(dir_real)
{
	char dir[] = "/tmp/purelibc-XXXXXX", p[64];
	struct dirent *e;
	int n = 0, seen_b = 0;
	long pos_b = -1;
	DIR *d;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/a", dir);
	close(open(p, O_CREAT | O_WRONLY, 0600));
	snprintf(p, sizeof(p), "%s/b", dir);
	close(open(p, O_CREAT | O_WRONLY, 0600));
	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_ge(dirfd(d), 0);
	for (;;) {
		long pos = telldir(d);

		e = readdir(d);
		if (!e)
			break;
		n++;
		if (strcmp(e->d_name, "b") == 0)
			pos_b = pos;
	}
	ck_assert_int_eq(n, 4);
	ck_assert_int_ge(pos_b, 0);
	seekdir(d, pos_b);
	e = readdir(d);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->d_name, "b");
	rewinddir(d);
	while ((e = readdir(d)))
		seen_b += strcmp(e->d_name, "b") == 0;
	ck_assert_int_eq(seen_b, 1);
	ck_assert_int_eq(closedir(d), 0);
	ck_assert_ptr_null(opendir("/nonexistent"));
	ck_assert_int_eq(errno, ENOENT);
	snprintf(p, sizeof(p), "%s/a", dir);
	ck_assert_ptr_null(opendir(p));
	ck_assert_int_eq(errno, ENOTDIR);
	unlink(p);
	snprintf(p, sizeof(p), "%s/b", dir);
	unlink(p);
	rmdir(dir);
}
END_TEST

START_TEST(dir_served)
{
	struct dirent64 *e;
	char names[32] = "";
	DIR *d;

	purelibc_set_hook(hook);
	d = opendir(VDIR);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir64(d)))
		strcat(names, e->d_name), strcat(names, " ");
	ck_assert_str_eq(names, ". .. a b c ");
	seekdir(d, 3);
	e = readdir64(d);
	ck_assert_str_eq(e->d_name, "b");
	ck_assert_int_eq(closedir(d), 0);
	ck_assert_int_eq(vdirfd, -1);
	reset();
}
END_TEST

/* --- realpath, statvfs, freopen --- */

START_TEST(realpath_follows_links)
{
	char dir[] = "/tmp/purelibc-XXXXXX", a[64], l1[64], l2[64];
	char out[PATH_MAX], want[PATH_MAX];
	char *r;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(l1, sizeof(l1), "%s/l1", dir);
	snprintf(l2, sizeof(l2), "%s/l2", dir);
	ck_assert_int_eq(mkdir(a, 0700), 0);
	ck_assert_int_eq(symlink("a", l1), 0);
	ck_assert_int_eq(symlink(l1, l2), 0); /* absolute, to a link */
	snprintf(want, sizeof(want), "%s/a", dir);
	snprintf(out, sizeof(out), "%s/./l2/../l2/", dir);
	r = realpath(out, NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r, want);
	free(r);
	snprintf(out, sizeof(out), "%s/missing/x", dir);
	ck_assert_ptr_null(realpath(out, want));
	ck_assert_int_eq(errno, ENOENT);
	unlink(l2);
	unlink(l1);
	rmdir(a);
	rmdir(dir);
}
END_TEST

START_TEST(statvfs_from_statfs)
{
	struct statvfs v;
	struct statfs s;

	ck_assert_int_eq(statfs("/", &s), 0);
	ck_assert_int_eq(statvfs("/", &v), 0);
	ck_assert_int_eq(v.f_blocks, s.f_blocks);
	ck_assert_int_eq(v.f_bsize, s.f_bsize);
	ck_assert_int_eq(v.f_namemax, s.f_namelen);
}
END_TEST

START_TEST(freopen_real_and_served)
{
	char path[] = "/tmp/purelibc-XXXXXX", line[64];
	int fd = mkstemp(path);
	FILE *f, *g;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "one\n", 4), 4);
	close(fd);
	purelibc_set_hook(hook);
	f = fopen("/dev/null", "r");
	ck_assert_ptr_nonnull(f);
	g = freopen(path, "r", f); /* a real file: the same stream */
	ck_assert_ptr_eq(g, f);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), g));
	ck_assert_str_eq(line, "one\n");
	g = freopen(VFILE, "r", g); /* a served one: a new stream */
	ck_assert_ptr_nonnull(g);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), g));
	ck_assert_str_eq(line, "hello from the hook\n");
	fclose(g);
	unlink(path);
	reset();
}
END_TEST

static void add(TCase *tc)
{
	tcase_add_test(tc, no_hook_real_calls);
	tcase_add_test(tc, hook_sees_at_forms);
	tcase_add_test(tc, hook_serves_and_sets_errno);
	tcase_add_test(tc, stdio_on_served_file);
	tcase_add_test(tc, stdio_on_real_file);
	tcase_add_test(tc, dir_real);
	tcase_add_test(tc, dir_served);
	tcase_add_test(tc, realpath_follows_links);
	tcase_add_test(tc, statvfs_from_statfs);
	tcase_add_test(tc, freopen_real_and_served);
}

int main(void)
{
	return unit_run("purelibc", add, reset);
}
