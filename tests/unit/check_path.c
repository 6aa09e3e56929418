/* Path canonicalisation: Linux's walk over a fake file system, and the same
 * walk over a real tree compared with the kernel's. */
#include "unit.h"
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "path.h"

/* The fake file system: a table of objects, and two families made up on the
 * fly: /c/l0 ... /c/l40, a chain of symlinks ending in the directory /c/t;
 * /d, /d/d, /d/d/d ... directories, each with a symlink x to 64 levels
 * below. */
struct node {
	const char *path;
	mode_t type;
	const char *target;
};

static const struct node fs[] = {
	{ "/a", S_IFDIR, NULL },
	{ "/a/b", S_IFDIR, NULL },
	{ "/a/b/file", S_IFREG, NULL },
	{ "/a/f", S_IFREG, NULL },
	{ "/a/rel", S_IFLNK, "b" },
	{ "/a/abs", S_IFLNK, "/a/b/file" },
	{ "/a/up", S_IFLNK, "../a/b/../f" },
	{ "/a/chain", S_IFLNK, "rel" },
	{ "/a/chain2", S_IFLNK, "/a/chain/" },
	{ "/a/loop1", S_IFLNK, "loop2" },
	{ "/a/loop2", S_IFLNK, "loop1" },
	{ "/a/dangling", S_IFLNK, "b/new" },
	{ "/a/nowhere", S_IFLNK, "missing/new" },
	{ "/a/tofile", S_IFLNK, "f/" },
	{ "/a/todir", S_IFLNK, "b/" },
	{ "/a/toroot", S_IFLNK, "/" },
	{ "/a/self", S_IFLNK, "." },
	{ "/a/parent", S_IFLNK, ".." },
	{ "/a/empty", S_IFLNK, "" },
	{ "/c", S_IFDIR, NULL },
	{ "/c/t", S_IFDIR, NULL },
	{ "/etc", S_IFDIR, NULL },
	{ "/etc/passwd", S_IFREG, NULL },
	{ "/jail", S_IFDIR, NULL },
	{ "/jail/etc", S_IFDIR, NULL },
	{ "/jail/etc/passwd", S_IFREG, NULL },
	{ "/jail/abs", S_IFLNK, "/etc/passwd" },
	{ "/jail/esc", S_IFLNK, "../../../etc" },
	{ "/jail/root", S_IFLNK, "/" },
	{ "/secret", S_IFDIR, NULL }, /* no search permission */
};

static int lstats; /* calls to fake_lstat */

/* /c/lN for N in 0..40 */
static int chain_link(const char *abs)
{
	int n, end = -1;

	if (sscanf(abs, "/c/l%d%n", &n, &end) != 1 || abs[end] != '\0')
		return -1;
	return n >= 0 && n <= PATH_MAXSYMLINKS ? n : -1;
}

/* 1: /d/.../d; 2: /d/.../d/x; 0: neither */
static int deep(const char *abs)
{
	if (strncmp(abs, "/d", 2) != 0)
		return 0;
	for (abs += 2; strncmp(abs, "/d", 2) == 0; abs += 2)
		;
	if (*abs == '\0')
		return 1;
	return strcmp(abs, "/x") == 0 ? 2 : 0;
}

static const struct node *find(const char *abs)
{
	size_t i;

	for (i = 0; i < sizeof(fs) / sizeof(fs[0]); i++)
		if (strcmp(fs[i].path, abs) == 0)
			return &fs[i];
	return NULL;
}

static int fake_lstat(void *ctx, const char *abs, mode_t *mode)
{
	const struct node *n = find(abs);

	(void)ctx;
	lstats++;
	ck_assert_msg(abs[0] == '/' && !strstr(abs, "//") &&
			      (abs[1] == '\0' || abs[strlen(abs) - 1] != '/'),
		      "not canonical: %s", abs);
	if (strncmp(abs, "/secret/", 8) == 0)
		return -EACCES;
	if (chain_link(abs) >= 0 || deep(abs) == 2) {
		*mode = S_IFLNK | 0777;
		return 0;
	}
	if (deep(abs) == 1) {
		*mode = S_IFDIR | 0755;
		return 0;
	}
	if (!n)
		return -ENOENT;
	*mode = n->type | 0755;
	return 0;
}

