/* The extended attributes of a path or of a virtual fd: getxattr,
 * setxattr, listxattr, removexattr and their l- and f- forms. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/xattr.h>

#include "../fdtab.h"
#include "../mem.h"
#include "../mtab.h"
#include "../path.h"
#include "../service.h"
#include "../tracee.h"
#include "../view.h"
#include "sc.h"

static enum sc_action xattr_on(struct sc_call *c, struct vpath *vpp);

enum sc_action sc_xattr(struct sc_call *c)
{
	bool nofollow = c->nr == __NR_lgetxattr || c->nr == __NR_lsetxattr ||
			c->nr == __NR_llistxattr || c->nr == __NR_lremovexattr;
	struct vpath vp;
	int r;

	r = file_resolve(c, 0, nofollow ? PATH_NOFOLLOW : 0, &vp);
	if (r == VIEW_KERNEL)
		return SC_KERNEL;
	if (r < 0)
		return sc_return(c, r);
	return xattr_on(c, &vp);
}

/* fgetxattr and friends on a virtual fd: the path it was opened with. */
enum sc_action sc_fxattr(struct sc_call *c)
{
	struct ofd *ofd = fdtab_lookup(c->t->files, (int)c->arg[0]);
	struct vpath vp;

	if (!ofd)
		return SC_KERNEL;
	file_vpath_of(ofd, &vp);
	return xattr_on(c, &vp);
}

static enum sc_action xattr_on(struct sc_call *c, struct vpath *vpp)
{
	struct vpath vp = *vpp;
	struct um_service *svc;
	char name[XATTR_NAME_MAX + 1];
	void *buf = NULL;
	size_t size = 0;
	ssize_t ret;
	long nr = c->nr;

	switch (nr) { /* the f-forms take the same arguments */
	case __NR_fgetxattr:
		nr = __NR_getxattr;
		break;
	case __NR_fsetxattr:
		nr = __NR_setxattr;
		break;
	case __NR_flistxattr:
		nr = __NR_listxattr;
		break;
	case __NR_fremovexattr:
		nr = __NR_removexattr;
		break;
	}
	if (nr != __NR_listxattr && nr != __NR_llistxattr &&
	    mem_read_str(c->t->tid, c->arg[1], name, sizeof(name)) < 0)
		return sc_return(c, -ERANGE);
	switch (nr) {
	case __NR_getxattr:
	case __NR_lgetxattr:
	case __NR_setxattr:
	case __NR_lsetxattr:
		size = c->arg[3];
		break;
	default: /* list */
		size = c->arg[2];
		break;
	}
	if (size > XATTR_SIZE_MAX)
		size = XATTR_SIZE_MAX;
	if (size && !(buf = malloc(size)))
		return sc_return(c, -ENOMEM);
	svc = vp.m ? vp.m->svc : NULL;
	switch (nr) {
	case __NR_getxattr:
	case __NR_lgetxattr:
		ret = !vp.m ? neg_errno(lgetxattr(vp.abs, name, buf, size))
		      : SERVICE_OP(svc, getxattr)
			      ? NESTED_CALL(vp.m->epoch, SERVICE_OP(svc, getxattr), vp.m->mnt, vp.rel,
							  name, buf, size)
			      : -ENOTSUP;
		if (ret > 0 && size &&
		    mem_write(c->t->tid, c->arg[2], buf, ret) < 0)
			ret = -EFAULT;
		break;
	case __NR_setxattr:
	case __NR_lsetxattr:
		if (size && mem_read(c->t->tid, c->arg[2], buf, size) < 0) {
			ret = -EFAULT;
			break;
		}
		ret = !vp.m ? neg_errno(lsetxattr(vp.abs, name, buf, size,
						  c->arg[4]))
		      : SERVICE_OP(svc, setxattr)
			      ? NESTED_CALL(vp.m->epoch, SERVICE_OP(svc, setxattr), vp.m->mnt, vp.rel,
							  name, buf, size,
							  c->arg[4])
			      : -ENOTSUP;
		break;
	case __NR_listxattr:
	case __NR_llistxattr:
		ret = !vp.m ? neg_errno(llistxattr(vp.abs, buf, size))
		      : SERVICE_OP(svc, listxattr)
			      ? NESTED_CALL(vp.m->epoch, SERVICE_OP(svc, listxattr), vp.m->mnt, vp.rel,
							   buf, size)
			      : -ENOTSUP;
		if (ret > 0 && size &&
		    mem_write(c->t->tid, c->arg[1], buf, ret) < 0)
			ret = -EFAULT;
		break;
	default: /* remove */
		ret = !vp.m ? neg_errno(lremovexattr(vp.abs, name))
		      : SERVICE_OP(svc, removexattr)
			      ? NESTED_CALL(vp.m->epoch, SERVICE_OP(svc, removexattr), vp.m->mnt, vp.rel,
							     name)
			      : -ENOTSUP;
		break;
	}
	free(buf);
	return sc_return(c, ret);
}
