/* Helpers shared by the VRRP blocks: names, booleans, weights, users,
 * track_script lists, the notify keywords and the forward-reference table.
 * See vrrp_parser_priv.h. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_util.h"
#include "value.h"
#include "vrrp_parser_priv.h"

void vp_add_ref(struct diags *d, struct vrrp_conf *c, enum vrrp_ref_kind kind, size_t owner,
		const struct conf_word *w)
{
	conf_refs_add(d, &c->refs, kind, owner, 0, kind == VRRP_REF_VRID ? NULL : w->text,
		      &w->pos);
}

void vp_refs_free(struct vrrp_conf *c)
{
	conf_refs_free(&c->refs);
}

bool vp_name(struct diags *d, const struct conf_word *w, char *buf)
{
	return val_string(d, w, VRRP_NAME_MAX, buf);
}

bool vp_run_as(struct diags *d, const struct conf_word *words, size_t n,
	       struct vrrp_run_as *out)
{
	return val_user_group(d, words, n, sizeof(out->user) - 1, out->user, out->group);
}

bool vp_weight(struct diags *d, const struct conf_word *w, int *out)
{
	int64_t v;

	if (!val_int(d, w, -254, 254, &v))
		return false;
	*out = (int)v;
	return true;
}

bool vp_version(struct diags *d, const struct conf_word *w, unsigned *out)
{
	uint64_t v;

	if (!val_uint(d, w, 2, 3, &v))
		return false;
	*out = (unsigned)v;
	return true;
}

void vp_garp_delay(struct diags *d, const struct conf_word *w, uint64_t *out_us)
{
	val_seconds(d, w, 0, VRRP_GARP_MAX_US, out_us);
}

void vp_garp_repeat(struct diags *d, const struct conf_word *w, unsigned *out)
{
	uint64_t v;

	if (val_uint(d, w, 1, VRRP_GARP_REPEAT_MAX, &v))
		*out = (unsigned)v;
}

bool vp_track_line(struct diags *d, const struct conf_node *line, const char *where,
		   struct track_weight *w)
{
	const struct conf_word *bad = NULL;

	if (line->has_block) {
		diag_error(d, &line->block_pos, "unexpected block in %s", where);
		return false;
	}
	if (line->nwords == 1)
		return true;
	if (strcmp(line->words[1].text, "weight") != 0)
		bad = &line->words[1];
	else if (line->nwords > 3)
		bad = &line->words[3];
	if (bad) {
		char shown[DIAG_TEXT_BUF];

		diag_error(d, &bad->pos, "unexpected '%s' in %s (expected NAME [weight W])",
			   diag_text(bad->text, shown, sizeof(shown)), where);
		return false;
	}
	if (line->nwords == 2) {
		diag_error(d, &line->words[1].pos, "'weight' needs a value");
		return false;
	}
	if (!vp_weight(d, &line->words[2], &w->weight))
		return false;
	w->has_weight = true;
	return true;
}

static bool script_listed(const struct track_script_conf *arr, size_t len, const char *name)
{
	for (size_t i = 0; i < len; i++)
		if (strcmp(arr[i].name, name) == 0)
			return true;
	return false;
}

void vp_track_scripts(struct diags *d, const struct conf_node *n, struct vrrp_conf *c,
		      struct track_script_conf **arr, size_t *len)
{
	for (size_t i = 0; i < n->nchildren; i++) {
		const struct conf_node *line = &n->children[i];
		struct track_script_conf t, *slot;

		memset(&t, 0, sizeof(t));
		if (!vp_name(d, &line->words[0], t.name) ||
		    !vp_track_line(d, line, "track_script", &t.w))
			continue;
		if (*len >= VRRP_MAX_TRACK) {
			diag_error(d, &line->pos, "more than %d entries in track_script",
				   VRRP_MAX_TRACK);
			return;
		}
		/* keepalived accepts a repeated entry; say which one counts. */
		if (script_listed(*arr, *len, t.name)) {
			diag_warn(d, &line->pos, "track_script '%s' is listed twice; "
				  "the first entry is used", t.name);
			continue;
		}
		slot = conf_grow(d, &line->pos, arr, len, sizeof(*slot));
		if (!slot)
			return;
		*slot = t;
		vp_add_ref(d, c, VRRP_REF_TRACK_SCRIPT, 0, &line->words[0]);
	}
}

/* notify_* keywords: the command is one word, the optional words after it
 * the user and group to run it as. */
static void set_notify(struct diags *d, const struct conf_node *n, char **cmd,
		       struct vrrp_run_as *as)
{
	conf_command_user(d, n, sizeof(as->user) - 1, cmd, as->user, as->group);
}

#define NOTIFY_HANDLER(fn, field)						\
	static void fn(struct diags *d, const struct conf_node *n, void *obj)	\
	{									\
		struct vrrp_notify_conf *nc = obj;				\
										\
		set_notify(d, n, &nc->field, &nc->field##_as);			\
	}

NOTIFY_HANDLER(kw_notify_master, master)
NOTIFY_HANDLER(kw_notify_backup, backup)
NOTIFY_HANDLER(kw_notify_fault, fault)
NOTIFY_HANDLER(kw_notify_stop, stop)
NOTIFY_HANDLER(kw_notify, any)

/* smtp_alert alone means on; newer keepalived takes a boolean. */
static void kw_smtp_alert(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_notify_conf *nc = obj;
	bool on;

	if (conf_opt_bool(d, n, &on))
		nc->smtp_alert = on ? VRRP_SMTP_ON : VRRP_SMTP_OFF;
}

const struct keyword vp_notify_keywords[] = {
	{ "notify_master", kw_notify_master, 1, 3, KW_NO_BLOCK },
	{ "notify_backup", kw_notify_backup, 1, 3, KW_NO_BLOCK },
	{ "notify_fault", kw_notify_fault, 1, 3, KW_NO_BLOCK },
	{ "notify_stop", kw_notify_stop, 1, 3, KW_NO_BLOCK },
	{ "notify", kw_notify, 1, 3, KW_NO_BLOCK },
	{ "smtp_alert", kw_smtp_alert, 0, 1, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

void vp_notify_free(struct vrrp_notify_conf *n)
{
	free(n->master);
	free(n->backup);
	free(n->fault);
	free(n->stop);
	free(n->any);
	memset(n, 0, sizeof(*n));
}
