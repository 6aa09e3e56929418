/* umfuseiso9660: mount an ISO 9660 image (Rock Ridge, Joliet) read-only
 * with libiso9660, as a libfuse 3 high-level file system (kernel FUSE or
 * umfuse submodule). */
#define FUSE_USE_VERSION 35
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <cdio/iso9660.h>
#include <cdio/rock.h>

#define PROG "umfuseiso9660"

/* Rock Ridge names are at most 255 bytes; a 16-sector buffer at a time. */
#define ISO_CHUNK_SECTORS 16

struct isofs {
	iso9660_t *iso;
	const char *image;
	int rr;			/* Rock Ridge: names, modes, links, times */
	uint8_t joliet;		/* Joliet level when Rock Ridge is absent */
	pthread_mutex_t lock;
};

static struct isofs *isofs_get(void)
{
	return fuse_get_context()->private_data;
}

static int is_dot(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..") ||
	       (name[0] <= 1 && name[0] != 0 && name[1] == '\0') ||
	       name[0] == '\0';
}

static iso9660_stat_t *lookup(struct isofs *s, const char *path)
{
	/* libiso9660 matches Rock Ridge names, or translated (lower-case,
	 * no ";1") plain ISO names, or Joliet names. */
	return iso9660_ifs_stat_translate(s->iso, path);
}

static time_t rr_time(const iso_rock_time_t *t, const struct tm *fallback)
{
	struct tm tm;

	if (t->b_used) {
		memset(&tm, 0, sizeof(tm));
		if (t->b_longdate ? iso9660_get_ltime(&t->t.ltime, &tm) :
		    iso9660_get_dtime(&t->t.dtime, false, &tm))
			return timegm(&tm);
	}
	tm = *fallback;
	return timegm(&tm);
}

static void fill_stat(struct isofs *s, const iso9660_stat_t *is,
		      struct stat *st)
{
	struct tm tm;

	memset(st, 0, sizeof(st[0]));
	/* The recording time in the record, read as GMT and its offset. */
	memset(&tm, 0, sizeof(tm));
	tm = is->tm;
	st->st_mtime = st->st_atime = st->st_ctime = timegm(&tm) -
						      is->tm.tm_gmtoff;
	st->st_size = is->size;
	st->st_blksize = ISO_BLOCKSIZE;
	st->st_blocks = ((off_t)is->size + 511) / 512;
	if (s->rr && is->rr.b3_rock == yep) {
		st->st_mode = is->rr.st_mode;
		st->st_nlink = is->rr.st_nlinks ? is->rr.st_nlinks : 1;
		st->st_uid = is->rr.st_uid;
		st->st_gid = is->rr.st_gid;
		st->st_mtime = rr_time(&is->rr.modify, &tm) -
			       (is->rr.modify.b_used ? 0 : is->tm.tm_gmtoff);
		st->st_atime = is->rr.access.b_used ?
			       rr_time(&is->rr.access, &tm) : st->st_mtime;
		st->st_ctime = is->rr.attributes.b_used ?
			       rr_time(&is->rr.attributes, &tm) :
			       st->st_mtime;
		if (S_ISLNK(st->st_mode))
			st->st_size = is->rr.i_symlink;
		if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
			st->st_rdev = makedev(is->rr.i_rdev >> 16,
					      is->rr.i_rdev & 0xffff);
	} else if (is->type == _STAT_DIR) {
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
	} else {
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
	}
	if (is->type == _STAT_DIR && !S_ISDIR(st->st_mode))
		st->st_mode = S_IFDIR | (st->st_mode & 07777);
}

static int iso_getattr(const char *path, struct stat *st,
		       struct fuse_file_info *fi)
{
	struct isofs *s = isofs_get();
	iso9660_stat_t *is;
	int ret = 0;

