/* Services: loading modules, their lifecycle, and the management
 * operations behind um_add_service, um_del_service and um_ls_service. */
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "engine.h"
#include "log.h"
#include "mtab.h"
#include "reg.h"
#include "service.h"

#ifndef MODULE_DIR
#define MODULE_DIR "/usr/local/lib/umview/modules"
#endif

static struct um_service *services; /* newest first */

/* Where um_error() writes: the reply of the operation under way. */
static char *err_msg;
static size_t err_len;

const char *service_module_path(void)
{
	const char *p = getenv("UMVIEW_MODULE_PATH");

	return p && *p ? p : MODULE_DIR;
}

static void set_msg(char *msg, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_msg(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!msg || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
}

static struct um_service *find(const char *name)
{
	struct um_service *s;

	for (s = services; s; s = s->next)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

static int name_ok(const char *name)
{
	const char *c;

	if (!*name || strlen(name) > 64)
		return 0;
	for (c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-')
			return 0;
	return 1;
}

/* Find NAME.so along the module path.  Returns a malloc'ed path or NULL. */
char *um_module_locate(const char *name)
{
	const char *p = service_module_path();

	while (*p) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char *path;

		if (n > 0 && asprintf(&path, "%.*s/%s.so", (int)n, p, name) >= 0) {
			if (access(path, F_OK) == 0)
				return path;
			free(path);
		}
		p += n;
		if (*p == ':')
			p++;
	}
	return NULL;
}

/* The module's fini, as module code (nested calls see every mount). */
static void fini(struct um_service *s)
{
	struct nested_state saved;

	if (!s->mod->fini)
		return;
	saved = nested_enter(REG_EPOCH_MAX);
	s->mod->fini(s);
	nested_leave(saved);
}

static void service_free(struct um_service *s)
{
	if (!s)
		return;
	mtab_umount_all(s);
	reg_del_service(s);
	if (s->dl)
		dlclose(s->dl);
	free(s->name);
	free(s->options);
	free(s);
}

static int load(struct um_service *s, char *msg, size_t msglen)
{
	char *path = um_module_locate(s->name);
	const struct um_module *mod;

	if (!path) {
		const char *env = getenv("UMVIEW_MODULE_PATH");

		set_msg(msg, msglen,
			"unknown module '%s': no %s.so in %s%s", s->name,
			s->name, service_module_path(),
			env && *env ? " (UMVIEW_MODULE_PATH)" : "");
		return -ENOENT;
	}
	s->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!s->dl) {
		set_msg(msg, msglen, "cannot load module '%s': %s", s->name,
			dlerror());
		free(path);
		return -ELIBBAD;
	}
	mod = dlsym(s->dl, UM_MODULE_SYMBOL);
	if (!mod) {
		set_msg(msg, msglen,
			"%s is not a umview module: it has no '%s' descriptor",
			path, UM_MODULE_SYMBOL);
		free(path);
		return -ELIBBAD;
	}
	free(path);
	if (mod->api_version != UM_MODULE_API_VERSION) {
		set_msg(msg, msglen,
			"module '%s' was built for module API version %u; this "
			"umview has version %u: rebuild the module",
			s->name, mod->api_version, UM_MODULE_API_VERSION);
		return -ELIBBAD;
	}
	if (mod->size < offsetof(struct um_module, uname) || !mod->name) {
		set_msg(msg, msglen, "module '%s' has a malformed descriptor",
			s->name);
		return -ELIBBAD;
	}
	s->mod = mod;
	return 0;
}

int service_add(const char *spec, char *msg, size_t msglen)
{
	const char *comma = strchr(spec, ',');
	size_t n = comma ? (size_t)(comma - spec) : strlen(spec);
	struct um_service *s;
	int err;

	set_msg(msg, msglen, "%s", "");
	s = calloc(1, sizeof(*s));
	if (!s || !(s->name = strndup(spec, n)) ||
	    !(s->options = strdup(comma ? comma + 1 : ""))) {
		service_free(s);
		return -ENOMEM;
	}
	if (!name_ok(s->name)) {
		set_msg(msg, msglen,
			"invalid module name '%s': letters, digits, '-' and "
			"'_' only", s->name);
		service_free(s);
		return -EINVAL;
	}
	if (find(s->name)) {
		set_msg(msg, msglen, "service '%s' is already loaded",
			s->name);
		service_free(s);
		return -EEXIST;
	}
	err = load(s, msg, msglen);
	if (err < 0) {
		service_free(s);
		return err;
	}
	if (s->mod->init) {
		err_msg = msg;
		err_len = msglen;
		/* module code: its own calls see every registration */
		err = NESTED_CALL(REG_EPOCH_MAX, s->mod->init, s, s->options);
		err_msg = NULL;
		if (err > 0)
			err = -EINVAL;
		if (err < 0) {
			if (msg && !*msg)
				set_msg(msg, msglen, "%s", strerror(-err));
			if (msg) {
				char detail[512];

				snprintf(detail, sizeof(detail), "%s", msg);
				set_msg(msg, msglen,
					"module '%s' failed to start: %s",
					s->name, detail);
			}
			service_free(s);
			return err;
		}
	}
	s->next = services;
	services = s;
	debug("service %s added (options '%s')", s->name, s->options);
	return 0;
}

int service_del(const char *name, char *msg, size_t msglen)
{
	struct um_service **p;

	set_msg(msg, msglen, "%s", "");
	for (p = &services; *p; p = &(*p)->next) {
		struct um_service *s = *p;

		if (strcmp(s->name, name) != 0)
			continue;
		if (s->holds > 0) {
			set_msg(msg, msglen,
				"service '%s' is in use (%d mounts or open "
				"files): unmount and close them first",
				name, s->holds);
			return -EBUSY;
		}
		*p = s->next;
		fini(s);
		service_free(s);
		debug("service %s removed", name);
		return 0;
	}
	set_msg(msg, msglen, "service '%s' is not loaded", name);
	return -ENOENT;
}

int service_list(char *out, size_t len)
{
	struct um_service *s;
	size_t used = 0;

	if (len)
		out[0] = '\0';
	for (s = services; s; s = s->next) {
		int n = snprintf(out + used, len - used, "%s\t%s\n", s->name,
				 s->mod->description ? s->mod->description : "");

		if (n < 0 || (size_t)n >= len - used)
			return -ENOSPC;
		used += n;
	}
	return used;
}

void service_fini_all(void)
{
	mtab_umount_all(NULL);
	while (services) {
		struct um_service *s = services;

		services = s->next;
		fini(s);
		service_free(s);
	}
}

int service_has_op(const struct um_service *svc, size_t op_offset)
{
	return svc->mod->size >= op_offset + sizeof(void (*)(void));
}

/* --- the API modules call (include/umview/module.h) --- */

int um_register(struct um_service *svc, enum um_reg_kind kind, long num,
		const char *str)
{
	int id = reg_add(svc, kind, num, str);

	/* A registration made outside init must take effect too. */
	if (id >= 0)
		engine_filter_refresh();
	return id;
}

int um_unregister(struct um_service *svc, int id)
{
	return reg_del(svc, id);
}

int um_mount(struct um_service *svc, const char *target, void *mnt)
{
	return mtab_add(svc, mnt, target, "none", svc->name, 0, NULL, NULL);
}

void um_service_hold(struct um_service *svc)
{
	svc->holds++;
}

void um_service_release(struct um_service *svc)
{
	if (svc->holds > 0)
		svc->holds--;
}

const char *um_module_path(void)
{
	return service_module_path();
}

void um_error(struct um_service *svc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (err_msg && err_len) {
		vsnprintf(err_msg, err_len, fmt, ap);
	} else {
		char line[512];

		vsnprintf(line, sizeof(line), fmt, ap);
		log_error("%s: %s", svc ? svc->name : "module", line);
	}
	va_end(ap);
}

void um_debug(struct um_service *svc, const char *fmt, ...)
{
	va_list ap;
	char line[512];

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_debug("%s: %s", svc ? svc->name : "module", line);
}
