/* The credentials a tracee acts with on files (fsuid, fsgid) and its
 * umask, for the modules that create files and check access on its
 * behalf.
 *
 * They are read from /proc/TID/status (about 10-20 us: the kernel formats
 * the whole file) once per thread and kept: a thread changes them only by
 * its own set*id calls, which stop once something is mounted (sc_setid
 * forgets them before the call runs, so the thread's next call reads the
 * new ones), and by execve of a set-user-ID program (forgotten at the
 * exec event).  The umask is followed the same way through umask(2). */
#include <stdio.h>

#include "cred.h"
#include "engine.h"
#include "tracee.h"

/* Uid: and Gid: give real, effective, saved and file-system ids. */
static void read_status(struct tracee *t)
{
	unsigned int r, e, s, fsid, mask;
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", t->tid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Umask: %o", &mask) == 1 &&
		    !t->fs->umask_known) {
			t->fs->umask = mask & 0777;
			t->fs->umask_known = true;
		} else if (sscanf(line, "Uid: %u %u %u %u", &r, &e, &s,
				  &fsid) == 4) {
			t->cred.fsuid = fsid;
		} else if (sscanf(line, "Gid: %u %u %u %u", &r, &e, &s,
				  &fsid) == 4) {
			t->cred.fsgid = fsid;
			t->cred.known = true;
			break; /* Umask, Uid, Gid: in this order */
		}
	}
	fclose(f);
}

mode_t tracee_umask(struct tracee *t)
{
	if (!t->fs->umask_known)
		read_status(t);
	return t->fs->umask_known ? t->fs->umask : 022;
}

void tracee_cred_forget(struct tracee *t)
{
	t->cred.known = false;
}

int um_caller_cred(struct um_cred *cred)
{
	struct tracee *t = engine_current();

	if (!t)
		return -ESRCH;
	if (!t->cred.known)
		read_status(t);
	if (!t->cred.known)
		return -ESRCH; /* gone */
	cred->fsuid = t->cred.fsuid;
	cred->fsgid = t->cred.fsgid;
	cred->umask = tracee_umask(t);
	return 0;
}
