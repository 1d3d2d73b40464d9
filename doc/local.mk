dist_man_MANS += doc/keepalived.8 doc/keepalived.conf.5 doc/genhash.1
