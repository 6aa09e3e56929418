/* clone3 as fork (exit signal SIGCHLD, no shared memory) and with
 * CLONE_FILES: prints what the child did; exits 77 if the kernel has no
 * clone3. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long clone3_fork(unsigned long long flags)
{
	struct clone_args args;

	memset(&args, 0, sizeof(args));
	args.flags = flags;
	args.exit_signal = SIGCHLD;
	return syscall(SYS_clone3, &args, sizeof(args));
}

int main(void)
{
	int value = 1, st, fd;
	long pid;
	pid_t parent = getpid();

	setvbuf(stdout, NULL, _IONBF, 0);
	pid = clone3_fork(0);
	if (pid < 0 && errno == ENOSYS)
		return 77;
	if (pid < 0) {
		perror("clone3");
		return 1;
	}
	if (pid == 0) {
		value = 2; /* a copy: the parent keeps 1 */
		printf("child: getppid matches %d\n", getppid() == parent);
		_exit(33);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 1;
	printf("clone3 fork: status %d value %d\n", WEXITSTATUS(st), value);

	/* CLONE_FILES: an fd the child opens is the parent's too. */
	pid = clone3_fork(CLONE_FILES);
	if (pid == 0) {
		fd = open("/dev/null", O_RDONLY);
		_exit(fd < 0 ? 255 : fd);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 1;
	fd = WEXITSTATUS(st);
	printf("clone3 CLONE_FILES: fd shared %d\n",
	       fd != 255 && fcntl(fd, F_GETFD) >= 0);

	/* a child that runs another program */
	pid = clone3_fork(0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "echo clone3 child exec; exit 6",
		      (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 1;
	printf("clone3 exec: status %d\n", WEXITSTATUS(st));
	return 0;
}
