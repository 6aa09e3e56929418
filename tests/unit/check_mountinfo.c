/* The merged /proc/PID/mountinfo and /proc/PID/mounts, checked as text and
 * through util-linux's own parser (findmnt). */
#include "unit.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mountinfo.h"

static const char real_mi[] =
	"21 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
	"22 21 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
	"30 21 0:40 / /mnt rw,relatime shared:20 - tmpfs tmpfs rw,size=1024k\n";

static const char real_mounts[] =
	"/dev/sda1 / ext4 rw,relatime 0 0\n"
	"proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
	"tmpfs /mnt tmpfs rw,relatime,size=1024k 0 0\n";

/* Line k (from 0) of s, copied into a static buffer; NULL past the end. */
static const char *line(const char *s, int k)
{
	static char buf[4096];
	const char *nl;
	size_t len;

	for (; k > 0 && s; k--) {
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	if (!s || !*s)
		return NULL;
	nl = strchr(s, '\n');
	len = nl ? (size_t)(nl - s) : strlen(s);
	ck_assert_uint_lt(len, sizeof(buf));
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

static int nlines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* ID and PARENT of mountinfo line k. */
static void ids(const char *s, int k, long *id, long *parent)
{
	const char *l = line(s, k);

	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(sscanf(l, "%ld %ld", id, parent), 2);
}

START_TEST(real_lines_then_virtual_in_order)
{
	struct mountinfo_vmount v[] = {
		{ "/mnt/a", "/img/a.img", "ext2", "rw,x=1", 0, 0 },
		{ "/opt", NULL, "iso9660", "ro", 0, 0 },
	};
	char *s = mountinfo_merge(real_mi, NULL, v, 2);
	long id0, p0, id1, p1;

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(strncmp(s, real_mi, strlen(real_mi)), 0);
	ck_assert_int_eq(nlines(s), 5);
	ids(s, 3, &id0, &p0);
	ids(s, 4, &id1, &p1);
	ck_assert_str_eq(strchr(line(s, 3), ' ') + 1,
			 "30 0:983041 / /mnt/a rw,relatime - ext2 /img/a.img rw,x=1");
	ck_assert_str_eq(strchr(line(s, 4), ' ') + 1,
			 "21 0:983042 / /opt ro,relatime - iso9660 none ro");
	ck_assert_int_eq(id0, MOUNTINFO_ID_BASE + 1);
	ck_assert_int_eq(id1, MOUNTINFO_ID_BASE + 2);
	free(s);
}
END_TEST

START_TEST(ids_unique_and_above_real)
{
	/* A real id past the base moves the virtual ones above it. */
	const char *real = "21 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
			   "2000000 21 0:5 / /big rw - tmpfs tmpfs rw\n"
			   "22 21 0:6 / /x rw - tmpfs tmpfs rw\n";
	struct mountinfo_vmount v[] = {
		{ "/a", "s", "t", "rw", 0, 0 },
		{ "/b", "s", "t", "rw", 0, 0 },
		{ "/c", "s", "t", "rw", 0, 0 },
	};
	long id[6], p;
	char *s = mountinfo_merge(real, NULL, v, 3);
	int i, j;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < 6; i++)
		ids(s, i, &id[i], &p);
	for (i = 3; i < 6; i++)
		ck_assert_int_gt(id[i], 2000000);
	for (i = 0; i < 6; i++)
		for (j = 0; j < i; j++)
			ck_assert_int_ne(id[i], id[j]);
	free(s);
}
END_TEST

START_TEST(ids_stable_by_key)
{
	/* The same mount keeps its id when an older one goes. */
	struct mountinfo_vmount v[] = {
		{ "/a", "s", "t", "rw", 7, 0 },
		{ "/b", "s", "t", "rw", 9, makedev(0, 77) },
	};
	long id, p;
	char *s = mountinfo_merge(real_mi, NULL, v, 2), *t;

	ck_assert_ptr_nonnull(s);
	ids(s, 4, &id, &p);
	ck_assert_int_eq(id, MOUNTINFO_ID_BASE + 9);
	ck_assert_ptr_nonnull(strstr(line(s, 4), " 0:77 / /b "));
	ck_assert_ptr_nonnull(strstr(line(s, 3), " 0:983047 / /a "));
	t = mountinfo_merge(real_mi, NULL, v + 1, 1);
	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(line(t, 3), line(s, 4));
	free(t);
	/* Duplicate keys fall back to positions, still unique. */
	v[1].key = 7;
	t = mountinfo_merge(real_mi, NULL, v, 2);
	ids(t, 3, &id, &p);
	ck_assert_int_eq(id, MOUNTINFO_ID_BASE + 1);
	ids(t, 4, &id, &p);
	ck_assert_int_eq(id, MOUNTINFO_ID_BASE + 2);
	free(t);
	free(s);
}
END_TEST

START_TEST(parents)
{
	struct mountinfo_vmount v[] = {
		{ "/mnt/a", "s", "t", "rw", 0, 0 },   /* on real /mnt */
		{ "/mnt/a/b", "s", "t", "rw", 0, 0 }, /* on virtual /mnt/a */
		{ "/mntx", "s", "t", "rw", 0, 0 },    /* on /, not /mnt */
		{ "/mnt", "s", "t", "rw", 0, 0 },     /* over real /mnt */
		{ "/mnt", "s", "t", "rw", 0, 0 },     /* over virtual /mnt */
		{ "/mnt/a/b/c", "s", "t", "rw", 0, 0 },
	};
	long id[6], p[6];
	char *s = mountinfo_merge(real_mi, NULL, v, 6);
	int i;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < 6; i++)
		ids(s, 3 + i, &id[i], &p[i]);
	ck_assert_int_eq(p[0], 30);
	ck_assert_int_eq(p[1], id[0]);
	ck_assert_int_eq(p[2], 21);
	ck_assert_int_eq(p[3], 30);
	ck_assert_int_eq(p[4], id[3]);
	ck_assert_int_eq(p[5], id[1]);
	free(s);
	/* With no real mount at all, a mount is its own parent. */
	s = mountinfo_merge(NULL, NULL, v, 1);
	ck_assert_ptr_nonnull(s);
	ids(s, 0, &id[0], &p[0]);
	ck_assert_int_eq(id[0], p[0]);
	free(s);
}
END_TEST

