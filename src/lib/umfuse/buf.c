/* umfuse: data buffer vectors (fuse_buf_size, fuse_buf_copy). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fuse_common.h"

size_t fuse_buf_size(const struct fuse_bufvec *bufv)
{
	size_t i, size = 0;

	for (i = 0; i < bufv->count; i++) {
		if (bufv->buf[i].size == SIZE_MAX)
			return SIZE_MAX;
		size += bufv->buf[i].size;
	}
	return size;
}

/* Read or write len bytes between memory and a fd buffer at off. */
static ssize_t fd_io(const struct fuse_buf *b, size_t off, void *mem,
		     size_t len, int writing)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n;
		off_t pos = b->pos + off + done;

		if (writing)
			n = (b->flags & FUSE_BUF_FD_SEEK) ?
				    pwrite(b->fd, (char *)mem + done,
					   len - done, pos) :
				    write(b->fd, (char *)mem + done, len - done);
		else
			n = (b->flags & FUSE_BUF_FD_SEEK) ?
				    pread(b->fd, (char *)mem + done,
					  len - done, pos) :
				    read(b->fd, (char *)mem + done, len - done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return done ? (ssize_t)done : -errno;
		}
		if (n == 0)
			break;
		done += n;
		if (!(b->flags & FUSE_BUF_FD_RETRY))
			break;
	}
	return done;
}

/* Copy len bytes from src at soff to dst at doff; fd to fd goes through
 * a bounce buffer.  Returns the bytes copied (short at end of a file). */
static ssize_t copy_one(const struct fuse_buf *dst, size_t doff,
			const struct fuse_buf *src, size_t soff, size_t len)
{
	int sfd = src->flags & FUSE_BUF_IS_FD, dfd = dst->flags & FUSE_BUF_IS_FD;
	char bounce[65536];
	size_t done = 0;

	if (!sfd && !dfd) {
		if ((char *)dst->mem + doff != (char *)src->mem + soff)
			memmove((char *)dst->mem + doff,
				(char *)src->mem + soff, len);
		return len;
	}
	if (!sfd)
		return fd_io(dst, doff, (char *)src->mem + soff, len, 1);
	if (!dfd)
		return fd_io(src, soff, (char *)dst->mem + doff, len, 0);
	while (done < len) {
		size_t chunk = len - done < sizeof(bounce) ? len - done
							   : sizeof(bounce);
		ssize_t r = fd_io(src, soff + done, bounce, chunk, 0), w;

		if (r <= 0)
			return done ? (ssize_t)done : r;
		w = fd_io(dst, doff + done, bounce, r, 1);
		if (w < 0)
			return done ? (ssize_t)done : w;
		done += w;
		if (w < r)
			break;
	}
	return done;
}

/* Move past len bytes, and past any buffer that is used up. */
static void advance(struct fuse_bufvec *v, size_t len)
{
	v->off += len;
	while (v->idx < v->count && v->off >= v->buf[v->idx].size) {
		v->idx++;
		v->off = 0;
	}
}

ssize_t fuse_buf_copy(struct fuse_bufvec *dst, struct fuse_bufvec *src,
		      enum fuse_buf_copy_flags flags)
{
	size_t copied = 0;

	if (dst == src)
		return fuse_buf_size(dst);
	advance(dst, 0);
	advance(src, 0);
	while (dst->idx < dst->count && src->idx < src->count) {
		const struct fuse_buf *d = &dst->buf[dst->idx];
		const struct fuse_buf *s = &src->buf[src->idx];
		size_t dlen = d->size - dst->off, slen = s->size - src->off;
		size_t len = dlen < slen ? dlen : slen;
		ssize_t n = copy_one(d, dst->off, s, src->off, len);

		if (n < 0)
			return copied ? (ssize_t)copied : n;
		copied += n;
		advance(dst, n);
		advance(src, n);
		if ((size_t)n < len)
			break;
	}
	return copied;
}
