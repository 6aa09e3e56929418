/* Passing fds between processes: SCM_RIGHTS and pidfd_getfd.  A virtual
 * fd is a number whose kernel object is only a placeholder; handed to
 * another process it would arrive as that placeholder, which the
 * receiver's table knows nothing about, and its reads would silently see
 * an empty file.  So a message that carries a virtual fd is refused with
 * EOPNOTSUPP (and a message in the log); real fds, passthrough files
 * included, go as they would outside the view.  pidfd_getfd of another
 * process's virtual fd is refused the same way. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "../fdtab.h"
#include "../log.h"
#include "../mem.h"
#include "../tracee.h"
#include "sc.h"

/* Control data looked at: the kernel's own limit (net.core.optmem_max)
 * is 20 KiB by default. */
#define CONTROL_MAX 65536

/* 1 if the control data of the tracee's msghdr at addr passes a virtual
 * fd (its number in *fd), 0 if not, -errno. */
static int carries_virtual(struct sc_call *c, unsigned long addr, int *fd)
{
	struct msghdr mh;
	struct cmsghdr *cm;
	size_t len;
	void *buf;
	int i, n, found = 0;

	if (mem_read(c->t->tid, addr, &mh, sizeof(mh)) < 0)
		return -EFAULT;
	if (!mh.msg_control || mh.msg_controllen < sizeof(struct cmsghdr))
		return 0;
	len = mh.msg_controllen < CONTROL_MAX ? mh.msg_controllen
					      : CONTROL_MAX;
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	if (mem_read(c->t->tid, (unsigned long)mh.msg_control, buf, len) < 0) {
		free(buf);
		return -EFAULT;
	}
	mh.msg_control = buf;
	mh.msg_controllen = len;
	for (cm = CMSG_FIRSTHDR(&mh); cm && !found; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET ||
		    cm->cmsg_type != SCM_RIGHTS || cm->cmsg_len < CMSG_LEN(0))
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n && !found; i++) {
			int f;

			memcpy(&f, CMSG_DATA(cm) + i * sizeof(int), sizeof(f));
			if (fdtab_lookup(c->t->files, f)) {
				*fd = f;
				found = 1;
			}
		}
	}
	free(buf);
	return found;
}

enum sc_action sc_sendmsg(struct sc_call *c)
{
	unsigned int i, vlen = 1;
	unsigned long addr = c->arg[1];
	int r, fd = -1;

	if (!c->t->files || fdtab_count(c->t->files) == 0)
		return SC_KERNEL;
	if (c->nr == __NR_sendmmsg)
		vlen = c->arg[2] < 1024 ? (unsigned int)c->arg[2] : 1024;
	for (i = 0; i < vlen; i++) {
		/* struct mmsghdr begins with its struct msghdr */
		r = carries_virtual(c, addr + i * sizeof(struct mmsghdr), &fd);
		if (r < 0)
			return SC_KERNEL; /* the kernel finds the fault */
		if (r > 0) {
			log_error("%d: fd %d is a virtual file: it cannot be "
				  "passed over a socket (SCM_RIGHTS)",
				  c->t->tid, fd);
			return sc_return(c, -EOPNOTSUPP);
		}
	}
	return SC_KERNEL;
}

/* The process a pidfd of the caller refers to, from its fdinfo; 0 if
 * unknown. */
static pid_t pidfd_pid(pid_t tid, int pidfd)
{
	char path[64], line[128];
	int pid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", tid, pidfd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Pid: %d", &pid) == 1)
			break;
	fclose(f);
	return pid > 0 ? pid : 0;
}

/* pidfd_getfd(2) of another tracee's virtual fd would copy its
 * placeholder, for the same reason as SCM_RIGHTS: refused alike. */
enum sc_action sc_pidfd_getfd(struct sc_call *c)
{
	pid_t pid = pidfd_pid(c->t->tid, (int)c->arg[0]);
	struct tracee *target = pid ? tracee_find(pid) : NULL;

	if (!target || !target->files ||
	    !fdtab_lookup(target->files, (int)c->arg[1]))
		return SC_KERNEL;
	log_error("%d: fd %d of process %d is a virtual file: pidfd_getfd "
		  "cannot copy it", c->t->tid, (int)c->arg[1], pid);
	return sc_return(c, -EOPNOTSUPP);
}
