/* execve from a thread that is not the leader: prints its pid, then a
 * second thread runs argv[1..] while the leader waits in pause(). */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static char **cmd;

static void *execer(void *arg)
{
	(void)arg;
	execv(cmd[0], cmd);
	perror("execv");
	_exit(126);
}

int main(int argc, char **argv)
{
	pthread_t th;

	if (argc < 2)
		return 2;
	cmd = argv + 1;
	printf("pid %d\n", getpid());
	fflush(stdout);
	if (pthread_create(&th, NULL, execer, NULL) != 0)
		return 2;
	for (;;)
		pause();
}
