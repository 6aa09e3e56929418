/* umfuse: directory listings: the file system's readdir collected whole
 * (with or without offsets) and handed out as getdents64 records. */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "umfuse.h"

#define OP(m) (&(m)->f->op)

void umfuse_dir_clear(struct umfuse_file *file)
{
	size_t i;

	for (i = 0; i < file->nents; i++)
		free(file->ents[i].name);
	file->nents = 0;
	file->listed = false;
}

/* The path of name in directory dir ("." and ".." included). */
static char *child_path(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	char *p;

	if (strcmp(name, ".") == 0)
		return strdup(dir);
	if (strcmp(name, "..") == 0) {
		const char *slash = strrchr(dir, '/');

		return slash == dir ? strdup("/") : strndup(dir, slash - dir);
	}
	p = malloc(n + strlen(name) + 2);
	if (p)
		sprintf(p, "%s%s%s", dir, n > 1 ? "/" : "", name);
	return p;
}

/* The fill function: collects every entry (never reports a full buffer,
 * so a file system that gives offsets lists the whole directory too). */
static int filler(void *buf, const char *name, const struct stat *st,
		  off_t off, enum fuse_fill_dir_flags flags)
{
	struct umfuse_file *file = buf;
	struct umfuse_dirent *e;
	char *child;

	if (file->nents == file->cap) {
		size_t cap = file->cap ? 2 * file->cap : 32;

		e = realloc(file->ents, cap * sizeof(*e));
		if (!e)
			return 1;
		file->ents = e;
		file->cap = cap;
	}
	e = &file->ents[file->nents];
	e->name = strdup(name);
	if (!e->name)
		return 1;
	e->type = st ? (st->st_mode & S_IFMT) >> 12 : DT_UNKNOWN;
	if (st && st->st_ino && file->m->f->conf.use_ino) {
		e->ino = st->st_ino;
	} else {
		child = child_path(file->path, name);
		e->ino = child ? umfuse_ino(child) : 2;
		free(child);
	}
	file->nents++;
	return 0;
}

static int dir_list(struct umfuse_mnt *m, struct umfuse_file *file)
{
	int err;

	umfuse_dir_clear(file);
	if (!OP(m)->readdir)
		return -ENOSYS;
	err = OP(m)->readdir(file->path, file, filler, 0, &file->fi, 0);
	if (err < 0)
		return err;
	file->listed = true;
	return 0;
}

struct dirent64_hdr {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

ssize_t umfuse_getdents64(void *mnt, void *handle, void *buf, size_t count,
			  off_t *pos)
{
	struct umfuse_mnt *m = mnt;
	struct umfuse_file *file = handle;
	size_t used = 0;
	int err;

	if (!file->is_dir)
		return -ENOTDIR;
	umfuse_ctx_begin(m->f, um_caller_pid());
	if (*pos == 0 || !file->listed) {
		err = dir_list(m, file);
		if (err < 0)
			return err;
	}
	while (*pos >= 0 && (size_t)*pos < file->nents) {
		const struct umfuse_dirent *e = &file->ents[*pos];
		size_t namelen = strlen(e->name);
		size_t reclen = (offsetof(struct dirent64_hdr, d_name) +
				 namelen + 1 + 7) & ~(size_t)7;
		struct dirent64_hdr *d = (void *)((char *)buf + used);

		if (used + reclen > count)
			break;
		memset(d, 0, reclen);
		d->d_ino = e->ino;
		d->d_off = *pos + 1;
		d->d_reclen = reclen;
		d->d_type = e->type;
		memcpy(d->d_name, e->name, namelen);
		used += reclen;
		(*pos)++;
	}
	if (!used && (size_t)*pos < file->nents)
		return -EINVAL;
	return used;
}

