/* Prints the wall clock as seen by clock_gettime(CLOCK_REALTIME),
 * gettimeofday and time (through libc, as programs use them), and
 * CLOCK_MONOTONIC, in whole seconds on one line. */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

int main(void)
{
	struct timespec rt, mono;
	struct timeval tv;
	time_t t;

	clock_gettime(CLOCK_REALTIME, &rt);
	gettimeofday(&tv, NULL);
	t = time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	printf("%lld %lld %lld %lld\n", (long long)rt.tv_sec,
	       (long long)tv.tv_sec, (long long)t, (long long)mono.tv_sec);
	return 0;
}
