/* umfuse: fuse_opt_parse and the argument-vector helpers (fuse_opt.h),
 * written from libfuse's documented semantics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuse_opt.h"

/* The state of one fuse_opt_parse. */
struct opt_ctx {
	void *data;
	const struct fuse_opt *opts;
	fuse_opt_proc_t proc;
	int argctr;
	int argc;
	char **argv;
	struct fuse_args outargs;
	char *opts_kept; /* the -o items to keep, comma-separated */
	int nonopt;      /* outargs index of a kept "--", 0 for none */
};

static int alloc_failed(void)
{
	fprintf(stderr, "fuse: memory allocation failed\n");
	return -1;
}

void fuse_opt_free_args(struct fuse_args *args)
{
	int i;

	if (!args)
		return;
	if (args->argv && args->allocated) {
		for (i = 0; i < args->argc; i++)
			free(args->argv[i]);
		free(args->argv);
	}
	args->argc = 0;
	args->argv = NULL;
	args->allocated = 0;
}

/* Make args own its vector and strings, so that it can grow. */
static int own_args(struct fuse_args *args)
{
	char **v;
	int i;

	if (args->allocated || !args->argv)
		return 0;
	v = calloc(args->argc + 1, sizeof(*v));
	if (!v)
		return -1;
	for (i = 0; i < args->argc; i++) {
		v[i] = strdup(args->argv[i]);
		if (!v[i]) {
			while (i-- > 0)
				free(v[i]);
			free(v);
			return -1;
		}
	}
	args->argv = v;
	args->allocated = 1;
	return 0;
}

int fuse_opt_insert_arg(struct fuse_args *args, int pos, const char *arg)
{
	char **v, *copy;

	if (!args || !arg || pos < 0 || pos > args->argc)
		return -1;
	if (own_args(args) < 0)
		return alloc_failed();
	copy = strdup(arg);
	if (!copy)
		return alloc_failed();
	v = realloc(args->argv, (args->argc + 2) * sizeof(*v));
	if (!v) {
		free(copy);
		return alloc_failed();
	}
	memmove(&v[pos + 1], &v[pos], (args->argc - pos) * sizeof(*v));
	v[pos] = copy;
	args->argv = v;
	args->argc++;
	args->argv[args->argc] = NULL;
	args->allocated = 1;
	return 0;
}

int fuse_opt_add_arg(struct fuse_args *args, const char *arg)
{
	return fuse_opt_insert_arg(args, args ? args->argc : 0, arg);
}

static int add_opt_common(char **opts, const char *opt, int esc)
{
	size_t oldlen = *opts ? strlen(*opts) : 0;
	char *d = realloc(*opts, oldlen + 1 + 2 * strlen(opt) + 1);

	if (!d)
		return alloc_failed();
	*opts = d;
	if (oldlen)
		d[oldlen++] = ',';
	d += oldlen;
	for (; *opt; opt++) {
		if (esc && (*opt == ',' || *opt == '\\'))
			*d++ = '\\';
		*d++ = *opt;
	}
	*d = '\0';
	return 0;
}

int fuse_opt_add_opt(char **opts, const char *opt)
{
	return add_opt_common(opts, opt, 0);
}

int fuse_opt_add_opt_escaped(char **opts, const char *opt)
{
	return add_opt_common(opts, opt, 1);
}

/*
 * Does template t match arg?  *sepp is set to the position of the
 * separator ('=' or ' ') for templates that take a value, 0 otherwise.
 */
static int match_templ(const char *t, const char *arg, unsigned *sepp)
{
	const char *sep = strchr(t, '=');
	size_t tlen;

	if (!sep)
		sep = strchr(t, ' ');
	if (sep && (!sep[1] || sep[1] == '%')) {
		tlen = sep - t;
		if (*sep == '=')
			tlen++; /* the '=' must be in arg too */
		if (strlen(arg) >= tlen && strncmp(arg, t, tlen) == 0) {
			*sepp = sep - t;
			return 1;
		}
	}
	if (strcmp(t, arg) == 0) {
		*sepp = 0;
		return 1;
	}
	return 0;
}

static const struct fuse_opt *find_opt(const struct fuse_opt *opt,
				       const char *arg, unsigned *sepp)
{
	for (; opt && opt->templ; opt++)
		if (match_templ(opt->templ, arg, sepp))
			return opt;
	return NULL;
}

int fuse_opt_match(const struct fuse_opt opts[], const char *opt)
{
	unsigned sep;

	return find_opt(opts, opt, &sep) ? 1 : 0;
}

/* Keep arg: an item of -o goes to the kept list, others to outargs. */
static int keep(struct opt_ctx *ctx, const char *arg, int iso)
{
	if (iso)
		return fuse_opt_add_opt_escaped(&ctx->opts_kept, arg);
	return fuse_opt_add_arg(&ctx->outargs, arg);
}

static int call_proc(struct opt_ctx *ctx, const char *arg, int key, int iso)
{
	int res;

	if (key == FUSE_OPT_KEY_DISCARD)
		return 0;
	if (key != FUSE_OPT_KEY_KEEP && ctx->proc) {
		res = ctx->proc(ctx->data, arg, key, &ctx->outargs);
		if (res == -1 || !res)
			return res;
	}
	return keep(ctx, arg, iso);
}

/* Store the value of arg (after the separator) as format says. */
static int store_value(struct opt_ctx *ctx, const struct fuse_opt *opt,
		       unsigned sep, const char *arg)
{
	void *var = (char *)ctx->data + opt->offset;
	const char *param = arg + sep;
	const char *format = opt->templ + sep + 1;

	if (opt->templ[sep] == '=')
		param++;
	if (strcmp(format, "%s") == 0) {
		char *copy = strdup(param);

		if (!copy)
			return alloc_failed();
		free(*(char **)var);
		*(char **)var = copy;
		return 0;
	}
	if (sscanf(param, format, var) != 1) {
		fprintf(stderr, "fuse: invalid parameter in option `%s'\n",
			arg);
		return -1;
	}
	return 0;
}

