/* Dies of SIGSEGV. */
#include <stdio.h>

int main(void)
{
	volatile int *p = NULL;

	printf("about to crash\n");
	fflush(stdout);
	return *p;
}
