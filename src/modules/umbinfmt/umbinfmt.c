/* umbinfmt: binfmt_misc inside the view.  A pseudo file system with
 * "register", "status" and one file per rule, speaking Linux's interface,
 * and the exec operation that tells the core which interpreter runs a
 * file.  Every mount shows the same registry, as Linux shares one per user
 * namespace. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <umview/module.h>

#include "umbinfmt.h"

/* statfs f_type of binfmt_misc, as Linux reports it */
#define BINFMTFS_MAGIC 0x42494e4d

/* What an open file of the file system is. */
enum bf_kind { BF_ROOT, BF_REGISTER, BF_STATUS, BF_ENTRY };

struct bf_file {
	enum bf_kind kind;
	struct bf_rule *rule; /* BF_ENTRY: a reference */
};

/* The registry, shared by every mount of the service. */
static struct {
	struct um_service *svc;
	bool enabled;
	struct bf_rule *rules; /* newest first, as Linux searches them */
	time_t mtime;
} reg = { .enabled = true };

/* A rule's reference count: the registry holds one, each open file one. */
static void rule_put(struct bf_rule *r)
{
	if (!r || --r->refs > 0)
		return;
	if (r->interp_fd >= 0)
		close(r->interp_fd);
	free(r);
}

static struct bf_rule *rule_find(const char *name)
{
	struct bf_rule *r;

	for (r = reg.rules; r; r = r->next)
		if (strcmp(r->name, name) == 0)
			return r;
	return NULL;
}

static void rule_remove(struct bf_rule *r)
{
	struct bf_rule **pp;

	for (pp = &reg.rules; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	r->next = NULL;
	r->removed = true;
	um_unregister(reg.svc, r->reg_id);
	reg.mtime = time(NULL);
	rule_put(r);
}

static void remove_all(void)
{
	while (reg.rules)
		rule_remove(reg.rules);
}

/* "1", "0" or "-1" (one trailing newline allowed), as Linux parses what is
 * written to status or to a rule.  Returns 1, 0, -1, or -EINVAL. */
static int parse_command(const char *buf, size_t count)
{
	if (count > 3)
		return -EINVAL;
	if (count && buf[count - 1] == '\n')
		count--;
	if (count == 1 && buf[0] == '0')
		return 0;
	if (count == 1 && buf[0] == '1')
		return 1;
	if (count == 2 && buf[0] == '-' && buf[1] == '1')
		return -1;
	return -EINVAL;
}

/* --- what the files read --- */

static size_t put_hex(char *out, const unsigned char *p, int n)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 15];
	}
	return 2 * (size_t)n;
}

/* A rule's file, as Linux prints it. */
static size_t rule_text(const struct bf_rule *r, char *out)
{
	size_t n;

	n = sprintf(out, "%s\ninterpreter %s\nflags: %s%s%s%s\n",
		    r->enabled ? "enabled" : "disabled", r->interpreter,
		    (r->flags & UM_BINFMT_P) ? "P" : "",
		    (r->flags & UM_BINFMT_O) ? "O" : "",
		    (r->flags & UM_BINFMT_C) ? "C" : "",
		    (r->flags & UM_BINFMT_F) ? "F" : "");
	if (r->extension)
		return n + sprintf(out + n, "extension .%s\n",
				   (const char *)r->magic);
	n += sprintf(out + n, "offset %d\nmagic ", r->offset);
	n += put_hex(out + n, r->magic, r->size);
	out[n++] = '\n';
	if (r->has_mask) {
		n += sprintf(out + n, "mask ");
		n += put_hex(out + n, r->mask, r->size);
		out[n++] = '\n';
	}
	out[n] = '\0';
	return n;
}

/* --- the file system --- */

/* Which object a path inside the mount names.  Returns its kind, and the
 * rule for BF_ENTRY, or -ENOENT. */
static int lookup(const char *path, struct bf_rule **rule)
{
	*rule = NULL;
	if (strcmp(path, "/") == 0)
		return BF_ROOT;
	if (strcmp(path, "/register") == 0)
		return BF_REGISTER;
	if (strcmp(path, "/status") == 0)
		return BF_STATUS;
	if (path[0] == '/' && !strchr(path + 1, '/') &&
	    (*rule = rule_find(path + 1)))
		return BF_ENTRY;
	return -ENOENT;
}

