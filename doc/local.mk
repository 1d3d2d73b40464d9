dist_man_MANS += doc/keepalived.8 doc/keepalived.conf.5 doc/genhash.1
# The MIBs of the SNMP subagent, where net-snmp tools look for them.
mibdir = $(datadir)/snmp/mibs
dist_mib_DATA = doc/KEEPALIVED-MIB.txt doc/VRRP-MIB.txt
