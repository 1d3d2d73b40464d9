noinst_LIBRARIES += lib/libka.a
lib_libka_a_SOURCES = \
	lib/bytes.h \
	lib/diag.c lib/diag.h \
	lib/snapshot.c lib/snapshot.h \
	lib/conf_tree.c lib/conf_tree.h lib/conf_lex.c lib/conf_lex.h \
	lib/keyword.c lib/keyword.h \
	lib/conf_util.c lib/conf_util.h \
	lib/ptr_array.h lib/heap.h \
	lib/value.c lib/value.h \
	lib/timer_heap.c lib/timer_heap.h \
	lib/event.c lib/event.h \
	lib/log.c lib/log.h \
	lib/pidfile.c lib/pidfile.h \
	lib/proc.c lib/proc.h \
	lib/script_sec.c lib/script_sec.h \
	lib/nl_txn.c lib/nl_txn.h \
	lib/nl_route.c lib/nl_route.h \
	lib/nl_rt.c lib/nl_rt.h \
	lib/nl_link.c lib/nl_link.h \
	lib/if_sysctl.c lib/if_sysctl.h \
	lib/smtp_proto.c lib/smtp_proto.h \
	lib/smtp.c lib/smtp.h \
	lib/alert.c lib/alert.h \
	lib/json_out.c lib/json_out.h \
	lib/rundir.c lib/rundir.h \
	lib/module.c lib/module.h \
	lib/md5.c lib/md5.h
lib_libka_a_CPPFLAGS = $(AM_CPPFLAGS) $(LIBNL_ROUTE_CFLAGS) $(LIBNL_CFLAGS)
if WITH_SNMP
lib_libka_a_SOURCES += lib/snmp_agent.c lib/snmp_agent.h lib/snmp_module.h \
	lib/snmp_vars.c lib/snmp_vars.h lib/ka_mib.c lib/ka_mib.h
endif