static void fill_stat(enum bf_kind kind, const struct bf_rule *r,
		      struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = BINFMTFS_MAGIC;
	st->st_uid = 0;
	st->st_gid = 0;
	st->st_blksize = 4096;
	st->st_mtim.tv_sec = reg.mtime;
	st->st_ctim = st->st_atim = st->st_mtim;
	switch (kind) {
	case BF_ROOT:
		st->st_ino = 1;
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		break;
	case BF_STATUS:
		st->st_ino = 2;
		st->st_mode = S_IFREG | 0644;
		st->st_nlink = 1;
		break;
	case BF_REGISTER:
		st->st_ino = 3;
		st->st_mode = S_IFREG | 0200;
		st->st_nlink = 1;
		break;
	case BF_ENTRY:
		st->st_ino = r->ino;
		st->st_mode = S_IFREG | 0644;
		st->st_nlink = 1;
		st->st_mtim.tv_sec = r->mtime;
		st->st_ctim = st->st_atim = st->st_mtim;
		break;
	}
}

static int bf_lstat(void *mnt, const char *path, struct stat *st)
{
	struct bf_rule *r;
	int kind = lookup(path, &r);

	(void)mnt;
	if (kind < 0)
		return kind;
	fill_stat(kind, r, st);
	return 0;
}

static ssize_t bf_readlink(void *mnt, const char *path, char *buf,
			   size_t size)
{
	struct bf_rule *r;
	int kind = lookup(path, &r);

	(void)mnt, (void)buf, (void)size;
	return kind < 0 ? kind : -EINVAL;
}

/* Permission bits as in Linux: root owns everything, so a normal user
 * reads status and rules, and only the owner of the view (whose view it
 * is) writes.  Inside the view we let the user act as binfmt_misc's root. */
static int bf_access(void *mnt, const char *path, int mode)
{
	struct bf_rule *r;
	int kind = lookup(path, &r);

	(void)mnt;
	if (kind < 0)
		return kind;
	if ((mode & X_OK) && kind != BF_ROOT)
		return -EACCES;
	if ((mode & R_OK) && kind == BF_REGISTER)
		return -EACCES;
	if ((mode & W_OK) && kind == BF_ROOT)
		return -EACCES;
	return 0;
}

static int bf_open(void *mnt, const char *path, int flags, mode_t mode,
		   void **handle)
{
	struct bf_file *f;
	struct bf_rule *r;
	int acc = flags & O_ACCMODE;
	int kind = lookup(path, &r);

	(void)mnt, (void)mode;
	if (kind < 0)
		return (flags & O_CREAT) ? -EACCES : kind;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	if (kind == BF_ROOT && acc != O_RDONLY)
		return -EISDIR;
	if (kind != BF_ROOT && (flags & O_DIRECTORY))
		return -ENOTDIR;
	if (kind == BF_REGISTER && acc != O_WRONLY)
		return -EACCES;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->kind = kind;
	f->rule = r;
	if (r)
		r->refs++;
	*handle = f;
	return 0;
}

static int bf_release(void *mnt, void *handle)
{
	struct bf_file *f = handle;

	(void)mnt;
	rule_put(f->rule);
	free(f);
	return 0;
}

static ssize_t bf_pread(void *mnt, void *handle, void *buf, size_t count,
			off_t offset)
{
	struct bf_file *f = handle;
	char text[4 * UM_BINFMT_HEAD + PATH_MAX + 128];
	size_t len;

	(void)mnt;
	switch (f->kind) {
	case BF_ROOT:
		return -EISDIR;
	case BF_REGISTER:
		return -EINVAL;
	case BF_STATUS:
		len = sprintf(text, "%s\n", reg.enabled ? "enabled" : "disabled");
		break;
	default:
		len = rule_text(f->rule, text);
		break;
	}
	if (offset < 0)
		return -EINVAL;
	if ((size_t)offset >= len)
		return 0;
	if (count > len - offset)
		count = len - offset;
	memcpy(buf, text + offset, count);
	return count;
}

