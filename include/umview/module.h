/* umview module API: the descriptor a module exports and the core services
 * it may call.  Modules build against this header only. */
#ifndef UMVIEW_MODULE_H
#define UMVIEW_MODULE_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/statfs.h>
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
struct um_binfmt;

/*
 * What a registration claims.  Among the registrations that match a call,
 * the newest (highest epoch) wins.
 */
enum um_reg_kind {
	UM_REG_SYSCALL, /* key: a system call number (x86-64) */
	UM_REG_PATH,    /* key: a canonical absolute path (a mount point) */
	UM_REG_FSTYPE,  /* key: a file-system type name as given to mount(2);
			 * a key ending in '*' claims every type that starts
			 * with the rest ("umfuse*" claims "umfuseext2") */
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

	/* --- mount family (UM_REG_FSTYPE on the type) --- */
	/*
	 * mount(2) of a type this service registered.  target is the
	 * canonical absolute mount point, already checked to be a directory
	 * in the view; source and data are as the caller gave them (data may
	 * be NULL).  On success the module sets *mnt to its own per-mount
	 * state; the core then claims target for the service (newest mount
	 * wins, as in Linux) and hands *mnt to every operation below it.
	 */
	int (*mount)(struct um_service *svc, const char *source,
		     const char *target, const char *fstype,
		     unsigned long flags, const char *data, void **mnt);
	/* The mount goes away (umount2, um_del_service, umview stopping):
	 * write back everything and free mnt.  flags are umount2's; with
	 * MNT_FORCE the module must not refuse. */
	int (*umount)(void *mnt, int flags);

	/*
	 * --- file family ---
	 * path is relative to the mount's root, written from it: "/" is the
	 * root itself, "/a/b" a file below it (as in FUSE).  The core has
	 * resolved every symlink and ".." through the view: the module sees
	 * only the final object, and never follows a symlink itself.
	 * handle is what open() stored in *handle.
	 */
	/* lstat semantics: a symlink is described, not followed. */
	int (*lstat)(void *mnt, const char *path, struct stat *st);
	/* Returns the length of the target written to buf (not NUL
	 * terminated), at most size. */
	ssize_t (*readlink)(void *mnt, const char *path, char *buf, size_t size);
	/* access(2): mode is F_OK or a mask of R_OK, W_OK, X_OK. */
	int (*access)(void *mnt, const char *path, int mode);
	/*
	 * open(2) (also creat, openat, openat2).  flags are the caller's
	 * O_* flags; O_CREAT/O_EXCL/O_TRUNC/O_DIRECTORY are the module's to
	 * honour, mode is already masked with the caller's umask.  A served
	 * file stores its handle in *handle and returns 0: the core keeps the
	 * file offset and calls pread/pwrite.  A module may instead return a
	 * real file descriptor (> 0) that it opened itself: the caller then
	 * holds that very file, and its I/O runs in the kernel (passthrough).
	 */
	int (*open)(void *mnt, const char *path, int flags, mode_t mode,
		    void **handle);
	/* The last reference to the open file is gone. */
	int (*release)(void *mnt, void *handle);
	ssize_t (*pread)(void *mnt, void *handle, void *buf, size_t count,
			 off_t offset);
	ssize_t (*pwrite)(void *mnt, void *handle, const void *buf,
			  size_t count, off_t offset);
	int (*fstat)(void *mnt, void *handle, struct stat *st);
	/* Fill buf with struct linux_dirent64 records (as getdents64(2)),
	 * starting at the directory position *pos and advancing it.  Returns
	 * the bytes written, 0 at the end, -EINVAL if buf cannot hold one
	 * record. */
	ssize_t (*getdents64)(void *mnt, void *handle, void *buf, size_t count,
			      off_t *pos);
	int (*ftruncate)(void *mnt, void *handle, off_t length);
	int (*fsync)(void *mnt, void *handle, int datasync);
	int (*truncate)(void *mnt, const char *path, off_t length);
	int (*mkdir)(void *mnt, const char *path, mode_t mode);
	int (*mknod)(void *mnt, const char *path, mode_t mode, dev_t dev);
	int (*rmdir)(void *mnt, const char *path);
	int (*unlink)(void *mnt, const char *path);
	/* rename(2)/renameat2(2): both paths in this mount; flags are
	 * RENAME_NOREPLACE/RENAME_EXCHANGE (the core refuses others). */
	int (*rename)(void *mnt, const char *from, const char *to,
		      unsigned int flags);
	int (*link)(void *mnt, const char *from, const char *to);
	/* target is the symlink's text, stored as is. */
	int (*symlink)(void *mnt, const char *target, const char *path);
	int (*chmod)(void *mnt, const char *path, mode_t mode);
	/* (uid_t)-1 / (gid_t)-1 leave that id unchanged. */
	int (*chown)(void *mnt, const char *path, uid_t uid, gid_t gid);
	/* ts[0] access, ts[1] modification; UTIME_NOW and UTIME_OMIT as in
	 * utimensat(2). */
	int (*utimens)(void *mnt, const char *path, const struct timespec ts[2]);
	int (*statfs)(void *mnt, const char *path, struct statfs *buf);
	ssize_t (*getxattr)(void *mnt, const char *path, const char *name,
			    void *value, size_t size);
	int (*setxattr)(void *mnt, const char *path, const char *name,
			const void *value, size_t size, int flags);
	ssize_t (*listxattr)(void *mnt, const char *path, char *list,
			     size_t size);
	int (*removexattr)(void *mnt, const char *path, const char *name);