static ssize_t fake_readlink(void *ctx, const char *abs, char *buf,
			     size_t size)
{
	const struct node *n = find(abs);
	char chain[130];
	const char *t;
	int l = chain_link(abs);

	(void)ctx;
	if (l >= 0) {
		if (l == PATH_MAXSYMLINKS)
			snprintf(chain, sizeof(chain), "t");
		else
			snprintf(chain, sizeof(chain), "l%d", l + 1);
		t = chain;
	} else if (deep(abs) == 2) {
		for (l = 0; l < 64; l++)
			memcpy(chain + 2 * l, "d/", 2);
		chain[127] = '\0'; /* no trailing slash */
		t = chain;
	} else if (n && n->type == S_IFLNK) {
		t = n->target;
	} else {
		return -EINVAL;
	}
	if (strlen(t) < size)
		size = strlen(t);
	memcpy(buf, t, size);
	return (ssize_t)size;
}

static const struct path_ops fake_ops = {
	.lstat = fake_lstat,
	.readlink = fake_readlink,
};

static char out[PATH_MAX];
static mode_t omode;

static int res(const char *root, const char *base, const char *path,
	       int flags)
{
	strcpy(out, "(untouched)");
	omode = 0xdead;
	return path_resolve(root, base, path, flags, &fake_ops, NULL, out,
			    sizeof(out), &omode);
}

/* Resolve path from root, base with flags: want the string, or -errno. */
#define OK_IN(root, base, path, flags, want)                          \
	do {                                                          \
		ck_assert_int_eq(res(root, base, path, flags), 0);    \
		ck_assert_str_eq(out, want);                          \
	} while (0)
#define ERR_IN(root, base, path, flags, err)                          \
	do {                                                          \
		ck_assert_int_eq(res(root, base, path, flags), -(err)); \
		ck_assert_str_eq(out, "(untouched)");                 \
	} while (0)
/* The usual process: root "/", cwd "/a". */
#define OK(path, flags, want) OK_IN("/", "/a", path, flags, want)
#define ERR(path, flags, err) ERR_IN("/", "/a", path, flags, err)

START_TEST(absolute_and_relative)
{
	OK("/a/b/file", 0, "/a/b/file");
	ck_assert_uint_eq(omode, S_IFREG);
	OK("b/file", 0, "/a/b/file");
	OK("b", 0, "/a/b");
	ck_assert_uint_eq(omode, S_IFDIR);
	OK("/", 0, "/");
	ck_assert_uint_eq(omode, S_IFDIR);
	OK(".", 0, "/a");
	OK("/etc/passwd", 0, "/etc/passwd");
	ERR("nope", 0, ENOENT);
	ERR("/nope/x", 0, ENOENT);
	ERR("b/nope/x", 0, ENOENT);
	/* errors of ops come back as they are */
	ERR("/secret/x", 0, EACCES);
	/* no mode wanted */
	ck_assert_int_eq(path_resolve("/", "/a", "b", 0, &fake_ops, NULL, out,
				      sizeof(out), NULL),
			 0);
	ck_assert_str_eq(out, "/a/b");
	ck_assert_int_eq(path_resolve("/", "a", "b", 0, &fake_ops, NULL, out,
				      sizeof(out), NULL),
			 -EINVAL);
}
END_TEST

START_TEST(dot_and_dotdot)
{
	OK("./b/./file", 0, "/a/b/file");
	OK("b/..", 0, "/a");
	ck_assert_uint_eq(omode, S_IFDIR);
	OK("..", 0, "/");
	OK("b/../../etc/passwd", 0, "/etc/passwd");
	/* ".." at the root stays there */
	OK("../../..", 0, "/");
	OK("/../../etc/../a/b/..", 0, "/a");
	/* a file in the middle is not a directory, even before "." or ".." */
	ERR("f/..", 0, ENOTDIR);
	ERR("f/.", 0, ENOTDIR);
	ERR("f/x", 0, ENOTDIR);
	/* ".." of a directory reached by a symlink is its real parent */
	OK("rel/..", 0, "/a");
	OK("chain2/..", 0, "/a");
}
END_TEST

START_TEST(slashes)
{
	OK("//a///b//", 0, "/a/b");
	OK("b//file", 0, "/a/b/file");
	OK("///", 0, "/");
	/* a trailing slash wants a directory */
	OK("b/", 0, "/a/b");
	OK("b/.//", 0, "/a/b");
	ERR("f/", 0, ENOTDIR);
	ERR("f//", PATH_NOFOLLOW, ENOTDIR);
	ERR("nope/", 0, ENOENT);
}
END_TEST

