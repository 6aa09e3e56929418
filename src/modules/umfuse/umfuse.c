/* umfuse: the module.  It claims every file-system type "umfuse*"; a
 * mount of type umfuseNAME loads the submodule umfuseNAME.so (a FUSE file
 * system built against libumfuse), runs its main() on a thread of its own
 * until the file system is ready, then serves the mount through its
 * fuse_operations (ops.c). */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "umfuse.h"

#define TYPE_PREFIX "umfuse"
/* Seconds a file system's main() may take to reach fuse_loop()
 * (UMFUSE_START_TIMEOUT in umview's environment overrides it). */
#define START_TIMEOUT 60

static int start_timeout(void)
{
	const char *env = getenv("UMFUSE_START_TIMEOUT");
	int t = env ? atoi(env) : 0;

	return t > 0 ? t : START_TIMEOUT;
}

static unsigned int mount_count; /* for distinct st_dev numbers */

int umfuse_enter(struct umfuse_mnt *m)
{
	struct fuse_context *c;

	umfuse_ctx_begin(m->f, um_caller_pid());
	/* Only a privileged umview can hold processes of several users. */
	if (!m->check_owner || m->f->mo.allow_other)
		return 0;
	c = fuse_get_context();
	if (c->uid == m->owner || (m->f->mo.allow_root && c->uid == 0))
		return 0;
	return -EACCES;
}

/* --- finding and loading a submodule --- */

/* A private copy of path, so that a second mount of the same submodule
 * gets its own global variables (FUSE file systems expect a process per
 * mount).  Returns the copy's name or NULL. */
static char *private_copy(const char *path)
{
	const char *tmp = getenv("TMPDIR");
	char *copy, buf[65536];
	int in, out = -1;
	ssize_t n;

	if (asprintf(&copy, "%s/umfuse.XXXXXX.so", tmp && *tmp ? tmp : "/tmp")
	    < 0)
		return NULL;
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in >= 0)
		out = mkostemps(copy, 3, O_CLOEXEC);
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			n = -1;
	if (in < 0 || out < 0 || n < 0) {
		if (out >= 0)
			unlink(copy);
		free(copy);
		copy = NULL;
	}
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return copy;
}

static int load(struct um_service *svc, struct umfuse_mnt *m)
{
	char *path = um_module_locate(m->type);
	void *loaded;

	if (!path) {
		um_error(svc,
			 "no file system '%s': %s.so is not in %s "
			 "(build it with `pkg-config --cflags --libs umfuse`)",
			 m->type + strlen(TYPE_PREFIX), m->type,
			 um_module_path());
		return -ENODEV;
	}
	loaded = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
	if (loaded) {
		dlclose(loaded);
		m->copy = private_copy(path);
	}
	m->dl = dlopen(m->copy ? m->copy : path, RTLD_NOW | RTLD_LOCAL);
	if (m->copy)
		unlink(m->copy);
	if (!m->dl) {
		um_error(svc, "cannot load %s: %s", path, dlerror());
		free(path);
		return -ELIBBAD;
	}
	/* Built against libfuse3 instead, it would look for /dev/fuse. */
	if (dlsym(m->dl, "umfuse_set_start") != (void *)umfuse_set_start) {
		um_error(svc,
			 "%s is not linked against libumfuse: build it "
			 "with `pkg-config --cflags --libs umfuse` (not fuse3)",
			 path);
		free(path);
		return -ELIBBAD;
	}
	if (!dlsym(m->dl, "main")) {
		um_error(svc,
			 "%s is not a FUSE file system: it has no "
			 "main()", path);
		free(path);
		return -ELIBBAD;
	}
	free(path);
	return 0;
}

/* The caller's credentials as umview keeps them (libumfuse's source for
 * fuse_get_context, instead of reading /proc at each operation). */
static int caller_cred(pid_t pid, uid_t *uid, gid_t *gid, mode_t *umask)
{
	struct um_cred c;

	if (pid != um_caller_pid() || um_caller_cred(&c) < 0)
		return -ESRCH;
	*uid = c.fsuid;
	*gid = c.fsgid;
	if (umask)
		*umask = c.umask;
	return 0;
}

/* --- the submodule's thread --- */

