/* Messages from the hypervisor to the user (stderr). */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

int log_verbose;

static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	fprintf(stderr, "umview: %s%s\n", prefix, line);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("debug: ", fmt, ap);
	va_end(ap);
}
