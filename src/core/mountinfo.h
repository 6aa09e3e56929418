/* The view's /proc/PID/mountinfo and /proc/PID/mounts: the real text with
 * the virtual mounts merged in, as util-linux and coreutils read them. */
#ifndef UM_MOUNTINFO_H
#define UM_MOUNTINFO_H

#include <stddef.h>
#include <sys/types.h>

/* One virtual mount, as the merge shows it. */
struct mountinfo_vmount {
	const char *target;  /* canonical absolute mount point, in the real
				(hypervisor's) name space */
	const char *source;  /* as given to mount(2); NULL or "": "none" */
	const char *fstype;  /* as given to mount(2); NULL or "": "none" */
	const char *options; /* "rw" or "ro", then the data string, comma
				separated; NULL or "": "rw" */
	unsigned int key;    /* distinct and stable over the mount's life
				(e.g. its registration id); 0: its position */
	dev_t dev;           /* st_dev its files report, shown as major:minor;
				0: makedev(0, MOUNTINFO_MINOR_BASE + key) */
};

/* Virtual mount ids are MOUNTINFO_ID_BASE + key, or max real id + key
 * when some real id reaches MOUNTINFO_ID_BASE. */
#define MOUNTINFO_ID_BASE 1000000
#define MOUNTINFO_MINOR_BASE 0xf0000u

/*
 * Merge the virtual mounts v[0..n) (oldest first) into real, the text of
 * the real /proc/PID/mountinfo.  Returns a malloc'ed string, or NULL with
 * errno ENOMEM.  real may be NULL or "" (no real mounts); its lines may be
 * of any length and the last one may lack its newline.
 *
 * Real lines come through byte for byte and in order (a final newline is
 * added if missing, blank lines are dropped); then one line per virtual
 * mount, in order:
 *
 *   ID PARENT MAJ:MIN / MOUNTPOINT rw|ro,relatime - FSTYPE SOURCE OPTIONS
 *
 * ID: above every real id and unique (see MOUNTINFO_ID_BASE); if the keys
 * are not all nonzero and distinct, positions (1, 2, ...) are used instead.
 * PARENT: the id of the mount it sits on: among the real mounts and the
 * virtual ones before it, the last listed whose mount point is the longest
 * prefix of target at a component boundary (itself if there is none).
 * No optional fields.  MOUNTPOINT, FSTYPE, SOURCE and OPTIONS are escaped
 * as the kernel does (space \040, tab \011, newline \012, backslash \134).
 * Entries without an absolute target are left out.
 *
 * root is the view's root directory (canonical absolute, as a chroot(2)
 * made it); NULL or "/": none.  Otherwise, as the kernel does for a
 * chrooted process, only mounts whose mount point is at or under root are
 * listed (real and virtual alike), with the mount point shown relative to
 * root ("/" for root itself); the rest of each line is unchanged.  Parent
 * ids are computed over all mounts, listed or not.
 */
char *mountinfo_merge(const char *real, const char *root,
		      const struct mountinfo_vmount *v, size_t n);

/*
 * The same for the /proc/PID/mounts format: one line per virtual mount,
 *
 *   SOURCE MOUNTPOINT FSTYPE rw|ro,relatime[,DATA] 0 0
 *
 * where DATA is options without its leading "rw"/"ro".  Same escaping,
 * root filter and memory contract as mountinfo_merge().
 */
char *mounts_merge(const char *real, const char *root,
		   const struct mountinfo_vmount *v, size_t n);

#endif
