# libumfuse: the libfuse 3 high-level API for umview submodules.  The
# umfuse module and every submodule link against this one shared library,
# so that they share its state (the mount being started, the caller's
# context).
lib_LTLIBRARIES += src/lib/umfuse/libumfuse.la
src_lib_umfuse_libumfuse_la_SOURCES = \
	src/lib/umfuse/umfuse_priv.h \
	src/lib/umfuse/fuse.c \
	src/lib/umfuse/opt.c \
	src/lib/umfuse/buf.c
src_lib_umfuse_libumfuse_la_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/include/umview/fuse -DFUSE_USE_VERSION=35
src_lib_umfuse_libumfuse_la_LIBADD = -lpthread
# The API is fuse_*; umfuse_* is for the umfuse module only.
src_lib_umfuse_libumfuse_la_LDFLAGS = $(AM_LDFLAGS) -version-info 0:0:0 \
	-export-symbols-regex '^(fuse_|umfuse_)'

umfuseincludedir = $(includedir)/umview/fuse
umfuseinclude_HEADERS = include/umview/fuse/fuse.h \
	include/umview/fuse/fuse_common.h include/umview/fuse/fuse_opt.h \
	include/umview/fuse/fuse_log.h include/umview/fuse/fuse_lowlevel.h

pkgconfig_DATA += umfuse.pc
