/* Shared by the two files that parse a vrrp_instance block:
 * vrrp_parser_instance.c (the block, its other keywords, the end-of-block
 * checks) and vrrp_parser_addr.c (its addresses). */
#ifndef KA_VRRP_PARSER_INST_H
#define KA_VRRP_PARSER_INST_H

#include "vrrp_parser_priv.h"

/* An address as written, for the duplicate checks at the end of the block. */
struct addr_seen {
	struct ip_addr addr;
	const struct conf_word *w;
	size_t order;
	bool dup;
};

struct addr_list {
	struct addr_seen *items;
	size_t len;
};

/* What the end-of-block checks need besides the instance itself: where
 * the keywords they talk about were written. */
struct inst_ctx {
	struct vrrp_conf *c;
	struct vrrp_instance_conf *v;	/* c->instances grows only between blocks */
	const struct conf_word *vrid_w;
	const struct conf_node *nopreempt_n;
	const struct conf_node *preempt_delay_n;
	const struct conf_node *unicast_peer_n;
	const struct conf_node *use_vmac_n, *xmit_base_n;
	const struct conf_word *family_w;	/* first virtual_ipaddress entry */
	const struct conf_word *mcast_src_w, *unicast_src_w;
	const struct conf_word *version_w, *checksum_as_v2_w;
	bool vrid_seen, ifname_seen;	/* given, even if invalid: one error is enough */
	bool too_many_vips;		/* reported once */
	size_t idx;			/* of the instance in c->instances */
	const struct conf_word *advert_int_w;
	struct addr_list vips_seen;	/* both lists: an address is in one of them */
	struct addr_list peers_seen;
};

/* Keyword handlers of the addresses (obj: the struct inst_ctx). */
void vpi_kw_virtual_ipaddress(struct diags *d, const struct conf_node *n, void *obj);
void vpi_kw_virtual_ipaddress_excluded(struct diags *d, const struct conf_node *n, void *obj);
void vpi_kw_mcast_src_ip(struct diags *d, const struct conf_node *n, void *obj);
void vpi_kw_unicast_src_ip(struct diags *d, const struct conf_node *n, void *obj);
void vpi_kw_unicast_peer(struct diags *d, const struct conf_node *n, void *obj);

/* End of block: settle the instance's family (from virtual_ipaddress, else
 * the first source or peer address) and report every address of another
 * family; report repeated virtual addresses and peers. */
void vpi_check_families(struct diags *d, struct inst_ctx *x);
void vpi_report_dup_addrs(struct diags *d, struct inst_ctx *x);

#endif
