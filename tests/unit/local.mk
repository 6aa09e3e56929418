# Check suites, one per core unit.
if HAVE_CHECK
UNIT_TESTS = tests/unit/check_reg tests/unit/check_sctab \
	tests/unit/check_filter tests/unit/check_fdtab tests/unit/check_inject \
	tests/unit/check_mountinfo tests/unit/check_path tests/unit/check_lock
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
UNIT_LDADD = $(UMCORE_LIBS) $(CHECK_LIBS)
UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_lock_SOURCES = tests/unit/check_lock.c
tests_unit_check_lock_LDADD = $(UNIT_LDADD)
tests_unit_check_lock_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_reg_SOURCES = tests/unit/check_reg.c
tests_unit_check_reg_LDADD = $(UNIT_LDADD)
tests_unit_check_reg_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_sctab_SOURCES = tests/unit/check_sctab.c
tests_unit_check_sctab_LDADD = $(UNIT_LDADD)
tests_unit_check_sctab_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_filter_SOURCES = tests/unit/check_filter.c
tests_unit_check_filter_LDADD = $(UNIT_LDADD)
tests_unit_check_filter_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_fdtab_SOURCES = tests/unit/check_fdtab.c
tests_unit_check_fdtab_LDADD = $(UNIT_LDADD)
tests_unit_check_fdtab_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_inject_SOURCES = tests/unit/check_inject.c
tests_unit_check_inject_LDADD = $(UNIT_LDADD)
tests_unit_check_inject_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_mountinfo_SOURCES = tests/unit/check_mountinfo.c
tests_unit_check_mountinfo_LDADD = $(UNIT_LDADD)
tests_unit_check_mountinfo_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_path_SOURCES = tests/unit/check_path.c
tests_unit_check_path_LDADD = $(UNIT_LDADD)
tests_unit_check_path_CFLAGS = $(UNIT_CFLAGS)
endif
EXTRA_DIST += tests/unit/unit.h
# libumfuse's option parser and data buffers
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_fuse_opt
TESTS += tests/unit/check_fuse_opt
tests_unit_check_fuse_opt_SOURCES = tests/unit/check_fuse_opt.c
tests_unit_check_fuse_opt_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/include/umview/fuse -I$(srcdir)/tests/unit
tests_unit_check_fuse_opt_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_fuse_opt_LDADD = src/lib/umfuse/libumfuse.la $(CHECK_LIBS)
check_PROGRAMS += tests/unit/check_fuse_buf
TESTS += tests/unit/check_fuse_buf
tests_unit_check_fuse_buf_SOURCES = tests/unit/check_fuse_buf.c
tests_unit_check_fuse_buf_CPPFLAGS = $(tests_unit_check_fuse_opt_CPPFLAGS)
tests_unit_check_fuse_buf_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_fuse_buf_LDADD = src/lib/umfuse/libumfuse.la $(CHECK_LIBS)
endif
# purelibc: the standalone shared library, with a test hook
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_purelibc
TESTS += tests/unit/check_purelibc
tests_unit_check_purelibc_SOURCES = tests/unit/check_purelibc.c
tests_unit_check_purelibc_LDADD = src/purelibc/libpurelibc.la $(CHECK_LIBS)
tests_unit_check_purelibc_CFLAGS = $(UNIT_CFLAGS)
endif
# nested calls: the core with purelibc as umview links it (the shared
# library first, so that the test's own libc calls go through it)
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_nested
TESTS += tests/unit/check_nested
tests_unit_check_nested_SOURCES = tests/unit/check_nested.c
tests_unit_check_nested_LDADD = src/purelibc/libpurelibc.la $(UMCORE_LIBS) \
	$(CHECK_LIBS)
tests_unit_check_nested_CFLAGS = $(UNIT_CFLAGS)
endif
