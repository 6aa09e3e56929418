/* The misc family: uname, sethostname, setdomainname. */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#include "../mem.h"
#include "../reg.h"
#include "../service.h"
#include "../tracee.h"
#include "sc.h"

#define UTS_LEN 64 /* __NEW_UTS_LEN */

enum sc_action sc_uname(struct sc_call *c)
{
	struct um_service *svc = reg_syscall_owner(c->nr);
	int (*op)(struct utsname *);
	struct utsname u;

	if (!svc || !(op = SERVICE_OP(svc, uname)))
		return SC_KERNEL;
	memset(&u, 0, sizeof(u));
	c->ret = NESTED_CALL(REG_EPOCH_MAX, op, &u);
	if (c->ret >= 0 && mem_write(c->t->tid, c->arg[0], &u, sizeof(u)) < 0)
		c->ret = -EFAULT;
	return SC_SKIP;
}

/* sethostname and setdomainname. */
enum sc_action sc_sethostname(struct sc_call *c)
{
	struct um_service *svc = reg_syscall_owner(c->nr);
	int (*op)(const char *, size_t);
	char name[UTS_LEN];
	size_t len = c->arg[1];

	if (!svc)
		return SC_KERNEL;
	op = c->nr == __NR_sethostname ? SERVICE_OP(svc, sethostname)
				       : SERVICE_OP(svc, setdomainname);
	if (!op)
		return SC_KERNEL;
	if (len > UTS_LEN)
		c->ret = -EINVAL;
	else if (mem_read(c->t->tid, c->arg[0], name, len) < 0)
		c->ret = -EFAULT;
	else
		c->ret = NESTED_CALL(REG_EPOCH_MAX, op, name, len);
	return SC_SKIP;
}
