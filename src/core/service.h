/* Services: loading modules, their lifecycle, and the management
 * operations behind um_add_service, um_del_service and um_ls_service. */
#ifndef UM_SERVICE_H
#define UM_SERVICE_H

#include <stddef.h>

#include <umview/module.h>

#include "nested.h"

struct um_service {
	char *name;
	char *options;
	void *dl;
	const struct um_module *mod;
	int holds;
	struct um_service *next;
};

/* Where modules are searched: UMVIEW_MODULE_PATH (colon-separated) or the
 * configured module directory. */
const char *service_module_path(void);

/* "NAME[,OPTIONS]": load NAME.so and run its init.  On failure returns
 * -errno and leaves an explanation in msg. */
int service_add(const char *spec, char *msg, size_t msglen);
/* Remove a service: -ENOENT if not loaded, -EBUSY if held. */
int service_del(const char *name, char *msg, size_t msglen);
/* One "NAME\tDESCRIPTION\n" line per service into out.  Returns the
 * length, or -ENOSPC. */
int service_list(char *out, size_t len);
/* umview is stopping: fini every service, newest first. */
void service_fini_all(void);
/* Does the module implement op?  (op is an offset in struct um_module.) */
int service_has_op(const struct um_service *svc, size_t op_offset);

/* Call an optional operation, or say -ENOSYS when the module lacks it.
 * Module code called this way makes its own calls outside the view: use
 * MOUNT_OP for a mount's operations, NESTED_CALL for the others. */
#define CALL_OP(svc, op, ...) \
	(SERVICE_OP((svc), op) ? SERVICE_OP((svc), op)(__VA_ARGS__) : -ENOSYS)

#define SERVICE_OP(svc, op)                                                  \
	(service_has_op((svc), offsetof(struct um_module, op)) ? (svc)->mod->op \
							       : NULL)

/*
 * Call operation op of the module serving mount m (a struct vmount) with
 * m->mnt as first argument, as module code of m's registration: its own
 * system calls see only the mounts older than m (nested.h).  -ENOSYS when
 * the module lacks op.
 */
#define MOUNT_OP(m, op, ...)                                                 \
	({                                                                   \
		__typeof__((m)->svc->mod->op) mount_op_ =                    \
			SERVICE_OP((m)->svc, op);                            \
		mount_op_ ? NESTED_CALL((m)->epoch, mount_op_, (m)->mnt,     \
					##__VA_ARGS__)                       \
			  : -ENOSYS;                                         \
	})

#endif
