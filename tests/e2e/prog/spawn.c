/* posix_spawn, vfork+exec and vfork+_exit; prints what each child did. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int status_of(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(void)
{
	char *echo[] = { "/bin/echo", "spawned", "echo", NULL };
	char *sh[] = { "/bin/sh", "-c", "echo vforked sh; exit 9", NULL };
	volatile int touched = 0;
	pid_t pid;
	int err;

	fflush(stdout);
	err = posix_spawn(&pid, echo[0], NULL, NULL, echo, environ);
	if (err) {
		printf("posix_spawn failed: %d\n", err);
		return 1;
	}
	printf("posix_spawn status %d\n", status_of(pid));
	fflush(stdout);

	pid = vfork();
	if (pid == 0) {
		execve(sh[0], sh, environ);
		_exit(127);
	}
	printf("vfork+exec status %d\n", status_of(pid));

	pid = vfork();
	if (pid == 0) {
		touched = 1; /* shared memory: the parent sees it */
		_exit(4);
	}
	printf("vfork+_exit status %d touched %d\n", status_of(pid), touched);
	return 0;
}