	pthread_mutex_lock(&s->lock);
	if (fi && fi->fh) {
		fill_stat(s, (iso9660_stat_t *)(uintptr_t)fi->fh, st);
	} else {
		is = lookup(s, path);
		if (is) {
			fill_stat(s, is, st);
			iso9660_stat_free(is);
		} else {
			ret = -ENOENT;
		}
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static int iso_readdir(const char *path, void *buf, fuse_fill_dir_t filler,
		       off_t off, struct fuse_file_info *fi,
		       enum fuse_readdir_flags flags)
{
	struct isofs *s = isofs_get();
	CdioListNode_t *node;
	CdioList_t *list;
	char name[1024];
	struct stat st;
	int ret = 0;

	pthread_mutex_lock(&s->lock);
	list = iso9660_ifs_readdir(s->iso, path);
	if (!list) {
		iso9660_stat_t *is = lookup(s, path);

		ret = is ? (is->type == _STAT_DIR ? -EIO : -ENOTDIR) : -ENOENT;
		iso9660_stat_free(is);
		goto out;
	}
	filler(buf, ".", NULL, 0, 0);
	filler(buf, "..", NULL, 0, 0);
	_CDIO_LIST_FOREACH(node, list) {
		iso9660_stat_t *is = _cdio_list_node_data(node);

		if (is_dot(is->filename))
			continue;
		if (s->rr && is->rr.b3_rock == yep)
			snprintf(name, sizeof(name), "%s", is->filename);
		else
			iso9660_name_translate_ext(is->filename, name,
						   s->joliet);
		if (!name[0] || strchr(name, '/'))
			continue;	/* no name a path could reach */
		fill_stat(s, is, &st);
		if (filler(buf, name, &st, 0, 0))
			break;
	}
	iso9660_filelist_free(list);
out:
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static int iso_open(const char *path, struct fuse_file_info *fi)
{
	struct isofs *s = isofs_get();
	iso9660_stat_t *is;

	if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & O_TRUNC))
		return -EROFS;
	pthread_mutex_lock(&s->lock);
	is = lookup(s, path);
	pthread_mutex_unlock(&s->lock);
	if (!is)
		return -ENOENT;
	fi->fh = (uintptr_t)is;
	fi->keep_cache = 1;	/* the image never changes under us */
	return 0;
}

static int iso_release(const char *path, struct fuse_file_info *fi)
{
	iso9660_stat_free((iso9660_stat_t *)(uintptr_t)fi->fh);
	return 0;
}

static int iso_read(const char *path, char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct isofs *s = isofs_get();
	iso9660_stat_t *is = (iso9660_stat_t *)(uintptr_t)fi->fh;
	char *chunk;
	size_t done = 0;
	int ret = 0;

	if (off < 0)
		return -EINVAL;
	if ((uint64_t)off >= is->size)
		return 0;
	if (size > (uint64_t)is->size - off)
		size = is->size - off;
	chunk = malloc(ISO_BLOCKSIZE * ISO_CHUNK_SECTORS);
	if (!chunk)
		return -ENOMEM;
	pthread_mutex_lock(&s->lock);
	while (done < size) {
		uint64_t pos = off + done;
		lsn_t lsn = is->lsn + pos / ISO_BLOCKSIZE;
		size_t skip = pos % ISO_BLOCKSIZE, n;
		size_t want = skip + (size - done);
		long sectors = (want + ISO_BLOCKSIZE - 1) / ISO_BLOCKSIZE;
		long got;

		if (sectors > ISO_CHUNK_SECTORS)
			sectors = ISO_CHUNK_SECTORS;
		got = iso9660_iso_seek_read(s->iso, chunk, lsn, sectors);
		if (got != sectors * ISO_BLOCKSIZE) {
			ret = -EIO;	/* the extent lies past the image */
			break;
		}
		n = sectors * ISO_BLOCKSIZE - skip;
		if (n > size - done)
			n = size - done;
		memcpy(buf + done, chunk + skip, n);
		done += n;
	}
	pthread_mutex_unlock(&s->lock);
	free(chunk);
	return done ? (int)done : ret;
}

static int iso_readlink(const char *path, char *buf, size_t size)
{
	struct isofs *s = isofs_get();
	iso9660_stat_t *is;
	int ret = 0;

	if (size == 0)
		return -EINVAL;
	pthread_mutex_lock(&s->lock);
	is = lookup(s, path);
	if (!is)
		ret = -ENOENT;
	else if (!s->rr || is->rr.b3_rock != yep ||
		 !S_ISLNK(is->rr.st_mode) || !is->rr.psz_symlink)
		ret = -EINVAL;
	else
		snprintf(buf, size, "%.*s", is->rr.i_symlink,
			 is->rr.psz_symlink);
	iso9660_stat_free(is);
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static int iso_statfs(const char *path, struct statvfs *sv)
{
	struct isofs *s = isofs_get();
	iso9660_pvd_t pvd;

	memset(sv, 0, sizeof(*sv));
	pthread_mutex_lock(&s->lock);
	if (iso9660_ifs_read_pvd(s->iso, &pvd))
		sv->f_blocks = iso9660_get_pvd_space_size(&pvd);
	pthread_mutex_unlock(&s->lock);
	sv->f_bsize = ISO_BLOCKSIZE;
	sv->f_frsize = ISO_BLOCKSIZE;
	sv->f_namemax = 255;
	sv->f_flag = ST_RDONLY;
	return 0;
}

static int iso_access(const char *path, int mask)
{
	struct isofs *s = isofs_get();
	iso9660_stat_t *is;

	pthread_mutex_lock(&s->lock);
	is = lookup(s, path);
	pthread_mutex_unlock(&s->lock);
	if (!is)
		return -ENOENT;
	iso9660_stat_free(is);
	return (mask & W_OK) ? -EROFS : 0;
}

/* Every operation that would change the image. */
static int ro_create(const char *p, mode_t m, struct fuse_file_info *fi)
{
	return -EROFS;
}

static int ro_mknod(const char *p, mode_t m, dev_t d)
{
	return -EROFS;
}

static int ro_mkdir(const char *p, mode_t m)
{
	return -EROFS;
}

static int ro_path(const char *p)
{
	return -EROFS;
}

static int ro_two(const char *a, const char *b)
{
	return -EROFS;
}

static int ro_rename(const char *a, const char *b, unsigned int flags)
{
	return -EROFS;
}

static int ro_chmod(const char *p, mode_t m, struct fuse_file_info *fi)
{
	return -EROFS;
}

static int ro_chown(const char *p, uid_t u, gid_t g,
		    struct fuse_file_info *fi)
{
	return -EROFS;
}

static int ro_truncate(const char *p, off_t o, struct fuse_file_info *fi)
{
	return -EROFS;
}

static int ro_utimens(const char *p, const struct timespec tv[2],
		      struct fuse_file_info *fi)
{
	return -EROFS;
}

static int ro_write(const char *p, const char *b, size_t s, off_t o,
		    struct fuse_file_info *fi)
{
	return -EROFS;
}

static int ro_setxattr(const char *p, const char *n, const char *v, size_t s,
		       int f)
{
	return -EROFS;
}

static int ro_removexattr(const char *p, const char *n)
{
	return -EROFS;
}

static void *iso_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	cfg->kernel_cache = 1;
	return fuse_get_context()->private_data;
}

static void iso_destroy(void *data)
{
	struct isofs *s = data;

	iso9660_close(s->iso);
	s->iso = NULL;
}

static const struct fuse_operations iso_ops = {
	.getattr = iso_getattr,
	.readlink = iso_readlink,
	.mknod = ro_mknod,
	.mkdir = ro_mkdir,
	.unlink = ro_path,
	.rmdir = ro_path,
	.symlink = ro_two,
	.rename = ro_rename,
	.link = ro_two,
	.chmod = ro_chmod,
	.chown = ro_chown,
	.truncate = ro_truncate,
	.open = iso_open,
	.read = iso_read,
	.write = ro_write,
	.statfs = iso_statfs,
	.release = iso_release,
	.setxattr = ro_setxattr,
	.removexattr = ro_removexattr,
	.readdir = iso_readdir,
	.init = iso_init,
	.destroy = iso_destroy,
	.access = iso_access,
	.create = ro_create,
	.utimens = ro_utimens,
};

struct opts {
	char *image;
	int help;
};

static int opt_proc(void *data, const char *arg, int key,
		    struct fuse_args *outargs)
{
	struct opts *o = data;

