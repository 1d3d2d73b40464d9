sbin_PROGRAMS += keepalived/keepalived
keepalived_keepalived_SOURCES = \
	keepalived/main.c \
	keepalived/cmdline.c keepalived/cmdline.h \
	keepalived/ka_conf.c keepalived/ka_conf.h \
	keepalived/global_parser.c keepalived/global_conf.h \
	keepalived/supervisor.c keepalived/supervisor.h \
	keepalived/child.c keepalived/child.h \
	keepalived/ctl_msg.c keepalived/ctl_msg.h
keepalived_keepalived_LDADD = vrrp/libvrrp.a check/libcheck.a ipvs/libipvs.a lib/libka.a \
	$(LIBNL_ROUTE_LIBS) $(LIBNL_GENL_LIBS) $(LIBNL_LIBS) $(OPENSSL_LIBS) $(SNMP_LIBS)
keepalived_keepalived_CFLAGS = $(AM_CFLAGS) $(LIBNL_CFLAGS)
