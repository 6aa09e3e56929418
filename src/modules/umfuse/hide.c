/* umfuse: files removed while open.  As libfuse does (unless the
 * hard_remove option is given), unlink or rename over an open file renames
 * it to a hidden name in its directory instead, so that the file system
 * can still serve the open file by path; the hidden name is removed when
 * the last open file on it is released. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "umfuse.h"

#define OP(m) (&(m)->f->op)

bool umfuse_is_open(const struct umfuse_mnt *m, const char *path)
{
	const struct umfuse_file *file;

	if (m->f->conf.hard_remove || !OP(m)->rename)
		return false;
	for (file = m->files; file; file = file->next)
		if (!file->is_dir && strcmp(file->path, path) == 0)
			return true;
	return false;
}

/* Keep the paths of open files right across a rename (as libfuse's
 * node table does). */
void umfuse_rename_open(struct umfuse_mnt *m, const char *from,
			const char *to)
{
	size_t n = strlen(from);
	struct umfuse_file *file;

	for (file = m->files; file; file = file->next) {
		char *p;

		if (strncmp(file->path, from, n) != 0 ||
		    (file->path[n] != '/' && file->path[n] != '\0'))
			continue;
		p = malloc(strlen(to) + strlen(file->path + n) + 1);
		if (!p)
			continue;
		sprintf(p, "%s%s", to, file->path + n);
		free(file->path);
		file->path = p;
	}
}

/* A name in path's directory that does not exist yet. */
static char *hidden_name(struct umfuse_mnt *m, const char *path)
{
	static unsigned int ctr;
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path) : 0;
	struct stat st;
	int tries;

	for (tries = 0; tries < 10; tries++) {
		char *name;

		if (asprintf(&name, "%.*s/.fuse_hidden%08x%08x", dirlen, path,
			     (unsigned int)m->dev, ++ctr) < 0)
			return NULL;
		memset(&st, 0, sizeof(st));
		if (!OP(m)->getattr ||
		    OP(m)->getattr(name, &st, NULL) == -ENOENT)
			return name;
		free(name);
	}
	return NULL;
}

int umfuse_hide(struct umfuse_mnt *m, const char *path)
{
	struct umfuse_file *file;
	char *hidden = hidden_name(m, path);
	int err;

	if (!hidden)
		return -EBUSY;
	err = OP(m)->rename(path, hidden, 0);
	if (err < 0) {
		free(hidden);
		return err;
	}
	umfuse_rename_open(m, path, hidden);
	for (file = m->files; file; file = file->next)
		if (strcmp(file->path, hidden) == 0)
			file->hidden = true;
	free(hidden);
	return 0;
}

void umfuse_unhide(struct umfuse_mnt *m, const struct umfuse_file *gone)
{
	const struct umfuse_file *file;

	if (!gone->hidden)
		return;
	for (file = m->files; file; file = file->next)
		if (file != gone && strcmp(file->path, gone->path) == 0)
			return;
	if (OP(m)->unlink)
		OP(m)->unlink(gone->path);
}