static void *run_main(void *arg)
{
	struct umfuse_mnt *m = arg;
	int (*fs_main)(int, char **) =
		(int (*)(int, char **))dlsym(m->dl, "main");
	int status;

	umfuse_set_start(&m->start);
	umfuse_set_cred_source(caller_cred);
	status = fs_main(m->argc, m->argv);
	pthread_mutex_lock(&m->start.lock);
	m->start.state = UMFUSE_DONE;
	m->start.status = status;
	pthread_cond_broadcast(&m->start.cond);
	pthread_mutex_unlock(&m->start.lock);
	return NULL;
}

/*
 * The command line a FUSE file system expects:
 * umfuseNAME [-o OPTIONS] [SOURCE] MOUNTPOINT.  SOURCE is left out when
 * it is empty or "none" (hello, passthrough: no source).  Mount flags
 * other than MS_RDONLY (nosuid, nodev, noexec...) have no effect.
 */
static int build_argv(struct umfuse_mnt *m, const char *source,
		      const char *target, unsigned long flags,
		      const char *data)
{
	char *opts = NULL;
	int n = 0;

	m->argv = calloc(6, sizeof(char *));
	if (!m->argv)
		return -ENOMEM;
	m->argv[n++] = strdup(m->type);
	if (data && *data)
		opts = strdup(data);
	if (flags & MS_RDONLY)
		fuse_opt_add_opt(&opts, "ro");
	if (opts) {
		m->argv[n++] = strdup("-o");
		m->argv[n++] = opts;
	}
	if (source && *source && strcmp(source, "none") != 0) {
		/* main() runs in umview's directory, not the caller's: a
		 * relative image path is made absolute in the view. */
		char abs[PATH_MAX];

		if (source[0] != '/' &&
		    um_caller_abspath(source, abs, sizeof(abs)) == 0)
			source = abs;
		m->argv[n++] = strdup(source);
	}
	m->argv[n++] = strdup(target);
	m->argc = n;
	while (n-- > 0)
		if (!m->argv[n])
			return -ENOMEM;
	return 0;
}

static void mnt_free(struct umfuse_mnt *m)
{
	int i;

	if (!m)
		return;
#ifndef __SANITIZE_ADDRESS__
	/* An ASan build keeps submodules mapped: what a file system never
	 * frees (a process would just exit) then stays reachable from its
	 * globals instead of filling the leak report. */
	if (m->dl)
		dlclose(m->dl);
#endif
	for (i = 0; m->argv && i < m->argc; i++)
		free(m->argv[i]);
	free(m->argv);
	free(m->copy);
	free(m->type);
	pthread_mutex_destroy(&m->start.lock);
	pthread_cond_destroy(&m->start.cond);
	free(m);
}

/* Start main() and wait until it serves the mount or returns (or until
 * the start timeout: -ETIMEDOUT, and the thread and m stay). */
static int start(struct um_service *svc, struct umfuse_mnt *m)
{
	enum umfuse_state state;
	struct timespec deadline;
	sigset_t all, old;
	bool timeout = false;
	int err;

	/* Signals are the hypervisor's: the thread takes none. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&m->thread, NULL, run_main, m);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		um_error(svc, "cannot start %s: %s", m->type,
			 strerror(err));
		return -err;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += start_timeout();
	pthread_mutex_lock(&m->start.lock);
	while (m->start.state == UMFUSE_STARTING && !timeout)
		timeout = pthread_cond_timedwait(&m->start.cond,
						 &m->start.lock,
						 &deadline) == ETIMEDOUT;
	m->f = m->start.fuse;
	state = m->start.state;
	pthread_mutex_unlock(&m->start.lock);
	if (state == UMFUSE_READY && m->f)
		return 0;
	if (state == UMFUSE_STARTING) {
		/* A thread cannot be stopped from outside: it is left
		 * waiting, with its mount record, and the mount fails. */
		pthread_detach(m->thread);
		um_error(svc,
			 "%s did not reach fuse_loop() within %d "
			 "seconds (is it waiting for input?): mount abandoned",
			 m->type, start_timeout());
		return -ETIMEDOUT;
	}
	pthread_join(m->thread, NULL);
	um_error(svc,
		 "%s exited with status %d instead of mounting "
		 "(its own messages, if any, are above)",
		 m->type, m->start.status);
	return -EINVAL;
}

/* --- mount family --- */

