/* Registrations: what each service claims, stamped with epochs; choice of
 * the newest matching registration. */
#ifndef UM_REG_H
#define UM_REG_H

#include <stdbool.h>

#include <umview/module.h>

struct reg {
	int id;
	unsigned long epoch;
	enum um_reg_kind kind;
	long num;  /* key of numeric kinds */
	char *str; /* key of string kinds; canonical path for UM_REG_PATH */
	struct um_service *svc;
	void *data; /* the core's own, e.g. the struct vmount of a mount */
	struct reg *next;
};

/* Epochs are stamped from one counter; nothing is newer than REG_EPOCH_MAX. */
#define REG_EPOCH_MAX (~0UL)

bool reg_kind_is_numeric(enum um_reg_kind kind);
/* Add a registration.  Returns its id (>= 0) or -errno (-EINVAL for a bad
 * key, e.g. a relative path). */
int reg_add(struct um_service *svc, enum um_reg_kind kind, long num,
	    const char *str);
/* The same, with the core's data attached to the registration. */
int reg_add_data(struct um_service *svc, enum um_reg_kind kind, long num,
		 const char *str, void *data);
int reg_del(struct um_service *svc, int id);
/* Drop every registration of svc. */
void reg_del_service(struct um_service *svc);

/* The newest registration of kind whose key matches and whose epoch is
 * below before (REG_EPOCH_MAX: any).  For UM_REG_PATH the key is a
 * canonical absolute path and matches a registration that is a prefix of
 * it at a component boundary. */
const struct reg *reg_choose(enum um_reg_kind kind, long num,
			     const char *str, unsigned long before);

/* The service that claims syscall nr (UM_REG_SYSCALL), or NULL. */
struct um_service *reg_syscall_owner(long nr);

/* Does any registration of kind exist? */
bool reg_any(enum um_reg_kind kind);
/* Call fn on every registration. */
void reg_foreach(void (*fn)(const struct reg *r, void *arg), void *arg);
/* Incremented on every add or delete. */
unsigned long reg_generation(void);

#endif
