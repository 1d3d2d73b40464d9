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
	$(LIBNL_ROUTE_LIBS) $(LIBNL_GENL_LIBS) $(LIBNL_LIBS)
keepalived_keepalived_CFLAGS = $(AM_CFLAGS) $(LIBNL_CFLAGS)
# What a module may call back into (lib/module.h).
keepalived_keepalived_LDFLAGS = $(AM_LDFLAGS) \
	-Wl,--dynamic-list=$(srcdir)/keepalived/module_exports.list
EXTRA_keepalived_keepalived_DEPENDENCIES = $(srcdir)/keepalived/module_exports.list
EXTRA_DIST += keepalived/module_exports.list

# Optional features as modules, loaded by a process that needs them
# (lib/module.h); built beside the binary, which looks there first.
KAMOD_CC_FLAGS = $(AM_CFLAGS) -fPIC -fvisibility=hidden
KAMOD_LD_FLAGS = $(AM_LDFLAGS) -shared -Wl,-Bsymbolic
kamoduledir = $(pkglibdir)
kamodule_PROGRAMS = keepalived/keepalived-tls.so
keepalived_keepalived_tls_so_SOURCES = check/check_tls.c check/check_tls.h \
	check/tls_module.c check/tls_module.h
keepalived_keepalived_tls_so_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/check $(OPENSSL_CFLAGS)
keepalived_keepalived_tls_so_CFLAGS = $(KAMOD_CC_FLAGS)
keepalived_keepalived_tls_so_LDFLAGS = $(KAMOD_LD_FLAGS)
keepalived_keepalived_tls_so_LDADD = $(OPENSSL_LIBS)
if WITH_SNMP
kamodule_PROGRAMS += keepalived/keepalived-snmp.so
keepalived_keepalived_snmp_so_SOURCES = lib/snmp_netsnmp.c lib/snmp_netsnmp.h \
	lib/snmp_module.h lib/snmp_vars.h
keepalived_keepalived_snmp_so_CPPFLAGS = $(AM_CPPFLAGS) $(SNMP_CFLAGS)
keepalived_keepalived_snmp_so_CFLAGS = $(KAMOD_CC_FLAGS)
keepalived_keepalived_snmp_so_LDFLAGS = $(KAMOD_LD_FLAGS)
keepalived_keepalived_snmp_so_LDADD = $(SNMP_LIBS)
endif

# The systemd unit, with the installed path of the daemon substituted.
systemdsystemunit_DATA = keepalived/keepalived.service
EXTRA_DIST += keepalived/keepalived.service.in
CLEANFILES += keepalived/keepalived.service
keepalived/keepalived.service: $(srcdir)/keepalived/keepalived.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) keepalived && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		$(srcdir)/keepalived/keepalived.service.in >$@
