/* The management call: um_add_service, um_del_service, um_ls_service. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <umview/umcall.h>

#include "../engine.h"
#include "../mem.h"
#include "../service.h"
#include "../tracee.h"
#include "sc.h"

/* Copy the reply text (with its NUL) to the tracee's buffer, cut to fit. */
static void reply(struct sc_call *c, const char *text)
{
	unsigned long out = c->arg[2], outlen = c->arg[3];
	size_t n = strlen(text) + 1;

	if (!out || !outlen)
		return;
	if (n > outlen)
		n = outlen;
	if (mem_write(c->t->tid, out, text, n - 1) == 0)
		mem_write(c->t->tid, out + n - 1, "", 1);
}

enum sc_action sc_umcall(struct sc_call *c)
{
	char arg[UMCALL_ARG_MAX];
	char *out = NULL;
	ssize_t n;
	int op = (int)c->arg[0];

	if (op == UMCALL_ADD_SERVICE || op == UMCALL_DEL_SERVICE) {
		n = mem_read_str(c->t->tid, c->arg[1], arg, sizeof(arg));
		if (n < 0) {
			c->ret = n == -ENAMETOOLONG ? -E2BIG : n;
			return SC_SKIP;
		}
	}
	if (op != UMCALL_PROBE && op != UMCALL_LISTENER) {
		out = malloc(UMCALL_OUT_MAX);
		if (!out) {
			c->ret = -ENOMEM;
			return SC_SKIP;
		}
		out[0] = '\0';
	}
	switch (op) {
	case UMCALL_LISTENER:
		c->ret = engine_take_listener(c->t, (int)c->arg[1]);
		break;
	case UMCALL_PROBE:
		c->ret = 0;
		break;
	case UMCALL_ADD_SERVICE:
		c->ret = service_add(arg, out, UMCALL_OUT_MAX);
		if (c->ret == 0)
			engine_filter_refresh();
		break;
	case UMCALL_DEL_SERVICE:
		c->ret = service_del(arg, out, UMCALL_OUT_MAX);
		break;
	case UMCALL_LS_SERVICE:
		c->ret = service_list(out, UMCALL_OUT_MAX);
		break;
	default:
		c->ret = -EINVAL;
		break;
	}
	if (out) {
		reply(c, out);
		free(out);
	}
	return SC_SKIP;
}
