noinst_LIBRARIES += check/libcheck.a
check_libcheck_a_SOURCES = \
	check/check_conf.c check/check_conf.h \
	check/check_parser.c check/check_parser.h check/check_parser_priv.h \
	check/check_parser_vs.c check/check_parser_rs.c check/check_parser_checker.c \
	check/check_parser_util.c check/check_parser_validate.c \
	check/check_rt.h \
	check/check_sched.c \
	check/check_tcp.c \
	check/check_misc.c \
	check/check_http.c \
	check/tls_loader.c check/check_tls.h check/tls_module.h \
	check/http_request.c check/http_request.h \
	check/http_parse.c check/http_parse.h \
	check/check_vs.c \
	check/check_alert.c \
	check/check_ipvs.c \
	check/check_sync.c \
	check/check_report.c \
	check/check_child.c check/check_child.h \
	check/check_snmp.h
check_libcheck_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/check $(LIBNL_GENL_CFLAGS) $(LIBNL_CFLAGS) $(OPENSSL_CFLAGS)
if WITH_SNMP
check_libcheck_a_SOURCES += check/check_snmp.c
endif
