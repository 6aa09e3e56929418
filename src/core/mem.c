/* The memory unit: process_vm_readv/writev split at page boundaries, with
 * /proc/PID/mem as the fallback for pages the tracee cannot write (or that
 * process_vm_* refuses). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "mem.h"

#define PAGE 4096UL

static size_t page_left(uintptr_t addr)
{
	return PAGE - (addr & (PAGE - 1));
}

static int proc_mem(pid_t tid, uintptr_t addr, void *buf, size_t len,
		    int writing)
{
	char path[64];
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), "/proc/%d/mem", tid);
	fd = open(path, (writing ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -EFAULT;
	while (len > 0) {
		n = writing ? pwrite(fd, buf, len, (off_t)addr)
			    : pread(fd, buf, len, (off_t)addr);
		if (n <= 0) {
			err = -EFAULT;
			break;
		}
		addr += n;
		buf = (char *)buf + n;
		len -= n;
	}
	close(fd);
	return err;
}

/* One page-bounded chunk through process_vm_*, then /proc/PID/mem. */
static int chunk(pid_t tid, uintptr_t addr, void *buf, size_t len,
		 int writing)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)addr, len };
	ssize_t n;

	n = writing ? process_vm_writev(tid, &local, 1, &remote, 1, 0)
		    : process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return 0;
	if (n < 0 && errno == ESRCH)
		return -ESRCH;
	return proc_mem(tid, addr, buf, len, writing);
}

static int transfer(pid_t tid, uintptr_t addr, void *buf, size_t len,
		    int writing)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)addr, len };
	ssize_t n;
	int err;

	if (len == 0)
		return 0;
	/* Fast path: one call for the whole range. */
	n = writing ? process_vm_writev(tid, &local, 1, &remote, 1, 0)
		    : process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return 0;
	if (n < 0 && errno == ESRCH)
		return -ESRCH;
	while (len > 0) {
		size_t c = page_left(addr);

		if (c > len)
			c = len;
		err = chunk(tid, addr, buf, c, writing);
		if (err < 0)
			return err;
		addr += c;
		buf = (char *)buf + c;
		len -= c;
	}
	return 0;
}

int mem_read(pid_t tid, uintptr_t addr, void *buf, size_t len)
{
	return transfer(tid, addr, buf, len, 0);
}

int mem_write(pid_t tid, uintptr_t addr, const void *buf, size_t len)
{
	return transfer(tid, addr, (void *)buf, len, 1);
}

ssize_t mem_read_str(pid_t tid, uintptr_t addr, char *buf, size_t size)
{
	size_t done = 0;

	while (done < size) {
		size_t c = page_left(addr + done);
		char *nul;
		int err;

		if (c > size - done)
			c = size - done;
		err = chunk(tid, addr + done, buf + done, c, 0);
		if (err < 0)
			return err;
		nul = memchr(buf + done, 0, c);
		if (nul)
			return nul - buf;
		done += c;
	}
	return -ENAMETOOLONG;
}
