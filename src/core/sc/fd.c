/* The fd family: calls on file descriptors.  On a virtual fd (its number
 * is in the process's fd table) the module serves them; on any other fd
 * they run in the kernel untouched. */
#include <errno.h>
#include <limits.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../fdtab.h"
#include "../mem.h"
#include "../mtab.h"
#include "../service.h"
#include "../tracee.h"
#include "sc.h"

#define IO_CHUNK (1 << 20) /* one module call moves at most this much */
#define IO_MAX (64 << 20)  /* one system call moves at most this much */

#define FOP(ofd, op) SERVICE_OP((ofd)->mount->svc, op)
#define MNT(ofd) ((ofd)->mount->mnt)

static struct ofd *vfd(struct sc_call *c, int i)
{
	return fdtab_lookup(c->t->files, (int)c->arg[i]);
}

/* --- read and write --- */

/* One module call between the tracee's buffer and the module, at off. */
static ssize_t transfer_chunk(struct sc_call *c, struct ofd *ofd,
			      unsigned long buf, size_t count, off_t off,
			      bool writing)
{
	ssize_t (*rd)(void *, void *, void *, size_t, off_t) = FOP(ofd, pread);
	ssize_t (*wr)(void *, void *, const void *, size_t, off_t) =
		FOP(ofd, pwrite);
	int deny = writing ? O_RDONLY : O_WRONLY;
	char *tmp;
	ssize_t n;

	if ((ofd->flags & O_ACCMODE) == deny || (ofd->flags & O_PATH))
		return -EBADF;
	if (writing ? !wr : !rd)
		return -EINVAL;
	if (count > IO_CHUNK)
		count = IO_CHUNK;
	if (count == 0)
		return 0;
	tmp = malloc(count);
	if (!tmp)
		return -ENOMEM;
	if (writing) {
		n = mem_read(c->t->tid, buf, tmp, count) < 0 ? -EFAULT : 0;
		if (n == 0)
			n = NESTED_CALL(ofd->mount->epoch, wr, MNT(ofd),
					ofd->handle, tmp, count, off);
		mmap_after_write(ofd, tmp, n, off); /* shared maps see it */
	} else {
		mmap_before_read(ofd, off, count); /* shared maps' changes */
		n = NESTED_CALL(ofd->mount->epoch, rd, MNT(ofd), ofd->handle,
				tmp, count, off);
		if (n > 0 && mem_write(c->t->tid, buf, tmp, n) < 0)
			n = -EFAULT;
	}
	free(tmp);
	return n;
}

/* A transfer, chunk by chunk: a read or write of a regular file is not
 * cut short where the kernel would not (up to IO_MAX a call). */
static ssize_t transfer(struct sc_call *c, struct ofd *ofd, unsigned long buf,
			size_t count, off_t off, bool writing)
{
	size_t done = 0;
	ssize_t n;

	if (count > IO_MAX)
		count = IO_MAX;
	do {
		n = transfer_chunk(c, ofd, buf + done, count - done,
				   off + done, writing);
		if (n > 0)
			done += n;
	} while (n == IO_CHUNK && done < count);
	return done ? (ssize_t)done : n;
}

enum sc_action sc_rw(struct sc_call *c)
{
	struct ofd *ofd = vfd(c, 0);
	bool pos = c->nr == __NR_pread64 || c->nr == __NR_pwrite64;
	bool writing = c->nr == __NR_write || c->nr == __NR_pwrite64;
	off_t off;
	ssize_t n;

	if (!ofd)
		return SC_KERNEL;
	if (pos && (off_t)c->arg[3] < 0)
		return sc_return(c, -EINVAL);
	off = pos ? (off_t)c->arg[3] : ofd->offset;
	if (writing && !pos && (ofd->flags & O_APPEND)) {
		int err = ofd_size(ofd, &off);

		if (err < 0)
			return sc_return(c, err);
	}
	n = transfer(c, ofd, c->arg[1], c->arg[2], off, writing);
	if (n > 0 && !pos)
		ofd->offset = off + n;
	return sc_return(c, n);
}

/* readv, writev, preadv, pwritev (and the 2 variants without flags):
 * segment by segment, stopping at the first short transfer. */
