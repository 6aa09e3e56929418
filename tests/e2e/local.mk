# End-to-end tests: real programs inside umview, as an unprivileged user.
E2E_TESTS = tests/e2e/services.sh
TESTS += $(E2E_TESTS)
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL) $(srcdir)/tests/e2e/driver
AM_TESTS_ENVIRONMENT = top_builddir='$(abs_top_builddir)' \
	top_srcdir='$(abs_top_srcdir)'; export top_builddir top_srcdir;
EXTRA_DIST += tests/e2e