static int add_rule(const char *line, size_t count)
{
	struct bf_rule *r;
	int err;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->refs = 1;
	r->interp_fd = -1;
	err = umbinfmt_parse(line, count, r);
	if (err < 0)
		goto out_free;
	/* the name is a file of the directory, next to these two */
	if (rule_find(r->name) || !strcmp(r->name, "register") ||
	    !strcmp(r->name, "status")) {
		err = -EEXIST;
		goto out_free;
	}
	if (r->flags & UM_BINFMT_F) {
		/* Linux opens the interpreter now: the rule keeps working
		 * when its path changes or leaves the view. */
		r->interp_fd = open(r->interpreter, O_RDONLY | O_CLOEXEC);
		if (r->interp_fd < 0) {
			err = -errno;
			goto out_free;
		}
	}
	err = um_register(reg.svc, UM_REG_BINFMT, 0, r->name);
	if (err < 0)
		goto out_free;
	r->reg_id = err;
	r->enabled = true;
	r->mtime = reg.mtime = time(NULL);
	{
		static ino_t next_ino = 100;

		r->ino = next_ino++;
	}
	r->next = reg.rules;
	reg.rules = r;
	um_debug(reg.svc, "umbinfmt: rule %s -> %s", r->name, r->interpreter);
	return 0;
out_free:
	rule_put(r);
	return err;
}

static ssize_t bf_pwrite(void *mnt, void *handle, const void *buf,
			 size_t count, off_t offset)
{
	struct bf_file *f = handle;
	int cmd, err;

	(void)mnt, (void)offset;
	switch (f->kind) {
	case BF_ROOT:
		return -EISDIR;
	case BF_REGISTER:
		err = add_rule(buf, count);
		return err < 0 ? err : (ssize_t)count;
	case BF_STATUS:
		cmd = parse_command(buf, count);
		if (cmd == -EINVAL)
			return cmd;
		if (cmd == -1)
			remove_all();
		else
			reg.enabled = cmd;
		return count;
	default:
		cmd = parse_command(buf, count);
		if (cmd == -EINVAL)
			return cmd;
		if (f->rule->removed)
			return -ENOENT;
		if (cmd == -1)
			rule_remove(f->rule);
		else
			f->rule->enabled = cmd;
		return count;
	}
}

static int bf_fstat(void *mnt, void *handle, struct stat *st)
{
	struct bf_file *f = handle;

	(void)mnt;
	fill_stat(f->kind, f->rule, st);
	return 0;
}

struct bf_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Positions: 0 ".", 1 "..", 2 "status", 3 "register", then rule k (the
 * oldest first) at 4 + k. */
static ssize_t bf_getdents64(void *mnt, void *handle, void *buf,
			     size_t count, off_t *pos)
{
	struct bf_file *f = handle;
	const struct bf_rule *r;
	size_t used = 0;
	int nrules = 0, k;

	(void)mnt;
	if (f->kind != BF_ROOT)
		return -ENOTDIR;
	for (r = reg.rules; r; r = r->next)
		nrules++;
	for (;;) {
		const char *name;
		unsigned long long ino;
		unsigned char type = DT_REG;
		struct bf_dirent64 *d;
		size_t len, reclen;

		if (*pos == 0) {
			name = ".", ino = 1, type = DT_DIR;
		} else if (*pos == 1) {
			name = "..", ino = 1, type = DT_DIR;
		} else if (*pos == 2) {
			name = "status", ino = 2;
		} else if (*pos == 3) {
			name = "register", ino = 3;
		} else if (*pos - 4 < nrules) {
			/* the list is newest first */
			r = reg.rules;
			for (k = nrules - 1 - (int)(*pos - 4); k > 0; k--)
				r = r->next;
			name = r->name, ino = r->ino;
		} else {
			break;
		}
		len = strlen(name);
		reclen = (offsetof(struct bf_dirent64, d_name) + len + 1 + 7) &
			 ~(size_t)7;
		if (used + reclen > count) {
			if (!used)
				return -EINVAL;
			break;
		}
		d = (struct bf_dirent64 *)((char *)buf + used);
		memset(d, 0, reclen);
		d->d_ino = ino;
		d->d_off = *pos + 1;
		d->d_reclen = reclen;
		d->d_type = type;
		memcpy(d->d_name, name, len);
		used += reclen;
		++*pos;
	}
	return used;
}

