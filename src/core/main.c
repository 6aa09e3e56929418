/* umview: command line, preloaded services and the rc file. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "engine.h"
#include "log.h"
#include "service.h"

static const char usage[] =
	"Usage: umview [OPTION]... [--] [COMMAND [ARG]...]\n"
	"Run COMMAND (default: $SHELL) and all its descendants in a view of\n"
	"the system that loadable modules can change.\n"
	"\n"
	"  -p, --preload NAME[,OPTIONS]  load service NAME before starting\n"
	"                                (repeatable)\n"
	"  -f, --rc FILE                 run FILE with /bin/sh inside the view\n"
	"                                before COMMAND (default ~/.umviewrc)\n"
	"  -n, --norc                    do not run any rc file\n"
	"  -v, --verbose                 log what the hypervisor does on stderr\n"
	"  -h, --help                    show this help\n"
	"  -V, --version                 show the version\n"
	"\n"
	"Inside the view: um_add_service, um_del_service, um_ls_service.\n"
	"Modules are searched in UMVIEW_MODULE_PATH or " MODULE_DIR ".\n";

/* The rc file to run, or NULL: -f FILE, else ~/.umviewrc if present. */
static char *rc_path(const char *given, int norc)
{
	char path[PATH_MAX];
	const char *home;

	if (norc)
		return NULL;
	if (given) {
		if (access(given, R_OK) < 0) {
			log_error("-f %s: %s", given, strerror(errno));
			exit(1);
		}
		return realpath(given, NULL);
	}
	home = getenv("HOME");
	if (!home || snprintf(path, sizeof(path), "%s/.umviewrc", home) >=
			     (int)sizeof(path))
		return NULL;
	return access(path, R_OK) == 0 ? realpath(path, NULL) : NULL;
}

/* sh -c '. RC; exec COMMAND': the rc file runs inside the view. */
static char **with_rc(char *rc, char **cmd, int ncmd)
{
	char **argv = calloc(ncmd + 6, sizeof(*argv));
	int i = 0, j;

	if (!argv)
		return NULL;
	argv[i++] = "/bin/sh";
	argv[i++] = "-c";
	argv[i++] = ". \"$1\" || echo \"umview: $1 failed (status $?)\" >&2; "
		    "shift; exec \"$@\"";
	argv[i++] = "umview-rc";
	argv[i++] = rc;
	for (j = 0; j < ncmd; j++)
		argv[i++] = cmd[j];
	argv[i] = NULL;
	return argv;
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "preload", required_argument, NULL, 'p' },
		{ "rc", required_argument, NULL, 'f' },
		{ "norc", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char **preload = calloc(argc, sizeof(char *));
	char *rcfile = NULL, *rc, **cmd;
	char *defcmd[2] = { NULL, NULL };
	int c, npreload = 0, norc = 0, ncmd, i;
	char msg[1024];

	if (!preload)
		return 1;
	/* "+": options end at the command's name. */
	while ((c = getopt_long(argc, argv, "+p:f:nvhV", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			preload[npreload++] = optarg;
			break;
		case 'f':
			rcfile = optarg;
			break;
		case 'n':
			norc = 1;
			break;
		case 'v':
			log_verbose = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		case 'V':
			puts("umview " PACKAGE_VERSION);
			return 0;
		default:
			fputs("Try 'umview --help'.\n", stderr);
			return 1;
		}
	}
	cmd = argv + optind;
	ncmd = argc - optind;
	if (ncmd == 0) {
		defcmd[0] = getenv("SHELL");
		if (!defcmd[0] || !*defcmd[0])
			defcmd[0] = "/bin/sh";
		cmd = defcmd;
		ncmd = 1;
	}
	for (i = 0; i < npreload; i++) {
		int err = service_add(preload[i], msg, sizeof(msg));

		if (err < 0) {
			log_error("-p %s: %s", preload[i],
				  *msg ? msg : strerror(-err));
			service_fini_all();
			return 1;
		}
	}
	rc = rc_path(rcfile, norc);
	if (rc && !(cmd = with_rc(rc, cmd, ncmd)))
		return 1;
	i = engine_run(cmd);
	free(rc);
	free(preload);
	return i;
}
