/* umfuseext2: mount an ext2/ext3/ext4 image read-write with libext2fs, as a
 * libfuse 3 high-level file system (kernel FUSE or umfuse submodule). */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <et/com_err.h>
#include <ext2fs/ext2_err.h>
#include "ext2fuse.h"

#define PROG "umfuseext2"

struct opts {
	char *image;
	int ro;
	int default_permissions;
	int help;
};

enum { KEY_RO, KEY_RW, KEY_DEFPERM, KEY_HELP };

static const struct fuse_opt opt_spec[] = {
	FUSE_OPT_KEY("ro", KEY_RO),
	FUSE_OPT_KEY("rw", KEY_RW),
	FUSE_OPT_KEY("default_permissions", KEY_DEFPERM),
	FUSE_OPT_KEY("-h", KEY_HELP),
	FUSE_OPT_KEY("--help", KEY_HELP),
	FUSE_OPT_END
};

static int opt_proc(void *data, const char *arg, int key,
		    struct fuse_args *outargs)
{
	struct opts *o = data;

	switch (key) {
	case FUSE_OPT_KEY_NONOPT:
		if (!o->image) {
			o->image = strdup(arg);
			return 0;
		}
		return 1;
	case KEY_RO:
		o->ro = 1;
		return 1;
	case KEY_RW:
		o->ro = 0;
		return 1;
	case KEY_DEFPERM:
		o->default_permissions = 1;
		return 1;
	case KEY_HELP:
		o->help = 1;
		return 1;
	}
	return 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: " PROG " IMAGE MOUNTPOINT [-o OPTIONS]\n"
		"Mounts an ext2, ext3 or ext4 image.  Options:\n"
		"  -o ro                   read-only\n"
		"  -o rw                   read-write (default)\n"
		"  -o default_permissions  let the caller check permissions "
		"(otherwise\n"
		"                          " PROG " checks the on-disk modes "
		"itself)\n");
}

static void *e2f_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	struct e2f *e = fuse_get_context()->private_data;
	struct ext2_super_block *sb = e->fs->super;

	cfg->use_ino = 1;
	/* Unlinked open files are kept by us (orphans), not renamed. */
	cfg->hard_remove = 1;
	cfg->nullpath_ok = 1;
	if (!e->ro) {
		/* Not clean until unmounted: a crash leaves it for e2fsck. */
		sb->s_state &= ~EXT2_VALID_FS;
		sb->s_mnt_count++;
		sb->s_mtime = time(NULL);
		ext2fs_mark_super_dirty(e->fs);
		/* No fsync: that would wait for every dirty page of the
		 * image file, written by whoever made it, at each mount. */
		if (ext2fs_flush2(e->fs, EXT2_FLAG_FLUSH_NO_SYNC))
			fprintf(stderr, PROG ": %s: cannot write superblock\n",
				e->image);
	}
	return e;
}

static void e2f_destroy(void *data)
{
	struct e2f *e = data;
	errcode_t err;

	e2f_lock(e);
	while (e->open) {
		struct e2f_open *o = e->open;

		e->open = o->next;
		if (o->orphan && !e->ro)
			e2f_free_inode(e, o->ino);
		free(o);
	}
	if (!e->ro && !(e->fs->super->s_state & EXT2_ERROR_FS)) {
		e->fs->super->s_state |= EXT2_VALID_FS;
		ext2fs_mark_super_dirty(e->fs);
	}
	e2f_dcache_free(e);
	err = ext2fs_close_free(&e->fs);
	if (err)
		fprintf(stderr, PROG ": %s: error while closing: %s\n",
			e->image, error_message(err));
	e2f_unlock(e);
}