static int process_opt(struct opt_ctx *ctx, const struct fuse_opt *opt,
		       unsigned sep, const char *arg, int iso)
{
	if (opt->offset == -1U)
		return call_proc(ctx, arg, opt->value, iso) == -1 ? -1 : 0;
	if (!ctx->data)
		return 0;
	if (sep && opt->templ[sep + 1])
		return store_value(ctx, opt, sep, arg);
	*(int *)((char *)ctx->data + opt->offset) = opt->value;
	return 0;
}

/* "-x VALUE" given as two arguments: process "-xVALUE". */
static int process_sep_arg(struct opt_ctx *ctx, const struct fuse_opt *opt,
			   unsigned sep, const char *arg, int iso)
{
	const char *param;
	char *joined;
	int res;

	if (ctx->argctr + 1 >= ctx->argc) {
		fprintf(stderr, "fuse: missing argument after `%s'\n", arg);
		return -1;
	}
	param = ctx->argv[++ctx->argctr];
	joined = malloc(sep + strlen(param) + 1);
	if (!joined)
		return alloc_failed();
	memcpy(joined, arg, sep);
	strcpy(joined + sep, param);
	res = process_opt(ctx, opt, sep, joined, iso);
	free(joined);
	return res;
}

/* One option (an argument, or an item of -o): every template acts. */
static int process_gopt(struct opt_ctx *ctx, const char *arg, int iso)
{
	unsigned sep;
	const struct fuse_opt *opt = find_opt(ctx->opts, arg, &sep);

	if (!opt)
		return call_proc(ctx, arg, FUSE_OPT_KEY_OPT, iso) == -1 ? -1
									: 0;
	for (; opt; opt = find_opt(opt + 1, arg, &sep)) {
		int res;

		if (sep && opt->templ[sep] == ' ' && !arg[sep])
			res = process_sep_arg(ctx, opt, sep, arg, iso);
		else
			res = process_opt(ctx, opt, sep, arg, iso);
		if (res == -1)
			return -1;
	}
	return 0;
}

/* The items of an -o list: split at unescaped commas, unescape. */
static int process_opt_list(struct opt_ctx *ctx, const char *list)
{
	char *copy = strdup(list), *s, *d, *item;
	int res = 0;

	if (!copy)
		return alloc_failed();
	s = d = item = copy;
	for (;; s++) {
		if (*s == '\\' && s[1]) {
			*d++ = *++s;
			continue;
		}
		if (*s == ',' || !*s) {
			int end = !*s;

			*d = '\0';
			if (*item && process_gopt(ctx, item, 1) == -1) {
				res = -1;
				break;
			}
			if (end)
				break;
			item = d = s + 1;
			continue;
		}
		*d++ = *s;
	}
	free(copy);
	return res;
}

static int process_one(struct opt_ctx *ctx, const char *arg)
{
	if (ctx->nonopt || arg[0] != '-')
		return call_proc(ctx, arg, FUSE_OPT_KEY_NONOPT, 0) == -1 ? -1
									 : 0;
	if (arg[1] == 'o') {
		if (arg[2])
			return process_opt_list(ctx, arg + 2);
		if (ctx->argctr + 1 >= ctx->argc) {
			fprintf(stderr, "fuse: missing argument after `%s'\n",
				arg);
			return -1;
		}
		return process_opt_list(ctx, ctx->argv[++ctx->argctr]);
	}
	if (strcmp(arg, "--") == 0) {
		if (fuse_opt_add_arg(&ctx->outargs, arg) == -1)
			return -1;
		ctx->nonopt = ctx->outargs.argc;
		return 0;
	}
	return process_gopt(ctx, arg, 0);
}

static int opt_parse(struct opt_ctx *ctx)
{
	if (ctx->argc > 0 && fuse_opt_add_arg(&ctx->outargs, ctx->argv[0]) < 0)
		return -1;
	for (ctx->argctr = 1; ctx->argctr < ctx->argc; ctx->argctr++)
		if (process_one(ctx, ctx->argv[ctx->argctr]) == -1)
			return -1;
	if (ctx->opts_kept) {
		if (fuse_opt_insert_arg(&ctx->outargs, 1, "-o") == -1 ||
		    fuse_opt_insert_arg(&ctx->outargs, 2, ctx->opts_kept) == -1)
			return -1;
		if (ctx->nonopt)
			ctx->nonopt += 2;
	}
	/* A "--" with nothing after it is dropped. */
	if (ctx->nonopt && ctx->nonopt == ctx->outargs.argc) {
		free(ctx->outargs.argv[--ctx->outargs.argc]);
		ctx->outargs.argv[ctx->outargs.argc] = NULL;
	}
	return 0;
}

int fuse_opt_parse(struct fuse_args *args, void *data,
		   const struct fuse_opt opts[], fuse_opt_proc_t proc)
{
	struct opt_ctx ctx = {
		.data = data,
		.opts = opts,
		.proc = proc,
	};
	int res;

	if (!args || !args->argv || !args->argc)
		return 0;
	ctx.argc = args->argc;
	ctx.argv = args->argv;
	res = opt_parse(&ctx);
	if (res != -1) {
		struct fuse_args tmp = *args;

		*args = ctx.outargs;
		ctx.outargs = tmp;
	}
	free(ctx.opts_kept);
	fuse_opt_free_args(&ctx.outargs);
	return res;
}
