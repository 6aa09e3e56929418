/* mount(2) and umount2(2): claimed by file-system type and by mount
 * point.  Unclaimed calls go to the kernel untouched. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "../engine.h"
#include "../mem.h"
#include "../mtab.h"
#include "../path.h"
#include "../reg.h"
#include "../service.h"
#include "../tracee.h"
#include "../view.h"
#include "sc.h"

/* A NUL-terminated argument, or "" for NULL. */
static int arg_str(struct sc_call *c, int i, char *buf, size_t size)
{
	ssize_t n;

	buf[0] = '\0';
	if (!c->arg[i])
		return 0;
	n = mem_read_str(c->t->tid, c->arg[i], buf, size);
	return n < 0 ? (n == -ENAMETOOLONG ? -EINVAL : -EFAULT) : 0;
}

enum sc_action sc_mount(struct sc_call *c)
{
	int (*op)(struct um_service *, const char *, const char *,
		  const char *, unsigned long, const char *, void **);
	char type[256], source[PATH_MAX], data[4096];
	unsigned long flags = c->arg[3];
	const struct reg *r;
	struct vpath vp;
	void *mnt = NULL;
	int err;

	if (!c->arg[2] || !reg_any(UM_REG_FSTYPE) ||
	    arg_str(c, 2, type, sizeof(type)) < 0)
		return SC_KERNEL;
	r = reg_choose(UM_REG_FSTYPE, 0, type, REG_EPOCH_MAX);
	if (!r)
		return SC_KERNEL;
	if (flags & (MS_REMOUNT | MS_BIND | MS_MOVE | MS_SHARED | MS_PRIVATE |
		     MS_SLAVE | MS_UNBINDABLE))
		return sc_return(c, -EINVAL);
	if ((err = arg_str(c, 0, source, sizeof(source))) < 0 ||
	    (err = arg_str(c, 4, data, sizeof(data))) < 0)
		return sc_return(c, err);
	err = view_resolve(c, AT_FDCWD, c->arg[1], PATH_DIRECTORY | VIEW_WALK,
			   &vp);
	if (err < 0)
		return sc_return(c, err);
	op = SERVICE_OP(r->svc, mount);
	if (!op)
		return sc_return(c, -ENODEV);
	/* the core serves mount(2) itself: the module's own calls (opening
	 * its source) see every registration that exists */
	err = NESTED_CALL(REG_EPOCH_MAX, op, r->svc, source, vp.abs, type,
			  flags, data, &mnt);
	if (err < 0)
		return sc_return(c, err);
	err = mtab_add(r->svc, mnt, vp.abs, source, type, flags, data, NULL);
	if (err < 0) {
		int (*um)(void *, int) = SERVICE_OP(r->svc, umount);

		if (um)
			NESTED_CALL(REG_EPOCH_MAX, um, mnt, MNT_FORCE);
		return sc_return(c, err);
	}
	engine_filter_refresh();
	return sc_return(c, 0);
}

struct cwd_probe {
	const char *target;
	bool found;
};

static void probe_cwd(struct tracee *t, void *arg)
{
	struct cwd_probe *p = arg;
	size_t n = strlen(p->target);
	const char *cwd = t->fs ? t->fs->cwd : NULL;

	if (cwd && (n == 1 || (strncmp(cwd, p->target, n) == 0 &&
			       (cwd[n] == '/' || !cwd[n]))))
		p->found = true;
}

/* Is some tracee's cwd inside the mount at target?  (Linux: EBUSY.) */
static bool cwd_inside(const char *target)
{
	struct cwd_probe p = { target, false };

	tracee_foreach(probe_cwd, &p);
	return p.found;
}

enum sc_action sc_umount2(struct sc_call *c)
{
	int flags = c->arg[1];
	struct vmount *m;
	struct vpath vp;
	int err;

	if (!mtab_any())
		return SC_KERNEL;
	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return sc_return(c, -EINVAL);
	err = view_resolve(c, AT_FDCWD, c->arg[0],
			   VIEW_WALK |
				   ((flags & UMOUNT_NOFOLLOW) ? PATH_NOFOLLOW : 0),
			   &vp);
	if (err < 0)
		return err == -ENOENT ? SC_KERNEL : sc_return(c, err);
	m = mtab_at(vp.abs);
	if (!m)
		return SC_KERNEL; /* not ours: the kernel says EINVAL/EPERM */
	if (flags & MNT_EXPIRE)
		return sc_return(c, -EAGAIN);
	if (!(flags & MNT_DETACH) && cwd_inside(m->target))
		return sc_return(c, -EBUSY);
	return sc_return(c, mtab_umount(m, flags));
}
