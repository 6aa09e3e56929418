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

/*
 * Files of 4 GiB and more are recorded as several directory records with
 * the same name, each but the last flagged ISO_MULTIEXTENT.  libiso9660
 * 2.1 returns only the first record's extent, so the records are read
 * again here from the parent directory.  Non-final sections fill whole
 * blocks, so only files whose first section is a multiple of 2048 bytes
 * can have more.
 */
#define MAX_EXTENTS 256
#define MAX_DIR_BYTES (16 << 20)

struct extent {
	lsn_t lsn;
	uint32_t size;
};

struct isofile {
	iso9660_stat_t *is;
	uint64_t total;
	int n;
	struct extent ext[MAX_EXTENTS];
};

static uint32_t le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Scan the raw records of directory DIR for the sections after FIRST. */
static int more_extents(struct isofs *s, const iso9660_stat_t *dir,
			struct isofile *f)
{
	size_t len = dir->size, pos = 0;
	unsigned char *buf;
	int found = 0, ret = 0;

	if (len == 0 || len > MAX_DIR_BYTES)
		return 0;
	len = (len + ISO_BLOCKSIZE - 1) / ISO_BLOCKSIZE * ISO_BLOCKSIZE;
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	if (iso9660_iso_seek_read(s->iso, buf, dir->lsn, len / ISO_BLOCKSIZE) !=
	    (long)len) {
		free(buf);
		return -EIO;
	}
	while (pos + 34 <= len) {
		unsigned char *r = buf + pos;
		unsigned int rlen = r[0], flags = r[25];

		if (rlen == 0) {	/* the rest of this block is padding */
			pos = (pos / ISO_BLOCKSIZE + 1) * ISO_BLOCKSIZE;
			continue;
		}
		if (rlen < 34 || pos + rlen > len || 33u + r[32] > rlen) {
			ret = found ? -EIO : 0;	/* damaged directory */
			break;
		}
		pos += rlen;
		if (!found) {
			found = le32(r + 2) == (uint32_t)f->ext[0].lsn &&
				(flags & ISO_MULTIEXTENT);
			continue;
		}
		if (f->n == MAX_EXTENTS) {
			ret = -EFBIG;
			break;
		}
		f->ext[f->n].lsn = le32(r + 2);
		f->ext[f->n].size = le32(r + 10);
		f->total += f->ext[f->n].size;
		f->n++;
		if (!(flags & ISO_MULTIEXTENT))
			break;
	}
	free(buf);
	return ret;
}

/* The sections of regular file PATH (whose first record is IS). */
static int file_extents(struct isofs *s, const char *path,
			iso9660_stat_t *is, struct isofile *f)
{
	iso9660_stat_t *dir;
	char *parent, *slash;
	int ret = 0;

	f->is = is;
	f->n = 1;
	f->ext[0].lsn = is->lsn;
	f->ext[0].size = is->size;
	f->total = is->size;
	if (is->type == _STAT_DIR || is->size == 0 ||
	    is->size % ISO_BLOCKSIZE != 0 || !path)
		return 0;
	parent = strdup(path);
	if (!parent)
		return -ENOMEM;
	slash = strrchr(parent, '/');
	if (slash)
		slash[slash == parent ? 1 : 0] = '\0';
	dir = lookup(s, slash ? parent : "/");
	if (dir) {
		ret = more_extents(s, dir, f);
		iso9660_stat_free(dir);
	}
	free(parent);
	return ret;
}

static int iso_getattr(const char *path, struct stat *st,
		       struct fuse_file_info *fi)
{
	struct isofs *s = isofs_get();
	iso9660_stat_t *is;
	int ret = 0;