enum sc_action sc_rwv(struct sc_call *c)
{
	struct ofd *ofd = vfd(c, 0);
	bool writing = c->nr == __NR_writev || c->nr == __NR_pwritev ||
		       c->nr == __NR_pwritev2;
	bool pos = c->nr != __NR_readv && c->nr != __NR_writev;
	unsigned long cnt = c->arg[2];
	struct iovec *iov;
	ssize_t total = 0, n = 0;
	off_t off;
	unsigned long i;
	int rwf = 0;

	if (!ofd)
		return SC_KERNEL;
	if (pos && (off_t)c->arg[3] == -1 &&
	    (c->nr == __NR_preadv2 || c->nr == __NR_pwritev2))
		pos = false; /* offset -1: the file offset */
	if (c->nr == __NR_preadv2 || c->nr == __NR_pwritev2)
		rwf = (int)c->arg[5];
	/* RWF_HIPRI and RWF_NOWAIT change nothing for a served file; the
	 * others as the kernel applies them, unknown ones as it refuses */
	if (rwf & ~(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND))
		return sc_return(c, -EOPNOTSUPP);
	if (cnt > 1024)
		return sc_return(c, -EINVAL);
	off = pos ? (off_t)c->arg[3] : ofd->offset;
	if (off < 0)
		return sc_return(c, -EINVAL);
	iov = calloc(cnt ? cnt : 1, sizeof(*iov));
	if (!iov)
		return sc_return(c, -ENOMEM);
	if (mem_read(c->t->tid, c->arg[1], iov, cnt * sizeof(*iov)) < 0) {
		free(iov);
		return sc_return(c, -EFAULT);
	}
	/* appending: at the end, whatever the offset asked (RWF_APPEND
	 * leaves the file offset alone when an offset was given) */
	if (writing && ((!pos && (ofd->flags & O_APPEND)) ||
			(rwf & RWF_APPEND)))
		n = ofd_size(ofd, &off);
	for (i = 0; i < cnt && n >= 0; i++) {
		if (!iov[i].iov_len)
			continue;
		n = transfer(c, ofd, (unsigned long)iov[i].iov_base,
			     iov[i].iov_len, off + total, writing);
		if (n > 0)
			total += n;
		if (n < (ssize_t)iov[i].iov_len)
			break;
	}
	free(iov);
	if (total == 0 && n < 0)
		return sc_return(c, n);
	if (!pos)
		ofd->offset = off + total;
	if (writing && total > 0 && (rwf & (RWF_DSYNC | RWF_SYNC))) {
		int (*op)(void *, void *, int) = FOP(ofd, fsync);
		int err = op ? NESTED_CALL(ofd->mount->epoch, op, MNT(ofd),
					   ofd->handle, !(rwf & RWF_SYNC))
			     : 0;

		if (err < 0)
			return sc_return(c, err);
	}
	return sc_return(c, total);
}

enum sc_action sc_lseek(struct sc_call *c)
{
	struct ofd *ofd = vfd(c, 0);

	if (!ofd)
		return SC_KERNEL;
	return sc_return(c, ofd_lseek(ofd, (off_t)c->arg[1], (int)c->arg[2]));
}

/* --- directory, metadata, sync --- */

/* The module's getdents64 records of ofd, at most count bytes from *pos
 * (which it advances): bytes, or -errno. */
static ssize_t read_dir(struct ofd *ofd, void *buf, size_t count, off_t *pos)
{
	ssize_t (*op)(void *, void *, void *, size_t, off_t *) =
		FOP(ofd, getdents64);

	if (ofd->flags & O_PATH)
		return -EBADF;
	if (!op)
		return -ENOTDIR;
	return NESTED_CALL(ofd->mount->epoch, op, MNT(ofd), ofd->handle, buf,
			   count, pos);
}

enum sc_action sc_getdents64(struct sc_call *c)
{
	struct ofd *ofd = vfd(c, 0);
	size_t count = c->arg[2];
	char *tmp;
	ssize_t n;