START_TEST(symlinks)
{
	OK("rel", 0, "/a/b");
	OK("rel/file", 0, "/a/b/file");
	OK("abs", 0, "/a/b/file");
	OK("up", 0, "/a/f");
	OK("chain", 0, "/a/b");
	OK("chain2/file", 0, "/a/b/file");
	OK("self/b", 0, "/a/b");
	OK("parent", 0, "/");
	OK("toroot/etc", 0, "/etc");
	OK("todir", 0, "/a/b");
	/* a slash at the end of a target wants a directory too */
	ERR("tofile", 0, ENOTDIR);
	OK("tofile", PATH_NOFOLLOW, "/a/tofile");
	ERR("dangling", 0, ENOENT);
	ERR("empty", 0, ENOENT);
	ERR("abs/x", 0, ENOTDIR);
	OK("/a/b/../rel/./file", 0, "/a/b/file");
}
END_TEST

START_TEST(loops_and_limit)
{
	ERR("loop1", 0, ELOOP);
	ERR("loop1/x", PATH_NOFOLLOW, ELOOP);
	OK("loop1", PATH_NOFOLLOW, "/a/loop1");
	ck_assert_uint_eq(omode, S_IFLNK);
	/* l1 -> ... -> l40 -> t: 40 links are fine, 41 are not */
	OK("/c/l1", 0, "/c/t");
	OK("/c/l1/", 0, "/c/t");
	ERR("/c/l0", 0, ELOOP);
	ERR("/c/l0/", PATH_NOFOLLOW, ELOOP);
	OK("/c/l0", PATH_NOFOLLOW, "/c/l0");
	/* the count is over the whole walk */
	OK("/c/t/../l1", 0, "/c/t");
	ERR("/c/l40/../l1", 0, ELOOP);
}
END_TEST

START_TEST(nofollow)
{
	OK("rel", PATH_NOFOLLOW, "/a/rel");
	ck_assert_uint_eq(omode, S_IFLNK);
	/* only the last component */
	OK("rel/file", PATH_NOFOLLOW, "/a/b/file");
	OK("chain/file", PATH_NOFOLLOW, "/a/b/file");
	/* a trailing slash follows anyway, to the end of the chain */
	OK("rel/", PATH_NOFOLLOW, "/a/b");
	ck_assert_uint_eq(omode, S_IFDIR);
	OK("chain/", PATH_NOFOLLOW, "/a/b");
	ERR("abs/", PATH_NOFOLLOW, ENOTDIR);
	OK("dangling", PATH_NOFOLLOW, "/a/dangling");
	ERR("dangling/", PATH_NOFOLLOW, ENOENT);
}
END_TEST

START_TEST(create)
{
	OK("b/new", PATH_CREATE, "/a/b/new");
	ck_assert_uint_eq(omode, 0);
	OK("b/file", PATH_CREATE, "/a/b/file");
	ck_assert_uint_eq(omode, S_IFREG);
	OK("/new", PATH_CREATE, "/new");
	ERR("missing/new", PATH_CREATE, ENOENT);
	ERR("f/new", PATH_CREATE, ENOTDIR);
	ERR("b/file/new", PATH_CREATE, ENOTDIR);
	/* a dangling symlink creates its target... */
	OK("dangling", PATH_CREATE, "/a/b/new");
	ck_assert_uint_eq(omode, 0);
	ERR("nowhere", PATH_CREATE, ENOENT);
	/* ...unless not followed */
	OK("dangling", PATH_CREATE | PATH_NOFOLLOW, "/a/dangling");
	ck_assert_uint_eq(omode, S_IFLNK);
	/* "newdir/" alone is fine, mode 0; an existing file with a slash
	 * is not */
	OK("b/newdir/", PATH_CREATE, "/a/b/newdir");
	ck_assert_uint_eq(omode, 0);
	ERR("f/", PATH_CREATE, ENOTDIR);
	/* a missing object is not checked against PATH_DIRECTORY */
	OK("b/new", PATH_CREATE | PATH_DIRECTORY, "/a/b/new");
	ERR("f", PATH_CREATE | PATH_DIRECTORY, ENOTDIR);
}
END_TEST

