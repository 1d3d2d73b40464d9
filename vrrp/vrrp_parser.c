/* Keyword tables of the VRRP configuration: the VRRP keywords of
 * global_defs, vrrp_script and vrrp_sync_group.  vrrp_instance lives in
 * vrrp_parser_instance.c, the whole-file checks in vrrp_parser_validate.c. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"
#include "vrrp_parser.h"
#include "vrrp_parser_priv.h"

/* ---- global_defs ---- */

static void kw_garp_master_delay(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_globals *g = obj;

	vp_garp_delay(d, &n->words[1], &g->garp_master_delay_us);
}

static void kw_garp_master_repeat(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_globals *g = obj;

	vp_garp_repeat(d, &n->words[1], &g->garp_master_repeat);
}

static void kw_garp_master_refresh(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_globals *g = obj;

	vp_garp_delay(d, &n->words[1], &g->garp_master_refresh_us);
}

static void kw_garp_master_refresh_repeat(struct diags *d, const struct conf_node *n,
					  void *obj)
{
	struct vrrp_globals *g = obj;

	vp_garp_repeat(d, &n->words[1], &g->garp_master_refresh_repeat);
}

static void kw_skip_check_adv_addr(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_globals *g = obj;

	(void)d;
	(void)n;
	g->skip_check_adv_addr = true;
}

static void kw_vrrp_version(struct diags *d, const struct conf_node *n, void *obj)
{
	vp_version(d, &n->words[1], &((struct vrrp_globals *)obj)->version);
}

static void kw_v3_checksum_as_v2(struct diags *d, const struct conf_node *n, void *obj)
{
	conf_opt_bool(d, n, &((struct vrrp_globals *)obj)->v3_checksum_as_v2);
}

