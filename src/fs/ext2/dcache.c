/* umfuseext2: a cache of directory entries (directory inode + name ->
 * inode), so that the path walk each operation starts with does not scan
 * (and checksum) the same directory blocks again and again. */
#include <stdlib.h>
#include <string.h>
#include "ext2fuse.h"

#define DCACHE_BUCKETS 8192
#define DCACHE_MAX 65536	/* entries; past it the cache starts over */

struct dentry {
	struct dentry *next;
	ext2_ino_t dir, ino;
	unsigned int len;
	char name[];
};

struct e2f_dcache {
	struct dentry *bucket[DCACHE_BUCKETS];
	unsigned int count;
};

static unsigned int hash(ext2_ino_t dir, const char *name, unsigned int len)
{
	unsigned int h = 2166136261u ^ dir;
	unsigned int i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h % DCACHE_BUCKETS;
}

int e2f_dcache_get(struct e2f *e, ext2_ino_t dir, const char *name,
		   unsigned int len, ext2_ino_t *ino)
{
	struct dentry *d;

	if (!e->dcache)
		return 0;
	for (d = e->dcache->bucket[hash(dir, name, len)]; d; d = d->next)
		if (d->dir == dir && d->len == len &&
		    !memcmp(d->name, name, len)) {
			*ino = d->ino;
			return 1;
		}
	return 0;
}

void e2f_dcache_put(struct e2f *e, ext2_ino_t dir, const char *name,
		    unsigned int len, ext2_ino_t ino)
{
	struct dentry *d;
	unsigned int h;

	if (!e->dcache) {
		e->dcache = calloc(1, sizeof(*e->dcache));
		if (!e->dcache)
			return;	/* no cache: every walk reads the disk */
	}
	if (e->dcache->count >= DCACHE_MAX)
		e2f_dcache_flush(e);
	d = malloc(sizeof(*d) + len);
	if (!d)
		return;
	h = hash(dir, name, len);
	d->dir = dir;
	d->ino = ino;
	d->len = len;
	memcpy(d->name, name, len);
	d->next = e->dcache->bucket[h];
	e->dcache->bucket[h] = d;
	e->dcache->count++;
}

/* Names only go away with unlink, rmdir and rename: they flush it all. */
void e2f_dcache_flush(struct e2f *e)
{
	unsigned int i;

	if (!e->dcache || !e->dcache->count)
		return;
	for (i = 0; i < DCACHE_BUCKETS; i++) {
		struct dentry *d = e->dcache->bucket[i], *n;

		for (; d; d = n) {
			n = d->next;
			free(d);
		}
		e->dcache->bucket[i] = NULL;
	}
	e->dcache->count = 0;
}

void e2f_dcache_free(struct e2f *e)
{
	e2f_dcache_flush(e);
	free(e->dcache);
	e->dcache = NULL;
}
