if HAVE_CMOCKA
UNIT_TESTS = \
	tests/unit/test_timer_heap \
	tests/unit/test_event \
	tests/unit/test_pidfile \
	tests/unit/test_conf_tree \
	tests/unit/test_include \
	tests/unit/test_value \
	tests/unit/test_keyword \
	tests/unit/test_config
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
UNIT_LDADD = lib/libka.a $(CMOCKA_LIBS)
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -DTEST_SRCDIR='"$(abs_top_srcdir)/tests/unit"'
tests_unit_test_timer_heap_SOURCES = tests/unit/test_timer_heap.c
tests_unit_test_timer_heap_LDADD = $(UNIT_LDADD)
tests_unit_test_timer_heap_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_event_SOURCES = tests/unit/test_event.c
tests_unit_test_event_LDADD = $(UNIT_LDADD)
tests_unit_test_event_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_pidfile_SOURCES = tests/unit/test_pidfile.c
tests_unit_test_pidfile_LDADD = $(UNIT_LDADD)
tests_unit_test_pidfile_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_conf_tree_SOURCES = tests/unit/test_conf_tree.c tests/unit/unit_util.c tests/unit/unit_util.h
tests_unit_test_conf_tree_LDADD = $(UNIT_LDADD)
tests_unit_test_conf_tree_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_include_SOURCES = tests/unit/test_include.c tests/unit/unit_util.c tests/unit/unit_util.h
tests_unit_test_include_LDADD = $(UNIT_LDADD)
tests_unit_test_include_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_value_SOURCES = tests/unit/test_value.c tests/unit/unit_util.c tests/unit/unit_util.h
tests_unit_test_value_LDADD = $(UNIT_LDADD)
tests_unit_test_value_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_keyword_SOURCES = tests/unit/test_keyword.c tests/unit/unit_util.c tests/unit/unit_util.h
tests_unit_test_keyword_LDADD = $(UNIT_LDADD)
tests_unit_test_keyword_CFLAGS = $(UNIT_CFLAGS)
# The whole-config test links the daemon's own parsers, not copies of them.
tests_unit_test_config_SOURCES = tests/unit/test_config.c tests/unit/unit_util.c tests/unit/unit_util.h \
	keepalived/ka_conf.c keepalived/global_parser.c
tests_unit_test_config_LDADD = vrrp/libvrrp.a check/libcheck.a $(UNIT_LDADD)
tests_unit_test_config_CFLAGS = $(UNIT_CFLAGS)
endif
