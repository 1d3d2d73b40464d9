/* Private to the VRRP parser files (vrrp_parser.c, vrrp_parser_instance.c,
 * vrrp_parser_util.c, vrrp_parser_validate.c, vrrp_conf.c): helpers shared
 * by several blocks and the side table of positions.
 *
 * Positions (struct conf_pos) point into the parse tree, which is freed
 * before vrrp_conf_validate() runs.  Checks within one block run when the
 * block ends, with the tree's positions.  Checks across blocks run in
 * vrrp_conf_validate(), which may see names defined later in the file; the
 * words they need (definitions, VRIDs, track_script entries, sync group
 * members) are recorded in a side table with a copy of their position. */
#ifndef KA_VRRP_PARSER_PRIV_H
#define KA_VRRP_PARSER_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "conf_util.h"
#include "keyword.h"
#include "vrrp_conf.h"

/* Entries of one track_interface or track_script list of an instance or
 * sync group: far more than anyone tracks, few enough that checking each
 * new entry against the others stays cheap. */
#define VRRP_MAX_TRACK		255

/* Instance values that fall back to a global_defs value, which may come
 * later in the file: marked unset while parsing, filled in by validate. */
#define VRRP_UNSET_US	UINT64_MAX
#define VRRP_UNSET	UINT32_MAX

#define US_PER_S	1000000ull

/* Ranges shared by the global and per-instance GARP keywords. */
#define VRRP_GARP_MAX_US	(86400ull * US_PER_S)	/* a day */
#define VRRP_GARP_REPEAT_MAX	255

/* The side table.  Definitions are recorded too, so that duplicate names
 * and VRIDs are found by sorting once the file is read: comparing each new
 * object with all earlier ones would be quadratic in a hostile file. */
enum vrrp_ref_kind {
	VRRP_REF_INSTANCE,		/* vrrp_instance NAME; owner: its index */
	VRRP_REF_SCRIPT,		/* vrrp_script NAME; owner: its index */
	VRRP_REF_GROUP,			/* vrrp_sync_group NAME; owner: its index */
	VRRP_REF_VRID,			/* virtual_router_id; owner: instance index */
	VRRP_REF_TRACK_SCRIPT,		/* must name a vrrp_script */
	VRRP_REF_GROUP_MEMBER,		/* must name a vrrp_instance; owner: group */
	/* Checked once the instance's VRRP version is known (vrrp_version
	 * may come later in the file); owner: instance index. */
	VRRP_REF_ADVERT_INT,		/* the advert_int value */
	VRRP_REF_AUTH,			/* the authentication block */
	VRRP_REF_TRACK_FILE_DEF,	/* track_file NAME; owner: its index */
	VRRP_REF_TRACK_PROCESS_DEF,	/* vrrp_track_process NAME; owner: its index */
	VRRP_REF_TRACK_FILE,		/* must name a track_file */
	VRRP_REF_TRACK_PROCESS,		/* must name a vrrp_track_process */
	VRRP_REF_VMAC,			/* use_vmac's interface name (given or
					 * default); owner: instance index */
};

/* Entries are struct conf_ref (lib/conf_util.h): kind is a vrrp_ref_kind,
 * a the owner named above, name the word (names only). */
/* Record `w` (its text, when a name, must already fit VRRP_NAME_MAX). */
void vp_add_ref(struct diags *d, struct vrrp_conf *c, enum vrrp_ref_kind kind, size_t owner,
		const struct conf_word *w);
void vp_refs_free(struct vrrp_conf *c);

/* A name of a vrrp_instance, vrrp_script or sync group (1..63 bytes). */
bool vp_name(struct diags *d, const struct conf_word *w, char *buf);

/* USER [GROUP] from words[0..n) (n is 1 or 2), each checked to exist. */
bool vp_run_as(struct diags *d, const struct conf_word *words, size_t n,
	       struct vrrp_run_as *out);

/* A tracking weight, -254..254. */
bool vp_weight(struct diags *d, const struct conf_word *w, int *out);

/* A VRRP version, 2 or 3 (global vrrp_version or per-instance version). */
bool vp_version(struct diags *d, const struct conf_word *w, unsigned *out);

/* GARP settings shared by global_defs and vrrp_instance. */
void vp_garp_delay(struct diags *d, const struct conf_word *w, uint64_t *out_us);
void vp_garp_repeat(struct diags *d, const struct conf_word *w, unsigned *out);

/* One line NAME [weight W] of track_script or track_interface (`where`);
 * fills *w.  Reports and returns false for any other shape. */
bool vp_track_line(struct diags *d, const struct conf_node *line, const char *where,
		   struct track_weight *w);

/* The body of a track_script block; entries are appended to *arr and each
 * name is recorded for validate. */
void vp_track_scripts(struct diags *d, const struct conf_node *n, struct vrrp_conf *c,
		      struct track_script_conf **arr, size_t *len);

/* vrrp_parser_track.c: the track_file (alias vrrp_track_file) and
 * vrrp_track_process blocks, and the body of an instance's or group's
 * track_file / track_process block (`kind` VRRP_REF_TRACK_FILE or
 * VRRP_REF_TRACK_PROCESS), whose entries are appended to *arr. */
void vp_kw_track_file(struct diags *d, const struct conf_node *n, void *obj);
void vp_kw_track_process(struct diags *d, const struct conf_node *n, void *obj);
void vp_track_refs(struct diags *d, const struct conf_node *n, struct vrrp_conf *c,
		   enum vrrp_ref_kind kind, struct track_ref_conf **arr, size_t *len);
void vp_track_objs_free(struct vrrp_conf *c);

/* notify, notify_master, ..., smtp_alert: handlers take a
 * struct vrrp_notify_conf *, for vrrp_instance and vrrp_sync_group alike. */
extern const struct keyword vp_notify_keywords[];

void vp_notify_free(struct vrrp_notify_conf *n);

/* One line of virtual_ipaddress (vrrp_parser_instance.c), for the blocks
 * that take the same lines; `where` names the block in messages. */
bool vp_parse_vip(struct diags *d, const struct conf_node *line, const char *where,
		  struct vip_conf *vip);

/* A scope name (global, site, link, host, nowhere) or 0..255. */
bool vp_read_scope(struct diags *d, const struct conf_word *w, unsigned char *out);

/* One line of a routes or rules block (vrrp_parser_route.c), reported
 * with `where` naming the block.  Every word is checked: options we do not
 * implement are errors, never ignored.  False on error (*r unspecified). */
bool vp_parse_route(struct diags *d, const struct conf_node *line, const char *where,
		    struct route_conf *r);
bool vp_parse_rule(struct diags *d, const struct conf_node *line, const char *where,
		   struct rule_conf *r);

/* The lines of block `n` appended to *arr (bad lines reported, skipped). */
void vp_routes_block(struct diags *d, const struct conf_node *n, struct route_conf **arr,
		     size_t *len);
void vp_rules_block(struct diags *d, const struct conf_node *n, struct rule_conf **arr,
		    size_t *len);

/* Top-level static_ipaddress, static_routes, static_rules; obj is a
 * struct vrrp_conf *. */
void vp_kw_static_ipaddress(struct diags *d, const struct conf_node *n, void *obj);
void vp_kw_static_routes(struct diags *d, const struct conf_node *n, void *obj);
void vp_kw_static_rules(struct diags *d, const struct conf_node *n, void *obj);

/* The top-level vrrp_instance handler (vrrp_parser_instance.c). */
void vp_kw_vrrp_instance(struct diags *d, const struct conf_node *n, void *obj);

#endif
