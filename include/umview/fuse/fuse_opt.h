/* umfuse: the option parser of libfuse 3 (fuse_opt_parse and helpers).
 *
 * An option template ("templ") is matched against each argument, and
 * against each comma-separated item of "-o" arguments:
 *   "-x" or "foo"    matches exactly;
 *   "foo="           matches "foo=" followed by anything;
 *   "foo=%FMT"       matches "foo=VALUE" and stores sscanf(VALUE, FMT)
 *                    at data + offset ("%s" stores a strdup'ed char *);
 *   "-x %FMT"        matches "-xVALUE" or "-x" followed by the argument
 *                    VALUE.
 * A template without a format stores value (an int) at data + offset.
 * FUSE_OPT_KEY(templ, key) instead calls the processing function with key.
 * Every template that matches acts, in order. */
#ifndef UMFUSE_FUSE_OPT_H
#define UMFUSE_FUSE_OPT_H

#ifdef __cplusplus
extern "C" {
#endif

struct fuse_opt {
	const char *templ;    /* the template, see above */
	unsigned long offset; /* where in data, or -1U for a key */
	int value;            /* stored value, or the key */
};

/* An option that calls the processing function with key. */
#define FUSE_OPT_KEY(templ, key) { templ, -1U, key }
/* Terminates an option list. */
#define FUSE_OPT_END { NULL, 0, 0 }

/* An argument vector.  allocated is set once the library owns argv (and
 * every string in it): fuse_opt_free_args then frees them. */
struct fuse_args {
	int argc;
	char **argv;
	int allocated;
};

#define FUSE_ARGS_INIT(argc, argv) { argc, argv, 0 }

/* Keys the processing function receives besides the FUSE_OPT_KEY ones. */
#define FUSE_OPT_KEY_OPT -1    /* an option that matched no template */
#define FUSE_OPT_KEY_NONOPT -2 /* an argument that is not an option */
/* Keys for templates: keep / discard the argument without a call. */
#define FUSE_OPT_KEY_KEEP -3
#define FUSE_OPT_KEY_DISCARD -4

/*
 * The processing function: arg is the option ("-x", "-xVALUE", "foo=bar"
 * for an item of -o) or non-option argument.  Return -1 for an error, 0
 * to discard the argument, 1 to keep it in the output arguments.  It may
 * add arguments to outargs itself.
 */
typedef int (*fuse_opt_proc_t)(void *data, const char *arg, int key,
			       struct fuse_args *outargs);

/*
 * Parse args against opts, storing into data and calling proc (which may
 * be NULL: unmatched arguments are then kept).  On success args is
 * replaced by the kept arguments: argv[0], then "-o" with the kept -o
 * items (if any), then the other kept arguments in order.  Arguments after
 * "--" are non-options.  Returns 0, or -1 with a message on stderr and
 * args unchanged.
 */
int fuse_opt_parse(struct fuse_args *args, void *data,
		   const struct fuse_opt opts[], fuse_opt_proc_t proc);

/* Append opt to the comma-separated list *opts (allocating it).  0 or -1. */
int fuse_opt_add_opt(char **opts, const char *opt);
/* The same, with ',' and '\' in opt escaped by a backslash. */
int fuse_opt_add_opt_escaped(char **opts, const char *opt);
/* Append a copy of arg to args.  0 or -1. */
int fuse_opt_add_arg(struct fuse_args *args, const char *arg);
/* Insert a copy of arg at position pos (0 <= pos <= argc).  0 or -1. */
int fuse_opt_insert_arg(struct fuse_args *args, int pos, const char *arg);
/* Free an allocated argument vector and reset it to empty. */
void fuse_opt_free_args(struct fuse_args *args);
/* 1 if some template of opts matches opt, else 0. */
int fuse_opt_match(const struct fuse_opt opts[], const char *opt);

#ifdef __cplusplus
}
#endif
#endif /* UMFUSE_FUSE_OPT_H */
