# umfuse: FUSE file systems (libfuse 3 high-level API) as submodules.
#
# How a submodule is built: an unmodified libfuse 3 file system (main()
# calling fuse_main, FUSE_USE_VERSION 30..39 or 310..314) compiled as a
# shared object named umfuseNAME.so, linked against libumfuse:
#
#	cc -shared -fPIC -o umfuseNAME.so fs.c \
#		$(pkg-config --cflags --libs umfuse)
#
# In this tree (non-recursive automake), next to the kernel-FUSE program:
#
#	modules_LTLIBRARIES += src/fs/NAME/umfuseNAME.la
#	src_fs_NAME_umfuseNAME_la_SOURCES = src/fs/NAME/main.c ...
#	src_fs_NAME_umfuseNAME_la_CPPFLAGS = $(AM_CPPFLAGS) $(UMFUSE_CFLAGS)
#	src_fs_NAME_umfuseNAME_la_LIBADD = $(UMFUSE_LIBS) ...
#	src_fs_NAME_umfuseNAME_la_LDFLAGS = $(UMFUSE_MODULE_LDFLAGS)
#
# It is installed in the module directory ($(modulesdir)) or found along
# UMVIEW_MODULE_PATH; inside umview: um_add_service umfuse, then
# mount -t umfuseNAME SOURCE DIR [-o OPTIONS].
UMFUSE_CFLAGS = -I$(srcdir)/include/umview/fuse
UMFUSE_LIBS = src/lib/umfuse/libumfuse.la
UMFUSE_MODULE_LDFLAGS = -module -avoid-version -shared $(AM_LDFLAGS)

modules_LTLIBRARIES += src/modules/umfuse/umfuse.la
src_modules_umfuse_umfuse_la_SOURCES = src/modules/umfuse/umfuse.h \
	src/modules/umfuse/umfuse.c src/modules/umfuse/ops.c \
	src/modules/umfuse/dir.c src/modules/umfuse/hide.c \
	src/modules/umfuse/perm.c
src_modules_umfuse_umfuse_la_CPPFLAGS = $(AM_CPPFLAGS) $(UMFUSE_CFLAGS) \
	-I$(srcdir)/src/lib/umfuse -DFUSE_USE_VERSION=35
src_modules_umfuse_umfuse_la_LIBADD = $(UMFUSE_LIBS) -lpthread
src_modules_umfuse_umfuse_la_LDFLAGS = $(UMFUSE_MODULE_LDFLAGS)
