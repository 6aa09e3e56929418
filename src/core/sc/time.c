/* The time family.  A module serves clock_gettime and clock_settime;
 * gettimeofday, time and settimeofday are derived from CLOCK_REALTIME so
 * that all of them agree. */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#include "../mem.h"
#include "../reg.h"
#include "../service.h"
#include "../tracee.h"
#include "sc.h"

static int put(struct sc_call *c, unsigned long addr, const void *v,
	       size_t len)
{
	return mem_write(c->t->tid, addr, v, len) < 0 ? -EFAULT : 0;
}

/* CPU-time clocks measure the caller: only the kernel, in the caller's own
 * context, can read them (the hypervisor would read its own). */
static bool caller_clock(clockid_t clk)
{
	return clk < 0 || clk == CLOCK_PROCESS_CPUTIME_ID ||
	       clk == CLOCK_THREAD_CPUTIME_ID;
}

enum sc_action sc_clock_gettime(struct sc_call *c)
{
	struct um_service *svc = reg_syscall_owner(c->nr);
	int (*op)(clockid_t, struct timespec *);
	struct timespec ts;

	if (!svc || !(op = SERVICE_OP(svc, clock_gettime)) ||
	    caller_clock((clockid_t)c->arg[0]))
		return SC_KERNEL;
	c->ret = NESTED_CALL(REG_EPOCH_MAX, op, (clockid_t)c->arg[0], &ts);
	if (c->ret >= 0)
		c->ret = put(c, c->arg[1], &ts, sizeof(ts));
	return SC_SKIP;
}

enum sc_action sc_gettimeofday(struct sc_call *c)
{
	struct um_service *svc = reg_syscall_owner(c->nr);
	int (*op)(clockid_t, struct timespec *);
	struct timespec ts;
	struct timeval tv;
	struct timezone tz;

	if (!svc || !(op = SERVICE_OP(svc, clock_gettime)))
		return SC_KERNEL;
	c->ret = 0;
	if (c->arg[0]) {
		c->ret = NESTED_CALL(REG_EPOCH_MAX, op, CLOCK_REALTIME, &ts);
		tv.tv_sec = ts.tv_sec;
		tv.tv_usec = ts.tv_nsec / 1000;
		if (c->ret >= 0)
			c->ret = put(c, c->arg[0], &tv, sizeof(tv));
	}
	if (c->ret >= 0 && c->arg[1]) {
		/* The kernel's timezone is not virtual. */
		gettimeofday(&tv, &tz);
		c->ret = put(c, c->arg[1], &tz, sizeof(tz));
	}
	return SC_SKIP;
}

enum sc_action sc_time(struct sc_call *c)
{
	struct um_service *svc = reg_syscall_owner(c->nr);
	int (*op)(clockid_t, struct timespec *);
	struct timespec ts;
	time_t t;

	if (!svc || !(op = SERVICE_OP(svc, clock_gettime)))
		return SC_KERNEL;
	c->ret = NESTED_CALL(REG_EPOCH_MAX, op, CLOCK_REALTIME, &ts);
	if (c->ret < 0)
		return SC_SKIP;
	t = ts.tv_sec;
	c->ret = t;
	if (c->arg[0] && put(c, c->arg[0], &t, sizeof(t)) < 0)
		c->ret = -EFAULT;
	return SC_SKIP;
}

static bool ts_valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000;
}

enum sc_action sc_clock_settime(struct sc_call *c)
{
	struct um_service *svc = reg_syscall_owner(c->nr);
	int (*op)(clockid_t, const struct timespec *);
	struct timespec ts;

	if (!svc || !(op = SERVICE_OP(svc, clock_settime)) ||
	    caller_clock((clockid_t)c->arg[0]))
		return SC_KERNEL;
	if (mem_read(c->t->tid, c->arg[1], &ts, sizeof(ts)) < 0)
		c->ret = -EFAULT;
	else if (!ts_valid(&ts))
		c->ret = -EINVAL;
	else
		c->ret = NESTED_CALL(REG_EPOCH_MAX, op, (clockid_t)c->arg[0], &ts);
	return SC_SKIP;
}

enum sc_action sc_settimeofday(struct sc_call *c)
{
	struct um_service *svc = reg_syscall_owner(c->nr);
	int (*op)(clockid_t, const struct timespec *);
	struct timeval tv;
	struct timespec ts;

	if (!svc || !(op = SERVICE_OP(svc, clock_settime)))
		return SC_KERNEL;
	if (!c->arg[0]) { /* only a timezone: not virtual */
		c->ret = 0;
		return SC_SKIP;
	}
	if (mem_read(c->t->tid, c->arg[0], &tv, sizeof(tv)) < 0) {
		c->ret = -EFAULT;
		return SC_SKIP;
	}
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000) {
		c->ret = -EINVAL;
		return SC_SKIP;
	}
	ts.tv_sec = tv.tv_sec;
	ts.tv_nsec = tv.tv_usec * 1000;
	c->ret = ts_valid(&ts) ? NESTED_CALL(REG_EPOCH_MAX, op, CLOCK_REALTIME, &ts) : -EINVAL;
	return SC_SKIP;
}
