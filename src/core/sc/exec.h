/* The execve family's own interface between exec.c (the call) and
 * exec_image.c (the images it runs). */
#ifndef UM_SC_EXEC_H
#define UM_SC_EXEC_H

#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

struct sc_call;
struct vmount;
struct vpath;

/* Tracee scratch memory, below its stack pointer: each put goes below
 * the previous one. */
struct scratch {
	pid_t tid;
	unsigned long top;
};

/* Copy len bytes below the previous ones.  Returns their address, 0 if
 * the tracee's memory refused them. */
unsigned long exec_scratch_put(struct scratch *s, const void *data,
			       size_t len);

/* Copy the virtual file to the cache (once per version of it).  Returns 0
 * with its path in out, or -errno. */
int exec_cached_copy(struct vpath *vp, const struct stat *st, char *out,
		     size_t size);

/* The program at cache path copy names an ELF interpreter the kernel
 * would not find as the view does: make copy a variant that names one it
 * finds.  Returns 0 (copy updated or left) or -errno. */
int exec_fix_interp(struct sc_call *c, char *copy, size_t size);

/* An execve in progress in process tgid whose new program gets auxv
 * entries (binfmt's O, C and P). */
struct exec_note {
	pid_t tgid;
	int memfd;     /* the tracee's number of the binary's copy, or -1 */
	bool redo;     /* made, the execve is being made again */
	bool armed;    /* the execve is under way: edit auxv at its event */
	bool preserve;
	bool execfd;
	struct vmount *bin_m; /* what the memfd holds */
	char bin[PATH_MAX + 32];
	struct exec_note *next;
};

/* The note of tgid; with create, a new one if none.  NULL: none, or no
 * memory. */
struct exec_note *exec_note_find(pid_t tgid, bool create);
void exec_note_drop(struct exec_note *n);
/* Make the tracee of c hold a memfd with the binary (in mount m at path,
 * or real at path when m is NULL), open across exec.  The tracee is left
 * rewound to make its call again.  Returns the tracee's number of it,
 * -ESRCH if the tracee is gone, or -errno. */
long exec_give_binary(struct sc_call *c, struct vmount *m, const char *path);

#endif
