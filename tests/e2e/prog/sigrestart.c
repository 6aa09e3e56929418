/* A blocking read from a pipe, interrupted by a signal sent by a child.
 * "restart": the handler has SA_RESTART, the read goes on and returns the
 * data the child writes later.  "eintr": no SA_RESTART, the read fails with
 * EINTR.  Prints "handler ran N, read R, DATA-or-errno". */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t ran;

static void handler(int s)
{
	(void)s;
	ran++;
}

/* Whether process PID is asleep (in our read: it does nothing else). */
static int sleeping(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!(f = fopen(path, "r")))
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

int main(int argc, char **argv)
{
	int restart = argc > 1 && strcmp(argv[1], "restart") == 0;
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	struct sigaction sa;
	char buf[64];
	int p[2], i, st;
	pid_t parent = getpid(), kid;
	ssize_t r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGUSR1, &sa, NULL);
	if (pipe(p) < 0)
		return 2;
	kid = fork();
	if (kid == 0) {
		close(p[0]);
		for (i = 0; i < 250 && !sleeping(parent); i++)
			nanosleep(&tick, NULL);
		nanosleep(&tick, NULL);
		kill(parent, SIGUSR1);
		for (i = 0; i < 5; i++)
			nanosleep(&tick, NULL);
		if (write(p[1], "late data", 9) != 9)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	r = read(p[0], buf, sizeof(buf) - 1);
	if (r >= 0) {
		buf[r] = '\0';
		printf("handler ran %d, read %zd, %s\n", (int)ran, r, buf);
	} else {
		printf("handler ran %d, read %zd, %s\n", (int)ran, r,
		       errno == EINTR ? "EINTR" : strerror(errno));
	}
	waitpid(kid, &st, 0);
	return 0;
}
