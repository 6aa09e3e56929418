# End-to-end tests: real programs inside umview, as an unprivileged user.
E2E_TESTS = tests/e2e/services.sh tests/e2e/programs.sh tests/e2e/build.sh \
	tests/e2e/threads.sh tests/e2e/forkexec.sh tests/e2e/signals.sh \
	tests/e2e/jobcontrol.sh tests/e2e/exitcodes.sh tests/e2e/ummisc.sh \
	tests/e2e/filter.sh tests/e2e/mount.sh tests/e2e/unreal.sh \
	tests/e2e/fdops.sh \
	tests/e2e/umbinfmt.sh
TESTS += $(E2E_TESTS)
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL) $(srcdir)/tests/e2e/driver
AM_TESTS_ENVIRONMENT = top_builddir='$(abs_top_builddir)' \
	top_srcdir='$(abs_top_srcdir)'; export top_builddir top_srcdir;
# Listed one by one: a directory here would also ship the build's logs.
EXTRA_DIST += tests/e2e/driver tests/e2e/lib.sh $(E2E_TESTS) \
	tests/e2e/prog/abi.c tests/e2e/prog/archhello.c \
	tests/e2e/prog/catcher.c tests/e2e/prog/clocks.c \
	tests/e2e/prog/clone3.c tests/e2e/prog/fdattr.py tests/e2e/prog/fdops.c \
	tests/e2e/prog/forktree.c tests/e2e/prog/fsprobe.c \
	tests/e2e/prog/segv.c \
	tests/e2e/prog/sigrestart.c tests/e2e/prog/spawn.c \
	tests/e2e/prog/stopwait.c tests/e2e/prog/thread_exec.c \
	tests/e2e/prog/threads.c
# mmap, chroot, O_TMPFILE, umask, SCM_RIGHTS and poll on virtual files
E2E_TESTS += tests/e2e/mmap.sh tests/e2e/vfs_misc.sh
EXTRA_DIST += tests/e2e/prog/mapprobe.c tests/e2e/prog/vfsprobe.c
# umfuse: libfuse 3 file systems built as submodules at test time
E2E_TESTS += tests/e2e/umfuse.sh
EXTRA_DIST += tests/e2e/prog/umfusetest.c tests/e2e/prog/umfusever.c
# umfuseext2 and umfuseiso9660 submodules (src/fs)
E2E_TESTS += tests/e2e/umfuse_ext2.sh tests/e2e/umfuse_iso.sh \
	tests/e2e/corrupt_images.sh
# nested calls: module code through purelibc and the view
E2E_TESTS += tests/e2e/nested.sh
# the differential battery of real programs (cp, tar, find, gcc, python3...)
E2E_TESTS += tests/e2e/differential.sh
