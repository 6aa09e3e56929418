/* Built for aarch64 at test time: prints its arguments and exits 3, so
 * that a run through binfmt rules and qemu-user is visible. */
#include <stdio.h>

int main(int argc, char **argv)
{
	int i;

	printf("hello from aarch64, argc=%d\n", argc);
	for (i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	return 3;
}
