if HAVE_CMOCKA
# One program per unit test; each links only the libraries it tests.
UNIT_TESTS = \
	tests/unit/test_timer_heap \
	tests/unit/test_event \
	tests/unit/test_pidfile \
	tests/unit/test_json_out \
	tests/unit/test_rundir \
	tests/unit/test_conf_tree \
	tests/unit/test_include \
	tests/unit/test_value \
	tests/unit/test_keyword \
	tests/unit/test_proc \
	tests/unit/test_script_sec \
	tests/unit/test_nl_route \
	tests/unit/test_nl_link \
	tests/unit/test_vrrp_packet \
	tests/unit/test_vrrp_ah \
	tests/unit/test_ipvs_msg \
	tests/unit/test_ipvs_reconcile \
	tests/unit/test_check_logic \
	tests/unit/test_http_parse \
	tests/unit/test_vrrp_state \
	tests/unit/test_vrrp_v3 \
	tests/unit/test_vrrp_io \
	tests/unit/test_config \
	tests/unit/test_vrrp_parser \
	tests/unit/test_vrrp_track \
	tests/unit/test_vrrp_routes_parser \
	tests/unit/test_check_parser \
	tests/unit/test_check_parser_errors \
	tests/unit/test_smtp \
	tests/unit/test_md5 \
	tests/unit/test_module
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

UNIT_LIBS = lib/libka.a $(CMOCKA_LIBS) $(LIBNL_ROUTE_LIBS) $(LIBNL_LIBS)
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBNL_ROUTE_CFLAGS) $(LIBNL_CFLAGS)
UNIT_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/vrrp -I$(top_srcdir)/tests/unit
UNIT_UTIL = tests/unit/unit_util.c tests/unit/unit_util.h
CONF_FIXTURE = tests/unit/conf_fixture.c tests/unit/conf_fixture.h
CONFIG_SOURCES = keepalived/ka_conf.c keepalived/global_parser.c
CONFIG_LIBS = vrrp/libvrrp.a check/libcheck.a ipvs/libipvs.a $(LIBNL_GENL_LIBS) $(UNIT_LIBS)

tests_unit_test_timer_heap_SOURCES = tests/unit/test_timer_heap.c
tests_unit_test_md5_SOURCES = tests/unit/test_md5.c
tests_unit_test_module_SOURCES = tests/unit/test_module.c
# The module test_module loads, built beside it (where module_load looks first).
check_PROGRAMS += tests/unit/ka-test-module.so
tests_unit_ka_test_module_so_SOURCES = tests/unit/fake_module.c
tests_unit_ka_test_module_so_CFLAGS = $(KAMOD_CC_FLAGS)
tests_unit_ka_test_module_so_LDFLAGS = $(KAMOD_LD_FLAGS)
tests_unit_test_event_SOURCES = tests/unit/test_event.c
tests_unit_test_pidfile_SOURCES = tests/unit/test_pidfile.c
tests_unit_test_json_out_SOURCES = tests/unit/test_json_out.c
tests_unit_test_rundir_SOURCES = tests/unit/test_rundir.c
tests_unit_test_conf_tree_SOURCES = tests/unit/test_conf_tree.c $(UNIT_UTIL)
tests_unit_test_include_SOURCES = tests/unit/test_include.c $(UNIT_UTIL)
tests_unit_test_value_SOURCES = tests/unit/test_value.c $(UNIT_UTIL)
tests_unit_test_keyword_SOURCES = tests/unit/test_keyword.c $(UNIT_UTIL)
tests_unit_test_proc_SOURCES = tests/unit/test_proc.c
tests_unit_test_script_sec_SOURCES = tests/unit/test_script_sec.c
tests_unit_test_nl_route_SOURCES = tests/unit/test_nl_route.c
tests_unit_test_nl_link_SOURCES = tests/unit/test_nl_link.c
tests_unit_test_vrrp_packet_SOURCES = tests/unit/test_vrrp_packet.c
tests_unit_test_vrrp_ah_SOURCES = tests/unit/test_vrrp_ah.c
tests_unit_test_vrrp_state_SOURCES = tests/unit/test_vrrp_state.c
tests_unit_test_vrrp_v3_SOURCES = tests/unit/test_vrrp_v3.c
tests_unit_test_vrrp_io_SOURCES = tests/unit/test_vrrp_io.c
tests_unit_test_config_SOURCES = tests/unit/test_config.c $(UNIT_UTIL) $(CONFIG_SOURCES)
tests_unit_test_vrrp_parser_SOURCES = tests/unit/test_vrrp_parser.c $(CONF_FIXTURE) $(UNIT_UTIL) $(CONFIG_SOURCES)
tests_unit_test_vrrp_track_SOURCES = tests/unit/test_vrrp_track.c $(CONF_FIXTURE) $(UNIT_UTIL) $(CONFIG_SOURCES)
tests_unit_test_vrrp_routes_parser_SOURCES = tests/unit/test_vrrp_routes_parser.c $(CONF_FIXTURE) \
	$(UNIT_UTIL) $(CONFIG_SOURCES)

