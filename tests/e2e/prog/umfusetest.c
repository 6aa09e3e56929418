/* A FUSE file system for the umfuse tests, an ordinary libfuse 3 program:
 * /whoami shows fuse_get_context() of the reader (creating /made stores
 * the creator's in /store), /many lists 1000 entries
 * through readdir's offsets, /store keeps what is written; data moves
 * through read_buf/write_buf only (there is no read or write).
 * -o fail makes main() fail, -o hang makes it wait forever; -o mark=FILE
 * writes FILE from destroy(). */
#define FUSE_USE_VERSION 35
#include <errno.h>
#include <fuse.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NMANY 1000

static struct options {
	int fail;
	int hang;
	char *mark;
} opt;

static const struct fuse_opt spec[] = {
	{ "fail", offsetof(struct options, fail), 1 },
	{ "hang", offsetof(struct options, hang), 1 },
	{ "mark=%s", offsetof(struct options, mark), 0 },
	FUSE_OPT_END
};

static int magic;
static char *store;
static size_t store_len;

static void *t_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	cfg->use_ino = 0;
	return &magic;
}

static void t_destroy(void *pd)
{
	FILE *f;

	if (pd != &magic || !opt.mark)
		return;
	f = fopen(opt.mark, "w");
	if (f) {
		fprintf(f, "destroyed %zu\n", store_len);
		fclose(f);
	}
}

static int whoami(char *buf, size_t size)
{
	struct fuse_context *c = fuse_get_context();

	return snprintf(buf, size, "uid=%u gid=%u pid=%d umask=%03o\n",
			(unsigned)c->uid, (unsigned)c->gid, (int)c->pid,
			(unsigned)c->umask);
}

static int t_getattr(const char *path, struct stat *st,
		     struct fuse_file_info *fi)
{
	char tmp[128];

	if (fuse_get_context()->private_data != &magic)
		return -EIO;
	memset(st, 0, sizeof(*st));
	if (strcmp(path, "/") == 0 || strcmp(path, "/many") == 0) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
	} else if (strcmp(path, "/whoami") == 0) {
		st->st_mode = S_IFREG | 0444;
		st->st_size = whoami(tmp, sizeof(tmp));
	} else if (strcmp(path, "/store") == 0) {
		st->st_mode = S_IFREG | 0644;
		st->st_size = store_len;
	} else if (strncmp(path, "/many/e", 7) == 0 && atoi(path + 7) < NMANY) {
		st->st_mode = S_IFREG | 0444;
	} else {
		return -ENOENT;
	}
	st->st_nlink = st->st_nlink ? st->st_nlink : 1;
	return 0;
}

static int t_readdir(const char *path, void *buf, fuse_fill_dir_t fill,
		     off_t off, struct fuse_file_info *fi,
		     enum fuse_readdir_flags flags)
{
	char name[16];
	int i;

	if (strcmp(path, "/") == 0) {
		fill(buf, ".", NULL, 0, 0);
		fill(buf, "..", NULL, 0, 0);
		fill(buf, "whoami", NULL, 0, 0);
		fill(buf, "store", NULL, 0, 0);
		fill(buf, "many", NULL, 0, 0);
		return 0;
	}
	if (strcmp(path, "/many") != 0)
		return -ENOTDIR;
	/* offset mode: the entry at off, then on until the buffer is full */
	for (i = off; i < NMANY; i++) {
		snprintf(name, sizeof(name), "e%04d", i);
		if (fill(buf, name, NULL, i + 1, 0))
			break;
	}
	return 0;
}

static int t_open(const char *path, struct fuse_file_info *fi)
{
	if (strcmp(path, "/whoami") == 0 && (fi->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	return 0;
}

static int t_read_buf(const char *path, struct fuse_bufvec **bufp,
		      size_t size, off_t off, struct fuse_file_info *fi)
{
	struct fuse_bufvec *v = malloc(sizeof(*v));
	char tmp[128];
	const char *src = "";
	size_t len = 0;

	if (!v)
		return -ENOMEM;
	if (strcmp(path, "/whoami") == 0) {
		len = whoami(tmp, sizeof(tmp));
		src = tmp;
	} else if (strcmp(path, "/store") == 0) {
		len = store_len;
		src = store;
	}
	len = (size_t)off < len ? len - off : 0;
	len = len < size ? len : size;
	*v = FUSE_BUFVEC_INIT(len);
	v->buf[0].mem = malloc(len ? len : 1);
	if (!v->buf[0].mem) {
		free(v);
		return -ENOMEM;
	}
	if (len)
		memcpy(v->buf[0].mem, src + off, len);
	*bufp = v;
	return 0;
}

static int t_write_buf(const char *path, struct fuse_bufvec *in, off_t off,
		       struct fuse_file_info *fi)
{
	size_t size = fuse_buf_size(in);
	struct fuse_bufvec dst = FUSE_BUFVEC_INIT(size);
	char *n;

	if (strcmp(path, "/store") != 0)
		return -EACCES;
	if (off + size > store_len) {
		n = realloc(store, off + size);
		if (!n)
			return -ENOMEM;
		memset(n + store_len, 0, off + size - store_len);
		store = n;
		store_len = off + size;
	}
	dst.buf[0].mem = store + off;
	return fuse_buf_copy(&dst, in, 0);
}

static int t_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	char tmp[128];
	int n;

	if (strcmp(path, "/made") != 0)
		return -EACCES;
	n = whoami(tmp, sizeof(tmp));
	free(store);
	store = strdup(tmp);
	store_len = store ? (size_t)n : 0;
	return 0;
}

static int t_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	if (strcmp(path, "/store") != 0)
		return -EACCES;
	if ((size_t)size < store_len)
		store_len = size;
	return 0;
}

static const struct fuse_operations ops = {
	.getattr = t_getattr,
	.readdir = t_readdir,
	.open = t_open,
	.read_buf = t_read_buf,
	.write_buf = t_write_buf,
	.truncate = t_truncate,
	.create = t_create,
	.init = t_init,
	.destroy = t_destroy,
};

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	int ret;

	if (fuse_opt_parse(&args, &opt, spec, NULL) == -1)
		return 1;
	if (opt.fail) {
		fprintf(stderr, "umfusetest: failing as asked (-o fail)\n");
		fuse_opt_free_args(&args);
		return 1;
	}
	while (opt.hang)
		pause();
	ret = fuse_main(args.argc, args.argv, &ops, NULL);
	fuse_opt_free_args(&args);
	return ret;
}
