noinst_LIBRARIES += check/libcheck.a
check_libcheck_a_SOURCES = \
	check/check_parser.c check/check_parser.h \
	check/check_child.c check/check_child.h
