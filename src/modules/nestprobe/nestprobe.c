/* nestprobe: a test module (built for the tests, never installed) whose
 * mount reads its source through purelibc, as libext2fs reads an image:
 * with open, fstat, read, lseek, fopen/fgets and opendir/readdir in the
 * hypervisor.  The mount shows what it read:
 *   /data  the source file's bytes (read with read(2) at mount time, and
 *          with pread(2) on the still open source at each read)
 *   /info  "size=N\nline=FIRST LINE\nentries=K\n": the source's size by
 *          fstat, its first line by stdio, and the number of entries of
 *          its directory by readdir
 * The source stays open until umount, so a mount it lies in stays busy.
 * With -o thread the source is opened and read on a thread of the module's
 * own while the mount waits for it, as umfuse runs a FUSE file system's
 * main(). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <umview/module.h>

#define DATA_MAX 65536

struct probe {
	int fd;             /* the source, open through the view */
	char *data;         /* what read(2) gave at mount time */
	size_t len;
	char info[PATH_MAX + 64];
	struct stat st;
};


static int probe_read_all(struct probe *p)
{
	size_t got = 0;
	ssize_t n;

	p->data = malloc(DATA_MAX);
	if (!p->data)
		return -ENOMEM;
	while (got < DATA_MAX &&
	       (n = read(p->fd, p->data + got, DATA_MAX - got)) > 0)
		got += n;
	if (n < 0)
		return -errno;
	p->len = got;
	return 0;
}

/* The first line by stdio, the directory's entries by readdir. */
static int probe_info(struct probe *p, const char *src)
{
	char line[256] = "", dir[PATH_MAX];
	struct dirent *e;
	int entries = 0;
	FILE *f;
	DIR *d;

	f = fopen(src, "re");
	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	snprintf(dir, sizeof(dir), "%s", src);
	d = opendir(dirname(dir));
	if (!d)
		return -errno;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			entries++;
	closedir(d);
	snprintf(p->info, sizeof(p->info), "size=%lld\nline=%s\nentries=%d\n",
		 (long long)p->st.st_size, line, entries);
	return 0;
}

static void probe_free(struct probe *p)
{
	if (!p)
		return;
	if (p->fd >= 0)
		close(p->fd);
	free(p->data);
	free(p);
}

/* Open and read the source: 0 or -errno. */
static int probe_load(struct um_service *svc, struct probe *p,
		      const char *src)
{
	int err;

	p->fd = open(src, O_RDONLY | O_CLOEXEC);
	if (p->fd < 0) {
		err = -errno;
		um_error(svc, "nestprobe: cannot open %s: %s", src,
			 strerror(errno));
		return err;
	}
	if (fstat(p->fd, &p->st) < 0)
		return -errno;
	if ((err = probe_read_all(p)) < 0 || (err = probe_info(p, src)) < 0)
		return err;
	if (lseek(p->fd, 0, SEEK_SET) != 0)
		return -EIO;
	return 0;
}

struct load_job {
	struct um_service *svc;
	struct probe *p;
	const char *src;
	int err;
};

static void *load_thread(void *arg)
{
	struct load_job *j = arg;

	j->err = probe_load(j->svc, j->p, j->src);
	return NULL;
}

static int probe_mount(struct um_service *svc, const char *source,
		       const char *target, const char *fstype,
		       unsigned long flags, const char *data, void **mnt)
{
	char src[PATH_MAX];
	struct probe *p;
	pthread_t th;
	int err;

	if (!source || !*source) {
		um_error(svc, "nestprobe: mount needs a source file");
		return -EINVAL;
	}
	err = um_caller_abspath(source, src, sizeof(src));
	if (err < 0)
		return err;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->fd = -1;
	if (data && strcmp(data, "thread") == 0) {
		struct load_job j = { svc, p, src, 0 };

		err = pthread_create(&th, NULL, load_thread, &j);
		if (err) {
			err = -err;
			goto out_free;
		}
		pthread_join(th, NULL);
		err = j.err;
	} else {
		err = probe_load(svc, p, src);
	}
	if (err < 0)
		goto out_free;
	um_service_hold(svc);
	*mnt = p;
	return 0;
out_free:
	probe_free(p);
	return err;
}

static struct um_service *the_svc;

static int probe_umount(void *mnt, int flags)
{
	probe_free(mnt);
	um_service_release(the_svc);
	return 0;
}

/* 0 root, 1 data, 2 info, -1 none */
static int which(const char *path)
{
	if (strcmp(path, "/") == 0)
		return 0;
	if (strcmp(path, "/data") == 0)
		return 1;
	if (strcmp(path, "/info") == 0)
		return 2;
	return -1;
}

