/* umbinfmt's rules: what a line written to "register" says, and matching a
 * file against it (parse.c); the file system is in umbinfmt.c. */
#ifndef UMBINFMT_H
#define UMBINFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include <umview/module.h>

/* Linux's limit on a line written to register. */
#define BF_MAX_REGISTER 1920

struct bf_rule {
	char name[256];
	bool extension;            /* type E: magic is the extension text */
	int offset;
	unsigned char magic[BF_MAX_REGISTER];
	unsigned char mask[UM_BINFMT_HEAD];
	int size;                  /* bytes of magic (and of mask) */
	bool has_mask;
	char interpreter[BF_MAX_REGISTER];
	unsigned int flags;        /* UM_BINFMT_P... */
	int interp_fd;             /* F: the interpreter, opened at register */
	bool enabled;
	bool removed;
	int refs;
	int reg_id;                /* its UM_REG_BINFMT registration */
	ino_t ino;
	time_t mtime;
	struct bf_rule *next;      /* older */
};

/*
 * Parse ":name:type:offset:magic:mask:interpreter:flags" (count bytes, any
 * first character as the delimiter) into r, as Linux's binfmt_misc does.
 * Returns 0, -EINVAL for a malformed line (Linux's errno for every format
 * error, bad name or bad flag), or -ENAMETOOLONG for a name over 255
 * bytes.
 */
int umbinfmt_parse(const char *buf, size_t count, struct bf_rule *r);

/* Does file name path with first bytes head (len of them read; Linux
 * compares the rest of its buffer as zeros) match r? */
bool umbinfmt_matches(const struct bf_rule *r, const char *path,
		      const unsigned char *head, size_t len);

#endif