START_TEST(escaping)
{
	struct mountinfo_vmount v[] = {
		{ "/mnt/my disk\t\\x\ny", "/img/a b.img", "ext2", "rw,a=b c", 0, 0 },
	};
	char *s = mountinfo_merge(NULL, NULL, v, 1);

	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "1000001 1000001 0:983041 / "
			    "/mnt/my\\040disk\\011\\134x\\012y rw,relatime - ext2 "
			    "/img/a\\040b.img rw,a=b\\040c\n");
	free(s);
	s = mounts_merge("", NULL, v, 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "/img/a\\040b.img /mnt/my\\040disk\\011\\134x\\012y "
			    "ext2 rw,relatime,a=b\\040c 0 0\n");
	free(s);
}
END_TEST

START_TEST(robust_input)
{
	struct mountinfo_vmount v[] = { { "/v", "s", "t", NULL, 0, 0 } };
	static char big[70000];
	char *s;

	/* empty input, NULL input, no virtual mounts */
	s = mountinfo_merge("", NULL, NULL, 0);
	ck_assert_str_eq(s, "");
	free(s);
	s = mounts_merge(NULL, "/", v, 1);
	ck_assert_str_eq(s, "s /v t rw,relatime 0 0\n");
	free(s);
	/* last line without its newline; blank lines dropped */
	s = mountinfo_merge("\n21 1 8:1 / / rw - ext4 /dev/sda1 rw\n\n"
			    "22 21 0:5 / /v rw - tmpfs t rw", NULL, v, 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(line(s, 0), "21 1 8:1 / / rw - ext4 /dev/sda1 rw");
	ck_assert_str_eq(line(s, 1), "22 21 0:5 / /v rw - tmpfs t rw");
	ck_assert_str_eq(line(s, 2),
			 "1000001 22 0:983041 / /v rw,relatime - t s rw");
	ck_assert_int_eq(nlines(s), 3);
	free(s);
	/* a very long line passes through whole */
	memset(big, 'o', sizeof(big) - 1);
	memcpy(big, "21 1 8:1 / / rw - ext4 /dev/sda1 rw,", 36);
	s = mountinfo_merge(big, NULL, v, 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(strncmp(s, big, sizeof(big) - 1), 0);
	ck_assert_int_eq(s[sizeof(big) - 1], '\n');
	ck_assert_str_eq(s + sizeof(big),
			 "1000001 21 0:983041 / /v rw,relatime - t s rw\n");
	free(s);
}
END_TEST

START_TEST(mounts_format)
{
	struct mountinfo_vmount v[] = {
		{ "/mnt/a", "/img/a.img", "ext2", "rw,x=1", 0, 0 },
		{ "/opt", "", NULL, "ro", 0, 0 },
	};
	char *s = mounts_merge(real_mounts, NULL, v, 2);

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(strncmp(s, real_mounts, strlen(real_mounts)), 0);
	ck_assert_str_eq(s + strlen(real_mounts),
			 "/img/a.img /mnt/a ext2 rw,relatime,x=1 0 0\n"
			 "none /opt none ro,relatime 0 0\n");
	free(s);
}
END_TEST

START_TEST(chroot_root)
{
	const char *real = "21 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
			   "40 21 8:2 / /srv/r rw - ext4 /dev/sda2 rw\n"
			   "41 40 0:21 / /srv/r/proc rw - proc proc rw\n"
			   "42 21 0:22 / /srv/rx rw - tmpfs tmpfs rw\n"
			   "43 21 0:23 / /srv/r\\040x rw - tmpfs tmpfs rw\n"
			   "44 40 0:24 / /srv/r/a\\040b rw - tmpfs tmpfs rw\n";
	const char *realm = "/dev/sda1 / ext4 rw 0 0\n"
			    "/dev/sda2 /srv/r ext4 rw 0 0\n"
			    "proc /srv/r/proc proc rw 0 0\n"
			    "tmpfs /srv/rx tmpfs rw 0 0\n";
	struct mountinfo_vmount v[] = {
		{ "/srv/r/mnt", "s", "t", "rw", 0, 0 },
		{ "/other", "s", "t", "rw", 0, 0 },
		{ "/srv/r/mnt/x y", "s", "t", "rw", 0, 0 },
	};
	char *s = mountinfo_merge(real, "/srv/r", v, 3), *t;

	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "40 21 8:2 / / rw - ext4 /dev/sda2 rw\n"
			    "41 40 0:21 / /proc rw - proc proc rw\n"
			    "44 40 0:24 / /a\\040b rw - tmpfs tmpfs rw\n"
			    "1000001 40 0:983041 / /mnt rw,relatime - t s rw\n"
			    "1000003 1000001 0:983043 / /mnt/x\\040y "
			    "rw,relatime - t s rw\n");
	/* A trailing slash on root means the same. */
	t = mountinfo_merge(real, "/srv/r/", v, 3);
	ck_assert_str_eq(t, s);
	free(t);
	free(s);
	s = mounts_merge(realm, "/srv/r", v, 2);
	ck_assert_str_eq(s, "/dev/sda2 / ext4 rw 0 0\n"
			    "proc /proc proc rw 0 0\n"
			    "s /mnt t rw,relatime 0 0\n");
	free(s);
	/* A root that is not a mount point: only what lies under it. */
	s = mounts_merge(realm, "/srv", v, 2);
	ck_assert_str_eq(s, "/dev/sda2 /r ext4 rw 0 0\n"
			    "proc /r/proc proc rw 0 0\n"
			    "tmpfs /rx tmpfs rw 0 0\n"
			    "s /r/mnt t rw,relatime 0 0\n");
	free(s);
	/* "/" lists everything unchanged. */
	s = mounts_merge(realm, "/", v, 0);
	ck_assert_str_eq(s, realm);
	free(s);
}
END_TEST

/* findmnt's reading of text (written to a temporary file): its raw output
 * of TARGET SOURCE FSTYPE OPTIONS, or NULL if there is no findmnt. */
static char *findmnt(const char *text)
{
	char path[] = "/tmp/check_mountinfo.XXXXXX", cmd[128];
	static char out[16384];
	size_t len;
	FILE *f;
	int fd;

	if (system("command -v findmnt >/dev/null 2>&1") != 0)
		return NULL;
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "findmnt --tab-file %s -o TARGET,SOURCE,FSTYPE,OPTIONS -n -r",
		 path);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	len = fread(out, 1, sizeof(out) - 1, f);
	out[len] = '\0';
	ck_assert_int_eq(pclose(f), 0);
	unlink(path);
	return out;
}