START_TEST(open_creat)
{
	OK("b/new", PATH_OPEN_CREAT, "/a/b/new");
	ck_assert_uint_eq(omode, 0);
	OK("dangling", PATH_OPEN_CREAT, "/a/b/new");
	/* open("x/", O_CREAT) is EISDIR whatever x is */
	ERR("b/new/", PATH_OPEN_CREAT, EISDIR);
	ERR("f/", PATH_OPEN_CREAT, EISDIR);
	ERR("b/", PATH_OPEN_CREAT | PATH_NOFOLLOW, EISDIR);
	ERR("rel/", PATH_OPEN_CREAT, EISDIR);
	/* also through a target ending in a slash */
	ERR("tofile", PATH_OPEN_CREAT, EISDIR);
	/* but a missing parent comes first */
	ERR("missing/new/", PATH_OPEN_CREAT, ENOENT);
	/* "." and ".." are not names */
	OK("b/.", PATH_OPEN_CREAT, "/a/b");
	OK("b/../", PATH_OPEN_CREAT, "/a");
}
END_TEST

START_TEST(new_object)
{
	OK("b/new", PATH_NEW, "/a/b/new");
	ck_assert_uint_eq(omode, 0);
	/* the last component is never followed, existing ones are returned
	 * whatever a slash says (the caller's EEXIST) */
	OK("dangling", PATH_NEW, "/a/dangling");
	ck_assert_uint_eq(omode, S_IFLNK);
	OK("dangling/", PATH_NEW, "/a/dangling");
	ck_assert_uint_eq(omode, S_IFLNK);
	OK("f/", PATH_NEW, "/a/f");
	ck_assert_uint_eq(omode, S_IFREG);
	OK("b/..", PATH_NEW, "/a");
	ck_assert_uint_eq(omode, S_IFDIR);
	/* mknod("new/"): ENOENT; mkdir("new/"): fine */
	ERR("b/new/", PATH_NEW, ENOENT);
	OK("b/new/", PATH_NEW | PATH_DIRECTORY, "/a/b/new");
	ck_assert_uint_eq(omode, 0);
	OK("f", PATH_NEW | PATH_DIRECTORY, "/a/f");
	/* the parent is walked as usual */
	OK("rel/new", PATH_NEW, "/a/b/new");
	ERR("f/new", PATH_NEW, ENOTDIR);
	ERR("loop1/new", PATH_NEW, ELOOP);
}
END_TEST

START_TEST(directory)
{
	OK("b", PATH_DIRECTORY, "/a/b");
	OK("rel", PATH_DIRECTORY, "/a/b");
	ERR("f", PATH_DIRECTORY, ENOTDIR);
	ERR("abs", PATH_DIRECTORY, ENOTDIR);
	/* a symlink left alone is not a directory */
	ERR("rel", PATH_DIRECTORY | PATH_NOFOLLOW, ENOTDIR);
	ERR("nope", PATH_DIRECTORY, ENOENT);
}
END_TEST

START_TEST(chroot_root)
{
	OK_IN("/jail", "/jail", "/etc/passwd", 0, "/jail/etc/passwd");
	OK_IN("/jail", "/jail/etc", "passwd", 0, "/jail/etc/passwd");
	OK_IN("/jail", "/jail", "/", 0, "/jail");
	/* absolute targets start from the root */
	OK_IN("/jail", "/jail", "abs", 0, "/jail/etc/passwd");
	OK_IN("/jail", "/jail", "root/etc", 0, "/jail/etc");
	/* ".." cannot climb out, from a path or a target */
	OK_IN("/jail", "/jail/etc", "../../../..", 0, "/jail");
	OK_IN("/jail", "/jail", "/../etc/../../etc", 0, "/jail/etc");
	OK_IN("/jail", "/jail", "esc", 0, "/jail/etc");
	/* outside the chroot the same link leads elsewhere */
	OK_IN("/", "/jail", "esc", 0, "/etc");
	/* a cwd left outside the root climbs up to "/" */
	OK_IN("/jail", "/a/b", "../../etc", 0, "/etc");
}
END_TEST

START_TEST(beneath)
{
	OK("b/file", PATH_BENEATH, "/a/b/file");
	OK("b/..", PATH_BENEATH, "/a");
	OK("rel/../f", PATH_BENEATH, "/a/f");
	ERR("/a/b", PATH_BENEATH, EXDEV);
	ERR("..", PATH_BENEATH, EXDEV);
	ERR("b/../..", PATH_BENEATH, EXDEV);
	ERR("abs", PATH_BENEATH, EXDEV);
	ERR("up", PATH_BENEATH, EXDEV);
	ERR("parent", PATH_BENEATH, EXDEV);
	/* a symlink not followed does not escape */
	OK("abs", PATH_BENEATH | PATH_NOFOLLOW, "/a/abs");
	ERR("b", PATH_BENEATH | PATH_IN_ROOT, EINVAL);
}
END_TEST

