# umbinfmt: binfmt_misc inside the view.
modules_LTLIBRARIES += src/modules/umbinfmt/umbinfmt.la
src_modules_umbinfmt_umbinfmt_la_SOURCES = src/modules/umbinfmt/umbinfmt.c \
	src/modules/umbinfmt/parse.c src/modules/umbinfmt/umbinfmt.h
src_modules_umbinfmt_umbinfmt_la_LDFLAGS = -module -avoid-version -shared \
	$(AM_LDFLAGS)
