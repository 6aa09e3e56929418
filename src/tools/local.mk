# The management commands: one source, three names.
bin_PROGRAMS += src/tools/um_add_service src/tools/um_del_service \
	src/tools/um_ls_service
src_tools_um_add_service_SOURCES = src/tools/umcall.c
src_tools_um_del_service_SOURCES = src/tools/umcall.c
src_tools_um_ls_service_SOURCES = src/tools/umcall.c
# They run inside the view, under ptrace, where LeakSanitizer cannot work:
# never build them with the sanitizers.
tools_cflags = $(UM_CFLAGS)
tools_ldflags =
src_tools_um_add_service_CFLAGS = $(tools_cflags)
src_tools_um_add_service_LDFLAGS = $(tools_ldflags)
src_tools_um_del_service_CFLAGS = $(tools_cflags)
src_tools_um_del_service_LDFLAGS = $(tools_ldflags)
src_tools_um_ls_service_CFLAGS = $(tools_cflags)
src_tools_um_ls_service_LDFLAGS = $(tools_ldflags)
