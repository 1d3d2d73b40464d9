noinst_LIBRARIES += vrrp/libvrrp.a
vrrp_libvrrp_a_SOURCES = \
	vrrp/vrrp_parser.c vrrp/vrrp_parser.h \
	vrrp/vrrp_child.c vrrp/vrrp_child.h
