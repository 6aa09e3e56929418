# purelibc: the libc overlay.  Built twice from the same sources: a shared
# library with a documented header for any program, and an archive that
# umview links whole, exporting the wrappers (purelibc.sym) so that they
# interpose libc's for every module it loads later.
PURELIBC_SOURCES = src/purelibc/internal.h src/purelibc/syscall.c \
	src/purelibc/file.c src/purelibc/fd.c src/purelibc/dir.c \
	src/purelibc/stdio.c src/purelibc/realpath.c
PURELIBC_CPPFLAGS = $(AM_CPPFLAGS) -U_FORTIFY_SOURCE

lib_LTLIBRARIES += src/purelibc/libpurelibc.la
src_purelibc_libpurelibc_la_SOURCES = $(PURELIBC_SOURCES)
src_purelibc_libpurelibc_la_CPPFLAGS = $(PURELIBC_CPPFLAGS)
src_purelibc_libpurelibc_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
src_purelibc_libpurelibc_la_LDFLAGS = $(AM_LDFLAGS) -version-info 0:0:0
src_purelibc_libpurelibc_la_LIBADD = $(LIBS)
include_HEADERS += include/purelibc.h
pkgconfig_DATA += purelibc.pc

noinst_LIBRARIES += src/purelibc/libpurelibc_core.a
src_purelibc_libpurelibc_core_a_SOURCES = $(PURELIBC_SOURCES)
src_purelibc_libpurelibc_core_a_CPPFLAGS = $(PURELIBC_CPPFLAGS)
src_purelibc_libpurelibc_core_a_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden

EXTRA_DIST += src/purelibc/purelibc.sym
