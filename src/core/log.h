/* Messages from the hypervisor to the user (stderr). */
#ifndef UM_LOG_H
#define UM_LOG_H

extern int log_verbose;

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define debug(...)                        \
	do {                              \
		if (log_verbose)          \
			log_debug(__VA_ARGS__); \
	} while (0)

#endif
