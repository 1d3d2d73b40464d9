noinst_LIBRARIES += vrrp/libvrrp.a
vrrp_libvrrp_a_SOURCES = \
	vrrp/vrrp_conf.h vrrp/vrrp_conf.c \
	vrrp/vrrp_parser.c vrrp/vrrp_parser.h vrrp/vrrp_parser_priv.h \
	vrrp/vrrp_parser_instance.c vrrp/vrrp_parser_inst.h vrrp/vrrp_parser_addr.c \
	vrrp/vrrp_parser_util.c vrrp/vrrp_parser_validate.c \
	vrrp/vrrp_parser_track.c vrrp/vrrp_track_eval.c vrrp/vrrp_track_eval.h \
	vrrp/vrrp_parser_route.c \
	vrrp/vrrp_packet.c vrrp/vrrp_packet.h \
	vrrp/vrrp_ah.c vrrp/vrrp_ah.h \
	vrrp/vrrp_state.c vrrp/vrrp_state.h \
	vrrp/vrrp_socket.c vrrp/vrrp_socket.h \
	vrrp/vrrp_arp.c vrrp/vrrp_arp.h \
	vrrp/vrrp_ndisc.c vrrp/vrrp_ndisc.h \
	vrrp/vrrp_rt.h \
	vrrp/vrrp_if.c \
	vrrp/vrrp_instance.c \
	vrrp/vrrp_vip.c \
	vrrp/vrrp_track.c vrrp/vrrp_track_file.c vrrp/vrrp_track_process.c \
	vrrp/vrrp_routes.c \
	vrrp/vrrp_repair.c \
	vrrp/vrrp_vmac.c \
	vrrp/vrrp_notify.c \
	vrrp/vrrp_sync.c \
	vrrp/vrrp_alert.c \
	vrrp/vrrp_report.c \
	vrrp/vrrp_child.c vrrp/vrrp_child.h \
	vrrp/vrrp_snmp.h
vrrp_libvrrp_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/vrrp $(LIBNL_ROUTE_CFLAGS) $(LIBNL_CFLAGS) $(OPENSSL_CFLAGS)
if WITH_SNMP
vrrp_libvrrp_a_SOURCES += vrrp/vrrp_snmp.c
endif