static int umfuse_mount(struct um_service *svc, const char *source,
			const char *target, const char *fstype,
			unsigned long flags, const char *data, void **mnt)
{
	pthread_condattr_t cattr;
	struct umfuse_mnt *m;
	int err;

	if (strncmp(fstype, TYPE_PREFIX, strlen(TYPE_PREFIX)) != 0 ||
	    !fstype[strlen(TYPE_PREFIX)]) {
		um_error(svc, "name the file system in the type: "
			      "mount -t umfuseNAME (for umfuseNAME.so)");
		return -ENODEV;
	}
	if (strchr(fstype, '/')) {
		um_error(svc, "invalid file-system type '%s'", fstype);
		return -ENODEV;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	pthread_condattr_init(&cattr);
	pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC);
	pthread_mutex_init(&m->start.lock, NULL);
	pthread_cond_init(&m->start.cond, &cattr);
	pthread_condattr_destroy(&cattr);
	m->start.state = UMFUSE_STARTING;
	m->svc = svc;
	m->type = strdup(fstype);
	if (!m->type) {
		err = -ENOMEM;
		goto out_free;
	}
	if ((err = load(svc, m)) < 0 ||
	    (err = build_argv(m, source, target, flags, data)) < 0)
		goto out_free;
	err = start(svc, m);
	if (err == -ETIMEDOUT)
		return err; /* m belongs to the thread left waiting */
	if (err < 0)
		goto out_free;
	m->dev = makedev(0, 0xf0000 + (mount_count++ & 0xffff));
	m->check_owner = geteuid() == 0;
	if (m->check_owner) {
		gid_t gid;

		if (caller_cred(um_caller_pid(), &m->owner, &gid, NULL) < 0)
			m->owner = 0;
	}
	um_service_hold(svc);
	um_debug(svc, "%s mounted at %s", fstype, target);
	*mnt = m;
	return 0;
out_free:
	mnt_free(m);
	return err;
}

/* End the loop, let main() clean up (destroy) and return, unload. */
static int umfuse_umount(void *mnt, int flags)
{
	struct umfuse_mnt *m = mnt;

	umfuse_ctx_begin(m->f, um_caller_pid());
	umfuse_release_all(m);
	pthread_mutex_lock(&m->start.lock);
	m->start.unmounting = true;
	pthread_cond_broadcast(&m->start.cond);
	pthread_mutex_unlock(&m->start.lock);
	pthread_join(m->thread, NULL);
	um_service_release(m->svc);
	um_debug(m->svc, "%s unmounted (main returned %d)", m->type,
		 m->start.status);
	mnt_free(m);
	return 0;
}

static int umfuse_init(struct um_service *svc, const char *options)
{
	int id;

	if (options && *options) {
		um_error(svc, "no service options (give them to "
			      "mount -o): '%s'", options);
		return -EINVAL;
	}
	id = um_register(svc, UM_REG_FSTYPE, 0, TYPE_PREFIX "*");
	return id < 0 ? id : 0;
}

UM_MODULE_EXPORT struct um_module um_module = {
	.api_version = UM_MODULE_API_VERSION,
	.size = sizeof(struct um_module),
	.name = "umfuse",
	.description = "FUSE file systems (libfuse 3 API) as submodules",
	.init = umfuse_init,
	.mount = umfuse_mount,
	.umount = umfuse_umount,
	.lstat = umfuse_lstat,
	.readlink = umfuse_readlink,
	.access = umfuse_access,
	.open = umfuse_open,
	.release = umfuse_release,
	.pread = umfuse_pread,
	.pwrite = umfuse_pwrite,
	.fstat = umfuse_fstat,
	.getdents64 = umfuse_getdents64,
	.ftruncate = umfuse_ftruncate,
	.fchmod = umfuse_fchmod,
	.fchown = umfuse_fchown,
	.futimens = umfuse_futimens,
	.fsync = umfuse_fsync,
	.truncate = umfuse_truncate,
	.mkdir = umfuse_mkdir,
	.mknod = umfuse_mknod,
	.rmdir = umfuse_rmdir,
	.unlink = umfuse_unlink,
	.rename = umfuse_rename,
	.link = umfuse_link,
	.symlink = umfuse_symlink,
	.chmod = umfuse_chmod,
	.chown = umfuse_chown,
	.utimens = umfuse_utimens,
	.statfs = umfuse_statfs,
	.getxattr = umfuse_getxattr,
	.setxattr = umfuse_setxattr,
	.listxattr = umfuse_listxattr,
	.removexattr = umfuse_removexattr,
	.fallocate = umfuse_fallocate,
	.lseek = umfuse_lseek,
	.ioctl = umfuse_ioctl,
};
