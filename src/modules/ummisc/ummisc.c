/* ummisc: a virtual host name, domain name and uname fields, and a virtual
 * wall clock (an offset from the real one), for the processes in the view. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include <umview/module.h>

#define UTS_LEN 64

static struct {
	char sysname[UTS_LEN + 1];
	char nodename[UTS_LEN + 1];
	char release[UTS_LEN + 1];
	char version[UTS_LEN + 1];
	char machine[UTS_LEN + 1];
	char domainname[UTS_LEN + 1];
	int vtime;        /* are the time calls claimed? */
	long long offset; /* virtual minus real CLOCK_REALTIME, in ns */
} misc;

#define NS 1000000000LL

static int set_field(char *field, const char *value, size_t len)
{
	if (len > UTS_LEN)
		return -EINVAL;
	memcpy(field, value, len);
	field[len] = '\0';
	return 0;
}

static long long real_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * NS + ts.tv_nsec;
}

/* "[+-]SECONDS[.FRACTION]" into nanoseconds. */
static int parse_seconds(const char *s, long long *ns)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || fabs(v) > 1e11)
		return -EINVAL;
	*ns = (long long)llround(v * 1e9);
	return 0;
}

/* The reason the last option was refused, for conf= to quote. */
static char last_error[256];

static int bad(struct um_service *svc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(struct um_service *svc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	um_error(svc, "%s", last_error);
	return -EINVAL;
}

static int option(struct um_service *svc, const char *key, const char *val)
{
	struct {
		const char *key;
		char *field;
	} uts[] = {
		{ "hostname", misc.nodename },   { "domainname", misc.domainname },
		{ "sysname", misc.sysname },     { "release", misc.release },
		{ "version", misc.version },     { "machine", misc.machine },
	};
	long long ns;
	size_t i;

	for (i = 0; i < sizeof(uts) / sizeof(uts[0]); i++) {
		if (strcmp(key, uts[i].key) != 0)
			continue;
		if (!val || set_field(uts[i].field, val, strlen(val)) < 0)
			return bad(svc, "%s= needs a value of at most %d bytes",
				   key, UTS_LEN);
		return 0;
	}
	if (strcmp(key, "timeoffset") == 0 || strcmp(key, "time") == 0) {
		const char *v = val;

		if (v && strcmp(key, "time") == 0 && *v == '@')
			v++;
		if (!v || parse_seconds(v, &ns) < 0)
			return bad(svc, "%s= needs a number of seconds, e.g. %s",
				   key,
				   strcmp(key, "time") == 0 ? "time=@1700000000"
							    : "timeoffset=-86400");
		misc.offset = strcmp(key, "time") == 0 ? ns - real_now() : ns;
		misc.vtime = 1;
		return 0;
	}
	if (strcmp(key, "vtime") == 0 && !val) {
		misc.vtime = 1;
		return 0;
	}
	return bad(svc, "unknown option '%s' (see ummisc(7))", key);
}

static int parse_list(struct um_service *svc, char *list, const char *sep);

/* Strip blanks at both ends, in place. */
static char *trim(char *s)
{
	char *end;

	s += strspn(s, " \t");
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	return s;
}

/* conf=FILE: one option per line, '#' starts a comment. */
static int conf_file(struct um_service *svc, const char *path)
{
	char line[512];
	FILE *f = fopen(path, "re");
	char copy[512];
	int err = 0, n = 0;

	if (!f) {
		err = -errno;
		um_error(svc, "conf=%s: %s", path, strerror(-err));
		return err;
	}
	while (!err && fgets(line, sizeof(line), f)) {
		char *hash = strchr(line, '#');

		n++;
		if (hash)
			*hash = '\0';
		line[strcspn(line, "\r\n")] = '\0';
		snprintf(copy, sizeof(copy), "%s", trim(line));
		err = parse_list(svc, line, "\n");
		if (err < 0) {
			/* Say where, keeping the option's own reason. */
			um_error(svc, "conf=%s, line %d: bad option '%s': %s",
				 path, n, copy, last_error);
		}
	}
	fclose(f);
	return err;
}

static int parse_list(struct um_service *svc, char *list, const char *sep)
{
	char *save = NULL, *item;
	int err = 0;

	for (item = strtok_r(list, sep, &save); item && !err;
	     item = strtok_r(NULL, sep, &save)) {
		char *val = strchr(item, '=');

		if (val) {
			*val++ = '\0';
			val = trim(val);
		}
		item = trim(item);
		if (!*item)
			continue;
		if (strcmp(item, "conf") == 0 && val)
			err = conf_file(svc, val);
		else
			err = option(svc, item, val);
	}
	return err;
}

static int misc_init(struct um_service *svc, const char *options)
{
	static const long uts_calls[] = { __NR_uname, __NR_sethostname,
					  __NR_setdomainname };
	static const long time_calls[] = { __NR_clock_gettime,
					   __NR_gettimeofday, __NR_time,
					   __NR_clock_settime,
					   __NR_settimeofday };
	struct utsname u;
	char *list;
	size_t i;
	int err;

	memset(&misc, 0, sizeof(misc));
	if (uname(&u) < 0)
		return -errno;
	strcpy(misc.sysname, u.sysname);
	strcpy(misc.nodename, u.nodename);
	strcpy(misc.release, u.release);
	strcpy(misc.version, u.version);
	strcpy(misc.machine, u.machine);
	strcpy(misc.domainname, u.domainname);

	list = strdup(options);
	if (!list)
		return -ENOMEM;
	err = parse_list(svc, list, ",");
	free(list);
	if (err < 0)
		return err;
	for (i = 0; i < sizeof(uts_calls) / sizeof(uts_calls[0]); i++)
		if ((err = um_register(svc, UM_REG_SYSCALL, uts_calls[i], NULL)) < 0)
			return err;
	for (i = 0; misc.vtime && i < sizeof(time_calls) / sizeof(time_calls[0]);
	     i++)
		if ((err = um_register(svc, UM_REG_SYSCALL, time_calls[i], NULL)) < 0)
			return err;
	return 0;
}

static int misc_uname(struct utsname *buf)
{
	strcpy(buf->sysname, misc.sysname);
	strcpy(buf->nodename, misc.nodename);
	strcpy(buf->release, misc.release);
	strcpy(buf->version, misc.version);
	strcpy(buf->machine, misc.machine);
	strcpy(buf->domainname, misc.domainname);
	return 0;
}

static int misc_sethostname(const char *name, size_t len)
{
	return set_field(misc.nodename, name, len);
}

static int misc_setdomainname(const char *name, size_t len)
{
	return set_field(misc.domainname, name, len);
}

static int shifted(clockid_t clk)
{
	return clk == CLOCK_REALTIME || clk == CLOCK_REALTIME_COARSE ||
	       clk == CLOCK_TAI || clk == CLOCK_REALTIME_ALARM;
}

static int misc_clock_gettime(clockid_t clk, struct timespec *ts)
{
	long long ns;

	if (clock_gettime(clk, ts) < 0)
		return -errno;
	if (!shifted(clk))
		return 0;
	ns = ts->tv_sec * NS + ts->tv_nsec + misc.offset;
	ts->tv_sec = ns / NS;
	ts->tv_nsec = ns % NS;
	if (ts->tv_nsec < 0) {
		ts->tv_nsec += NS;
		ts->tv_sec--;
	}
	return 0;
}

static int misc_clock_settime(clockid_t clk, const struct timespec *ts)
{
	if (clk != CLOCK_REALTIME)
		return -EINVAL;
	misc.offset = ts->tv_sec * NS + ts->tv_nsec - real_now();
	return 0;
}

UM_MODULE_EXPORT struct um_module um_module = {
	.api_version = UM_MODULE_API_VERSION,
	.size = sizeof(struct um_module),
	.name = "ummisc",
	.description = "virtual hostname, domainname, uname and wall clock",
	.init = misc_init,
	.uname = misc_uname,
	.sethostname = misc_sethostname,
	.setdomainname = misc_setdomainname,
	.clock_gettime = misc_clock_gettime,
	.clock_settime = misc_clock_settime,
};