const struct keyword vrrp_global_keywords[] = {
	{ "vrrp_garp_master_delay", kw_garp_master_delay, 1, 1, KW_NO_BLOCK },
	{ "vrrp_garp_master_repeat", kw_garp_master_repeat, 1, 1, KW_NO_BLOCK },
	{ "vrrp_garp_master_refresh", kw_garp_master_refresh, 1, 1, KW_NO_BLOCK },
	{ "vrrp_garp_master_refresh_repeat", kw_garp_master_refresh_repeat, 1, 1, KW_NO_BLOCK },
	{ "vrrp_skip_check_adv_addr", kw_skip_check_adv_addr, 0, 0, KW_NO_BLOCK },
	{ "vrrp_version", kw_vrrp_version, 1, 1, KW_NO_BLOCK },
	{ "v3_checksum_as_v2", kw_v3_checksum_as_v2, 0, 1, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

/* ---- vrrp_script ---- */

/* A script may run every millisecond at most: faster than that is a
 * fork loop, not a health check (BI-S07). */
#define SCRIPT_MIN_US	1000ull
#define SCRIPT_MAX_US	(86400ull * US_PER_S)

static void kw_script(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_script_conf *s = obj;
	size_t len = 0, used = 0;
	char *cmd;

	/* `script "cmd args"` and `script cmd args` mean the same command
	 * line: keep the words joined by single spaces. */
	for (size_t i = 1; i < n->nwords; i++)
		len += strlen(n->words[i].text) + 1;	/* the word and a blank or the NUL */
	if (len <= 1) {
		diag_error(d, &n->words[1].pos, "empty command in 'script'");
		return;
	}
	cmd = malloc(len);
	if (!cmd) {
		diag_error(d, &n->pos, "out of memory");
		return;
	}
	for (size_t i = 1; i < n->nwords; i++) {
		size_t wlen = strlen(n->words[i].text);

		memcpy(cmd + used, n->words[i].text, wlen);
		used += wlen;
		cmd[used++] = i + 1 < n->nwords ? ' ' : '\0';
	}
	free(s->script);
	s->script = cmd;
}

static void kw_interval(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_script_conf *s = obj;

	val_seconds(d, &n->words[1], SCRIPT_MIN_US, SCRIPT_MAX_US, &s->interval_us);
}

static void kw_timeout(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_script_conf *s = obj;

	val_seconds(d, &n->words[1], SCRIPT_MIN_US, SCRIPT_MAX_US, &s->timeout_us);
}

static void kw_script_weight(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_script_conf *s = obj;

	if (vp_weight(d, &n->words[1], &s->w.weight))
		s->w.has_weight = true;
}

static void read_count(struct diags *d, const struct conf_word *w, unsigned *out)
{
	uint64_t v;

	if (val_uint(d, w, 1, INT_MAX, &v))
		*out = (unsigned)v;
}

static void kw_rise(struct diags *d, const struct conf_node *n, void *obj)
{
	read_count(d, &n->words[1], &((struct vrrp_script_conf *)obj)->rise);
}

static void kw_fall(struct diags *d, const struct conf_node *n, void *obj)
{
	read_count(d, &n->words[1], &((struct vrrp_script_conf *)obj)->fall);
}

static void kw_user(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_script_conf *s = obj;
	struct vrrp_run_as r;

	if (!vp_run_as(d, &n->words[1], n->nwords - 1, &r))
		return;
	memcpy(s->user, r.user, sizeof(s->user));
	memcpy(s->group, r.group, sizeof(s->group));
}

static const struct keyword script_keywords[] = {
	{ "script", kw_script, 1, -1, KW_NO_BLOCK },
	{ "interval", kw_interval, 1, 1, KW_NO_BLOCK },
	{ "timeout", kw_timeout, 1, 1, KW_NO_BLOCK },
	{ "weight", kw_script_weight, 1, 1, KW_NO_BLOCK },
	{ "rise", kw_rise, 1, 1, KW_NO_BLOCK },
	{ "fall", kw_fall, 1, 1, KW_NO_BLOCK },
	{ "user", kw_user, 1, 2, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

static void kw_vrrp_script(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_conf *c = obj;
	struct vrrp_script_conf s, *slot;
	char name[VRRP_NAME_MAX + 1];

	if (!vp_name(d, &n->words[1], name))
		return;
	memset(&s, 0, sizeof(s));
	memcpy(s.name, name, sizeof(s.name));
	s.interval_us = US_PER_S;
	s.rise = 1;
	s.fall = 1;
	kw_dispatch(d, script_keywords, "vrrp_script", n->children, n->nchildren, &s);
	if (!s.script)
		diag_error(d, &n->pos, "vrrp_script '%s' has no script", name);
	/* keepalived's default: a run may take the whole interval. */
	if (!s.timeout_us)
		s.timeout_us = s.interval_us;
	slot = conf_grow(d, &n->pos, &c->scripts, &c->n_scripts, sizeof(*slot));
	if (!slot) {
		free(s.script);
		return;
	}
	*slot = s;
	vp_add_ref(d, c, VRRP_REF_SCRIPT, c->n_scripts - 1, &n->words[1]);
}

/* ---- vrrp_sync_group ---- */

struct group_ctx {
	struct vrrp_conf *c;
	size_t idx;
	size_t n_names;		/* member names listed, resolved by validate */
};

static struct vrrp_sync_group_conf *ctx_group(struct group_ctx *g)
{
	return &g->c->groups[g->idx];
}

/* group { I1 I2 ... }: every word of every line names an instance. */
static void kw_group(struct diags *d, const struct conf_node *n, void *obj)
{
	struct group_ctx *g = obj;

	for (size_t i = 0; i < n->nchildren; i++) {
		const struct conf_node *line = &n->children[i];
		char name[VRRP_NAME_MAX + 1];

		if (line->has_block)
			diag_error(d, &line->block_pos, "unexpected block in group");
		for (size_t j = 0; j < line->nwords; j++) {
			if (!vp_name(d, &line->words[j], name))
				continue;
			vp_add_ref(d, g->c, VRRP_REF_GROUP_MEMBER, g->idx, &line->words[j]);
			g->n_names++;
		}
	}
}

static void kw_group_track_script(struct diags *d, const struct conf_node *n, void *obj)
{
	struct group_ctx *g = obj;
	struct vrrp_sync_group_conf *grp = ctx_group(g);

	vp_track_scripts(d, n, g->c, &grp->track_scripts, &grp->n_track_scripts);
}

static void kw_group_track_file(struct diags *d, const struct conf_node *n, void *obj)
{
	struct group_ctx *g = obj;
	struct vrrp_sync_group_conf *grp = ctx_group(g);

	vp_track_refs(d, n, g->c, VRRP_REF_TRACK_FILE, &grp->track_files, &grp->n_track_files);
}

static void kw_group_track_process(struct diags *d, const struct conf_node *n, void *obj)
{
	struct group_ctx *g = obj;
	struct vrrp_sync_group_conf *grp = ctx_group(g);

	vp_track_refs(d, n, g->c, VRRP_REF_TRACK_PROCESS, &grp->track_procs, &grp->n_track_procs);
}

/* keepalived's man page says members' tracking weights count only with
 * this keyword, yet keepalived 2.2.7 applies them either way (it logs
 * "ignoring ... weight due to SYNC group" and then changes the priority by
 * it).  Weights always count here, as they do there: the keyword is
 * accepted and changes nothing. */
static void kw_group_tracking_weight(struct diags *d, const struct conf_node *n, void *obj)
{
	(void)d;
	(void)n;
	(void)obj;
}

static const struct keyword group_keywords[] = {
	{ "group", kw_group, 0, 0, KW_BLOCK },
	{ "track_script", kw_group_track_script, 0, 0, KW_BLOCK },
	{ "track_file", kw_group_track_file, 0, 0, KW_BLOCK },
	{ "track_process", kw_group_track_process, 0, 0, KW_BLOCK },
	{ "sync_group_tracking_weight", kw_group_tracking_weight, 0, 0, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

static void kw_vrrp_sync_group(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_conf *c = obj;
	struct vrrp_sync_group_conf *grp;
	struct group_ctx g = { c, 0, 0 };
	char name[VRRP_NAME_MAX + 1];

	if (!vp_name(d, &n->words[1], name))
		return;
	grp = conf_grow(d, &n->pos, &c->groups, &c->n_groups, sizeof(*grp));
	if (!grp)
		return;
	memcpy(grp->name, name, sizeof(grp->name));
	g.idx = c->n_groups - 1;
	vp_add_ref(d, c, VRRP_REF_GROUP, g.idx, &n->words[1]);
	for (size_t i = 0; i < n->nchildren; i++) {
		const struct conf_node *st = &n->children[i];

		if (kw_try_dispatch(d, group_keywords, st, &g) ||
		    kw_try_dispatch(d, vp_notify_keywords, st, &ctx_group(&g)->notify))
			continue;
		kw_unknown(d, st, "vrrp_sync_group");
	}
	/* keepalived keeps such a group but it synchronises nothing. */
	if (g.n_names < 2)
		diag_warn(d, &n->pos, "vrrp_sync_group '%s' has %zu instance%s: a sync group "
			  "needs at least 2", name, g.n_names, g.n_names == 1 ? "" : "s");
}

const struct keyword vrrp_top_keywords[] = {
	{ "vrrp_instance", vp_kw_vrrp_instance, 1, 1, KW_BLOCK },
	{ "vrrp_sync_group", kw_vrrp_sync_group, 1, 1, KW_BLOCK },
	{ "vrrp_script", kw_vrrp_script, 1, 1, KW_BLOCK },
	{ "track_file", vp_kw_track_file, 1, 1, KW_BLOCK },
	{ "vrrp_track_file", vp_kw_track_file, 1, 1, KW_BLOCK },
	{ "vrrp_track_process", vp_kw_track_process, 1, 1, KW_BLOCK },
	{ "static_ipaddress", vp_kw_static_ipaddress, 0, 0, KW_BLOCK },
	{ "static_routes", vp_kw_static_routes, 0, 0, KW_BLOCK },
	{ "static_rules", vp_kw_static_rules, 0, 0, KW_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};