	if (!ofd)
		return SC_KERNEL;
	if (count > IO_CHUNK)
		count = IO_CHUNK;
	tmp = malloc(count ? count : 1);
	if (!tmp)
		return sc_return(c, -ENOMEM);
	n = read_dir(ofd, tmp, count, &ofd->offset);
	if (n > 0 && mem_write(c->t->tid, c->arg[1], tmp, n) < 0)
		n = -EFAULT;
	free(tmp);
	return sc_return(c, n);
}

/* The legacy getdents(2): the module's getdents64 records in the old
 * layout (d_type in a record's last byte, which makes it up to 8 bytes
 * longer); the position goes back to the first record that did not fit. */
enum sc_action sc_getdents(struct sc_call *c)
{
	struct d64 {
		uint64_t d_ino;
		int64_t d_off;
		unsigned short d_reclen;
		unsigned char d_type;
		char d_name[];
	} *d = NULL;
	struct dold {
		unsigned long d_ino;
		unsigned long d_off;
		unsigned short d_reclen;
		char d_name[];
	} *o;
	struct ofd *ofd = vfd(c, 0);
	size_t count = c->arg[2], used = 0, at, len, rec;
	off_t pos, last = 0;
	char *in = NULL, *out = NULL;
	ssize_t n;

	if (!ofd)
		return SC_KERNEL;
	if (count > IO_CHUNK)
		count = IO_CHUNK;
	in = malloc(count ? count : 1);
	out = calloc(1, count ? count : 1);
	n = -ENOMEM;
	if (!in || !out)
		goto out_free;
	pos = ofd->offset;
	n = read_dir(ofd, in, count, &pos);
	if (n <= 0)
		goto out_free;
	for (at = 0; at < (size_t)n; at += d->d_reclen) {
		d = (struct d64 *)(in + at);
		len = strlen(d->d_name);
		rec = (offsetof(struct dold, d_name) + len + 2 + 7) & ~(size_t)7;
		if (used + rec > count)
			break;
		o = (struct dold *)(out + used);
		o->d_ino = d->d_ino;
		o->d_off = d->d_off;
		o->d_reclen = rec;
		memcpy(o->d_name, d->d_name, len + 1);
		out[used + rec - 1] = d->d_type;
		used += rec;
		last = d->d_off;
	}
	if (!used) {
		n = -EINVAL; /* the buffer cannot hold one record */
		goto out_free;
	}
	ofd->offset = at < (size_t)n ? last : pos;
	n = mem_write(c->t->tid, c->arg[1], out, used) < 0 ? -EFAULT
							    : (ssize_t)used;
out_free:
	free(in);
	free(out);
	return sc_return(c, n);
}

enum sc_action sc_fstat(struct sc_call *c)
{
	struct ofd *ofd = vfd(c, 0);
	struct stat st;
	int err;

	if (!ofd)
		return SC_KERNEL;
	err = MOUNT_OP(ofd->mount, fstat, ofd->handle, &st);
	if (!err && mem_write(c->t->tid, c->arg[1], &st, sizeof(st)) < 0)
		err = -EFAULT;
	return sc_return(c, err);
}

enum sc_action sc_fsync(struct sc_call *c)
{
	struct ofd *ofd = vfd(c, 0);
	int (*op)(void *, void *, int);

	if (!ofd)
		return SC_KERNEL;
	op = FOP(ofd, fsync);
	return sc_return(c, op ? NESTED_CALL(ofd->mount->epoch, op, MNT(ofd),
					     ofd->handle,
					     c->nr == __NR_fdatasync)
			       : 0);
}

enum sc_action sc_ftruncate(struct sc_call *c)
{
	struct ofd *ofd = vfd(c, 0);

	if (!ofd)
		return SC_KERNEL;
	if ((off_t)c->arg[1] < 0)
		return sc_return(c, -EINVAL);
	if ((ofd->flags & O_ACCMODE) == O_RDONLY)
		return sc_return(c, -EINVAL);
	return sc_return(c, MOUNT_OP(ofd->mount, ftruncate, ofd->handle,
				     (off_t)c->arg[1]));
}

/* fchmod, fchown, fstatfs: the path the file was opened with. */
enum sc_action sc_fd_by_path(struct sc_call *c)
{
	struct ofd *ofd = vfd(c, 0);
	struct vmount *m;
	const char *rel;
	struct statfs sfs;
	int err;

