/* Keyword table of the global_defs block. */
#include "config.h"

#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "conf_util.h"
#include "global_conf.h"
#include "ka_conf.h"

void global_conf_init(struct global_conf *g)
{
	memset(g, 0, sizeof(*g));
	g->smtp_port = SMTP_DEFAULT_PORT;
	g->smtp_connect_timeout_us = SMTP_DEFAULT_CONNECT_TIMEOUT_US;
}

void global_conf_free(struct global_conf *g)
{
	for (size_t i = 0; i < g->n_notification_email; i++)
		free(g->notification_email[i]);
	free(g->notification_email);
	g->notification_email = NULL;
	g->n_notification_email = 0;
}

static void kw_router_id(struct diags *d, const struct conf_node *n, void *obj)
{
	struct global_conf *g = obj;

	val_string(d, &n->words[1], ROUTER_ID_MAX, g->router_id);
}

static void kw_lvs_id(struct diags *d, const struct conf_node *n, void *obj)
{
	diag_warn(d, &n->pos, "'lvs_id' is an old name of 'router_id'; use 'router_id'");
	kw_router_id(d, n, obj);
}

/* An address is accepted if it looks like local@domain with no blanks or
 * control characters: enough to catch typos without rejecting real ones,
 * and it keeps header injection out of the mails we build from it. */
static bool email_plausible(const char *s)
{
	const char *at = strchr(s, '@');

	if (!at || at == s || at[1] == '\0' || strchr(at + 1, '@'))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>')
			return false;
	return true;
}

static bool check_email(struct diags *d, const struct conf_word *w)
{
	if (strlen(w->text) > EMAIL_MAX || !email_plausible(w->text)) {
		char shown[DIAG_TEXT_BUF];

		diag_error(d, &w->pos, "'%s' is not an e-mail address",
			   diag_text(w->text, shown, sizeof(shown)));
		return false;
	}
	return true;
}

static void add_recipient(struct diags *d, struct global_conf *g, const struct conf_word *w)
{
	char **grown;

	if (!check_email(d, w))
		return;
	grown = realloc(g->notification_email, (g->n_notification_email + 1) * sizeof(*grown));
	if (!grown || !(grown[g->n_notification_email] = strdup(w->text))) {
		if (grown)
			g->notification_email = grown;
		diag_error(d, &w->pos, "out of memory");
		return;
	}
	g->notification_email = grown;
	g->n_notification_email++;
}

/* notification_email { a@b c@d ... }: every word of every line is a recipient. */
static void kw_notification_email(struct diags *d, const struct conf_node *n, void *obj)
{
	for (size_t i = 0; i < n->nchildren; i++) {
		const struct conf_node *line = &n->children[i];

		if (line->has_block)
			diag_error(d, &line->block_pos, "unexpected block in notification_email");
		for (size_t j = 0; j < line->nwords; j++)
			add_recipient(d, obj, &line->words[j]);
	}
}

static void kw_notification_email_from(struct diags *d, const struct conf_node *n, void *obj)
{
	struct global_conf *g = obj;

	if (check_email(d, &n->words[1]))
		strcpy(g->notification_email_from, n->words[1].text);
}

static void kw_smtp_server(struct diags *d, const struct conf_node *n, void *obj)
{
	struct global_conf *g = obj;
	struct ip_addr addr;
	uint16_t port = SMTP_DEFAULT_PORT;

	if (!val_ipaddr(d, &n->words[1], AF_UNSPEC, &addr))
		return;
	if (n->nwords > 2 && !val_port(d, &n->words[2], &port))
		return;
	g->smtp_server = addr;
	g->smtp_port = port;
	g->has_smtp_server = true;
}

static void kw_smtp_connect_timeout(struct diags *d, const struct conf_node *n, void *obj)
{
	struct global_conf *g = obj;

	val_seconds(d, &n->words[1], 1000000, 3600ull * 1000000, &g->smtp_connect_timeout_us);
}

/* A HELO name is a domain or an address literal: printable, no blanks,
 * no angle brackets, so it cannot break the command it is sent in. */
static void kw_smtp_helo_name(struct diags *d, const struct conf_node *n, void *obj)
{
	struct global_conf *g = obj;
	const struct conf_word *w = &n->words[1];
	char shown[DIAG_TEXT_BUF];

	for (const unsigned char *p = (const unsigned char *)w->text; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>') {
			diag_error(d, &w->pos, "smtp_helo_name '%s' is not a host name",
				   diag_text(w->text, shown, sizeof(shown)));
			return;
		}
	val_string(d, w, SMTP_HELO_NAME_MAX, g->smtp_helo_name);
}

/* smtp_alert alone means on, as in the instance and server blocks. */
static void kw_smtp_alert(struct diags *d, const struct conf_node *n, void *obj)
{
	conf_opt_bool(d, n, &((struct global_conf *)obj)->smtp_alert);
}

static void kw_script_user(struct diags *d, const struct conf_node *n, void *obj)
{
	struct global_conf *g = obj;

	if (!val_string(d, &n->words[1], USER_NAME_MAX, g->script_user))
		return;
	if (!getpwnam(g->script_user)) {
		diag_error(d, &n->words[1].pos, "script_user '%s': no such user", g->script_user);
		g->script_user[0] = '\0';
		return;
	}
	if (n->nwords < 3 || !val_string(d, &n->words[2], USER_NAME_MAX, g->script_group))
		return;
	if (!getgrnam(g->script_group)) {
		diag_error(d, &n->words[2].pos, "script_user group '%s': no such group",
			   g->script_group);
		g->script_group[0] = '\0';
	}
}

