/* umfuse: permission checks of the default_permissions mount option,
 * made against the caller's credentials as the kernel would make them
 * (without default_permissions the file system checks for itself). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "umfuse.h"

static bool enabled(const struct umfuse_mnt *m)
{
	return m->f->mo.default_permissions;
}

/* path's attributes; fi: through the open file (it may be unlinked). */
static int stat_path(struct umfuse_mnt *m, const char *path,
		     struct fuse_file_info *fi, struct stat *st)
{
	int err;

	if (!m->f->op.getattr)
		return -ENOSYS;
	memset(st, 0, sizeof(*st));
	err = m->f->op.getattr(path, st, fi);
	if (err < 0)
		return err;
	umfuse_fix_stat(m, path, st);
	return 0;
}

static bool in_group(gid_t gid)
{
	struct fuse_context *c = fuse_get_context();
	gid_t groups[256];
	int i, n;

	if (c->gid == gid)
		return true;
	n = fuse_getgroups(256, groups);
	for (i = 0; i < n && i < 256; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

int umfuse_perm(struct umfuse_mnt *m, const char *path,
		struct fuse_file_info *fi, int mask)
{
	struct fuse_context *c;
	struct stat st;
	unsigned bits;
	int err;

	if (!enabled(m) || !mask)
		return 0;
	if ((err = stat_path(m, path, fi, &st)) < 0)
		return err;
	c = fuse_get_context();
	if (c->uid == 0) {
		/* root may execute only what someone may execute */
		if ((mask & X_OK) && !S_ISDIR(st.st_mode) &&
		    !(st.st_mode & 0111))
			return -EACCES;
		return 0;
	}
	if (st.st_uid == c->uid)
		bits = st.st_mode >> 6;
	else if (in_group(st.st_gid))
		bits = st.st_mode >> 3;
	else
		bits = st.st_mode;
	return (bits & mask & 7) == (unsigned)(mask & 7) ? 0 : -EACCES;
}

int umfuse_perm_parent(struct umfuse_mnt *m, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *parent;
	int err;

	if (!enabled(m) || !slash)
		return 0;
	parent = slash == path ? strdup("/") : strndup(path, slash - path);
	if (!parent)
		return -ENOMEM;
	err = umfuse_perm(m, parent, NULL, W_OK | X_OK);
	free(parent);
	return err;
}

int umfuse_perm_owner(struct umfuse_mnt *m, const char *path,
		      struct fuse_file_info *fi)
{
	struct fuse_context *c;
	struct stat st;
	int err;

	if (!enabled(m))
		return 0;
	if ((err = stat_path(m, path, fi, &st)) < 0)
		return err;
	c = fuse_get_context();
	return c->uid == 0 || c->uid == st.st_uid ? 0 : -EPERM;
}

int umfuse_perm_chown(struct umfuse_mnt *m, const char *path,
		      struct fuse_file_info *fi, uid_t uid, gid_t gid)
{
	struct fuse_context *c;
	struct stat st;
	int err;

	if (!enabled(m))
		return 0;
	if ((err = stat_path(m, path, fi, &st)) < 0)
		return err;
	c = fuse_get_context();
	if (c->uid == 0)
		return 0;
	/* The owner may change the group to one of its own groups. */
	if (c->uid != st.st_uid || (uid != (uid_t)-1 && uid != st.st_uid) ||
	    (gid != (gid_t)-1 && gid != st.st_gid && !in_group(gid)))
		return -EPERM;
	return 0;
}