static const struct mountinfo_vmount parsed[] = {
	{ "/mnt/a", "/img/a.img", "umfuseext2", "rw,x=1", 0, 0 },
	{ "/mnt/my disk", "/img/b c.iso", "umfuseiso9660", "ro", 0, 0 },
	{ "/mnt/a/sub", NULL, "umdevmbr", "rw", 0, 0 },
};

START_TEST(findmnt_parses_mountinfo)
{
	char *s = mountinfo_merge(real_mi, NULL, parsed, 3);
	const char *out;

	ck_assert_ptr_nonnull(s);
	out = findmnt(s);
	free(s);
	if (!out) {
		fprintf(stderr, "findmnt_parses_mountinfo: skipped, "
				"no findmnt in PATH\n");
		return;
	}
	ck_assert_str_eq(line(out, 0), "/ /dev/sda1 ext4 rw,relatime");
	ck_assert_str_eq(line(out, 3),
			 "/mnt/a /img/a.img umfuseext2 rw,relatime,x=1");
	ck_assert_str_eq(line(out, 4),
			 "/mnt/my\\x20disk /img/b\\x20c.iso umfuseiso9660 "
			 "ro,relatime");
	ck_assert_str_eq(line(out, 5), "/mnt/a/sub none umdevmbr rw,relatime");
	ck_assert_ptr_null(line(out, 6));
}
END_TEST