static void kw_enable_script_security(struct diags *d, const struct conf_node *n, void *obj)
{
	struct global_conf *g = obj;

	(void)d;
	(void)n;
	g->enable_script_security = true;
}

/* SNMP keywords: flags, and the AgentX master address.  Without net-snmp
 * they are errors, as a silently missing MIB would surprise the operator. */
static bool snmp_built(struct diags *d, const struct conf_node *n)
{
#ifdef WITH_SNMP
	(void)d;
	(void)n;
	return true;
#else
	diag_error(d, &n->words[0].pos,
		   "'%s': SNMP support was not built (configure --disable-snmp)", n->words[0].text);
	return false;
#endif
}

static void kw_snmp_flag(struct diags *d, const struct conf_node *n, void *obj)
{
	struct global_conf *g = obj;
	const char *kw = n->words[0].text;

	if (!snmp_built(d, n))
		return;
	if (strcmp(kw, "enable_snmp_vrrp") == 0 || strcmp(kw, "enable_snmp_keepalived") == 0)
		g->snmp_vrrp = true;
	else if (strcmp(kw, "enable_snmp_checker") == 0)
		g->snmp_checker = true;
	else if (strcmp(kw, "enable_traps") == 0)
		g->snmp_traps = true;
	else
		g->snmp_rfc = true;	/* enable_snmp_rfc, enable_snmp_rfcv2 */
}

static void kw_snmp_socket(struct diags *d, const struct conf_node *n, void *obj)
{
	struct global_conf *g = obj;

	if (snmp_built(d, n))
		val_string(d, &n->words[1], SNMP_SOCKET_MAX, g->snmp_socket);
}

static const struct keyword global_defs_keywords[] = {
	{ "router_id", kw_router_id, 1, 1, KW_NO_BLOCK },
	{ "lvs_id", kw_lvs_id, 1, 1, KW_NO_BLOCK },
	{ "notification_email", kw_notification_email, 0, 0, KW_BLOCK },
	{ "notification_email_from", kw_notification_email_from, 1, 1, KW_NO_BLOCK },
	{ "smtp_server", kw_smtp_server, 1, 2, KW_NO_BLOCK },
	{ "smtp_connect_timeout", kw_smtp_connect_timeout, 1, 1, KW_NO_BLOCK },
	{ "smtp_helo_name", kw_smtp_helo_name, 1, 1, KW_NO_BLOCK },
	{ "smtp_alert", kw_smtp_alert, 0, 1, KW_NO_BLOCK },
	{ "script_user", kw_script_user, 1, 2, KW_NO_BLOCK },
	{ "enable_script_security", kw_enable_script_security, 0, 0, KW_NO_BLOCK },
	{ "enable_snmp_vrrp", kw_snmp_flag, 0, 0, KW_NO_BLOCK },
	{ "enable_snmp_keepalived", kw_snmp_flag, 0, 0, KW_NO_BLOCK },
	{ "enable_snmp_checker", kw_snmp_flag, 0, 0, KW_NO_BLOCK },
	{ "enable_snmp_rfc", kw_snmp_flag, 0, 0, KW_NO_BLOCK },
	{ "enable_snmp_rfcv2", kw_snmp_flag, 0, 0, KW_NO_BLOCK },
	{ "enable_traps", kw_snmp_flag, 0, 0, KW_NO_BLOCK },
	{ "snmp_socket", kw_snmp_socket, 1, 1, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

/* global_defs holds the daemon-wide keywords and those each subsystem
 * owns (vrrp_garp_master_delay, ...); each table fills its own part. */
static void kw_global_defs(struct diags *d, const struct conf_node *n, void *obj)
{
	struct ka_config *c = obj;

	for (size_t i = 0; i < n->nchildren; i++) {
		const struct conf_node *st = &n->children[i];

		if (kw_try_dispatch(d, global_defs_keywords, st, &c->global) ||
		    kw_try_dispatch(d, vrrp_global_keywords, st, &c->vrrp.globals) ||
		    kw_try_dispatch(d, check_global_keywords, st, &c->check.globals))
			continue;
		kw_unknown(d, st, "global_defs");
	}
}

const struct keyword global_top_keywords[] = {
	{ "global_defs", kw_global_defs, 0, 0, KW_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

void global_conf_validate(struct global_conf *g, struct diags *d)
{
	if (g->n_notification_email && !g->has_smtp_server)
		diag_warn(d, NULL, "notification_email is set but smtp_server is not: "
			  "no e-mail alert will be sent");
}

/* Whether the statement `n` is an `smtp_alert` that turns alerts on. */
static bool asks_for_mail(const struct conf_node *n)
{
	struct diags scratch;
	bool on = true;

	if (strcmp(n->words[0].text, "smtp_alert") != 0 || n->has_block)
		return false;
	if (n->nwords == 2) {
		diags_init(&scratch);
		if (!val_bool(&scratch, &n->words[1], &on))
			on = false;	/* already reported by the block's parser */
		diags_free(&scratch);
	}
	return n->nwords <= 2 && on;
}

static void warn_alerts(const struct conf_node *n, const char *missing, struct diags *d)
{
	for (size_t i = 0; i < n->nchildren; i++) {
		const struct conf_node *st = &n->children[i];

		if (asks_for_mail(st))
			diag_warn(d, &st->pos, "smtp_alert: no %s in global_defs, so no e-mail "
				  "alert will be sent", missing);
		warn_alerts(st, missing, d);
	}
}

void global_conf_check_alerts(const struct global_conf *g, const struct conf_node *root,
			      struct diags *d)
{
	const char *missing = !g->has_smtp_server ? "smtp_server" :
			      !g->n_notification_email ? "notification_email" : NULL;

	if (missing)
		warn_alerts(root, missing, d);
}