	if (!ofd)
		return SC_KERNEL;
	/* an O_PATH fd describes a file but gives no access to it: fstatfs
	 * works, fchmod and fchown do not */
	if ((ofd->flags & O_PATH) && c->nr != __NR_fstatfs)
		return sc_return(c, -EBADF);
	m = ofd->mount;
	rel = mtab_relative(m, ofd->path);
	/* by the open file when the module can (the file may be unlinked),
	 * else by the path it was opened by */
	switch (c->nr) {
	case __NR_fchmod:
		err = FOP(ofd, fchmod) ? MOUNT_OP(m, fchmod, ofd->handle,
						  c->arg[1])
				       : MOUNT_OP(m, chmod, rel, c->arg[1]);
		break;
	case __NR_fchown:
		err = FOP(ofd, fchown) ? MOUNT_OP(m, fchown, ofd->handle,
						  c->arg[1], c->arg[2])
				       : MOUNT_OP(m, chown, rel, c->arg[1],
						  c->arg[2]);
		break;
	default: /* fstatfs */
		err = MOUNT_OP(m, statfs, rel, &sfs);
		if (!err &&
		    mem_write(c->t->tid, c->arg[1], &sfs, sizeof(sfs)) < 0)
			err = -EFAULT;
		break;
	}
	return sc_return(c, err);
}

/* --- the fd table: close, dup, fcntl --- */

enum sc_action sc_close(struct sc_call *c)
{
	/* The kernel closes the placeholder; we forget the description. */
	fdtab_close(c->t->files, (int)c->arg[0]);
	return SC_KERNEL;
}

/* close_range(2): the kernel closes (or marks close-on-exec) the
 * placeholders in the range; the table follows. */
enum sc_action sc_close_range(struct sc_call *c)
{
	unsigned int first = (unsigned int)c->arg[0];
	unsigned int last = (unsigned int)c->arg[1];
	unsigned int flags = (unsigned int)c->arg[2];
	int fd;

	if (first > last || (flags & ~(CLOSE_RANGE_UNSHARE |
				       CLOSE_RANGE_CLOEXEC)))
		return SC_KERNEL; /* the kernel says EINVAL */
	if ((flags & CLOSE_RANGE_UNSHARE) && fdtab_is_shared(c->t->files)) {
		struct fdtab *own = fdtab_copy(c->t->files);

		if (!own)
			return sc_return(c, -ENOMEM);
		fdtab_put(c->t->files);
		c->t->files = own;
	}
	for (fd = fdtab_next(c->t->files, (int)(first > INT_MAX ? INT_MAX
								 : first));
	     fd >= 0 && (unsigned int)fd <= last;
	     fd = fdtab_next(c->t->files, fd + 1)) {
		if (flags & CLOSE_RANGE_CLOEXEC)
			fdtab_set_cloexec(c->t->files, fd, true);
		else
			fdtab_close(c->t->files, fd);
	}
	return SC_KERNEL;
}

static void installed_dup(struct sc_call *c, int fd)
{
	struct ofd *ofd = c->priv;

	fdtab_set(c->t->files, fd, ofd, c->newfd_cloexec);
}

/* The lowest fd number >= from that is free in the tracee. */
static int lowest_free(pid_t tgid, int from)
{
	char path[64];
	int fd;

	for (fd = from; fd < from + 65536; fd++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", tgid, fd);
		if (access(path, F_OK) < 0 && errno == ENOENT)
			return fd;
	}
	return -EMFILE;
}

/* A new placeholder for ofd at number `at` (-1: the lowest free). */
static enum sc_action dup_to(struct sc_call *c, struct ofd *ofd, int at,
			     bool cloexec)
{
	int ph = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (ph < 0)
		return sc_return(c, -errno);
	c->newfd = ph;
	c->newfd_at = at;
	c->newfd_cloexec = cloexec;
	c->priv = ofd;
	c->installed = installed_dup;
	return SC_INSTALL;
}

enum sc_action sc_dup(struct sc_call *c)
{
	struct ofd *ofd = vfd(c, 0);
	int newfd = (int)c->arg[1];
	int flags = c->nr == __NR_dup3 ? (int)c->arg[2] : 0;

