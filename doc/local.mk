dist_man_MANS += doc/keepalived.8 doc/keepalived.conf.5 doc/genhash.1
exampledir = $(docdir)/examples
dist_example_DATA = doc/examples/vrrp-pair.conf doc/examples/sync-group.conf \
	doc/examples/lvs-nat-http.conf doc/examples/lvs-dr-fwmark-tls.conf \
	doc/examples/vrrpv3-dual-stack.conf
# The MIBs of the SNMP subagent, where net-snmp tools look for them.
mibdir = $(datadir)/snmp/mibs
dist_mib_DATA = doc/KEEPALIVED-MIB.txt doc/VRRP-MIB.txt