START_TEST(findmnt_parses_mounts)
{
	char *s = mounts_merge(real_mounts, NULL, parsed, 3);
	const char *out;

	ck_assert_ptr_nonnull(s);
	out = findmnt(s);
	free(s);
	if (!out) {
		fprintf(stderr, "findmnt_parses_mounts: skipped, "
				"no findmnt in PATH\n");
		return;
	}
	ck_assert_str_eq(line(out, 3),
			 "/mnt/a /img/a.img umfuseext2 rw,relatime,x=1");
	ck_assert_str_eq(line(out, 4),
			 "/mnt/my\\x20disk /img/b\\x20c.iso umfuseiso9660 "
			 "ro,relatime");
	ck_assert_str_eq(line(out, 5), "/mnt/a/sub none umdevmbr rw,relatime");
	ck_assert_ptr_null(line(out, 6));
}
END_TEST

static void add(TCase *tc)
{
	tcase_add_test(tc, real_lines_then_virtual_in_order);
	tcase_add_test(tc, ids_unique_and_above_real);
	tcase_add_test(tc, ids_stable_by_key);
	tcase_add_test(tc, parents);
	tcase_add_test(tc, escaping);
	tcase_add_test(tc, robust_input);
	tcase_add_test(tc, mounts_format);
	tcase_add_test(tc, chroot_root);
	tcase_add_test(tc, findmnt_parses_mountinfo);
	tcase_add_test(tc, findmnt_parses_mounts);
}

int main(void)
{
	return unit_run("mountinfo", add, NULL);
}
