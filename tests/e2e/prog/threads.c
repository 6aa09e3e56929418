/* N threads (default 200), each doing some work and system calls; they are
 * all alive at once (a barrier), and the main thread checks what they saw.
 * Prints "threads N sum S" and exits 0 when everything agreed. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_barrier_t barrier;
static int pipefd[2];

struct job {
	long n;
	long result;
	pid_t pid, tid;
	int stat_ok;
};

static void *work(void *arg)
{
	struct job *j = arg;
	struct stat st;
	long i, s = 0;

	pthread_barrier_wait(&barrier);
	for (i = 1; i <= j->n * 1000; i++)
		s += i % 7;
	j->result = s;
	j->pid = getpid();
	j->tid = (pid_t)syscall(SYS_gettid);
	j->stat_ok = stat("/", &st) == 0 && S_ISDIR(st.st_mode);
	if (write(pipefd[1], "x", 1) != 1)
		j->stat_ok = 0;
	return NULL;
}

static int cmp_pid(const void *a, const void *b)
{
	return *(const pid_t *)a - *(const pid_t *)b;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200, i, bad = 0, got = 0;
	pthread_t *th = calloc(n, sizeof(*th));
	struct job *jobs = calloc(n, sizeof(*jobs));
	pid_t *tids = calloc(n, sizeof(*tids));
	char buf[256];
	long sum = 0;
	ssize_t r;

	if (!th || !jobs || !tids || pipe(pipefd) < 0)
		return 2;
	pthread_barrier_init(&barrier, NULL, n);
	for (i = 0; i < n; i++) {
		jobs[i].n = i + 1;
		if (pthread_create(&th[i], NULL, work, &jobs[i]) != 0) {
			fprintf(stderr, "pthread_create %d failed\n", i);
			return 2;
		}
	}
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	close(pipefd[1]);
	while ((r = read(pipefd[0], buf, sizeof(buf))) > 0)
		got += r;
	for (i = 0; i < n; i++) {
		sum += jobs[i].result;
		tids[i] = jobs[i].tid;
		if (jobs[i].pid != getpid() || !jobs[i].stat_ok ||
		    jobs[i].tid == getpid()) {
			fprintf(stderr, "thread %d: pid %d tid %d stat %d\n", i,
				jobs[i].pid, jobs[i].tid, jobs[i].stat_ok);
			bad = 1;
		}
	}
	qsort(tids, n, sizeof(*tids), cmp_pid);
	for (i = 1; i < n; i++)
		if (tids[i] == tids[i - 1]) {
			fprintf(stderr, "two threads with tid %d\n", tids[i]);
			bad = 1;
		}
	if (got != n) {
		fprintf(stderr, "%d writes reached the pipe, not %d\n", got, n);
		bad = 1;
	}
	printf("threads %d sum %ld\n", n, sum);
	return bad;
}