START_TEST(in_root)
{
	OK_IN("/", "/jail", "/etc/passwd", PATH_IN_ROOT, "/jail/etc/passwd");
	OK_IN("/", "/jail", "../../etc", PATH_IN_ROOT, "/jail/etc");
	OK_IN("/", "/jail", "abs", PATH_IN_ROOT, "/jail/etc/passwd");
	OK_IN("/", "/jail", "esc", PATH_IN_ROOT, "/jail/etc");
	OK_IN("/", "/jail", "root", PATH_IN_ROOT, "/jail");
	/* from a subdirectory, that directory is the root */
	ERR_IN("/", "/jail/etc", "/etc/passwd", PATH_IN_ROOT, ENOENT);
	OK_IN("/", "/jail/etc", "/passwd", PATH_IN_ROOT, "/jail/etc/passwd");
}
END_TEST

START_TEST(no_symlinks)
{
	OK("b/file", PATH_NO_SYMLINKS, "/a/b/file");
	ERR("rel", PATH_NO_SYMLINKS, ELOOP);
	ERR("rel/file", PATH_NO_SYMLINKS, ELOOP);
	ERR("rel/", PATH_NO_SYMLINKS | PATH_NOFOLLOW, ELOOP);
	OK("rel", PATH_NO_SYMLINKS | PATH_NOFOLLOW, "/a/rel");
}
END_TEST

START_TEST(empty_path)
{
	ERR("", 0, ENOENT);
	ERR("", PATH_CREATE, ENOENT);
	OK("", PATH_EMPTY_OK, "/a");
	ck_assert_uint_eq(omode, S_IFDIR);
	/* base may be anything then, even a symlink, not followed */
	OK_IN("/", "/a/f", "", PATH_EMPTY_OK, "/a/f");
	ck_assert_uint_eq(omode, S_IFREG);
	OK_IN("/", "/a/rel", "", PATH_EMPTY_OK, "/a/rel");
	ck_assert_uint_eq(omode, S_IFLNK);
	ERR_IN("/", "/a/f", "", PATH_EMPTY_OK | PATH_DIRECTORY, ENOTDIR);
	OK("b", PATH_EMPTY_OK, "/a/b");
}
END_TEST

START_TEST(name_too_long)
{
	char name[NAME_MAX + 2];
	char want[NAME_MAX + 8];
	char path[PATH_MAX + 8];
	char small[8];
	int i;

	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ERR(name, 0, ENAMETOOLONG);
	ERR(name, PATH_CREATE, ENAMETOOLONG);
	/* a missing or non-directory parent says so first */
	snprintf(path, sizeof(path), "nope/%s", name);
	ERR(path, 0, ENOENT);
	snprintf(path, sizeof(path), "f/%s", name);
	ERR(path, 0, ENOTDIR);
	name[NAME_MAX] = '\0'; /* 255 is fine */
	snprintf(want, sizeof(want), "/a/%s", name);
	OK(name, PATH_CREATE, want);
	/* the input: PATH_MAX bytes with its NUL is fine, one more is not */
	memset(path, '/', PATH_MAX - 2);
	strcpy(path + PATH_MAX - 2, "a");
	OK(path, 0, "/a");
	memset(path, '/', PATH_MAX - 1);
	strcpy(path + PATH_MAX - 1, "a");
	ERR(path, 0, ENAMETOOLONG);
	/* the result: each /d/.../x leads 64 levels deeper */
	strcpy(path, "/d");
	for (i = 0; i < 31; i++)
		strcat(path, "/x");
	ck_assert_int_eq(res("/", "/", path, PATH_DIRECTORY), 0);
	ck_assert_uint_eq(strlen(out), 2 + 31 * 128);
	strcat(path, "/x");
	ERR(path, 0, ENAMETOOLONG);
	/* or not fitting out */
	ck_assert_int_eq(path_resolve("/", "/a", "b/file", 0, &fake_ops, NULL,
				      small, sizeof(small), NULL),
			 -ENAMETOOLONG);
	ck_assert_int_eq(path_resolve("/", "/a", "b", 0, &fake_ops, NULL,
				      small, sizeof(small), NULL),
			 0);
	ck_assert_str_eq(small, "/a/b");
}
END_TEST