tests_unit_test_timer_heap_LDADD = $(UNIT_LIBS)
tests_unit_test_md5_LDADD = $(UNIT_LIBS)
tests_unit_test_module_LDADD = $(UNIT_LIBS)
EXTRA_tests_unit_test_module_DEPENDENCIES = tests/unit/ka-test-module.so
tests_unit_test_event_LDADD = $(UNIT_LIBS)
tests_unit_test_pidfile_LDADD = $(UNIT_LIBS)
tests_unit_test_json_out_LDADD = $(UNIT_LIBS)
tests_unit_test_rundir_LDADD = $(UNIT_LIBS)
tests_unit_test_conf_tree_LDADD = $(UNIT_LIBS)
tests_unit_test_include_LDADD = $(UNIT_LIBS)
tests_unit_test_value_LDADD = $(UNIT_LIBS)
tests_unit_test_keyword_LDADD = $(UNIT_LIBS)
tests_unit_test_proc_LDADD = $(UNIT_LIBS)
tests_unit_test_script_sec_LDADD = $(UNIT_LIBS)
tests_unit_test_nl_route_LDADD = $(UNIT_LIBS)
tests_unit_test_nl_link_LDADD = $(UNIT_LIBS)
tests_unit_test_vrrp_packet_LDADD = vrrp/libvrrp.a $(UNIT_LIBS)
tests_unit_test_vrrp_ah_LDADD = vrrp/libvrrp.a $(UNIT_LIBS)
tests_unit_test_vrrp_state_LDADD = vrrp/libvrrp.a $(UNIT_LIBS)
tests_unit_test_vrrp_v3_LDADD = vrrp/libvrrp.a $(UNIT_LIBS)
tests_unit_test_vrrp_io_LDADD = vrrp/libvrrp.a $(UNIT_LIBS)
tests_unit_test_config_LDADD = $(CONFIG_LIBS)
tests_unit_test_vrrp_parser_LDADD = $(CONFIG_LIBS)
tests_unit_test_vrrp_track_LDADD = $(CONFIG_LIBS)
tests_unit_test_vrrp_routes_parser_LDADD = $(CONFIG_LIBS)
tests_unit_test_timer_heap_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_md5_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_md5_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_module_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_module_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_timer_heap_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_event_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_event_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_pidfile_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_pidfile_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_json_out_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_json_out_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_rundir_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_rundir_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_conf_tree_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_conf_tree_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_include_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_include_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_value_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_value_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_keyword_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_keyword_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_proc_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_proc_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_script_sec_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_script_sec_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_nl_route_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_nl_route_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_nl_link_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_nl_link_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_vrrp_packet_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_vrrp_ah_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_vrrp_ah_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_vrrp_packet_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_vrrp_state_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_vrrp_state_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_vrrp_v3_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_vrrp_v3_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_vrrp_io_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_vrrp_io_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_config_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_config_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_vrrp_parser_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_vrrp_parser_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_vrrp_track_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_vrrp_track_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_vrrp_routes_parser_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_vrrp_routes_parser_CPPFLAGS = $(UNIT_CPPFLAGS)
IPVS_UNIT_LIBS = ipvs/libipvs.a $(LIBNL_GENL_LIBS) $(UNIT_LIBS)
IPVS_UNIT_CFLAGS = $(UNIT_CFLAGS) $(LIBNL_GENL_CFLAGS)
IPVS_UNIT_CPPFLAGS = $(UNIT_CPPFLAGS) -I$(top_srcdir)/ipvs
tests_unit_test_ipvs_msg_SOURCES = tests/unit/test_ipvs_msg.c
tests_unit_test_ipvs_msg_LDADD = $(IPVS_UNIT_LIBS)
tests_unit_test_ipvs_msg_CFLAGS = $(IPVS_UNIT_CFLAGS)
tests_unit_test_ipvs_msg_CPPFLAGS = $(IPVS_UNIT_CPPFLAGS)
tests_unit_test_ipvs_reconcile_SOURCES = tests/unit/test_ipvs_reconcile.c
tests_unit_test_ipvs_reconcile_LDADD = $(IPVS_UNIT_LIBS)
tests_unit_test_ipvs_reconcile_CFLAGS = $(IPVS_UNIT_CFLAGS)
tests_unit_test_ipvs_reconcile_CPPFLAGS = $(IPVS_UNIT_CPPFLAGS)
tests_unit_test_check_parser_SOURCES = tests/unit/test_check_parser.c $(CONF_FIXTURE) $(UNIT_UTIL) $(CONFIG_SOURCES)
tests_unit_test_check_parser_LDADD = $(CONFIG_LIBS)
tests_unit_test_check_parser_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_check_parser_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_check_parser_errors_SOURCES = tests/unit/test_check_parser_errors.c $(CONF_FIXTURE) $(UNIT_UTIL) $(CONFIG_SOURCES)
tests_unit_test_check_parser_errors_LDADD = $(CONFIG_LIBS)
tests_unit_test_check_parser_errors_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_check_parser_errors_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_test_check_logic_SOURCES = tests/unit/test_check_logic.c
tests_unit_test_check_logic_LDADD = check/libcheck.a $(IPVS_UNIT_LIBS)
tests_unit_test_check_logic_CFLAGS = $(IPVS_UNIT_CFLAGS)
tests_unit_test_check_logic_CPPFLAGS = $(IPVS_UNIT_CPPFLAGS) -I$(top_srcdir)/check
tests_unit_test_http_parse_SOURCES = tests/unit/test_http_parse.c
tests_unit_test_http_parse_LDADD = check/libcheck.a $(UNIT_LIBS) $(OPENSSL_LIBS)
tests_unit_test_http_parse_CFLAGS = $(UNIT_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_test_http_parse_CPPFLAGS = $(UNIT_CPPFLAGS) -I$(top_srcdir)/check
tests_unit_test_smtp_SOURCES = tests/unit/test_smtp.c
tests_unit_test_smtp_LDADD = $(UNIT_LIBS)
tests_unit_test_smtp_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_smtp_CPPFLAGS = $(UNIT_CPPFLAGS)
endif
