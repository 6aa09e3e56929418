/* The memory unit: the only way the hypervisor touches tracee memory. */
#ifndef UM_MEM_H
#define UM_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Copy len bytes from/to the tracee.  Returns 0 or -EFAULT (or another
 * -errno when the tracee is gone). */
int mem_read(pid_t tid, uintptr_t addr, void *buf, size_t len);
int mem_write(pid_t tid, uintptr_t addr, const void *buf, size_t len);
/* Read a NUL-terminated string of at most size-1 bytes.  Returns its
 * length, -ENAMETOOLONG if it does not fit, or -EFAULT. */
ssize_t mem_read_str(pid_t tid, uintptr_t addr, char *buf, size_t size);

#endif