START_TEST(lstat_each_prefix)
{
	lstats = 0;
	OK("/a/b/file", 0, "/a/b/file");
	ck_assert_int_eq(lstats, 3);
	lstats = 0;
	OK("b/../b/.", 0, "/a/b");
	ck_assert_int_eq(lstats, 2);
}
END_TEST

/* The same walks over a real tree, with real lstat and readlink, compared
 * with what the kernel resolves. */

static int real_lstat(void *ctx, const char *abs, mode_t *mode)
{
	struct stat st;

	(void)ctx;
	if (lstat(abs, &st) < 0)
		return -errno;
	*mode = st.st_mode;
	return 0;
}

static ssize_t real_readlink(void *ctx, const char *abs, char *buf,
			     size_t size)
{
	ssize_t n = readlink(abs, buf, size);

	(void)ctx;
	return n < 0 ? -errno : n;
}

static const struct path_ops real_ops = {
	.lstat = real_lstat,
	.readlink = real_readlink,
};

static char tree[PATH_MAX]; /* the temporary tree, canonical */
static int treefd = -1;

static int tree_rm(const char *p, const struct stat *st, int type,
		   struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(p);
}

static void tree_remove(void)
{
	if (treefd >= 0)
		close(treefd);
	treefd = -1;
	if (tree[0])
		nftw(tree, tree_rm, 16, FTW_DEPTH | FTW_PHYS);
	tree[0] = '\0';
}

static int tree_file(const char *name)
{
	int fd = openat(treefd, name, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);

	return fd < 0 ? -1 : close(fd);
}

/* d/ d/e/ d/g f, symlinks of every kind, and the chain c/l0 ... c/l40;
 * made once, before the tests, as a failed check leaves no teardown. */
static int tree_build(void)
{
	static const char *const links[][2] = {
		{ "d", "ld" },		{ "f", "lf" },
		{ "..", "d/up" },	{ "../f", "d/lup" },
		{ "../../ld/e", "d/e/deep" },
		{ "loop2", "loop1" },	{ "loop1", "loop2" },
		{ "nope", "dang" },	{ "nope/x", "dangdir" },
		{ "d/", "lds" },	{ "f/", "lfs" },
		{ "/", "lroot" },	{ ".", "lself" },
		{ "ld", "chain" },
	};
	char tmpl[] = "/tmp/check_path.XXXXXX";
	char name[32], target[32], abs[PATH_MAX + 8];
	int i, bad = 0;

	if (!mkdtemp(tmpl))
		return -1;
	if (!realpath(tmpl, tree)) {
		rmdir(tmpl);
		return -1;
	}
	treefd = open(tree, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (treefd < 0)
		return -1;
	bad |= mkdirat(treefd, "d", 0700) | mkdirat(treefd, "d/e", 0700);
	bad |= mkdirat(treefd, "c", 0700) | mkdirat(treefd, "c/t", 0700);
	bad |= tree_file("f") | tree_file("d/g");
	for (i = 0; i < (int)(sizeof(links) / sizeof(links[0])); i++)
		bad |= symlinkat(links[i][0], treefd, links[i][1]);
	snprintf(abs, sizeof(abs), "%s/d/e", tree);
	bad |= symlinkat(abs, treefd, "labs");
	for (i = 0; i <= PATH_MAXSYMLINKS; i++) {
		snprintf(name, sizeof(name), "c/l%d", i);
		if (i == PATH_MAXSYMLINKS)
			snprintf(target, sizeof(target), "t");
		else
			snprintf(target, sizeof(target), "l%d", i + 1);
		bad |= symlinkat(target, treefd, name);
	}
	return bad ? -1 : 0;
}

/* The path an fd the kernel opened refers to. */
static void fd_path(int fd, char *buf)
{
	char proc[64];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, buf, PATH_MAX - 1);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
}

static bool have_openat2 = true;

/* The kernel's walk from the tree: 0 and the path it reached, or -errno;
 * 1 when it cannot say (no openat2). */
