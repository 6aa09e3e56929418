/* A FUSE file system that uses the API the way FUSE_USE_VERSION (given on
 * the command line) says: fuse_parse_cmdline, fuse_new, fuse_mount and
 * fuse_loop_mt in its 3.0 (clone_fd), 3.2 (struct) or 3.12 (config object)
 * form, and ioctl's cmd as int before 3.5.  Its root is an empty
 * directory. */
#include <errno.h>
#include <fuse.h>
#include <stdlib.h>
#include <string.h>

static int v_getattr(const char *path, struct stat *st,
		     struct fuse_file_info *fi)
{
	if (strcmp(path, "/") != 0)
		return -ENOENT;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFDIR | 0750;
	st->st_nlink = 2;
	return 0;
}

#if FUSE_USE_VERSION < 35
static int v_ioctl(const char *path, int cmd, void *arg,
		   struct fuse_file_info *fi, unsigned int flags, void *data)
#else
static int v_ioctl(const char *path, unsigned int cmd, void *arg,
		   struct fuse_file_info *fi, unsigned int flags, void *data)
#endif
{
	return -ENOTTY;
}

static const struct fuse_operations ops = {
	.getattr = v_getattr,
	.ioctl = v_ioctl,
};

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts o;
	struct fuse *f;
	int r;

	if (fuse_parse_cmdline(&args, &o) != 0 || !o.mountpoint)
		return 1;
	f = fuse_new(&args, &ops, sizeof(ops), NULL);
	if (!f || fuse_mount(f, o.mountpoint) != 0)
		return 2;
#if FUSE_USE_VERSION < 32
	r = fuse_loop_mt(f, 0);
#elif FUSE_USE_VERSION < FUSE_MAKE_VERSION(3, 12)
	{
		struct fuse_loop_config c = { .clone_fd = 0,
					      .max_idle_threads = 10 };

		r = fuse_loop_mt(f, &c);
	}
#else
	{
		struct fuse_loop_config *c = fuse_loop_cfg_create();

		fuse_loop_cfg_set_max_threads(c, 4);
		r = fuse_loop_mt(f, c);
		fuse_loop_cfg_destroy(c);
	}
#endif
	fuse_unmount(f);
	fuse_destroy(f);
	free(o.mountpoint);
	fuse_opt_free_args(&args);
	return r;
}