	if (c->nr != __NR_dup) {
		if (c->nr == __NR_dup3 &&
		    ((flags & ~O_CLOEXEC) || newfd == (int)c->arg[0]))
			return ofd ? sc_return(c, -EINVAL) : SC_KERNEL;
		if (!ofd) {
			/* a real fd over a virtual number: forget it */
			fdtab_close(c->t->files, newfd);
			return SC_KERNEL;
		}
		if (newfd == (int)c->arg[0])
			return sc_return(c, newfd); /* dup2(fd, fd) */
		if (newfd < 0)
			return sc_return(c, -EBADF);
		fdtab_close(c->t->files, newfd);
		return dup_to(c, ofd, newfd, flags & O_CLOEXEC);
	}
	return ofd ? dup_to(c, ofd, -1, false) : SC_KERNEL;
}

enum sc_action sc_fcntl(struct sc_call *c)
{
	struct ofd *ofd = vfd(c, 0);
	int fd = (int)c->arg[0], at;
	const int settable = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT |
			     O_NOATIME;

	if (!ofd)
		return SC_KERNEL;
	switch ((int)c->arg[1]) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if ((int)c->arg[2] < 0)
			return sc_return(c, -EINVAL);
		at = lowest_free(c->t->tgid, (int)c->arg[2]);
		if (at < 0)
			return sc_return(c, at);
		return dup_to(c, ofd, at, (int)c->arg[1] == F_DUPFD_CLOEXEC);
	case F_GETFD:
	case F_SETFD:
		/* kept on the placeholder by the kernel, and here for exec */
		if ((int)c->arg[1] == F_SETFD)
			fdtab_set_cloexec(c->t->files, fd, c->arg[2] & FD_CLOEXEC);
		return SC_KERNEL;
	case F_GETFL:
		return sc_return(c, ofd->flags);
	case F_SETFL:
		ofd->flags = (ofd->flags & ~settable) | (c->arg[2] & settable);
		return sc_return(c, 0);
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return sc_fcntl_lock(c, ofd);
	case F_GETOWN:
	case F_SETOWN:
	case F_GETOWN_EX:
	case F_SETOWN_EX:
	case F_GETSIG:
	case F_SETSIG:
		/* kept on the placeholder: a served regular file is always
		 * ready, so no SIGIO is ever due */
		return SC_KERNEL;
	case F_GETLEASE:
		return sc_return(c, F_UNLCK);
	case F_SETLEASE:
		return sc_return(c, (int)c->arg[2] == F_UNLCK ? 0 : -EAGAIN);
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		return sc_return(c, -EBADF); /* not a pipe */
	default:
		/* seals (memfd only), F_NOTIFY, unknown commands */
		return sc_return(c, -EINVAL);
	}
}

/* --- the rest of the family on a virtual fd --- */

static bool is_regular(struct ofd *ofd, struct stat *st)
{
	return MOUNT_OP(ofd->mount, fstat, ofd->handle, st) == 0 &&
	       S_ISREG(st->st_mode);
}

/* fallocate, fadvise64, readahead, sync_file_range, syncfs */
enum sc_action sc_fd_misc(struct sc_call *c)
{
	const unsigned int sfr = SYNC_FILE_RANGE_WAIT_BEFORE |
				 SYNC_FILE_RANGE_WRITE |
				 SYNC_FILE_RANGE_WAIT_AFTER;
	struct ofd *ofd = vfd(c, 0);
	int (*fsync_op)(void *, void *, int);
	struct stat st;

