# The IPVS layer: generic netlink messages and socket, tables, reconciliation.
noinst_LIBRARIES += ipvs/libipvs.a
ipvs_libipvs_a_SOURCES = \
	ipvs/ipvs.h \
	ipvs/ipvs_msg.c ipvs/ipvs_msg.h \
	ipvs/ipvs_nl.c \
	ipvs/ipvs_table.c \
	ipvs/ipvs_reconcile.c ipvs/ipvs_reconcile.h
ipvs_libipvs_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/ipvs $(LIBNL_GENL_CFLAGS) $(LIBNL_CFLAGS)

# A command line front end for the IPVS integration tests; not installed.
noinst_PROGRAMS += ipvs/ipvs_probe
ipvs_ipvs_probe_SOURCES = ipvs/ipvs_probe.c
ipvs_ipvs_probe_CPPFLAGS = $(ipvs_libipvs_a_CPPFLAGS)
ipvs_ipvs_probe_LDADD = ipvs/libipvs.a lib/libka.a $(LIBNL_GENL_LIBS) $(LIBNL_LIBS)