static int bf_truncate(void *mnt, const char *path, off_t length)
{
	struct bf_rule *r;
	int kind = lookup(path, &r);

	(void)mnt, (void)length;
	return kind < 0 ? kind : kind == BF_ROOT ? -EISDIR : 0;
}

/* "echo ... > register" opens with O_TRUNC: nothing to truncate. */
static int bf_ftruncate(void *mnt, void *handle, off_t length)
{
	(void)mnt, (void)handle, (void)length;
	return 0;
}

static int bf_statfs(void *mnt, const char *path, struct statfs *buf)
{
	(void)mnt, (void)path;
	memset(buf, 0, sizeof(*buf));
	buf->f_type = BINFMTFS_MAGIC;
	buf->f_bsize = 4096;
	buf->f_namelen = 255;
	buf->f_frsize = 4096;
	return 0;
}

/* The directory holds only what register creates. */
static int bf_refuse(void *mnt, const char *path, mode_t mode)
{
	(void)mnt, (void)path, (void)mode;
	return -EPERM;
}

static int bf_refuse_path(void *mnt, const char *path)
{
	struct bf_rule *r;
	int kind = lookup(path, &r);

	(void)mnt;
	return kind < 0 ? kind : -EPERM;
}

/* --- mounts --- */

static int bf_mount(struct um_service *svc, const char *source,
		    const char *target, const char *fstype,
		    unsigned long flags, const char *data, void **mnt)
{
	(void)source, (void)fstype, (void)flags, (void)data;
	um_service_hold(svc);
	um_debug(svc, "umbinfmt: mounted at %s", target);
	*mnt = &reg;
	return 0;
}

static int bf_umount(void *mnt, int flags)
{
	(void)mnt, (void)flags;
	um_service_release(reg.svc);
	return 0;
}

/* --- exec --- */

static int bf_binfmt_match(struct um_service *svc, const char *rule,
			   const char *path, const unsigned char *head,
			   size_t len, struct um_binfmt *out)
{
	const struct bf_rule *r = rule_find(rule);

	(void)svc;
	if (!r || !reg.enabled || !r->enabled)
		return 0;
	if (!umbinfmt_matches(r, path, head, len))
		return 0;
	if (strlen(r->interpreter) >= sizeof(out->interpreter))
		return -ENAMETOOLONG;
	strcpy(out->interpreter, r->interpreter);
	out->flags = r->flags;
	out->interp_fd = r->interp_fd;
	return 1;
}

static int bf_init(struct um_service *svc, const char *options)
{
	if (options && *options) {
		um_error(svc, "umbinfmt: no options are known (got \"%s\")",
			 options);
		return -EINVAL;
	}
	reg.svc = svc;
	reg.enabled = true;
	reg.mtime = time(NULL);
	return um_register(svc, UM_REG_FSTYPE, 0, "umbinfmt") < 0 ? -EINVAL
								  : 0;
}

static void bf_fini(struct um_service *svc)
{
	(void)svc;
	remove_all();
}

UM_MODULE_EXPORT struct um_module um_module = {
	.api_version = UM_MODULE_API_VERSION,
	.size = sizeof(struct um_module),
	.name = "umbinfmt",
	.description = "binfmt_misc: run files through registered interpreters",
	.init = bf_init,
	.fini = bf_fini,
	.mount = bf_mount,
	.umount = bf_umount,
	.lstat = bf_lstat,
	.readlink = bf_readlink,
	.access = bf_access,
	.open = bf_open,
	.release = bf_release,
	.pread = bf_pread,
	.pwrite = bf_pwrite,
	.fstat = bf_fstat,
	.getdents64 = bf_getdents64,
	.truncate = bf_truncate,
	.ftruncate = bf_ftruncate,
	.statfs = bf_statfs,
	.mkdir = bf_refuse,
	.unlink = bf_refuse_path,
	.rmdir = bf_refuse_path,
	.binfmt_match = bf_binfmt_match,
};