static int probe_stat(struct probe *p, int w, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_nlink = 1;
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_ino = w + 1;
	st->st_blksize = 4096;
	if (w == 0) {
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
	} else {
		st->st_mode = S_IFREG | 0444;
		st->st_size = w == 1 ? (off_t)p->len : (off_t)strlen(p->info);
	}
	return 0;
}

static int probe_lstat(void *mnt, const char *path, struct stat *st)
{
	int w = which(path);

	return w < 0 ? -ENOENT : probe_stat(mnt, w, st);
}

static int probe_access(void *mnt, const char *path, int mode)
{
	if (which(path) < 0)
		return -ENOENT;
	return (mode & W_OK) ? -EACCES : 0;
}

static int probe_open(void *mnt, const char *path, int flags, mode_t mode,
		      void **handle)
{
	int w = which(path);

	if (w < 0)
		return (flags & O_CREAT) ? -EROFS : -ENOENT;
	if ((flags & O_ACCMODE) != O_RDONLY)
		return w == 0 ? -EISDIR : -EROFS;
	if ((flags & O_DIRECTORY) && w != 0)
		return -ENOTDIR;
	*handle = (void *)(long)(w + 1);
	return 0;
}

static int probe_release(void *mnt, void *handle)
{
	return 0;
}

/* /data is read from the source again, by pread on the open fd. */
static ssize_t probe_pread(void *mnt, void *handle, void *buf, size_t count,
			   off_t off)
{
	struct probe *p = mnt;
	int w = (int)(long)handle - 1;
	ssize_t n;

	if (w == 0)
		return -EISDIR;
	if (w == 1) {
		if (off >= (off_t)p->len)
			return 0;
		if (count > p->len - off)
			count = p->len - off;
		n = pread(p->fd, buf, count, off);
		return n < 0 ? -errno : n;
	}
	if (off >= (off_t)strlen(p->info))
		return 0;
	if (count > strlen(p->info) - off)
		count = strlen(p->info) - off;
	memcpy(buf, p->info + off, count);
	return count;
}

static int probe_fstat(void *mnt, void *handle, struct stat *st)
{
	return probe_stat(mnt, (int)(long)handle - 1, st);
}

struct dirent64_hdr {
	unsigned long long ino;
	long long off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

static ssize_t probe_getdents64(void *mnt, void *handle, void *buf,
				size_t count, off_t *pos)
{
	static const char *const all[] = { ".", "..", "data", "info" };
	size_t used = 0;

	if ((long)handle != 1)
		return -ENOTDIR;
	while (*pos < 4) {
		const char *name = all[*pos];
		size_t rec = (sizeof(struct dirent64_hdr) + strlen(name) + 1 +
			      7) & ~(size_t)7;
		struct dirent64_hdr *d = (void *)((char *)buf + used);

		if (used + rec > count)
			return used ? (ssize_t)used : -EINVAL;
		memset(d, 0, rec);
		d->ino = *pos + 1;
		d->off = *pos + 1;
		d->reclen = rec;
		d->type = *pos < 2 ? DT_DIR : DT_REG;
		strcpy(d->name, name);
		used += rec;
		++*pos;
	}
	return used;
}

static int probe_statfs(void *mnt, const char *path, struct statfs *buf)
{
	if (which(path) < 0)
		return -ENOENT;
	memset(buf, 0, sizeof(*buf));
	buf->f_type = 0x6e657374; /* "nest" */
	buf->f_bsize = 4096;
	buf->f_namelen = 255;
	return 0;
}

static ssize_t probe_readlink(void *mnt, const char *path, char *buf,
			      size_t size)
{
	return which(path) < 0 ? -ENOENT : -EINVAL;
}

static int probe_init(struct um_service *svc, const char *options)
{
	int id = um_register(svc, UM_REG_FSTYPE, 0, "nestprobe");

	the_svc = svc;
	return id < 0 ? id : 0;
}

UM_MODULE_EXPORT struct um_module um_module = {
	.api_version = UM_MODULE_API_VERSION,
	.size = sizeof(struct um_module),
	.name = "nestprobe",
	.description = "test: a mount that reads its source through the view",
	.init = probe_init,
	.mount = probe_mount,
	.umount = probe_umount,
	.lstat = probe_lstat,
	.access = probe_access,
	.open = probe_open,
	.release = probe_release,
	.pread = probe_pread,
	.fstat = probe_fstat,
	.getdents64 = probe_getdents64,
	.statfs = probe_statfs,
	.readlink = probe_readlink,
};