/* Check what the image is before libext2fs guesses at it. */
static int check_image(const char *image, int ro)
{
	struct stat st;
	int fd;

	if (stat(image, &st) < 0) {
		fprintf(stderr, PROG ": %s: %s\n", image, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		fprintf(stderr, PROG ": %s: is a directory, not an image\n",
			image);
		return -1;
	}
	fd = open(image, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;

		fprintf(stderr, PROG ": %s: cannot open %s: %s%s\n", image,
			ro ? "read-only" : "read-write", strerror(err),
			!ro && (err == EACCES || err == EROFS) ?
			" (mount it with -o ro)" : "");
		return -1;
	}
	close(fd);
	return 0;
}

/* A regular file shorter than the file system it holds is truncated:
 * refuse it now rather than fail with EIO on some later access. */
static int check_size(struct e2f *e)
{
	__u64 need = ext2fs_blocks_count(e->fs->super) *
		     (__u64)e->fs->blocksize;
	struct stat st;

	if (stat(e->image, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (__u64)st.st_size >= need)
		return 0;
	fprintf(stderr, PROG ": %s: the image is truncated (%lld bytes, the "
		"file system needs %llu)\n", e->image, (long long)st.st_size,
		(unsigned long long)need);
	return -1;
}

static int open_fs(struct e2f *e)
{
	struct ext2_super_block *sb;
	errcode_t err;
	int flags = EXT2_FLAG_64BITS | (e->ro ? 0 : EXT2_FLAG_RW);

	err = ext2fs_open2(e->image, NULL, flags, 0, 0, unix_io_manager,
			   &e->fs);
	if (err) {
		fprintf(stderr, PROG ": %s: not a usable ext2/ext3/ext4 "
			"image: %s\n", e->image, error_message(err));
		e->fs = NULL;
		return -1;
	}
	sb = e->fs->super;
	err = ext2fs_check_desc(e->fs);
	if (err) {
		fprintf(stderr, PROG ": %s: damaged group descriptors (%s); "
			"run e2fsck\n", e->image, error_message(err));
		goto fail;
	}
	if (ext2fs_has_feature_journal_needs_recovery(sb)) {
		if (!e->ro) {
			/* libext2fs 1.47 cannot replay a journal: writing
			 * now would mix with the unreplayed transactions. */
			fprintf(stderr, PROG ": %s: the journal needs "
				"recovery; run e2fsck on the image, or mount "
				"it with -o ro\n", e->image);
			goto fail;
		}
		fprintf(stderr, PROG ": %s: warning: journal not replayed, "
			"showing the state before it\n", e->image);
	}
	if (!e->ro && (sb->s_state & EXT2_ERROR_FS)) {
		fprintf(stderr, PROG ": %s: the file system has errors; run "
			"e2fsck, or mount it with -o ro\n", e->image);
		goto fail;
	}
	if (!e->ro && !(sb->s_state & EXT2_VALID_FS)) {
		fprintf(stderr, PROG ": %s: was not cleanly unmounted; run "
			"e2fsck, or mount it with -o ro\n", e->image);
		goto fail;
	}
	if (check_size(e) < 0)
		goto fail;
	err = ext2fs_read_bitmaps(e->fs);
	if (err) {
		fprintf(stderr, PROG ": %s: cannot read the allocation "
			"bitmaps: %s\n", e->image, error_message(err));
		goto fail;
	}
	return 0;
fail:
	ext2fs_free(e->fs);
	e->fs = NULL;
	return -1;
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_operations ops;
	struct opts o;
	struct e2f *e;
	int ret;

	memset(&o, 0, sizeof(o));
	memset(&ops, 0, sizeof(ops));
	if (fuse_opt_parse(&args, &o, opt_spec, opt_proc) < 0)
		return 1;
	if (o.help) {
		usage();
		fuse_opt_free_args(&args);
		free(o.image);
		return 0;
	}
	if (!o.image) {
		usage();
		fuse_opt_free_args(&args);
		return 1;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		fprintf(stderr, PROG ": out of memory\n");
		ret = 1;
		goto out_args;
	}
	pthread_mutex_init(&e->lock, NULL);
	e->image = o.image;
	e->ro = o.ro;
	e->check_perms = !o.default_permissions;
	initialize_ext2_error_table();
	if (check_image(e->image, e->ro) < 0 || open_fs(e) < 0) {
		ret = 1;
		goto out_e;
	}
	e2f_file_ops(&ops);
	e2f_dir_ops(&ops);
	e2f_attr_ops(&ops);
	ops.init = e2f_init;
	ops.destroy = e2f_destroy;
	ret = fuse_main(args.argc, args.argv, &ops, e);
	if (e->fs)	/* never mounted: nothing was changed */
		ext2fs_free(e->fs);
out_e:
	pthread_mutex_destroy(&e->lock);
	free(e);
out_args:
	free(o.image);
	fuse_opt_free_args(&args);
	return ret;
}
