/* umview module API: the descriptor a module exports and the core services
 * it may call.  Modules build against this header only. */
#ifndef UMVIEW_MODULE_H
#define UMVIEW_MODULE_H

#include <stddef.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * API version.  A module is loaded only if its descriptor's api_version
 * equals UM_MODULE_API_VERSION.  Within one version, operations are only
 * ever appended to struct um_module; the descriptor's size field tells the
 * core which of them the module knows about.
 */
#define UM_MODULE_API_VERSION 1

/* Name of the descriptor symbol every module exports. */
#define UM_MODULE_SYMBOL "um_module"

/* Define a module's descriptor:  UM_MODULE_EXPORT struct um_module
 * um_module = { .api_version = UM_MODULE_API_VERSION, ... }; */
#define UM_MODULE_EXPORT __attribute__((visibility("default")))

struct um_service;

/*
 * What a registration claims.  Among the registrations that match a call,
 * the newest (highest epoch) wins.
 */
enum um_reg_kind {
	UM_REG_SYSCALL, /* key: a system call number (x86-64) */
	UM_REG_PATH,    /* key: a canonical absolute path (a mount point) */
	UM_REG_FSTYPE,  /* key: a file-system type name as given to mount(2) */
	UM_REG_FAMILY,  /* key: a socket address family (AF_*) */
	UM_REG_DEVICE,  /* key: a device number (makedev) */
	UM_REG_BINFMT,  /* key: a binfmt rule name */
	UM_REG_IOCTL,   /* key: an ioctl request number */
	UM_REG_NKINDS
};

/*
 * The module descriptor.
 *
 * Every operation is optional (NULL when not provided) and returns a
 * non-negative result on success or -errno on failure.  Operations are
 * named after the system calls they serve; the core has already copied
 * their arguments out of the tracee's memory and copies results back.
 */
struct um_module {
	unsigned int api_version; /* UM_MODULE_API_VERSION */
	size_t size;              /* sizeof(struct um_module) when built */
	const char *name;         /* service name, as given to um_add_service */
	const char *description;  /* one line, shown by um_ls_service */

	/*
	 * init: called once when the service is added.  options is the text
	 * after the first comma of "NAME,OPTIONS" ("" when none).  The module
	 * makes its registrations here with um_register().  On failure it
	 * returns -errno and may explain with um_error(); the core then
	 * drops the registrations it made and unloads it.
	 */
	int (*init)(struct um_service *svc, const char *options);
	/* fini: the service is being removed, or umview is stopping: flush
	 * everything that must persist.  Registrations are dropped after. */
	void (*fini)(struct um_service *svc);

	/* --- misc family (UM_REG_SYSCALL on the call's number) --- */
	/* uname(2): fill buf completely. */
	int (*uname)(struct utsname *buf);
	/* sethostname(2)/setdomainname(2): name is len bytes, not NUL
	 * terminated; len has been checked against __NEW_UTS_LEN. */
	int (*sethostname)(const char *name, size_t len);
	int (*setdomainname)(const char *name, size_t len);

	/* --- time family (UM_REG_SYSCALL on clock_gettime et al.) --- */
	/* clock_gettime(2).  Also serves gettimeofday(2) and time(2), which
	 * the core derives from CLOCK_REALTIME so that all three agree.
	 * CPU-time clocks (CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID
	 * and the negative per-process ones) measure the caller: the kernel
	 * answers them, they never reach the module. */
	int (*clock_gettime)(clockid_t clk, struct timespec *ts);
	/* clock_settime(2).  Also serves settimeofday(2). */
	int (*clock_settime)(clockid_t clk, const struct timespec *ts);
};

/*
 * Core services for modules.
 */

/* Claim calls: kind and key as in enum um_reg_kind.  num is the key for
 * numeric kinds, str for the others (NULL for numeric kinds).  Returns a
 * registration id (>= 0) or -errno. */
int um_register(struct um_service *svc, enum um_reg_kind kind, long num,
		const char *str);
/* Drop one registration made by this service.  Returns 0 or -ENOENT. */
int um_unregister(struct um_service *svc, int id);

/* Mark the service in use (mounts, open files): while the count is above
 * zero, um_del_service refuses with EBUSY. */
void um_service_hold(struct um_service *svc);
void um_service_release(struct um_service *svc);

/* Explain a failure to the user: the text reaches the um_add_service (or
 * umview -p) that caused the current operation.  printf-like. */
void um_error(struct um_service *svc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Log a line on umview's stderr when it runs with -v. */
void um_debug(struct um_service *svc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The thread id and process id of the tracee whose call is being served
 * (0 outside of a call). */
pid_t um_caller_tid(void);
pid_t um_caller_pid(void);

#ifdef __cplusplus
}
#endif
#endif /* UMVIEW_MODULE_H */
