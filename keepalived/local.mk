sbin_PROGRAMS += keepalived/keepalived
keepalived_keepalived_SOURCES = \
	keepalived/main.c \
	keepalived/cmdline.c keepalived/cmdline.h \
	keepalived/ka_conf.c keepalived/ka_conf.h \
	keepalived/global_parser.c keepalived/global_conf.h \
	keepalived/supervisor.c keepalived/supervisor.h \
	keepalived/child.c keepalived/child.h \
	keepalived/ctl_msg.c keepalived/ctl_msg.h \
	keepalived/sd_notify.c keepalived/sd_notify.h \
	keepalived/ctl_server.c keepalived/ctl_server.h \
	keepalived/child_report.c keepalived/child_report.h \
	keepalived/status_client.c keepalived/status_client.h
keepalived_keepalived_LDADD = vrrp/libvrrp.a check/libcheck.a ipvs/libipvs.a lib/libka.a \
	$(LIBNL_ROUTE_LIBS) $(LIBNL_GENL_LIBS) $(LIBNL_LIBS) $(OPENSSL_LIBS) $(SNMP_LIBS)
keepalived_keepalived_CFLAGS = $(AM_CFLAGS) $(LIBNL_CFLAGS)

# The systemd unit, with the installed path of the daemon substituted.
systemdsystemunit_DATA = keepalived/keepalived.service
EXTRA_DIST += keepalived/keepalived.service.in
CLEANFILES += keepalived/keepalived.service
keepalived/keepalived.service: $(srcdir)/keepalived/keepalived.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) keepalived && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		$(srcdir)/keepalived/keepalived.service.in >$@