	/* --- fd family, continued --- */
	/* fallocate(2): mode as the caller gave it (0, FALLOC_FL_KEEP_SIZE,
	 * FALLOC_FL_PUNCH_HOLE...).  Without it: EOPNOTSUPP. */
	int (*fallocate)(void *mnt, void *handle, int mode, off_t offset,
			 off_t len);
	/* lseek(2) with SEEK_DATA or SEEK_HOLE only (the core keeps the
	 * offset for the others): the resulting offset, or -ENXIO.  Without
	 * it the whole file is data. */
	off_t (*lseek)(void *mnt, void *handle, off_t offset, int whence);
	/* ioctl(2) on a served file.  For a request that encodes its
	 * argument's size and direction (_IOC_SIZE, _IOC_DIR), arg points to
	 * a copy of size bytes: read from the caller for _IOC_WRITE, written
	 * back to it for _IOC_READ.  For any other request, arg is the
	 * caller's raw argument value and size is 0.  Returns the call's
	 * result; without it: ENOTTY. */
	int (*ioctl)(void *mnt, void *handle, unsigned long request, void *arg,
		     size_t size);

	/* --- file family, continued --- */
	/* Give the open file behind handle (typically one opened with
	 * O_TMPFILE, which open receives as the caller gave it) the name
	 * path, as linkat(fd, "", ..., AT_EMPTY_PATH) or a linkat of
	 * /proc/self/fd/N with AT_SYMLINK_FOLLOW do.  path does not exist
	 * (the core checked).  Without it: EOPNOTSUPP. */
	int (*flink)(void *mnt, void *handle, const char *path);

	/* --- exec family (UM_REG_BINFMT) --- */
	/*
	 * execve(2)/execveat(2) inside the view reached a regular,
	 * executable file: does the rule this service registered under the
	 * key rule (a UM_REG_BINFMT registration) claim it?  The core asks
	 * the rules newest first and runs the first that claims it, as
	 * Linux's binfmt_misc searches its list.  path is the file name as
	 * execve received it (after #! and earlier rules: the name the
	 * kernel would match an extension against); head holds the file's
	 * first UM_BINFMT_HEAD bytes, zero-padded past the len really read
	 * (the file may be virtual: the core read it through the view).
	 * Returns 1 and fills *out when it matches, 0 when not, -errno to
	 * fail the execve with that error.
	 */
	int (*binfmt_match)(struct um_service *svc, const char *rule,
			    const char *path, const unsigned char *head,
			    size_t len, struct um_binfmt *out);

