# File systems written against the libfuse 3 high-level API.  Each source
# builds as a kernel-FUSE program here (development and bench/images); the
# umfuse submodules (umfuseext2.so, umfuseiso9660.so) are built from the
# same sources once umfuse provides its library.
noinst_PROGRAMS += src/fs/ext2/umfuseext2 src/fs/iso9660/umfuseiso9660

src_fs_ext2_umfuseext2_SOURCES = src/fs/ext2/ext2fuse.h \
	src/fs/ext2/main.c src/fs/ext2/inode.c src/fs/ext2/file.c \
	src/fs/ext2/blockread.c \
	src/fs/ext2/dir.c src/fs/ext2/attr.c src/fs/ext2/errors.c \
	src/fs/ext2/dcache.c
src_fs_ext2_umfuseext2_CFLAGS = $(AM_CFLAGS) $(FUSE3_CFLAGS) $(EXT2FS_CFLAGS)
src_fs_ext2_umfuseext2_LDADD = $(FUSE3_LIBS) $(EXT2FS_LIBS)

src_fs_iso9660_umfuseiso9660_SOURCES = src/fs/iso9660/iso9660fuse.c
src_fs_iso9660_umfuseiso9660_CFLAGS = $(AM_CFLAGS) $(FUSE3_CFLAGS) \
	$(LIBISO9660_CFLAGS)
src_fs_iso9660_umfuseiso9660_LDADD = $(FUSE3_LIBS) $(LIBISO9660_LIBS)

# The same sources as umfuse submodules (mount -t umfuseext2 / umfuseiso9660
# inside umview), linked with libumfuse instead of libfuse3.
modules_LTLIBRARIES += src/fs/ext2/umfuseext2.la \
	src/fs/iso9660/umfuseiso9660.la
src_fs_ext2_umfuseext2_la_SOURCES = $(src_fs_ext2_umfuseext2_SOURCES)
src_fs_ext2_umfuseext2_la_CPPFLAGS = $(AM_CPPFLAGS) $(UMFUSE_CFLAGS)
src_fs_ext2_umfuseext2_la_CFLAGS = $(AM_CFLAGS) $(EXT2FS_CFLAGS)
src_fs_ext2_umfuseext2_la_LIBADD = $(UMFUSE_LIBS) $(EXT2FS_LIBS) -lpthread
src_fs_ext2_umfuseext2_la_LDFLAGS = $(UMFUSE_MODULE_LDFLAGS)

src_fs_iso9660_umfuseiso9660_la_SOURCES = \
	$(src_fs_iso9660_umfuseiso9660_SOURCES)
src_fs_iso9660_umfuseiso9660_la_CPPFLAGS = $(AM_CPPFLAGS) $(UMFUSE_CFLAGS)
src_fs_iso9660_umfuseiso9660_la_CFLAGS = $(AM_CFLAGS) $(LIBISO9660_CFLAGS)
src_fs_iso9660_umfuseiso9660_la_LIBADD = $(UMFUSE_LIBS) \
	$(LIBISO9660_LIBS) -lpthread
src_fs_iso9660_umfuseiso9660_la_LDFLAGS = $(UMFUSE_MODULE_LDFLAGS)