static int kernel(const char *path, int flags, char *buf)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC };
	long fd;

	if (flags & PATH_NOFOLLOW)
		how.flags |= O_NOFOLLOW;
	if (flags & PATH_DIRECTORY)
		how.flags |= O_DIRECTORY;
	if (flags & PATH_BENEATH)
		how.resolve |= RESOLVE_BENEATH;
	if (flags & PATH_IN_ROOT)
		how.resolve |= RESOLVE_IN_ROOT;
	if (flags & PATH_NO_SYMLINKS)
		how.resolve |= RESOLVE_NO_SYMLINKS;
	if (!how.resolve) {
		fd = openat(treefd, path, (int)how.flags);
	} else {
		fd = syscall(SYS_openat2, treefd, path, &how, sizeof(how));
		if (fd < 0 && (errno == ENOSYS || errno == EPERM)) {
			have_openat2 = false;
			return 1;
		}
	}
	if (fd < 0)
		return -errno;
	fd_path((int)fd, buf);
	close((int)fd);
	return 0;
}

static int walker(const char *path, int flags, char *buf, mode_t *mode)
{
	return path_resolve("/", tree, path, flags, &real_ops, NULL, buf,
			    PATH_MAX, mode);
}

static void compare(const char *path, int flags)
{
	char want[PATH_MAX], got[PATH_MAX];
	int k = kernel(path, flags, want);
	int r = walker(path, flags, got, NULL);

	if (k == 1)
		return;
	ck_assert_msg(k == r && (k < 0 || strcmp(want, got) == 0),
		      "\"%s\" flags %#x: kernel %d %s, walker %d %s", path,
		      flags, k, k ? "" : want, r, r ? "" : got);
}

/* Paths relative to the tree; the same with the tree's path in front are
 * tried too. */
static const char *const real_paths[] = {
	"", ".", "..", "../..", "d", "d/", "d//e///", "d/./e/.", "d/..",
	"d/../f", "f", "f/", "f/.", "f/..", "f/x", "nope", "nope/", "nope/x",
	"ld", "ld/", "ld/e", "ld/..", "lf", "lf/", "labs", "labs/..", "d/up",
	"d/up/f", "d/lup", "d/lup/", "loop1", "loop1/", "loop1/x", "dang",
	"dang/", "dangdir", "lds", "lds/", "lds/e", "lfs", "lfs/", "lroot",
	"lroot/..", "lself", "lself/d", "chain/e", "chain/", "d/e/deep",
	"d/e/deep/..", "c/l1", "c/l1/", "c/l0", "c/l0/", "c/t/../l1",
	"c/l40/../l1",
};

static void compare_all(int flags)
{
	char path[PATH_MAX + 8];
	size_t i;

	for (i = 0; i < sizeof(real_paths) / sizeof(real_paths[0]); i++) {
		compare(real_paths[i], flags);
		snprintf(path, sizeof(path), "%s/%s", tree, real_paths[i]);
		compare(path, flags);
		snprintf(path, sizeof(path), "/../..%s//%s", tree,
			 real_paths[i]);
		compare(path, flags);
	}
	memset(path, 'x', NAME_MAX + 1);
	path[NAME_MAX + 1] = '\0';
	compare(path, flags);
	snprintf(path, sizeof(path), "d/%0*d", NAME_MAX + 1, 0);
	compare(path, flags);
	snprintf(path, sizeof(path), "f/%0*d", NAME_MAX + 1, 0);
	compare(path, flags);
	snprintf(path, sizeof(path), "nope/%0*d", NAME_MAX + 1, 0);
	compare(path, flags);
}

START_TEST(kernel_lookup)
{
	static const int flags[] = {
		0,
		PATH_NOFOLLOW,
		PATH_DIRECTORY,
		PATH_NOFOLLOW | PATH_DIRECTORY,
		PATH_BENEATH,
		PATH_BENEATH | PATH_NOFOLLOW,
		PATH_IN_ROOT,
		PATH_IN_ROOT | PATH_NOFOLLOW | PATH_DIRECTORY,
		PATH_NO_SYMLINKS,
		PATH_NO_SYMLINKS | PATH_NOFOLLOW,
	};
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		compare_all(flags[i]);
	if (!have_openat2)
		fprintf(stderr, "check_path: no openat2, RESOLVE_* not "
				"compared with the kernel\n");
}
END_TEST

/* What a creating call says, from the walk: the walker's error, or -EEXIST
 * for an existing object, or 0. */
static int created(const char *path, int flags, char *got, mode_t *mode)
{
	int r = walker(path, flags, got, mode);

	if (r < 0)
		return r;
	return *mode ? -EEXIST : 0;
}