	pthread_mutex_lock(&s->lock);
	if (fi && fi->fh) {
		struct isofile *f = (struct isofile *)(uintptr_t)fi->fh;

		fill_stat(s, f->is, st);
		st->st_size = f->total;
	} else {
		is = lookup(s, path);
		if (is) {
			struct isofile *f = malloc(sizeof(*f));

			fill_stat(s, is, st);
			ret = f ? file_extents(s, path, is, f) : -ENOMEM;
			if (!ret && !S_ISLNK(st->st_mode)) {
				st->st_size = f->total;
				st->st_blocks = (f->total + 511) / 512;
			}
			free(f);
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
		CdioListNode_t *next;
		uint64_t total = is->size;

		if (is_dot(is->filename))
			continue;
		/* The sections of a multi-extent file follow each other
		 * under one name: one entry, their sizes added up. */
		while ((next = _cdio_list_node_next(node)) != NULL) {
			iso9660_stat_t *n = _cdio_list_node_data(next);

			if (n->type == _STAT_DIR || is->type == _STAT_DIR ||
			    strcmp(n->filename, is->filename))
				break;
			total += n->size;
			node = next;
		}
		if (s->rr && is->rr.b3_rock == yep)
			snprintf(name, sizeof(name), "%s", is->filename);
		else
			iso9660_name_translate_ext(is->filename, name,
						   s->joliet);
		if (!name[0] || strchr(name, '/'))
			continue;	/* no name a path could reach */
		fill_stat(s, is, &st);
		if (!S_ISLNK(st.st_mode))
			st.st_size = total;
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
	struct isofile *f;
	int ret;

	if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & O_TRUNC))
		return -EROFS;
	f = malloc(sizeof(*f));
	if (!f)
		return -ENOMEM;
	pthread_mutex_lock(&s->lock);
	is = lookup(s, path);
	ret = is ? file_extents(s, path, is, f) : -ENOENT;
	pthread_mutex_unlock(&s->lock);
	if (ret) {
		iso9660_stat_free(is);
		free(f);
		return ret;
	}
	fi->fh = (uintptr_t)f;
	fi->keep_cache = 1;	/* the image never changes under us */
	return 0;
}

static int iso_release(const char *path, struct fuse_file_info *fi)
{
	struct isofile *f = (struct isofile *)(uintptr_t)fi->fh;

	iso9660_stat_free(f->is);
	free(f);
	return 0;
}

/* Read SIZE bytes at OFF of one section, whole sectors at a time. */
static int read_extent(struct isofs *s, const struct extent *x, char *buf,
		       size_t size, uint64_t off, char *chunk)
{
	size_t done = 0;

	while (done < size) {
		uint64_t pos = off + done;
		lsn_t lsn = x->lsn + pos / ISO_BLOCKSIZE;
		size_t skip = pos % ISO_BLOCKSIZE, n;
		size_t want = skip + (size - done);
		long sectors = (want + ISO_BLOCKSIZE - 1) / ISO_BLOCKSIZE;

		if (sectors > ISO_CHUNK_SECTORS)
			sectors = ISO_CHUNK_SECTORS;
		if (iso9660_iso_seek_read(s->iso, chunk, lsn, sectors) !=
		    sectors * ISO_BLOCKSIZE)
			return -EIO;	/* the extent lies past the image */
		n = sectors * ISO_BLOCKSIZE - skip;
		if (n > size - done)
			n = size - done;
		memcpy(buf + done, chunk + skip, n);
		done += n;
	}
	return 0;
}

static int iso_read(const char *path, char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct isofs *s = isofs_get();
	struct isofile *f = (struct isofile *)(uintptr_t)fi->fh;
	uint64_t start = 0, pos;
	size_t done = 0;
	char *chunk;
	int i, ret = 0;

	if (off < 0)
		return -EINVAL;
	if ((uint64_t)off >= f->total)
		return 0;
	if (size > f->total - off)
		size = f->total - off;
	chunk = malloc(ISO_BLOCKSIZE * ISO_CHUNK_SECTORS);
	if (!chunk)
		return -ENOMEM;
	pthread_mutex_lock(&s->lock);
	for (i = 0; i < f->n && done < size && !ret; i++) {
		const struct extent *x = &f->ext[i];
		size_t n;

		pos = off + done;
		if (pos >= start + x->size) {
			start += x->size;
			continue;
		}
		n = start + x->size - pos;
		if (n > size - done)
			n = size - done;
		ret = read_extent(s, x, buf + done, n, pos - start, chunk);
		if (!ret)
			done += n;
		start += x->size;
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