	if (!ofd)
		return SC_KERNEL;
	if (ofd->flags & O_PATH)
		return sc_return(c, -EBADF);
	fsync_op = FOP(ofd, fsync);
	switch (c->nr) {
	case __NR_fallocate:
		if ((off_t)c->arg[2] < 0 || (off_t)c->arg[3] <= 0)
			return sc_return(c, -EINVAL);
		if ((ofd->flags & O_ACCMODE) == O_RDONLY)
			return sc_return(c, -EBADF);
		if (!FOP(ofd, fallocate))
			return sc_return(c, -EOPNOTSUPP);
		return sc_return(c, MOUNT_OP(ofd->mount, fallocate,
					     ofd->handle, (int)c->arg[1],
					     (off_t)c->arg[2],
					     (off_t)c->arg[3]));
	case __NR_fadvise64:
		/* advice about a cache the module keeps, if any: accepted */
		if ((long)c->arg[2] < 0 || c->arg[3] > POSIX_FADV_NOREUSE)
			return sc_return(c, -EINVAL);
		return sc_return(c, 0);
	case __NR_readahead:
		if ((ofd->flags & O_ACCMODE) == O_WRONLY)
			return sc_return(c, -EBADF);
		return sc_return(c, is_regular(ofd, &st) ? 0 : -EINVAL);
	case __NR_sync_file_range:
		if ((unsigned int)c->arg[3] & ~sfr || (off_t)c->arg[1] < 0 ||
		    (off_t)c->arg[2] < 0)
			return sc_return(c, -EINVAL);
		if (!(c->arg[3] & SYNC_FILE_RANGE_WRITE) || !fsync_op)
			return sc_return(c, 0);
		return sc_return(c, NESTED_CALL(ofd->mount->epoch, fsync_op,
						MNT(ofd), ofd->handle, 1));
	default: /* syncfs: the module's file system, as far as it tells */
		return sc_return(c, fsync_op
					    ? NESTED_CALL(ofd->mount->epoch,
							  fsync_op, MNT(ofd),
							  ofd->handle, 0)
					    : 0);
	}
}

/* ioctl: requests on the fd itself here, the rest to the module with
 * the argument copied as _IOC_DIR and _IOC_SIZE describe it. */
enum sc_action sc_ioctl(struct sc_call *c)
{
	struct ofd *ofd = vfd(c, 0);
	unsigned long req = (unsigned int)c->arg[1], arg = c->arg[2];
	int (*op)(void *, void *, unsigned long, void *, size_t);
	size_t size = 0;
	struct stat st;
	void *buf = NULL;
	long ret;
	int on;

	if (!ofd)
		return SC_KERNEL;
	if (ofd->flags & O_PATH)
		return sc_return(c, -EBADF);
	switch (req) {
	case FIOCLEX:
	case FIONCLEX:
		fdtab_set_cloexec(c->t->files, (int)c->arg[0], req == FIOCLEX);
		return SC_KERNEL; /* and on the placeholder */
	case FIONBIO:
	case FIOASYNC:
		if (mem_read(c->t->tid, arg, &on, sizeof(on)) < 0)
			return sc_return(c, -EFAULT);
		if (on)
			ofd->flags |= req == FIONBIO ? O_NONBLOCK : O_ASYNC;
		else
			ofd->flags &= ~(req == FIONBIO ? O_NONBLOCK : O_ASYNC);
		return sc_return(c, 0);
	case FIONREAD:
		if (!is_regular(ofd, &st))
			break; /* the module's, as the kernel's */
		on = st.st_size > ofd->offset ? (int)(st.st_size - ofd->offset)
					      : 0;
		if (mem_write(c->t->tid, arg, &on, sizeof(on)) < 0)
			return sc_return(c, -EFAULT);
		return sc_return(c, 0);
	}
	op = FOP(ofd, ioctl);
	if (!op)
		return sc_return(c, -ENOTTY);
	if (_IOC_DIR(req) != _IOC_NONE && _IOC_SIZE(req) > 0) {
		size = _IOC_SIZE(req);
		buf = calloc(1, size);
		if (!buf)
			return sc_return(c, -ENOMEM);
		if ((_IOC_DIR(req) & _IOC_WRITE) &&
		    mem_read(c->t->tid, arg, buf, size) < 0) {
			free(buf);
			return sc_return(c, -EFAULT);
		}
	}
	ret = NESTED_CALL(ofd->mount->epoch, op, MNT(ofd), ofd->handle, req,
			  buf ? buf : (void *)arg, size);
	if (ret >= 0 && buf && (_IOC_DIR(req) & _IOC_READ) &&
	    mem_write(c->t->tid, arg, buf, size) < 0)
		ret = -EFAULT;
	free(buf);
	return sc_return(c, ret);
}
