/* A binary tree of processes DEPTH levels deep (default 6).  Every process
 * forks two children, waits for both, and exits with the number of
 * processes in its subtree; leaves also exec /bin/true first (in a child).
 * Prints "nodes N" (2^(DEPTH+1) - 1 when every process was counted). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int subtree(int depth)
{
	pid_t kids[2];
	int i, st, n = 1;

	if (depth == 0) {
		pid_t p = fork();

		if (p == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		if (p < 0 || waitpid(p, &st, 0) != p || st != 0)
			return 100; /* visibly wrong */
		return 1;
	}
	for (i = 0; i < 2; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			_exit(subtree(depth - 1));
		if (kids[i] < 0)
			return 200;
	}
	for (i = 0; i < 2; i++) {
		if (waitpid(kids[i], &st, 0) != kids[i] || !WIFEXITED(st))
			return 200;
		n += WEXITSTATUS(st);
	}
	return n;
}

int main(int argc, char **argv)
{
	printf("nodes %d\n", subtree(argc > 1 ? atoi(argv[1]) : 6));
	return 0;
}
