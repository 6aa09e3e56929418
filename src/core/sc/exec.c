/* execve and execveat of a file inside a virtual mount: the kernel needs a
 * real file, so the program is copied to a private cache and the call is
 * rewritten to run the copy.  These calls come through ptrace (not the
 * user-notification channel), because their path argument must change. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../inject.h"
#include "../mem.h"
#include "../mtab.h"
#include "../path.h"
#include "../service.h"
#include "../tracee.h"
#include "../view.h"
#include "sc.h"

static char cache_dir[64];

static int remove_entry(const char *path, const struct stat *st, int type,
			struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	remove(path);
	return 0;
}

void exec_cache_cleanup(void)
{
	if (!cache_dir[0])
		return;
	/* depth first, not following symlinks: the copies, then the dir */
	nftw(cache_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	cache_dir[0] = '\0';
}

static int ensure_cache(void)
{
	const char *tmp = getenv("TMPDIR");

	if (cache_dir[0])
		return 0;
	snprintf(cache_dir, sizeof(cache_dir), "%s/umview-exec.XXXXXX",
		 tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if (!mkdtemp(cache_dir)) {
		cache_dir[0] = '\0';
		return -errno;
	}
	return 0;
}

/* Copy the virtual file to the cache (once per version of it).  Returns 0
 * with its path in out, or -errno. */
static int cached_copy(struct vpath *vp, const struct stat *st, char *out,
		       size_t size)
{
	struct um_service *svc = vp->m->svc;
	int (*op)(void *, const char *, int, mode_t, void **) =
		SERVICE_OP(svc, open);
	ssize_t (*rd)(void *, void *, void *, size_t, off_t) =
		SERVICE_OP(svc, pread);
	int (*rel)(void *, void *) = SERVICE_OP(svc, release);
	unsigned long h = 5381;
	char tmp[PATH_MAX + 8], buf[65536];
	const char *p;
	void *handle = NULL;
	off_t off = 0;
	ssize_t n = 0;
	int fd, src, err;

	err = ensure_cache();
	if (err < 0)
		return err;
	for (p = vp->abs; *p; p++)
		h = h * 33 + (unsigned char)*p;
	snprintf(out, size, "%s/%lx-%lx-%lx-%lx", cache_dir, h,
		 (unsigned long)st->st_ino, (unsigned long)st->st_mtim.tv_sec,
		 (unsigned long)st->st_size);
	if (access(out, F_OK) == 0)
		return 0;
	if (!op)
		return -ENOEXEC;
	src = op(vp->m->mnt, vp->rel, O_RDONLY, 0, &handle);
	if (src < 0)
		return src;
	snprintf(tmp, sizeof(tmp), "%s.new", out);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	for (;;) {
		n = src > 0 ? pread(src, buf, sizeof(buf), off)
			    : (rd ? rd(vp->m->mnt, handle, buf, sizeof(buf), off)
				  : -ENOEXEC);
		if (n < 0 && src > 0)
			n = -errno;
		if (n <= 0)
			break;
		if (write(fd, buf, n) != n) {
			n = -EIO;
			break;
		}
		off += n;
	}
	err = n < 0 ? (int)n : 0;
	if (close(fd) < 0 && !err)
		err = -EIO;
	if (!err && rename(tmp, out) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
out:
	if (src > 0)
		close(src);
	else if (rel)
		rel(vp->m->mnt, handle);
	return err;
}

/* Point the call's path argument at text written below the stack. */
static enum sc_action rewrite_path(struct sc_call *c, int i, const char *path)
{
	size_t len = strlen(path) + 1;
	unsigned long addr = scratch_below_sp(&c->t->regs, len);

	if (mem_write(c->t->tid, addr, path, len) < 0)
		return sc_return(c, -EFAULT);
	c->arg[i] = addr;
	if (i == 1) /* execveat: an absolute path ignores dirfd */
		c->arg[0] = AT_FDCWD;
	return SC_REWRITE;
}

enum sc_action sc_execve(struct sc_call *c)
{
	int i = c->nr == __NR_execve ? 0 : 1;
	int flags = c->nr == __NR_execveat ? (int)c->arg[4] : 0;
	int (*lst)(void *, const char *, struct stat *);
	char copy[PATH_MAX];
	struct vpath vp;
	struct stat st;
	int r;

	if (c->via_notify)
		return SC_KERNEL;
	r = view_resolve(c, i ? (int)c->arg[0] : AT_FDCWD, c->arg[i],
			 ((flags & AT_SYMLINK_NOFOLLOW) ? PATH_NOFOLLOW : 0) |
				 ((flags & AT_EMPTY_PATH) ? PATH_EMPTY_OK : 0),
			 &vp);
	if (r == VIEW_KERNEL)
		return SC_KERNEL;
	if (r < 0)
		return sc_return(c, r);
	if (r == VIEW_REAL)
		return rewrite_path(c, i, vp.abs);
	lst = SERVICE_OP(vp.m->svc, lstat);
	r = lst ? lst(vp.m->mnt, vp.rel, &st) : -ENOSYS;
	if (r < 0)
		return sc_return(c, r);
	if (S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode))
		return sc_return(c, -EACCES);
	if (!(st.st_mode & 0111))
		return sc_return(c, -EACCES);
	r = cached_copy(&vp, &st, copy, sizeof(copy));
	if (r < 0)
		return sc_return(c, r);
	chmod(copy, st.st_mode & 07755 & ~S_ISUID & ~S_ISGID);
	return rewrite_path(c, i, copy);
}
