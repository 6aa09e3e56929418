/* mmap of a file, for mmap.sh: prints what the mapping shows and what
 * read(2) sees after it, so that the same run inside and outside a
 * virtual mount can be compared.
 *   mapprobe private FILE      map privately, change the copy
 *   mapprobe shared FILE TEXT  write TEXT through a shared map, munmap
 *   mapprobe msync FILE TEXT   the same, msync, read with another fd
 *   mapprobe exit FILE TEXT    write through a shared map and exit
 *   mapprobe exec FILE TEXT    write through a shared map and execve
 *   mapprobe fork FILE TEXT    a child writes through the inherited map
 *   mapprobe rdonly FILE       what a read-only open allows
 *   mapprobe remap FILE TEXT   mremap a shared map, write, munmap
 *   mapprobe coherent FILE     write(2) shows in a shared map, a change
 *                              made in it shows to read(2)
 *   mapprobe split FILE        unmap the middle of a 3-page shared map,
 *                              write to both ends, msync and munmap them
 *   mapprobe thread FILE TEXT  map in one thread, munmap in another that
 *                              was running before */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void show_file(int fd, const char *what)
{
	char buf[64] = { 0 };
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		printf("%s: pread: %s\n", what, strerror(errno));
	else
		printf("%s: %.*s\n", what, (int)strcspn(buf, "\n"), buf);
}

static char *map(int fd, size_t len, int prot, int flags)
{
	char *p = mmap(NULL, len, prot, flags, fd, 0);

	if (p == MAP_FAILED) {
		printf("mmap: %s\n", strerror(errno));
		exit(1);
	}
	return p;
}

struct unmapper {
	int pipe[2];
	size_t len;
};