	/* --- file family, by open file (appended: older modules lack them) ---
	 * fchmod(2), fchown(2) and futimens(2) on the open file behind
	 * handle, which may have been unlinked meanwhile.  Without them the
	 * core uses chmod, chown and utimens on the path it was opened by. */
	int (*fchmod)(void *mnt, void *handle, mode_t mode);
	int (*fchown)(void *mnt, void *handle, uid_t uid, gid_t gid);
	int (*futimens)(void *mnt, void *handle, const struct timespec ts[2]);
};

/* What binfmt_match answers: the interpreter to run and Linux's flags. */
struct um_binfmt {
	char interpreter[4096]; /* run with argv as Linux's binfmt_misc */
	unsigned int flags;     /* UM_BINFMT_* */
	int interp_fd;          /* F: a descriptor of the hypervisor open on
				   the interpreter since registration, which
				   is run instead of its path; -1 */
};

/* Bytes of a file shown to binfmt_match (Linux's BINPRM_BUF_SIZE). */
#define UM_BINFMT_HEAD 256
/* P: keep argv[0]: interpreter, file name, then the original argv. */
#define UM_BINFMT_P (1u << 0)
/* O: the interpreter also gets the binary open (see umbinfmt(7)). */
#define UM_BINFMT_O (1u << 1)
/* C: credentials from the binary (implies O; see umbinfmt(7)). */
#define UM_BINFMT_C (1u << 2)
/* F: the interpreter was opened at registration (interp_fd). */
#define UM_BINFMT_F (1u << 3)

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

/* Mount mnt (the module's per-mount state, as mount() would return it) at
 * the canonical absolute path target, from init or at any time: the same
 * as a mount(2) of the service's type at target.  Returns 0 or -errno. */
int um_mount(struct um_service *svc, const char *target, void *mnt);

/* Mark the service in use (mounts, open files): while the count is above
 * zero, um_del_service refuses with EBUSY. */
void um_service_hold(struct um_service *svc);
void um_service_release(struct um_service *svc);

/* The directories searched for modules, colon-separated: UMVIEW_MODULE_PATH
 * when set, else the installed module directory.  A module that loads
 * submodules (umfuse: umfuseNAME.so) looks for them there too. */
const char *um_module_path(void);
/* NAME.so along that path: a malloc'ed path (free() it), or NULL. */
char *um_module_locate(const char *name);

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

/* What the caller acts with on files: the ids the kernel would check
 * access with and give to a file it creates (its file-system uid and
 * gid), and its umask. */
struct um_cred {
	uid_t fsuid;
	gid_t fsgid;
	mode_t umask;
};
/* The caller's, kept by umview from the caller's own calls (cheap after
 * the first time in a thread).  0, or -ESRCH outside a call or when the
 * caller is gone. */
int um_caller_cred(struct um_cred *cred);

/*
 * A path the caller wrote (the source argument of mount(2), "disk.img"),
 * made absolute in the view: a relative path is joined to the calling
 * process's current directory (its virtual one when it lies inside a
 * mount), "." and repeated slashes are folded; ".." and symlinks are left
 * for the walk that will follow them.  An absolute path starts from the
 * caller's root (a chroot into a mount).  Outside a call, relative to
 * umview's own directory.  Writes the NUL-terminated result to buf.  Returns 0,
 * -ENAMETOOLONG if it does not fit size, or -errno (the cwd unreadable).
 *
 * Module code (and the libraries it uses) reaches the view through
 * purelibc: open(buf, ...) in a mount operation then finds the file as the
 * caller would, through every mount older than the one being served.
 */
int um_caller_abspath(const char *path, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif /* UMVIEW_MODULE_H */
