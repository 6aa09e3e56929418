/* umfuse: logging for file systems (libfuse 3's fuse_log). */
#ifndef UMFUSE_FUSE_LOG_H
#define UMFUSE_FUSE_LOG_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Levels, as syslog's. */
enum fuse_log_level {
	FUSE_LOG_EMERG,
	FUSE_LOG_ALERT,
	FUSE_LOG_CRIT,
	FUSE_LOG_ERR,
	FUSE_LOG_WARNING,
	FUSE_LOG_NOTICE,
	FUSE_LOG_INFO,
	FUSE_LOG_DEBUG
};

typedef void (*fuse_log_func_t)(enum fuse_log_level level, const char *fmt,
				va_list ap);

/* Send messages to func instead of stderr (NULL: back to stderr). */
void fuse_set_log_func(fuse_log_func_t func);
/* Log a message; by default it goes to umview's stderr. */
void fuse_log(enum fuse_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif
#endif /* UMFUSE_FUSE_LOG_H */
