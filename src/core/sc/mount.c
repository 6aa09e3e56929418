/* mount(2) and umount2(2): claimed by file-system type and by mount
 * point.  Unclaimed calls go to the kernel untouched. */
#include <errno.h>

#include "../mem.h"
#include "../reg.h"
#include "../tracee.h"
#include "sc.h"

enum sc_action sc_mount(struct sc_call *c)
{
	char type[256];
	ssize_t n;

	if (!c->arg[2] || !reg_any(UM_REG_FSTYPE))
		return SC_KERNEL;
	n = mem_read_str(c->t->tid, c->arg[2], type, sizeof(type));
	if (n < 0 || !reg_choose(UM_REG_FSTYPE, 0, type, REG_EPOCH_MAX))
		return SC_KERNEL;
	/* A module claims the type, but no module mount operation exists
	 * in this API version yet. */
	c->ret = -ENODEV;
	return SC_SKIP;
}

enum sc_action sc_umount2(struct sc_call *c)
{
	/* No virtual mounts exist in this API version yet. */
	return SC_KERNEL;
}
