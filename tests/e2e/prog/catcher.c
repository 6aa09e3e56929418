/* Catches SIGINT (and SIGUSR1), creates the file argv[1] when ready, and
 * reports the first signal and its sender: "caught SIGINT from PID". */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t sig, from;

static void handler(int s, siginfo_t *info, void *ctx)
{
	(void)ctx;
	if (!sig) {
		sig = s;
		from = info->si_pid;
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t none;
	int fd;

	if (argc < 2)
		return 2;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	fd = open(argv[1], O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		return 2;
	close(fd);
	sigemptyset(&none);
	while (!sig)
		sigsuspend(&none);
	printf("caught %s from %d\n", sig == SIGINT ? "SIGINT" : "SIGUSR1",
	       (int)from);
	return 0;
}
