/* Unit tests of libumfuse's option parser (fuse_opt.h) against libfuse's
 * documented semantics.  The suite is plain libfuse API: built against
 * Debian's libfuse3 (-I/usr/include/fuse3 -lfuse3) it passes too. */
#include <check.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuse_opt.h"
#include "unit.h"

struct data {
	int flag;
	int num;
	int port;
	int set_uid;
	unsigned int uid;
	char *name;
	int keep_flag;
};

#define D(t, m, v) { t, offsetof(struct data, m), v }

enum { KEY_KEEP_ME = 1, KEY_DROP_ME, KEY_FAIL };

static const struct fuse_opt spec[] = {
	D("-f", flag, 1),
	D("--name=%s", name, 0),
	D("num=%d", num, 0),
	D("-p %d", port, 0),
	D("uid=", set_uid, 1),
	D("uid=%u", uid, 0),
	FUSE_OPT_KEY("keepme", KEY_KEEP_ME),
	FUSE_OPT_KEY("dropme", KEY_DROP_ME),
	FUSE_OPT_KEY("failme", KEY_FAIL),
	FUSE_OPT_KEY("-k", FUSE_OPT_KEY_KEEP),
	FUSE_OPT_KEY("-x", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_END
};

/* What the processing function saw, as "key:arg " items. */
static char seen[1024];

static int proc(void *data, const char *arg, int key,
		struct fuse_args *outargs)
{
	size_t n = strlen(seen);

	snprintf(seen + n, sizeof(seen) - n, "%d:%s ", key, arg);
	switch (key) {
	case KEY_KEEP_ME:
		return 1;
	case KEY_DROP_ME:
		return 0;
	case KEY_FAIL:
		return -1;
	case FUSE_OPT_KEY_NONOPT:
		return strcmp(arg, "drop-nonopt") ? 1 : 0;
	default: /* unknown options are kept */
		return 1;
	}
}

/* Parse argv (NULL-terminated), return fuse_opt_parse's result and the
 * output arguments joined by '|'. */
static int parse(const char **argv, struct data *d, fuse_opt_proc_t p,
		 char *out, size_t outlen)
{
	struct fuse_args args = FUSE_ARGS_INIT(0, (char **)argv);
	int i, res;

	while (argv[args.argc])
		args.argc++;
	seen[0] = '\0';
	res = fuse_opt_parse(&args, d, spec, p);
	out[0] = '\0';
	for (i = 0; i < args.argc; i++) {
		strncat(out, args.argv[i], outlen - strlen(out) - 1);
		if (i + 1 < args.argc)
			strncat(out, "|", outlen - strlen(out) - 1);
	}
	ck_assert(args.argv[args.argc] == NULL || !args.allocated);
	if (args.allocated)
		fuse_opt_free_args(&args);
	return res;
}

START_TEST(values_and_flags)
{
	const char *argv[] = { "prog", "-f", "--name=abc", "-o", "num=42",
			       "-p", "8080", "mnt", NULL };
	struct data d = { 0 };
	char out[512];

	ck_assert_int_eq(parse(argv, &d, NULL, out, sizeof(out)), 0);
	ck_assert_int_eq(d.flag, 1);
	ck_assert_str_eq(d.name, "abc");
	ck_assert_int_eq(d.num, 42);
	ck_assert_int_eq(d.port, 8080);
	/* matched options are consumed; without proc the rest is kept */
	ck_assert_str_eq(out, "prog|mnt");
	free(d.name);
}
END_TEST

START_TEST(attached_separate_value)
{
	const char *argv[] = { "prog", "-p99", NULL };
	struct data d = { 0 };
	char out[512];

	ck_assert_int_eq(parse(argv, &d, NULL, out, sizeof(out)), 0);
	ck_assert_int_eq(d.port, 99);
	ck_assert_str_eq(out, "prog");
}
END_TEST

START_TEST(every_matching_template_acts)
{
	const char *argv[] = { "prog", "-ouid=1234", NULL };
	struct data d = { 0 };
	char out[512];

	ck_assert_int_eq(parse(argv, &d, NULL, out, sizeof(out)), 0);
	ck_assert_int_eq(d.set_uid, 1);
	ck_assert_uint_eq(d.uid, 1234);
}
END_TEST

START_TEST(kept_o_items_gathered_first)
{
	const char *argv[] = { "prog", "mnt", "-o", "ro,num=7", "-o",
			       "allow_other", "-z", NULL };
	struct data d = { 0 };
	char out[512];

	ck_assert_int_eq(parse(argv, &d, proc, out, sizeof(out)), 0);
	ck_assert_int_eq(d.num, 7);
	/* unknown -o items are passed to proc one by one as
	 * FUSE_OPT_KEY_OPT, and the kept ones come back as one "-o" list
	 * right after argv[0] */
	ck_assert_str_eq(seen, "-2:mnt -1:ro -1:allow_other -1:-z ");
	ck_assert_str_eq(out, "prog|-o|ro,allow_other|mnt|-z");
}
END_TEST

START_TEST(keys_keep_drop_and_special)
{
	const char *argv[] = { "prog", "-o", "keepme,dropme", "-k", "-x",
			       "drop-nonopt", "stay", NULL };
	struct data d = { 0 };
	char out[512];

	ck_assert_int_eq(parse(argv, &d, proc, out, sizeof(out)), 0);
	/* KEEP and DISCARD never reach proc */
	ck_assert_str_eq(seen, "1:keepme 2:dropme -2:drop-nonopt -2:stay ");
	ck_assert_str_eq(out, "prog|-o|keepme|-k|stay");
}
END_TEST

START_TEST(escaped_commas)
{
	const char *argv[] = { "prog", "-o", "a\\,b,c\\\\d,num=3", NULL };
	struct data d = { 0 };
	char out[512];

	ck_assert_int_eq(parse(argv, &d, proc, out, sizeof(out)), 0);
	ck_assert_str_eq(seen, "-1:a,b -1:c\\d ");
	ck_assert_int_eq(d.num, 3);
	/* kept items are escaped again */
	ck_assert_str_eq(out, "prog|-o|a\\,b,c\\\\d");
}
END_TEST

START_TEST(double_dash)
{
	const char *argv[] = { "prog", "--", "-f", "x", NULL };
	const char *argv2[] = { "prog", "-f", "--", NULL };
	struct data d = { 0 };
	char out[512];

	ck_assert_int_eq(parse(argv, &d, proc, out, sizeof(out)), 0);
	/* after "--" everything is a non-option */
	ck_assert_int_eq(d.flag, 0);
	ck_assert_str_eq(seen, "-2:-f -2:x ");
	ck_assert_str_eq(out, "prog|--|-f|x");
	/* a "--" with nothing after it is dropped */
	ck_assert_int_eq(parse(argv2, &d, proc, out, sizeof(out)), 0);
	ck_assert_int_eq(d.flag, 1);
	ck_assert_str_eq(out, "prog");
}
END_TEST

START_TEST(errors_leave_args_alone)
{
	const char *fail[] = { "prog", "-o", "failme", NULL };
	const char *missing[] = { "prog", "-o", NULL };
	const char *missing_sep[] = { "prog", "-p", NULL };
	const char *bad_num[] = { "prog", "-o", "num=abc", NULL };
	struct data d = { 0 };
	char out[512];

	ck_assert_int_eq(parse(fail, &d, proc, out, sizeof(out)), -1);
	ck_assert_str_eq(out, "prog|-o|failme");
	ck_assert_int_eq(parse(missing, &d, proc, out, sizeof(out)), -1);
	ck_assert_int_eq(parse(missing_sep, &d, proc, out, sizeof(out)), -1);
	ck_assert_int_eq(parse(bad_num, &d, proc, out, sizeof(out)), -1);
	ck_assert_str_eq(out, "prog|-o|num=abc");
}
END_TEST

START_TEST(string_value_replaced)
{
	const char *argv[] = { "prog", "--name=one", "--name=two", NULL };
	struct data d = { 0 };
	char out[512];

	d.name = strdup("zero"); /* freed by the parser when replaced */
	ck_assert_int_eq(parse(argv, &d, NULL, out, sizeof(out)), 0);
	ck_assert_str_eq(d.name, "two");
	free(d.name);
}
END_TEST

START_TEST(arg_helpers)
{
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);

	ck_assert_int_eq(fuse_opt_add_arg(&args, "prog"), 0);
	ck_assert_int_eq(fuse_opt_add_arg(&args, "a"), 0);
	ck_assert_int_eq(fuse_opt_add_arg(&args, "b"), 0);
	ck_assert_int_eq(args.allocated, 1);
	ck_assert_int_eq(fuse_opt_insert_arg(&args, 1, "first"), 0);
	ck_assert_int_eq(args.argc, 4);
	ck_assert_str_eq(args.argv[0], "prog");
	ck_assert_str_eq(args.argv[1], "first");
	ck_assert_str_eq(args.argv[2], "a");
	ck_assert_str_eq(args.argv[3], "b");
	ck_assert_ptr_null(args.argv[4]);
	fuse_opt_free_args(&args);
	ck_assert_int_eq(args.argc, 0);
	ck_assert_ptr_null(args.argv);
	ck_assert_int_eq(args.allocated, 0);
}
END_TEST

