/* /proc/PID/mountinfo, /proc/PID/mounts and /proc/mounts inside the view:
 * the real text with the virtual mounts merged in, handed to the caller as
 * a file of its own (so mount, umount, findmnt and df see them). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../mountinfo.h"
#include "../mtab.h"
#include "../service.h"
#include "../tracee.h"
#include "sc.h"

/* Which file abs names: 1 mountinfo, 2 mounts, 0 neither.  *pid gets the
 * process whose mounts are meant. */
static int which(const char *abs, pid_t *pid)
{
	char rest[32];
	int p, n = 0;

	if (strcmp(abs, "/proc/mounts") == 0) {
		*pid = 0;
		return 2;
	}
	if (sscanf(abs, "/proc/%d/%31s%n", &p, rest, &n) == 2 ||
	    sscanf(abs, "/proc/%*d/task/%d/%31s%n", &p, rest, &n) == 2) {
		if (abs[n])
			return 0;
		*pid = p;
		if (strcmp(rest, "mountinfo") == 0)
			return 1;
		if (strcmp(rest, "mounts") == 0)
			return 2;
	}
	return 0;
}

static char *slurp(const char *path)
{
	size_t size = 0, cap = 65536;
	char *buf = malloc(cap), *more;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((n = read(fd, buf + size, cap - size - 1)) > 0) {
		size += n;
		if (cap - size < 4096) {
			more = realloc(buf, cap * 2);
			if (!more)
				break;
			buf = more;
			cap *= 2;
		}
	}
	close(fd);
	buf[size] = '\0';
	return buf;
}

static char *merged(int kind, pid_t pid, pid_t caller)
{
	struct mountinfo_vmount *v;
	struct vmount *m;
	char path[64], *real, *out;
	size_t n = 0;

	for (m = mtab_first(); m; m = m->next)
		n++;
	v = calloc(n ? n : 1, sizeof(*v));
	snprintf(path, sizeof(path), "/proc/%d/%s", pid ? pid : caller,
		 kind == 1 ? "mountinfo" : "mounts");
	real = slurp(path);
	if (!v || !real) {
		free(v);
		free(real);
		return NULL;
	}
	n = 0;
	for (m = mtab_first(); m; m = m->next) {
		int (*op)(void *, const char *, struct stat *) =
			SERVICE_OP(m->svc, lstat);
		struct stat st;

		if (m->detached)
			continue;
		v[n].target = m->target;
		v[n].source = m->source;
		v[n].fstype = m->fstype;
		v[n].options = m->options;
		v[n].key = m->reg_id;
		if (op && NESTED_CALL(m->epoch, op, m->mnt, "/", &st) == 0)
			v[n].dev = st.st_dev;
		n++;
	}
	out = kind == 1 ? mountinfo_merge(real, "/", v, n)
			: mounts_merge(real, "/", v, n);
	free(v);
	free(real);
	return out;
}

int procmounts_open(struct sc_call *c, const char *abs, int flags)
{
	pid_t pid;
	int kind = which(abs, &pid), fd;
	char *text;
	size_t len;

	if (!kind || !mtab_any())
		return 0;
	if ((flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	text = merged(kind, pid, c->t->tgid);
	if (!text)
		return -ENOMEM;
	len = strlen(text);
	fd = memfd_create(kind == 1 ? "mountinfo" : "mounts", MFD_CLOEXEC |
			  MFD_ALLOW_SEALING);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		free(text);
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	free(text);
	lseek(fd, 0, SEEK_SET);
	fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK |
				       F_SEAL_SEAL);
	/* read-only for the caller, like the real file */
	{
		char self[64];
		int ro;

		snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
		ro = open(self, O_RDONLY | O_CLOEXEC);
		close(fd);
		fd = ro;
	}
	if (fd < 0)
		return -EIO;
	c->newfd = fd;
	c->newfd_cloexec = flags & O_CLOEXEC;
	return 1;
}
