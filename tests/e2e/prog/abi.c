/* System calls the view must refuse: io_uring_setup, i386 calls made with
 * int $0x80, x32 calls (number | 0x40000000).  Each probe runs in a child
 * and prints one line: "NAME: RESULT", RESULT being "pid" (getpid gave the
 * caller's pid), "node=NAME" (uname worked), "fd" (io_uring_setup gave a
 * file descriptor), "-ERRNO-NAME", or "killed by signal N". */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define X32 0x40000000L

static const char *errname(long e)
{
	switch (e) {
	case ENOSYS: return "ENOSYS";
	case EPERM: return "EPERM";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	default: return strerror((int)e);
	}
}

static long int80(long nr, long a1)
{
	long r;

	asm volatile("int $0x80"
		     : "=a"(r)
		     : "a"(nr), "b"(a1), "c"(0), "d"(0)
		     : "memory", "r8", "r9", "r10", "r11");
	return r;
}

static void show(const char *name, long r, const char *ok)
{
	if (r < 0 && r > -4096)
		printf("%s: -%s\n", name, errname(-r));
	else
		printf("%s: %s\n", name, ok);
}

static void probe(const char *name)
{
	/* i386 struct new_utsname and x86-64 struct utsname: 6 x 65 bytes */
	char *buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	char params[120] = { 0 }; /* struct io_uring_params */
	long r;

	if (buf == MAP_FAILED)
		exit(2);
	if (strcmp(name, "io_uring_setup") == 0) {
		r = syscall(SYS_io_uring_setup, 1, params);
		show(name, r < 0 ? -errno : r, "fd");
	} else if (strcmp(name, "int80_getpid") == 0) {
		r = int80(20, 0); /* i386 getpid */
		show(name, r, r == getpid() ? "pid" : "wrong pid");
	} else if (strcmp(name, "int80_uname") == 0) {
		r = int80(122, (long)buf); /* i386 newuname */
		if (r == 0)
			printf("%s: node=%s\n", name, buf + 65);
		else
			show(name, r, "?");
	} else if (strcmp(name, "x32_getpid") == 0) {
		r = syscall(X32 | SYS_getpid);
		show(name, r < 0 ? -errno : r, r == getpid() ? "pid" : "wrong pid");
	} else if (strcmp(name, "x32_uname") == 0) {
		r = syscall(X32 | SYS_uname, buf);
		if (r == 0)
			printf("%s: node=%s\n", name, buf + 65);
		else
			show(name, -errno, "?");
	} else {
		printf("%s: unknown probe\n", name);
	}
}

int main(int argc, char **argv)
{
	int i, st;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (i = 1; i < argc; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			probe(argv[i]);
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid)
			return 2;
		if (WIFSIGNALED(st))
			printf("%s: killed by signal %d\n", argv[i], WTERMSIG(st));
	}
	printf("alive\n");
	return 0;
}
