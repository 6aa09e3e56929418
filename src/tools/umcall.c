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

/* Inside umview the management call answers; outside the kernel says
 * ENOSYS.  Asked first, so that a module's own ENOSYS is not mistaken. */
static int inside(const char *prog)
{
	if (syscall(UM_SYSCALL_NR, UMCALL_PROBE, "", NULL, 0) == 0)
		return 1;
	fprintf(stderr, "%s: not running inside umview\n", prog);
	return 0;
}

static int usage(const char *prog, const char *args, int help)
{
	fprintf(help ? stdout : stderr, "Usage: %s %s\n", prog, args);
	return help ? 0 : 2;
}

/* Run op on each argument; report each failure with the hypervisor's
 * explanation. */
static int each(const char *prog, int op, int argc, char **argv)
{
	int i, status = 0;

	for (i = 1; i < argc; i++) {
		if (umcall(op, argv[i]) == 0)
			continue;
		fprintf(stderr, "%s: %s\n", prog, *reply ? reply : strerror(errno));
		status = 1;
	}
	return status;
}

int main(int argc, char **argv)
{
	const char *prog = basename(argv[0]);
	int help = argc > 1 && (!strcmp(argv[1], "-h") ||
				!strcmp(argv[1], "--help"));

	if (strcmp(prog, "um_ls_service") == 0) {
		if (help || argc != 1)
			return usage(prog, "", help);
		if (!inside(prog))
			return 1;
		if (umcall(UMCALL_LS_SERVICE, "") < 0) {
			fprintf(stderr, "%s: %s\n", prog, strerror(errno));
			return 1;
		}
		fputs(reply, stdout);
		return 0;
	}
	if (strcmp(prog, "um_del_service") == 0) {
		if (help || argc < 2)
			return usage(prog, "NAME...", help);
		return inside(prog) ? each(prog, UMCALL_DEL_SERVICE, argc, argv) : 1;
	}
	if (strcmp(prog, "um_add_service") == 0) {
		if (help || argc < 2)
			return usage(prog, "NAME[,OPTIONS]...", help);
		return inside(prog) ? each(prog, UMCALL_ADD_SERVICE, argc, argv) : 1;
	}
	fprintf(stderr, "%s: call me um_add_service, um_del_service or "
			"um_ls_service\n", prog);
	return 2;
}
