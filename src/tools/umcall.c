/* um_add_service, um_del_service, um_ls_service: one program, three
 * names.  Each talks to the hypervisor through the management call. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <umview/umcall.h>

static char reply[UMCALL_OUT_MAX];

static long umcall(int op, const char *arg)
{
	reply[0] = '\0';
	return syscall(UM_SYSCALL_NR, op, arg, reply, sizeof(reply));
}

static int not_inside(const char *prog)
{
	fprintf(stderr, "%s: not running inside umview\n", prog);
	return 1;
}

static int usage(const char *prog, const char *args)
{
	fprintf(stderr, "Usage: %s %s\n", prog, args);
	return 2;
}

/* Run op on each argument; report each failure with the hypervisor's
 * explanation. */
static int each(const char *prog, int op, int argc, char **argv)
{
	int i, status = 0;

	for (i = 1; i < argc; i++) {
		if (umcall(op, argv[i]) == 0)
			continue;
		if (errno == ENOSYS)
			return not_inside(prog);
		fprintf(stderr, "%s: %s\n", prog, *reply ? reply : strerror(errno));
		status = 1;
	}
	return status;
}

int main(int argc, char **argv)
{
	const char *prog = basename(argv[0]);

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		argc = 0; /* print usage */
	if (strcmp(prog, "um_ls_service") == 0) {
		if (argc != 1)
			return usage(prog, "");
		if (umcall(UMCALL_LS_SERVICE, "") < 0) {
			if (errno == ENOSYS)
				return not_inside(prog);
			fprintf(stderr, "%s: %s\n", prog, strerror(errno));
			return 1;
		}
		fputs(reply, stdout);
		return 0;
	}
	if (strcmp(prog, "um_del_service") == 0)
		return argc < 2 ? usage(prog, "NAME...")
				: each(prog, UMCALL_DEL_SERVICE, argc, argv);
	if (strcmp(prog, "um_add_service") == 0)
		return argc < 2 ? usage(prog, "NAME[,OPTIONS]...")
				: each(prog, UMCALL_ADD_SERVICE, argc, argv);
	fprintf(stderr, "%s: call me um_add_service, um_del_service or "
			"um_ls_service\n", prog);
	return 2;
}
