/* Per-process tables of virtual file descriptors and the open file
 * descriptions behind them, shared and copied as the kernel does. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fdtab.h"
#include "sc/sc.h"

struct fd_slot {
	struct ofd *ofd;
	bool cloexec;
};

struct fdtab {
	int refs;
	int size;  /* slots allocated */
	int count; /* slots in use */
	unsigned long gen; /* counts numbers that became virtual */
	struct fd_slot *slot;
};

struct ofd *ofd_new(struct um_service *svc, void *handle, int flags,
		    const char *path, void (*release)(struct ofd *))
{
	struct ofd *ofd = calloc(1, sizeof(*ofd));

	if (!ofd)
		return NULL;
	ofd->refs = 1;
	ofd->svc = svc;
	ofd->handle = handle;
	ofd->flags = flags;
	ofd->release = release;
	ofd->path = path ? strdup(path) : NULL;
	if (path && !ofd->path) {
		free(ofd);
		return NULL;
	}
	return ofd;
}

struct ofd *ofd_get(struct ofd *ofd)
{
	ofd->refs++;
	return ofd;
}

void ofd_put(struct ofd *ofd)
{
	if (!ofd || --ofd->refs > 0)
		return;
	if (ofd->lk_owner)
		lock_ofd_gone(ofd);
	if (ofd->release)
		ofd->release(ofd);
	free(ofd->path);
	free(ofd);
}

struct fdtab *fdtab_new(void)
{
	struct fdtab *tab = calloc(1, sizeof(*tab));

	if (tab)
		tab->refs = 1;
	return tab;
}

struct fdtab *fdtab_share(struct fdtab *tab)
{
	tab->refs++;
	return tab;
}

struct fdtab *fdtab_copy(const struct fdtab *tab)
{
	struct fdtab *copy = fdtab_new();
	int i;

	if (!copy)
		return NULL;
	if (tab->count == 0)
		return copy;
	copy->slot = calloc(tab->size, sizeof(*copy->slot));
	if (!copy->slot) {
		free(copy);
		return NULL;
	}
	copy->size = tab->size;
	copy->count = tab->count;
	for (i = 0; i < tab->size; i++) {
		copy->slot[i] = tab->slot[i];
		if (copy->slot[i].ofd)
			ofd_get(copy->slot[i].ofd);
	}
	return copy;
}

void fdtab_put(struct fdtab *tab)
{
	int i;

	if (!tab || --tab->refs > 0)
		return;
	lock_files_gone(tab); /* the process is gone: its record locks */
	for (i = 0; i < tab->size; i++)
		ofd_put(tab->slot[i].ofd);
	free(tab->slot);
	free(tab);
}

bool fdtab_is_shared(const struct fdtab *tab)
{
	return tab->refs > 1;
}

static int grow(struct fdtab *tab, int fd)
{
	int size = tab->size ? tab->size : 16;
	struct fd_slot *slot;

	while (size <= fd)
		size *= 2;
	slot = realloc(tab->slot, size * sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	memset(slot + tab->size, 0, (size - tab->size) * sizeof(*slot));
	tab->slot = slot;
	tab->size = size;
	return 0;
}

int fdtab_set(struct fdtab *tab, int fd, struct ofd *ofd, bool cloexec)
{
	struct ofd *old;

	if (fd < 0)
		return -EBADF;
	if (fd >= tab->size && grow(tab, fd) < 0)
		return -ENOMEM;
	old = tab->slot[fd].ofd;
	tab->slot[fd].ofd = ofd_get(ofd);
	tab->slot[fd].cloexec = cloexec;
	if (old) {
		ofd_put(old);
	} else {
		tab->count++;
		tab->gen++;
	}
	return 0;
}

unsigned long fdtab_generation(const struct fdtab *tab)
{
	return tab->gen;
}

int fdtab_next(const struct fdtab *tab, int from)
{
	int fd;

	for (fd = from < 0 ? 0 : from; fd < tab->size; fd++)
		if (tab->slot[fd].ofd)
			return fd;
	return -1;
}

struct ofd *fdtab_lookup(const struct fdtab *tab, int fd)
{
	if (fd < 0 || fd >= tab->size)
		return NULL;
	return tab->slot[fd].ofd;
}

int fdtab_get_cloexec(const struct fdtab *tab, int fd)
{
	if (!fdtab_lookup(tab, fd))
		return -EBADF;
	return tab->slot[fd].cloexec;
}

int fdtab_set_cloexec(struct fdtab *tab, int fd, bool cloexec)
{
	if (!fdtab_lookup(tab, fd))
		return -EBADF;
	tab->slot[fd].cloexec = cloexec;
	return 0;
}

int fdtab_close(struct fdtab *tab, int fd)
{
	struct ofd *ofd = fdtab_lookup(tab, fd);

	if (!ofd)
		return -EBADF;
	lock_fd_closed(tab, ofd);
	tab->slot[fd].ofd = NULL;
	tab->slot[fd].cloexec = false;
	tab->count--;
	ofd_put(ofd);
	return 0;
}

void fdtab_exec(struct fdtab *tab)
{
	int i;

	for (i = 0; i < tab->size && tab->count > 0; i++)
		if (tab->slot[i].ofd && tab->slot[i].cloexec)
			fdtab_close(tab, i);
}

int fdtab_count(const struct fdtab *tab)
{
	return tab->count;
}
