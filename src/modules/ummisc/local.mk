modules_LTLIBRARIES += src/modules/ummisc/ummisc.la
src_modules_ummisc_ummisc_la_SOURCES = src/modules/ummisc/ummisc.c
src_modules_ummisc_ummisc_la_LDFLAGS = -module -avoid-version -shared \
	$(AM_LDFLAGS)
src_modules_ummisc_ummisc_la_LIBADD = -lm
