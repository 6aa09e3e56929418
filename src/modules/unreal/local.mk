# unreal: the test module (real directories through the module API).
modules_LTLIBRARIES += src/modules/unreal/unreal.la
src_modules_unreal_unreal_la_SOURCES = src/modules/unreal/unreal.c
src_modules_unreal_unreal_la_LDFLAGS = -module -avoid-version -shared \
	$(AM_LDFLAGS)
