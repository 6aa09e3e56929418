/* Stops, continues and kills a child, and prints what waitpid reports to
 * the parent for each: the stop and the continuation must be seen. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(pid_t pid, int options)
{
	int st;

	if (waitpid(pid, &st, options) != pid)
		printf("waitpid failed\n");
	else if (WIFSTOPPED(st))
		printf("stopped by %d\n", WSTOPSIG(st));
	else if (WIFCONTINUED(st))
		printf("continued\n");
	else if (WIFSIGNALED(st))
		printf("killed by %d\n", WTERMSIG(st));
	else
		printf("exited %d\n", WEXITSTATUS(st));
}

int main(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGSTOP);
	show(pid, WUNTRACED);
	kill(pid, SIGCONT);
	show(pid, WCONTINUED);
	kill(pid, SIGTERM);
	show(pid, 0);
	return 0;
}