	if (key == FUSE_OPT_KEY_NONOPT && !o->image) {
		o->image = strdup(arg);
		return 0;
	}
	if (key == 0)
		o->help = 1;
	return 1;
}

static const struct fuse_opt opt_spec[] = {
	FUSE_OPT_KEY("-h", 0),
	FUSE_OPT_KEY("--help", 0),
	FUSE_OPT_END
};

/* Prefer Rock Ridge (modes, symlinks, owners); else Joliet; else ISO. */
static int open_iso(struct isofs *s)
{
	iso9660_pvd_t pvd;
	struct stat st;

	if (stat(s->image, &st) < 0) {
		fprintf(stderr, PROG ": %s: %s\n", s->image, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		fprintf(stderr, PROG ": %s: is a directory, not an image\n",
			s->image);
		return -1;
	}
	if (access(s->image, R_OK) < 0) {
		fprintf(stderr, PROG ": %s: cannot read: %s\n", s->image,
			strerror(errno));
		return -1;
	}
	s->iso = iso9660_open_ext(s->image, ISO_EXTENSION_ROCK_RIDGE);
	if (!s->iso) {
		fprintf(stderr, PROG ": %s: not an ISO 9660 image (no valid "
			"primary volume descriptor)\n", s->image);
		return -1;
	}
	if (iso9660_ifs_read_pvd(s->iso, &pvd) &&
	    (uint64_t)iso9660_get_pvd_space_size(&pvd) * ISO_BLOCKSIZE >
	    (uint64_t)st.st_size && S_ISREG(st.st_mode)) {
		/* Reads past the end would fail one by one later. */
		fprintf(stderr, PROG ": %s: the image is truncated (%lld "
			"bytes, the volume needs %llu)\n", s->image,
			(long long)st.st_size, (unsigned long long)
			iso9660_get_pvd_space_size(&pvd) * ISO_BLOCKSIZE);
		iso9660_close(s->iso);
		s->iso = NULL;
		return -1;
	}
	s->rr = iso9660_have_rr(s->iso, 0) == yep;
	if (!s->rr) {
		iso9660_close(s->iso);
		s->iso = iso9660_open_ext(s->image, ISO_EXTENSION_ALL);
		if (!s->iso) {
			fprintf(stderr, PROG ": %s: cannot read the volume "
				"descriptors\n", s->image);
			return -1;
		}
		s->joliet = iso9660_ifs_get_joliet_level(s->iso);
	}
	return 0;
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct opts o = { NULL, 0 };
	struct isofs *s;
	int ret = 1;

	if (fuse_opt_parse(&args, &o, opt_spec, opt_proc) < 0)
		return 1;
	if (o.help || !o.image) {
		fprintf(stderr, "usage: " PROG " IMAGE MOUNTPOINT "
			"[-o OPTIONS]\nMounts an ISO 9660 image "
			"(Rock Ridge, Joliet) read-only.\n");
		ret = o.help ? 0 : 1;
		goto out_args;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out_args;
	}
	pthread_mutex_init(&s->lock, NULL);
	s->image = o.image;
	if (open_iso(s) == 0) {
		fuse_opt_add_arg(&args, "-oro");
		ret = fuse_main(args.argc, args.argv, &iso_ops, s);
		if (s->iso)
			iso9660_close(s->iso);
	}
	pthread_mutex_destroy(&s->lock);
	free(s);
out_args:
	free(o.image);
	fuse_opt_free_args(&args);
	return ret;
}
