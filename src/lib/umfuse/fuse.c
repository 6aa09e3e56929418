/* umfuse: the high-level life cycle of a FUSE file system under umview:
 * fuse_main, fuse_new, fuse_mount, fuse_loop, fuse_exit, fuse_destroy, the
 * caller's context and the command-line helpers.  The loop does not read
 * /dev/fuse: it hands the mount to the umfuse module (umfuse_priv.h) and
 * waits until umount or fuse_exit. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "umfuse_priv.h"

#define UMFUSE_PKGVERSION "3.14 (umfuse " PACKAGE_VERSION ")"

static __thread struct umfuse_start *cur_start;
static __thread struct fuse_context ctx;
static __thread bool ctx_lazy;  /* /proc not read yet */
static __thread bool ctx_umask; /* the operation creates: umask wanted */

/* --- the caller's context --- */

void umfuse_set_start(struct umfuse_start *start)
{
	cur_start = start;
}

/* The value of a "Name:\t..." line of /proc/PID/status, or NULL. */
static const char *status_field(const char *buf, const char *name)
{
	size_t n = strlen(name);
	const char *p = buf;

	while (p && *p) {
		if (strncmp(p, name, n) == 0 && p[n] == ':')
			return p + n + 1;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static int read_status(pid_t pid, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	buf[n] = '\0';
	return 0;
}

/*
 * Can processes of other users be in the view?  Only if umview may change
 * credentials (root, CAP_SETUID or CAP_SETGID): otherwise every caller has
 * umview's own uid, gid and groups, and /proc need not be read for them.
 */
static bool privileged;
static pthread_once_t privileged_once = PTHREAD_ONCE_INIT;

static void check_privileged(void)
{
	unsigned long long cap = 0;
	char buf[4096];
	const char *v;

	privileged = geteuid() == 0 || getegid() == 0;
	if (!privileged && read_status(getpid(), buf, sizeof(buf)) == 0 &&
	    (v = status_field(buf, "CapEff")) && sscanf(v, "%llx", &cap) == 1)
		privileged = cap & ((1ULL << 6) | (1ULL << 7)); /* SETGID/UID */
}

static umfuse_cred_fn *cred_source;

void umfuse_set_cred_source(umfuse_cred_fn *fn)
{
	cred_source = fn;
}

void umfuse_ctx_begin(struct fuse *f, pid_t pid)
{
	pthread_once(&privileged_once, check_privileged);
	ctx.fuse = f;
	ctx.pid = pid;
	ctx.private_data = f ? f->private_data : NULL;
	ctx.uid = geteuid();
	ctx.gid = getegid();
	ctx.umask = 0;
	ctx_lazy = pid > 0 && privileged;
	ctx_umask = false;
}

void umfuse_ctx_umask(void)
{
	if (ctx.pid > 0)
		ctx_lazy = ctx_umask = true;
}

struct fuse_context *fuse_get_context(void)
{
	uid_t uid;
	gid_t gid;
	mode_t umask;

	if (ctx_lazy) {
		ctx_lazy = false;
		if (cred_source &&
		    cred_source(ctx.pid, &uid, &gid, &umask) == 0) {
			if (privileged) {
				ctx.uid = uid;
				ctx.gid = gid;
			}
			if (ctx_umask)
				ctx.umask = umask;
		}
	}
	return &ctx;
}

/* The caller's groups: umview's own in an unprivileged view. */
static int own_groups(int size, gid_t list[])
{
	int n = getgroups(0, NULL);
	gid_t *all;

	if (n < 0 || size <= 0)
		return n < 0 ? -errno : n;
	if (size >= n)
		return getgroups(size, list) < 0 ? -errno : n;
	all = calloc(n, sizeof(*all));
	if (!all)
		return -ENOMEM;
	n = getgroups(n, all);
	if (n > 0)
		memcpy(list, all, size * sizeof(*all));
	free(all);
	return n < 0 ? -errno : n;
}

int fuse_getgroups(int size, gid_t list[])
{
	char buf[4096];
	const char *v;
	int n = 0, err;

	if (!ctx.pid)
		return -EINVAL;
	if (!privileged)
		return own_groups(size, list);
	err = read_status(ctx.pid, buf, sizeof(buf));
	if (err < 0)
		return err;
	v = status_field(buf, "Groups");
	while (v && *v && *v != '\n') {
		char *end;
		unsigned long g = strtoul(v, &end, 10);

		if (end == v)
			break;
		if (n < size)
			list[n] = g;
		n++;
		v = end;
		while (*v == ' ' || *v == '\t')
			v++;
	}
	return n;
}

int fuse_interrupted(void)
{
	return 0;
}

/* --- options of the library and of the mount --- */

struct new_opts {
	struct fuse_config conf;
	struct umfuse_mount_opts mo;
};

#define CONF(t, m, v) { t, offsetof(struct new_opts, conf.m), v }
#define MO(t, m, v) { t, offsetof(struct new_opts, mo.m), v }
#define IGNORED(t) FUSE_OPT_KEY(t, FUSE_OPT_KEY_DISCARD)

static const struct fuse_opt new_opt_spec[] = {
	CONF("-h", show_help, 1),
	CONF("--help", show_help, 1),
	CONF("-d", debug, 1),
	CONF("debug", debug, 1),
	CONF("kernel_cache", kernel_cache, 1),
	CONF("auto_cache", auto_cache, 1),
	CONF("noauto_cache", auto_cache, 0),
	CONF("umask=", set_mode, 1),
	CONF("umask=%o", umask, 0),
	CONF("uid=", set_uid, 1),
	CONF("uid=%u", uid, 0),
	CONF("gid=", set_gid, 1),
	CONF("gid=%u", gid, 0),
	CONF("entry_timeout=%lf", entry_timeout, 0),
	CONF("attr_timeout=%lf", attr_timeout, 0),
	CONF("ac_attr_timeout=%lf", ac_attr_timeout, 0),
	CONF("ac_attr_timeout=", ac_attr_timeout_set, 1),
	CONF("negative_timeout=%lf", negative_timeout, 0),
	CONF("noforget", remember, -1),
	CONF("remember=%u", remember, 0),
	CONF("modules=%s", modules, 0),
	CONF("use_ino", use_ino, 1),
	CONF("readdir_ino", readdir_ino, 1),
	CONF("direct_io", direct_io, 1),
	CONF("hard_remove", hard_remove, 1),
	CONF("nullpath_ok", nullpath_ok, 1),
	CONF("intr", intr, 1),
	CONF("intr_signal=%d", intr_signal, 0),
	CONF("no_rofd_flush", no_rofd_flush, 1),
	MO("ro", ro, 1),
	MO("rw", ro, 0),
	MO("allow_other", allow_other, 1),
	MO("allow_root", allow_root, 1),
	MO("default_permissions", default_permissions, 1),
	MO("fsname=%s", fsname, 0),
	MO("subtype=%s", subtype, 0),
	/* Kernel tuning with no meaning here: accepted, as libfuse does. */
	IGNORED("auto_unmount"), IGNORED("nonempty"), IGNORED("blkdev"),
	IGNORED("blksize="), IGNORED("max_read="), IGNORED("max_write="),
	IGNORED("max_readahead="), IGNORED("max_background="),
	IGNORED("congestion_threshold="), IGNORED("async_read"),
	IGNORED("sync_read"), IGNORED("atomic_o_trunc"),
	IGNORED("big_writes"), IGNORED("no_remote_lock"),
	IGNORED("dev"), IGNORED("nodev"), IGNORED("suid"), IGNORED("nosuid"),
	IGNORED("exec"), IGNORED("noexec"), IGNORED("atime"),
	IGNORED("noatime"), IGNORED("relatime"), IGNORED("norelatime"),
	IGNORED("strictatime"), IGNORED("sync"), IGNORED("async"),
	IGNORED("dirsync"), IGNORED("lazytime"), IGNORED("nolazytime"),
	IGNORED("user="), IGNORED("context="), IGNORED("fscontext="),
	IGNORED("defcontext="), IGNORED("rootcontext="),
	FUSE_OPT_END
};

static int new_opt_proc(void *data, const char *arg, int key,
			struct fuse_args *outargs)
{
	if (key == FUSE_OPT_KEY_NONOPT)
		fprintf(stderr, "fuse: unknown argument `%s'\n", arg);
	else
		fprintf(stderr, "fuse: unknown option `%s'\n", arg);
	return -1;
}

void fuse_lib_help(struct fuse_args *args)
{
	printf("    -o uid=N               owner of every file\n"
	       "    -o gid=N               group of every file\n"
	       "    -o umask=M             permissions of every file "
	       "(octal mask)\n"
	       "    -o use_ino             inode numbers from the file "
	       "system\n"
	       "    -o readdir_ino         the same, in readdir\n"
	       "    -o ro, rw              read-only (EROFS), read-write\n"
	       "    -o default_permissions permission checks by umfuse\n"
	       "    -o allow_other         let every user in the view in\n"
	       "    -o fsname=NAME         source shown in the mount table\n"
	       "    -o subtype=NAME        type shown as umfuse.NAME\n");
}

struct fuse *fuse_new_31(struct fuse_args *args,
			 const struct fuse_operations *op, size_t op_size,
			 void *private_data)
{
	struct new_opts o = { .conf = { .entry_timeout = 1.0,
					.attr_timeout = 1.0,
					.intr_signal = 10 } };
	struct fuse *f;

	if (fuse_opt_parse(args, &o, new_opt_spec, new_opt_proc) == -1)
		goto out_opts;
	if (o.conf.show_help) {
		fuse_lib_help(args);
		goto out_opts;
	}
	if (op_size > sizeof(struct fuse_operations))
		fprintf(stderr, "fuse: warning: the file system knows more "
				"operations than umfuse: some are ignored\n");
	f = calloc(1, sizeof(*f));
	if (!f) {
		fprintf(stderr, "fuse: cannot allocate memory\n");
		goto out_opts;
	}
	memcpy(&f->op, op,
	       op_size < sizeof(f->op) ? op_size : sizeof(f->op));
	f->private_data = private_data;
	f->conf = o.conf;
	f->mo = o.mo;
	f->se.f = f;
	f->start = cur_start;
	if (f->start) {
		pthread_mutex_lock(&f->start->lock);
		f->start->fuse = f;
		pthread_mutex_unlock(&f->start->lock);
	}
	return f;
out_opts:
	free(o.conf.modules);
	free(o.mo.fsname);
	free(o.mo.subtype);
	return NULL;
}

struct fuse *fuse_new_30(struct fuse_args *args,
			 const struct fuse_operations *op, size_t op_size,
			 void *private_data)
{
	return fuse_new_31(args, op, op_size, private_data);
}

int fuse_mount(struct fuse *f, const char *mountpoint)
{
	char *copy;

	if (!f || !mountpoint)
		return -1;
	copy = strdup(mountpoint);
	if (!copy)
		return -1;
	free(f->mountpoint);
	f->mountpoint = copy;
	return 0;
}

void fuse_unmount(struct fuse *f)
{
	/* The mount goes away with umount(2) or the end of fuse_loop. */
}

void fuse_destroy(struct fuse *f)
{
	if (!f)
		return;
	if (f->inited && f->op.destroy) {
		umfuse_ctx_begin(f, getpid());
		f->op.destroy(f->private_data);
	}
	if (f->start) {
		pthread_mutex_lock(&f->start->lock);
		if (f->start->fuse == f)
			f->start->fuse = NULL;
		pthread_mutex_unlock(&f->start->lock);
	}
	free(f->mountpoint);
	free(f->conf.modules);
	free(f->mo.fsname);
	free(f->mo.subtype);
	free(f);
}

/* --- the loop --- */

/* What umfuse can do, for init's fuse_conn_info. */
static void conn_init(struct fuse_conn_info *conn)
{
	memset(conn, 0, sizeof(*conn));
	conn->proto_major = 7;
	conn->proto_minor = 31;
	conn->max_write = 1 << 20;
	conn->max_read = 1 << 20;
	conn->max_readahead = 1 << 20;
	conn->capable = FUSE_CAP_ASYNC_READ | FUSE_CAP_ATOMIC_O_TRUNC |
			FUSE_CAP_EXPORT_SUPPORT | FUSE_CAP_IOCTL_DIR;
	conn->want = FUSE_CAP_ASYNC_READ;
	conn->max_background = 12;
	conn->congestion_threshold = 9;
	conn->time_gran = 1;
}

int fuse_loop(struct fuse *f)
{
	struct umfuse_start *s;

	if (!f)
		return -1;
	s = f->start;
	if (!s) {
		fprintf(stderr, "fuse: this file system was built against "
				"umfuse: it runs inside umview, mounted with "
				"'mount -t umfuseNAME'\n");
		return -1;
	}
	if (!f->mountpoint) {
		fprintf(stderr, "fuse: fuse_loop without fuse_mount\n");
		return -1;
	}
	if (!f->inited) {
		conn_init(&f->conn);
		umfuse_ctx_begin(f, getpid());
		if (f->op.init) {
			void *pd = f->op.init(&f->conn, &f->conf);

			f->private_data = pd;
		}
		f->inited = true;
	}
	/* Only umount ends the loop: a fuse_exit made from an operation
	 * would free the file system under the module's feet. */
	pthread_mutex_lock(&s->lock);
	s->fuse = f;
	s->state = UMFUSE_READY;
	pthread_cond_broadcast(&s->cond);
	while (!s->unmounting)
		pthread_cond_wait(&s->cond, &s->lock);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

int fuse_loop_mt_31(struct fuse *f, int clone_fd)
{
	return fuse_loop(f);
}

int fuse_loop_mt_32(struct fuse *f, struct fuse_loop_config *config)
{
	return fuse_loop(f);
}

void fuse_exit(struct fuse *f)
{
	if (f)
		f->exited = true;
}

struct fuse_session *fuse_get_session(struct fuse *f)
{
	return f ? &f->se : NULL;
}

int fuse_session_mount(struct fuse_session *se, const char *mountpoint)
{
	return se ? fuse_mount(se->f, mountpoint) : -1;
}

void fuse_session_unmount(struct fuse_session *se)
{
}

int fuse_session_loop(struct fuse_session *se)
{
	return se ? fuse_loop(se->f) : -1;
}

void fuse_session_exit(struct fuse_session *se)
{
	if (se)
		fuse_exit(se->f);
}

void fuse_session_reset(struct fuse_session *se)
{
	if (se && se->f)
		se->f->exited = false;
}

int fuse_session_exited(struct fuse_session *se)
{
	return se && se->f ? se->f->exited : 1;
}

int fuse_session_fd(struct fuse_session *se)
{
	return -1;
}

/* --- the command line --- */

#define CMD(t, m, v) { t, offsetof(struct fuse_cmdline_opts, m), v }

static const struct fuse_opt cmdline_spec[] = {
	CMD("-h", show_help, 1),
	CMD("--help", show_help, 1),
	CMD("-V", show_version, 1),
	CMD("--version", show_version, 1),
	CMD("-d", debug, 1),
	CMD("debug", debug, 1),
	CMD("-d", foreground, 1),
	CMD("debug", foreground, 1),
	FUSE_OPT_KEY("-d", FUSE_OPT_KEY_KEEP),
	FUSE_OPT_KEY("debug", FUSE_OPT_KEY_KEEP),
	CMD("-f", foreground, 1),
	CMD("-s", singlethread, 1),
	CMD("clone_fd", clone_fd, 1),
	CMD("max_idle_threads=%u", max_idle_threads, 0),
	CMD("max_threads=%u", max_threads, 0),
	FUSE_OPT_END
};

static int cmdline_proc(void *data, const char *arg, int key,
			struct fuse_args *outargs)
{
	struct fuse_cmdline_opts *opts = data;

	if (key != FUSE_OPT_KEY_NONOPT)
		return 1;
	if (opts->mountpoint) {
		fprintf(stderr, "fuse: invalid argument `%s'\n", arg);
		return -1;
	}
	opts->mountpoint = strdup(arg);
	return opts->mountpoint ? 0 : -1;
}

int fuse_parse_cmdline_312(struct fuse_args *args,
			   struct fuse_cmdline_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->max_idle_threads = -1;
	opts->max_threads = 10;
	if (fuse_opt_parse(args, opts, cmdline_spec, cmdline_proc) == -1)
		return -1;
	/* umview serves every mount from the file system's own thread,
	 * which never detaches. */
	opts->foreground = 1;
	opts->singlethread = 1;
	return 0;
}

int fuse_parse_cmdline_30(struct fuse_args *args,
			  struct fuse_cmdline_opts *opts)
{
	return fuse_parse_cmdline_312(args, opts);
}

void fuse_cmdline_help(void)
{
	printf("    -h   --help            print help\n"
	       "    -V   --version         print version\n"
	       "    -d   -o debug          enable debug output\n"
	       "    -f                     foreground (always, under umview)\n"
	       "    -s                     single thread (always, under "
	       "umview)\n");
}

void fuse_lowlevel_version(void)
{
	printf("umfuse, the libfuse %s API for umview\n", UMFUSE_PKGVERSION);
}

int fuse_main_real(int argc, char *argv[], const struct fuse_operations *op,
		   size_t op_size, void *private_data)
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts opts;
	struct fuse *f;
	int res;

	if (fuse_parse_cmdline(&args, &opts) != 0)
		return 1;
	if (opts.show_version) {
		printf("FUSE library version %s\n", fuse_pkgversion());
		fuse_lowlevel_version();
		res = 0;
		goto out_args;
	}
	if (opts.show_help) {
		if (args.argv[0][0] != '\0')
			printf("usage: %s [options] <mountpoint>\n\n",
			       args.argv[0]);
		printf("FUSE options:\n");
		fuse_cmdline_help();
		fuse_lib_help(&args);
		res = 0;
		goto out_args;
	}
	if (!opts.mountpoint) {
		fprintf(stderr, "error: no mountpoint specified\n");
		res = 2;
		goto out_args;
	}
	f = fuse_new_31(&args, op, op_size, private_data);
	if (!f) {
		res = 3;
		goto out_args;
	}
	if (fuse_mount(f, opts.mountpoint) != 0) {
		res = 4;
		goto out_destroy;
	}
	res = fuse_loop(f) ? 7 : 0;
	fuse_unmount(f);
out_destroy:
	fuse_destroy(f);
out_args:
	free(opts.mountpoint);
	fuse_opt_free_args(&args);
	return res;
}

/* --- small services --- */

int fuse_version(void)
{
	return FUSE_VERSION;
}

const char *fuse_pkgversion(void)
{
	return UMFUSE_PKGVERSION;
}

int fuse_daemonize(int foreground)
{
	return 0;
}

int fuse_set_signal_handlers(struct fuse_session *se)
{
	return 0;
}

void fuse_remove_signal_handlers(struct fuse_session *se)
{
}

int fuse_invalidate_path(struct fuse *f, const char *path)
{
	return f ? 0 : -ENOENT;
}

int fuse_start_cleanup_thread(struct fuse *fuse)
{
	return 0;
}

void fuse_stop_cleanup_thread(struct fuse *fuse)
{
}

int fuse_clean_cache(struct fuse *fuse)
{
	return 0;
}

/* Nothing waits in the kernel on a umfuse poll handle: the core treats
 * served files as always ready (DESIGN.md), so a notification has no one
 * to wake. */
struct fuse_pollhandle {
	int unused;
};

int fuse_notify_poll(struct fuse_pollhandle *ph)
{
	return 0;
}

void fuse_pollhandle_destroy(struct fuse_pollhandle *ph)
{
	free(ph);
}

struct fuse_loop_config *fuse_loop_cfg_create(void)
{
	struct fuse_loop_config *c = calloc(1, sizeof(*c));

	if (c) {
		c->max_idle_threads = -1;
		c->max_threads = 10;
	}
	return c;
}

void fuse_loop_cfg_destroy(struct fuse_loop_config *config)
{
	free(config);
}

void fuse_loop_cfg_set_idle_threads(struct fuse_loop_config *config,
				    unsigned int value)
{
	config->max_idle_threads = value;
}

void fuse_loop_cfg_set_max_threads(struct fuse_loop_config *config,
				   unsigned int value)
{
	config->max_threads = value;
}

void fuse_loop_cfg_set_clone_fd(struct fuse_loop_config *config,
				unsigned int value)
{
	config->clone_fd = value;
}

/* --- logging --- */

static fuse_log_func_t log_func;

void fuse_set_log_func(fuse_log_func_t func)
{
	log_func = func;
}

void fuse_log(enum fuse_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (log_func)
		log_func(level, fmt, ap);
	else
		vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* --- connection tuning options --- */

struct fuse_conn_info_opts {
	int max_write, max_readahead, max_background, congestion_threshold;
	int time_gran;
	int set_max_write, set_max_readahead, set_max_background;
	int set_congestion_threshold, set_time_gran;
	int async_read, sync_read;
};

#define CIO(t, m, v) { t, offsetof(struct fuse_conn_info_opts, m), v }

static const struct fuse_opt conn_info_spec[] = {
	CIO("max_write=%u", max_write, 0),
	CIO("max_write=", set_max_write, 1),
	CIO("max_readahead=%u", max_readahead, 0),
	CIO("max_readahead=", set_max_readahead, 1),
	CIO("max_background=%u", max_background, 0),
	CIO("max_background=", set_max_background, 1),
	CIO("congestion_threshold=%u", congestion_threshold, 0),
	CIO("congestion_threshold=", set_congestion_threshold, 1),
	CIO("time_gran=%u", time_gran, 0),
	CIO("time_gran=", set_time_gran, 1),
	CIO("async_read", async_read, 1),
	CIO("sync_read", sync_read, 1),
	FUSE_OPT_END
};

struct fuse_conn_info_opts *fuse_parse_conn_info_opts(struct fuse_args *args)
{
	struct fuse_conn_info_opts *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	if (fuse_opt_parse(args, o, conn_info_spec, NULL) == -1) {
		free(o);
		return NULL;
	}
	return o;
}

void fuse_apply_conn_info_opts(struct fuse_conn_info_opts *o,
			       struct fuse_conn_info *conn)
{
	if (o->set_max_write)
		conn->max_write = o->max_write;
	if (o->set_max_readahead)
		conn->max_readahead = o->max_readahead;
	if (o->set_max_background)
		conn->max_background = o->max_background;
	if (o->set_congestion_threshold)
		conn->congestion_threshold = o->congestion_threshold;
	if (o->set_time_gran)
		conn->time_gran = o->time_gran;
	if (o->async_read)
		conn->want |= FUSE_CAP_ASYNC_READ;
	if (o->sync_read)
		conn->want &= ~FUSE_CAP_ASYNC_READ;
}