START_TEST(opt_helpers)
{
	char *opts = NULL;

	ck_assert_int_eq(fuse_opt_add_opt(&opts, "ro"), 0);
	ck_assert_int_eq(fuse_opt_add_opt(&opts, "a,b"), 0);
	ck_assert_str_eq(opts, "ro,a,b");
	ck_assert_int_eq(fuse_opt_add_opt_escaped(&opts, "c,d\\e"), 0);
	ck_assert_str_eq(opts, "ro,a,b,c\\,d\\\\e");
	free(opts);
	ck_assert_int_eq(fuse_opt_match(spec, "-f"), 1);
	ck_assert_int_eq(fuse_opt_match(spec, "num=5"), 1);
	ck_assert_int_eq(fuse_opt_match(spec, "uid="), 1);
	ck_assert_int_eq(fuse_opt_match(spec, "num"), 0);
	ck_assert_int_eq(fuse_opt_match(spec, "-g"), 0);
}
END_TEST

static void add(TCase *tc)
{
	tcase_add_test(tc, values_and_flags);
	tcase_add_test(tc, attached_separate_value);
	tcase_add_test(tc, every_matching_template_acts);
	tcase_add_test(tc, kept_o_items_gathered_first);
	tcase_add_test(tc, keys_keep_drop_and_special);
	tcase_add_test(tc, escaped_commas);
	tcase_add_test(tc, double_dash);
	tcase_add_test(tc, errors_leave_args_alone);
	tcase_add_test(tc, string_value_replaced);
	tcase_add_test(tc, arg_helpers);
	tcase_add_test(tc, opt_helpers);
}

int main(void)
{
	return unit_run("fuse_opt", add, NULL);
}
