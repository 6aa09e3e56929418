# nestprobe: a test module for nested calls (built by make check, staged by
# the e2e driver with the other modules, never installed).
check_LTLIBRARIES += src/modules/nestprobe/nestprobe.la
src_modules_nestprobe_nestprobe_la_SOURCES = \
	src/modules/nestprobe/nestprobe.c
src_modules_nestprobe_nestprobe_la_LDFLAGS = -module -avoid-version \
	-shared -rpath /nowhere $(AM_LDFLAGS)
src_modules_nestprobe_nestprobe_la_LIBADD = -lpthread
