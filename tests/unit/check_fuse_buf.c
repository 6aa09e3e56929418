/* Unit tests of libumfuse's data buffer vectors (fuse_buf_size,
 * fuse_buf_copy).  Plain libfuse API: built against Debian's libfuse3
 * (-I/usr/include/fuse3 -lfuse3) it passes too. */
#define FUSE_USE_VERSION 35
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fuse.h>
#include "unit.h"

/* A zeroed vector of n buffers, as a file system allocates one. */
static struct fuse_bufvec *vec_new(size_t n)
{
	struct fuse_bufvec *v =
		calloc(1, sizeof(*v) + (n - 1) * sizeof(struct fuse_buf));

	ck_assert_ptr_nonnull(v);
	v->count = n;
	return v;
}

static int tmpfile_with(const char *text)
{
	char name[] = "/tmp/check_fuse_buf.XXXXXX";
	int fd = mkstemp(name);

	ck_assert_int_ge(fd, 0);
	unlink(name);
	if (text)
		ck_assert_int_eq(write(fd, text, strlen(text)),
				 (ssize_t)strlen(text));
	return fd;
}

START_TEST(size_sums_buffers)
{
	struct fuse_bufvec *v = vec_new(3);

	v->buf[0].size = 3;
	v->buf[1].size = 0;
	v->buf[2].size = 5;
	ck_assert_uint_eq(fuse_buf_size(v), 8);
	free(v);
}
END_TEST

START_TEST(mem_to_mem_gathers)
{
	char a[] = "abc", c[] = "defgh", out[16] = { 0 };
	struct fuse_bufvec *src = vec_new(3);
	struct fuse_bufvec dst = FUSE_BUFVEC_INIT(8);

	src->buf[0].mem = a;
	src->buf[0].size = 3;
	src->buf[1].mem = out; /* empty: skipped */
	src->buf[1].size = 0;
	src->buf[2].mem = c;
	src->buf[2].size = 5;
	dst.buf[0].mem = out;
	ck_assert_int_eq(fuse_buf_copy(&dst, src, 0), 8);
	ck_assert_str_eq(out, "abcdefgh");
	free(src);
}
END_TEST

START_TEST(short_destination_advances_source)
{
	char text[] = "0123456789", out[8] = { 0 }, rest[8] = { 0 };
	struct fuse_bufvec src = FUSE_BUFVEC_INIT(10);
	struct fuse_bufvec dst = FUSE_BUFVEC_INIT(4);

	src.buf[0].mem = text;
	dst.buf[0].mem = out;
	ck_assert_int_eq(fuse_buf_copy(&dst, &src, 0), 4);
	ck_assert_str_eq(out, "0123");
	/* the source remembers where it stopped */
	dst = FUSE_BUFVEC_INIT(6);
	dst.buf[0].mem = rest;
	ck_assert_int_eq(fuse_buf_copy(&dst, &src, 0), 6);
	ck_assert_str_eq(rest, "456789");
}
END_TEST

START_TEST(fd_to_mem_at_pos)
{
	int fd = tmpfile_with("hello, world");
	char out[16] = { 0 };
	struct fuse_bufvec src = FUSE_BUFVEC_INIT(5);
	struct fuse_bufvec dst = FUSE_BUFVEC_INIT(5);

	src.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK |
			   FUSE_BUF_FD_RETRY;
	src.buf[0].fd = fd;
	src.buf[0].pos = 7;
	dst.buf[0].mem = out;
	ck_assert_int_eq(fuse_buf_copy(&dst, &src, 0), 5);
	ck_assert_str_eq(out, "world");
	close(fd);
}
END_TEST

START_TEST(fd_short_at_end_of_file)
{
	int fd = tmpfile_with("abc");
	char out[16] = { 0 };
	struct fuse_bufvec src = FUSE_BUFVEC_INIT(10);
	struct fuse_bufvec dst = FUSE_BUFVEC_INIT(10);

	src.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK |
			   FUSE_BUF_FD_RETRY;
	src.buf[0].fd = fd;
	src.buf[0].pos = 1;
	dst.buf[0].mem = out;
	ck_assert_int_eq(fuse_buf_copy(&dst, &src, 0), 2);
	ck_assert_str_eq(out, "bc");
	close(fd);
}
END_TEST

START_TEST(mem_to_fd_and_fd_to_fd)
{
	int a = tmpfile_with("xxxxxxxx"), b = tmpfile_with(NULL);
	char text[] = "DATA", out[16] = { 0 };
	struct fuse_bufvec src = FUSE_BUFVEC_INIT(4);
	struct fuse_bufvec dst = FUSE_BUFVEC_INIT(4);

	src.buf[0].mem = text;
	dst.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
	dst.buf[0].fd = a;
	dst.buf[0].pos = 2;
	ck_assert_int_eq(fuse_buf_copy(&dst, &src, 0), 4);
	ck_assert_int_eq(pread(a, out, sizeof(out) - 1, 0), 8);
	ck_assert_str_eq(out, "xxDATAxx");

	src = FUSE_BUFVEC_INIT(8);
	src.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK |
			   FUSE_BUF_FD_RETRY;
	src.buf[0].fd = a;
	dst = FUSE_BUFVEC_INIT(8);
	dst.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK |
			   FUSE_BUF_FD_RETRY;
	dst.buf[0].fd = b;
	ck_assert_int_eq(fuse_buf_copy(&dst, &src, FUSE_BUF_NO_SPLICE), 8);
	memset(out, 0, sizeof(out));
	ck_assert_int_eq(pread(b, out, sizeof(out) - 1, 0), 8);
	ck_assert_str_eq(out, "xxDATAxx");
	close(a);
	close(b);
}
END_TEST

static void add(TCase *tc)
{
	tcase_add_test(tc, size_sums_buffers);
	tcase_add_test(tc, mem_to_mem_gathers);
	tcase_add_test(tc, short_destination_advances_source);
	tcase_add_test(tc, fd_to_mem_at_pos);
	tcase_add_test(tc, fd_short_at_end_of_file);
	tcase_add_test(tc, mem_to_fd_and_fd_to_fd);
}

int main(void)
{
	return unit_run("fuse_buf", add, NULL);
}