/* mkdir, symlink: the walker's answer, then the kernel's. */
static void compare_new(const char *path, bool dir)
{
	char got[PATH_MAX];
	struct stat st;
	mode_t m = 0;
	int w = created(path, dir ? PATH_NEW | PATH_DIRECTORY : PATH_NEW, got,
			&m);
	int k = dir ? mkdirat(treefd, path, 0700) :
		      symlinkat("x", treefd, path);

	k = k < 0 ? -errno : 0;
	ck_assert_msg(k == w, "%s \"%s\": kernel %d, walker %d %s",
		      dir ? "mkdir" : "symlink", path, k, w, w ? "" : got);
	if (k < 0)
		return;
	ck_assert_int_eq(lstat(got, &st), 0);
	ck_assert(dir ? S_ISDIR(st.st_mode) : S_ISLNK(st.st_mode));
	ck_assert_int_eq(remove(got), 0);
}

/* open(O_CREAT), with or without O_EXCL. */
static void compare_creat(const char *path, bool excl)
{
	char got[PATH_MAX], want[PATH_MAX];
	int flags = PATH_OPEN_CREAT | (excl ? PATH_NOFOLLOW : 0);
	mode_t m = 0;
	int w = walker(path, flags, got, &m);
	int fd = openat(treefd, path,
			O_CREAT | O_WRONLY | O_CLOEXEC | (excl ? O_EXCL : 0),
			0600);
	int k = fd < 0 ? -errno : 0;

	if (fd >= 0) {
		fd_path(fd, want);
		close(fd);
	}
	/* what open makes of an existing object is its own business */
	if (w == 0 && m && excl)
		w = -EEXIST;
	else if (w == 0 && S_ISDIR(m))
		w = -EISDIR;
	ck_assert_msg(k == w && (k < 0 || strcmp(want, got) == 0),
		      "open(O_CREAT%s) \"%s\": kernel %d %s, walker %d %s",
		      excl ? "|O_EXCL" : "", path, k, k ? "" : want, w,
		      w ? "" : got);
	if (k == 0 && m == 0)
		ck_assert_int_eq(unlink(got), 0);
}

static const char *const new_paths[] = {
	"new", "new/", "new//", "d/new", "d/new/", "ld/new", "ld/new/", "f",
	"f/", "d", "d/", "ld", "ld/", "lf", "lf/", "dang", "dang/", "dangdir",
	"nope/new", "f/new", ".", "..", "d/..", "d/.", "lroot", "lds", "lfs",
	"loop1", "loop1/", "loop1/new", "lself/new", "d/up/new",
};

START_TEST(kernel_create)
{
	char path[PATH_MAX + 8];
	size_t i;

	for (i = 0; i < sizeof(new_paths) / sizeof(new_paths[0]); i++) {
		compare_new(new_paths[i], true);
		compare_new(new_paths[i], false);
		compare_creat(new_paths[i], false);
		compare_creat(new_paths[i], true);
		snprintf(path, sizeof(path), "%s/%s", tree, new_paths[i]);
		compare_new(path, true);
		compare_creat(path, false);
	}
	memset(path, 'x', NAME_MAX + 1);
	path[NAME_MAX + 1] = '\0';
	compare_new(path, true);
	compare_creat(path, false);
}
END_TEST

static void add(TCase *tc)
{
	tcase_add_test(tc, absolute_and_relative);
	tcase_add_test(tc, dot_and_dotdot);
	tcase_add_test(tc, slashes);
	tcase_add_test(tc, symlinks);
	tcase_add_test(tc, loops_and_limit);
	tcase_add_test(tc, nofollow);
	tcase_add_test(tc, create);
	tcase_add_test(tc, open_creat);
	tcase_add_test(tc, new_object);
	tcase_add_test(tc, directory);
	tcase_add_test(tc, chroot_root);
	tcase_add_test(tc, beneath);
	tcase_add_test(tc, in_root);
	tcase_add_test(tc, no_symlinks);
	tcase_add_test(tc, empty_path);
	tcase_add_test(tc, name_too_long);
	tcase_add_test(tc, lstat_each_prefix);
	tcase_add_test(tc, kernel_lookup);
	tcase_add_test(tc, kernel_create);
}

int main(void)
{
	int ret;

	if (tree_build() < 0) {
		perror("check_path: cannot build a tree in /tmp");
		tree_remove();
		return EXIT_FAILURE;
	}
	ret = unit_run("path", add, NULL);
	tree_remove();
	return ret;
}