/* Waits for an address on the pipe, then unmaps it. */
static void *unmapper(void *arg)
{
	struct unmapper *u = arg;
	char *p;

	if (read(u->pipe[0], &p, sizeof(p)) != sizeof(p))
		return NULL;
	if (munmap(p, u->len) < 0)
		printf("munmap: %s\n", strerror(errno));
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "", *text = argv[3];
	int fd, fd2, st;
	struct stat sb;
	char *p;

	if (argc < 3) {
		fprintf(stderr, "usage: mapprobe MODE FILE [TEXT]\n");
		return 2;
	}
	fd = open(argv[2], strcmp(mode, "private") && strcmp(mode, "rdonly")
				   ? O_RDWR : O_RDONLY);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		printf("open: %s\n", strerror(errno));
		return 1;
	}
	if (strcmp(mode, "private") == 0) {
		p = map(fd, sb.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE);
		printf("map: %.*s\n", (int)strcspn(p, "\n"), p);
		memcpy(p, "XXXX", 4);
		printf("copy: %.*s\n", (int)strcspn(p, "\n"), p);
		munmap(p, sb.st_size);
		show_file(fd, "file");
	} else if (strcmp(mode, "rdonly") == 0) {
		p = mmap(NULL, sb.st_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 0);
		printf("shared rw: %s\n", p == MAP_FAILED ? strerror(errno)
							  : "mapped");
		p = map(fd, sb.st_size, PROT_READ, MAP_SHARED);
		printf("shared ro: %.*s\n", (int)strcspn(p, "\n"), p);
		printf("mprotect write: %s\n",
		       mprotect(p, sb.st_size, PROT_READ | PROT_WRITE) < 0
			       ? strerror(errno) : "allowed");
	} else if (strcmp(mode, "shared") == 0) {
		p = map(fd, sb.st_size, PROT_READ | PROT_WRITE, MAP_SHARED);
		memcpy(p, text, strlen(text));
		if (munmap(p, sb.st_size) < 0)
			printf("munmap: %s\n", strerror(errno));
		show_file(fd, "after munmap");
	} else if (strcmp(mode, "msync") == 0) {
		p = map(fd, sb.st_size, PROT_READ | PROT_WRITE, MAP_SHARED);
		memcpy(p, text, strlen(text));
		if (msync(p, sb.st_size, MS_SYNC) < 0)
			printf("msync: %s\n", strerror(errno));
		fd2 = open(argv[2], O_RDONLY);
		show_file(fd2, "after msync");
		close(fd);
		close(fd2);
		/* the mapping outlives the fd */
		memcpy(p, "late", 4);
		msync(p, sb.st_size, MS_ASYNC);
		fd2 = open(argv[2], O_RDONLY);
		show_file(fd2, "after close and MS_ASYNC");
	} else if (strcmp(mode, "exit") == 0) {
		p = map(fd, sb.st_size, PROT_READ | PROT_WRITE, MAP_SHARED);
		memcpy(p, text, strlen(text));
		_exit(0);
	} else if (strcmp(mode, "exec") == 0) {
		p = map(fd, sb.st_size, PROT_READ | PROT_WRITE, MAP_SHARED);
		memcpy(p, text, strlen(text));
		execl("/bin/true", "true", (char *)NULL);
		printf("execl: %s\n", strerror(errno));
		return 1;
	} else if (strcmp(mode, "fork") == 0) {
		p = map(fd, sb.st_size, PROT_READ | PROT_WRITE, MAP_SHARED);
		if (fork() == 0) {
			memcpy(p, text, strlen(text));
			_exit(0);
		}
		wait(&st);
		printf("parent sees: %.*s\n", (int)strcspn(p, "\n"), p);
		munmap(p, sb.st_size);
		show_file(fd, "after munmap");
	} else if (strcmp(mode, "remap") == 0) {
		p = map(fd, 4096, PROT_READ | PROT_WRITE, MAP_SHARED);
		p = mremap(p, 4096, 8192, MREMAP_MAYMOVE);
		if (p == MAP_FAILED) {
			printf("mremap: %s\n", strerror(errno));
			return 1;
		}
		memcpy(p, text, strlen(text));
		munmap(p, 8192);
		show_file(fd, "after mremap and munmap");
	} else if (strcmp(mode, "coherent") == 0) {
		char buf[16] = { 0 };

		p = map(fd, sb.st_size, PROT_READ | PROT_WRITE, MAP_SHARED);
		memcpy(p, "MAPPED", 6);
		if (pread(fd, buf, 6, 0) != 6)
			return 1;
		printf("read(2) sees the map: %s\n", buf);
		if (pwrite(fd, "WRITTEN", 7, 14) != 7)
			return 1;
		printf("the map sees write(2): %.7s\n", p + 14);
		munmap(p, sb.st_size);
		show_file(fd, "after munmap");
		if (pread(fd, buf, 11, 14) != 11)
			return 1;
		printf("second line: %.11s\n", buf);
	} else if (strcmp(mode, "split") == 0) {
		char buf[16] = { 0 };

		p = map(fd, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED);
		memcpy(p, "first", 5);
		munmap(p + 4096, 4096);
		memcpy(p + 2 * 4096, "third", 5);
		msync(p + 2 * 4096, 4096, MS_SYNC);
		pread(fd, buf, 5, 2 * 4096);
		printf("third page after msync: %s\n", buf);
		munmap(p + 2 * 4096, 4096);
		memcpy(p + 1, "IRST", 4);
		munmap(p, 4096);
		pread(fd, buf, 5, 0);
		printf("first page after munmap: %s\n", buf);
	} else if (strcmp(mode, "thread") == 0) {
		struct unmapper u = { .len = sb.st_size };
		pthread_t th;

		if (pipe(u.pipe) < 0 ||
		    pthread_create(&th, NULL, unmapper, &u) != 0)
			return 1;
		p = map(fd, sb.st_size, PROT_READ | PROT_WRITE, MAP_SHARED);
		memcpy(p, text, strlen(text));
		if (write(u.pipe[1], &p, sizeof(p)) != sizeof(p))
			return 1;
		pthread_join(th, NULL);
		show_file(fd, "after munmap in another thread");
	} else {
		fprintf(stderr, "mapprobe: unknown mode '%s'\n", mode);
		return 2;
	}
	return 0;
}
