dist_man_MANS = man/umview.1 man/um_add_service.1 man/um_del_service.1 \
	man/um_ls_service.1 man/ummisc.7 man/umbinfmt.7 man/umview_module.3
dist_man_MANS += man/umfuse.7
dist_man_MANS += man/purelibc.3
dist_man_MANS += man/umfuseext2.7 man/umfuseiso9660.7
