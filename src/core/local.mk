# The hypervisor: the core as a library (so unit tests can link its units)
# plus main.
noinst_LIBRARIES += src/core/libumcore.a
src_core_libumcore_a_SOURCES = \
	src/core/cred.c src/core/cred.h \
	src/core/engine.c src/core/engine.h \
	src/core/fdtab.c src/core/fdtab.h \
	src/core/filter.c src/core/filter.h \
	src/core/inject.c src/core/inject.h \
	src/core/locktab.c src/core/locktab.h \
	src/core/log.c src/core/log.h \
	src/core/mem.c src/core/mem.h \
	src/core/mountinfo.c src/core/mountinfo.h \
	src/core/mtab.c src/core/mtab.h \
	src/core/nested.c src/core/nested.h src/core/nested_fd.c \
	src/core/notify.c src/core/notify.h \
	src/core/path.c src/core/path.h \
	src/core/reg.c src/core/reg.h \
	src/core/sctab.c src/core/sctab.h src/core/sctab.def \
	src/core/service.c src/core/service.h \
	src/core/tracee.c src/core/tracee.h \
	src/core/view.c src/core/view.h \
	src/core/sc/sc.h \
	src/core/sc/dir.c \
	src/core/sc/exec.c \
	src/core/sc/exec_image.c src/core/sc/exec.h \
	src/core/sc/copy.c \
	src/core/sc/fd.c \
	src/core/sc/file.c \
	src/core/sc/lock.c \
	src/core/sc/mgmt.c \
	src/core/sc/mmap.c \
	src/core/sc/scm.c \
	src/core/sc/stat.c \
	src/core/sc/misc.c \
	src/core/sc/mount.c \
	src/core/sc/procmounts.c \
	src/core/sc/time.c \
	src/core/sc/xattr.c

UMCORE_LIBS = src/core/libumcore.a src/purelibc/libpurelibc_core.a \
	$(SECCOMP_LIBS) $(LIBS)

bin_PROGRAMS += src/core/umview
src_core_umview_SOURCES = src/core/main.c
src_core_umview_LDADD = $(UMCORE_LIBS)
# Modules resolve the um_* API against the executable.
# purelibc is linked whole and its wrappers exported (before libc in the
# lookup scope): module code and the libraries it loads make their system
# calls through it, and through the view (nested.c).
src_core_umview_LDFLAGS = $(AM_LDFLAGS) \
	-Wl,--dynamic-list=$(srcdir)/src/core/api.sym \
	-Wl,--dynamic-list=$(srcdir)/src/purelibc/purelibc.sym \
	-Wl,--whole-archive,src/purelibc/libpurelibc_core.a,--no-whole-archive
EXTRA_src_core_umview_DEPENDENCIES = src/purelibc/libpurelibc_core.a
EXTRA_DIST += src/core/api.sym
