/* Helpers shared by the checker blocks: arrays, strings, names, booleans,
 * users, scripts, forwarding methods, the inherited timers and the side
 * table.  See check_parser_priv.h. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "check_parser_priv.h"
#include "conf_util.h"
#include "value.h"

bool cp_string(struct diags *d, const struct conf_word *w, size_t max, char **out)
{
	size_t len = strlen(w->text);
	char *copy;

	if (len == 0) {
		diag_error(d, &w->pos, "empty value (expected 1 to %zu bytes)", max);
		return false;
	}
	if (len > max) {
		char buf[DIAG_TEXT_BUF];

		diag_error(d, &w->pos, "'%s' is too long (%zu bytes, at most %zu)",
			   diag_text(w->text, buf, sizeof(buf)), len, max);
		return false;
	}
	copy = conf_strdup(d, &w->pos, w->text);
	if (!copy)
		return false;
	free(*out);
	*out = copy;
	return true;
}

char *cp_join_words(struct diags *d, const struct conf_node *n)
{
	size_t len = 0, used = 0;
	char *cmd;

	for (size_t i = 1; i < n->nwords; i++)
		len += strlen(n->words[i].text) + 1;	/* the word and a blank or the NUL */
	if (len <= 1) {
		diag_error(d, &n->words[1].pos, "empty command in '%s'", n->words[0].text);
		return NULL;
	}
	cmd = malloc(len);
	if (!cmd) {
		diag_error(d, &n->pos, "out of memory");
		return NULL;
	}
	for (size_t i = 1; i < n->nwords; i++) {
		size_t wlen = strlen(n->words[i].text);

		memcpy(cmd + used, n->words[i].text, wlen);
		used += wlen;
		cmd[used++] = i + 1 < n->nwords ? ' ' : '\0';
	}
	return cmd;
}

bool cp_name(struct diags *d, const struct conf_word *w, char *buf)
{
	return val_string(d, w, CHECK_NAME_MAX, buf);
}

bool cp_run_as(struct diags *d, const struct conf_word *words, size_t n,
	       struct check_run_as *out)
{
	return val_user_group(d, words, n, CHECK_USER_MAX, out->user, out->group);
}

/* The command is one word (quoted when it has arguments), as in
 * keepalived; the words after it name the user and group. */
void cp_script(struct diags *d, const struct conf_node *n, struct check_script *s)
{
	struct check_run_as as = { "", "" };

	if (!conf_command_user(d, n, CHECK_USER_MAX, &s->cmd, as.user, as.group))
		return;
	free(s->as);
	s->as = NULL;
	if (!as.user[0])
		return;
	s->as = malloc(sizeof(*s->as));
	if (s->as)
		*s->as = as;
	else
		diag_error(d, &n->pos, "out of memory");
}

void cp_script_free(struct check_script *s)
{
	free(s->cmd);
	free(s->as);
	memset(s, 0, sizeof(*s));
}

bool cp_host(struct diags *d, const struct conf_word *w, char **out)
{
	/* The name goes into a Host: header line: a blank or a control
	 * character would let the configuration forge headers. */
	for (const unsigned char *p = (const unsigned char *)w->text; *p; p++) {
		if (*p <= ' ' || *p == 0x7f) {
			char shown[DIAG_TEXT_BUF];

			diag_error(d, &w->pos, "'%s' is not a valid host name (no blanks or "
				   "control characters)", diag_text(w->text, shown, sizeof(shown)));
			return false;
		}
	}
	return cp_string(d, w, CHECK_HOST_MAX, out);
}

/* NAT | DR | TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]: only
 * IPIP tunnels exist here, so the only tunnel words accepted are
 * `type ipip` and the checksum option `nocsum` (what IPIP always does). */
bool cp_lvs_method(struct diags *d, const struct conf_node *n, enum lvs_method *out)
{
	static const char *const methods[] = { "NAT", "DR", "TUN", NULL };
	static const enum lvs_method values[] = { LVS_NAT, LVS_DR, LVS_TUN };
	char shown[DIAG_TEXT_BUF];
	size_t i = 2;
	int m;

	if (!val_choice(d, &n->words[1], methods, &m))
		return false;
	if (values[m] != LVS_TUN && n->nwords > 2) {
		diag_error(d, &n->words[2].pos, "unexpected '%s' after %s (tunnel options "
			   "apply to TUN only)", diag_text(n->words[2].text, shown, sizeof(shown)),
			   methods[m]);
		return false;
	}
	if (i < n->nwords && strcmp(n->words[i].text, "type") == 0) {
		const struct conf_word *t = i + 1 < n->nwords ? &n->words[i + 1] : NULL;

		if (!t) {
			diag_error(d, &n->words[i].pos, "'type' needs a value (ipip)");
			return false;
		}
		if (strcasecmp(t->text, "gue") == 0 || strcasecmp(t->text, "gre") == 0) {
			diag_error(d, &t->pos, "tunnel type '%s' is not supported: only ipip",
				   diag_text(t->text, shown, sizeof(shown)));
			return false;
		}
		if (strcasecmp(t->text, "ipip") != 0) {
			diag_error(d, &t->pos, "'%s' is not a valid tunnel type (expected ipip)",
				   diag_text(t->text, shown, sizeof(shown)));
			return false;
		}
		i += 2;
	}
	if (i < n->nwords && strcmp(n->words[i].text, "nocsum") == 0)
		i++;
	if (i < n->nwords) {
		if (!strcmp(n->words[i].text, "csum") || !strcmp(n->words[i].text, "remcsum"))
			diag_error(d, &n->words[i].pos, "'%s' applies to GUE tunnels only, which "
				   "are not supported", n->words[i].text);
		else
			diag_error(d, &n->words[i].pos, "unexpected '%s' after TUN (expected "
				   "[type ipip] [nocsum])",
				   diag_text(n->words[i].text, shown, sizeof(shown)));
		return false;
	}
	*out = values[m];
	return true;
}

void cp_smtp_alert(struct diags *d, const struct conf_node *n, enum check_smtp_alert *out)
{
	bool on;

	if (!conf_opt_bool(d, n, &on))
		return;
	*out = on ? CHECK_SMTP_ON : CHECK_SMTP_OFF;
}

bool cp_lvs_seconds(struct diags *d, const struct conf_word *w, uint32_t *out)
{
	uint64_t v;

	if (!val_uint(d, w, 1, CP_LVS_TIMEOUT_MAX, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

const char *cp_where(const char *file, unsigned line, const char *here, char *buf,
		     size_t len)
{
	if (file && here && strcmp(file, here) != 0) {
		char path[DIAG_PATH_BUF];

		snprintf(buf, len, "%s:%u", diag_path(file, path, sizeof(path)), line);
	} else {
		snprintf(buf, len, "line %u", line);
	}
	return buf;
}

uint16_t cp_default_port(const struct virtual_server_conf *vs)
{
	return vs->kind == VS_ADDR ? vs->port : 0;
}

const char *cp_family_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

int cp_addr_cmp(const struct ip_addr *a, const struct ip_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(&a->u, &b->u, a->family == AF_INET ? sizeof(a->u.v4) : sizeof(a->u.v6));
}

/* ---- inherited values ---- */

void cp_inherit_init(struct cp_inherit *i)
{
	i->connect_timeout_us = CP_UNSET_US;
	i->retry = CP_UNSET_US;
	i->delay_before_retry_us = CP_UNSET_US;
	i->warmup_us = CP_UNSET_US;
	i->delay_loop_us = CP_UNSET_US;
	i->alpha = -1;
	i->virtualhost = NULL;
}

void cp_inherit_merge(struct cp_inherit *child, const struct cp_inherit *parent)
{
	if (child->connect_timeout_us == CP_UNSET_US)
		child->connect_timeout_us = parent->connect_timeout_us;
	if (child->retry == CP_UNSET_US)
		child->retry = parent->retry;
	if (child->delay_before_retry_us == CP_UNSET_US)
		child->delay_before_retry_us = parent->delay_before_retry_us;
	if (child->warmup_us == CP_UNSET_US)
		child->warmup_us = parent->warmup_us;
	if (child->delay_loop_us == CP_UNSET_US)
		child->delay_loop_us = parent->delay_loop_us;
	if (child->alpha < 0)
		child->alpha = parent->alpha;
	if (!child->virtualhost)
		child->virtualhost = parent->virtualhost;
}

static void kw_connect_timeout(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_inherit *i = obj;

	val_seconds(d, &n->words[1], CP_MIN_US, CP_MAX_US, &i->connect_timeout_us);
}

static void kw_retry(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_inherit *i = obj;

	val_uint(d, &n->words[1], 0, INT32_MAX, &i->retry);
}

static void kw_nb_get_retry(struct diags *d, const struct conf_node *n, void *obj)
{
	diag_warn(d, &n->pos, "'nb_get_retry' is an old name of 'retry'; use 'retry'");
	kw_retry(d, n, obj);
}

static void kw_delay_before_retry(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_inherit *i = obj;

	val_seconds(d, &n->words[1], 0, CP_MAX_US, &i->delay_before_retry_us);
}

static void kw_warmup(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_inherit *i = obj;

	val_seconds(d, &n->words[1], 0, CP_MAX_US, &i->warmup_us);
}

static void kw_delay_loop(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_inherit *i = obj;

	val_seconds(d, &n->words[1], CP_MIN_US, CP_MAX_US, &i->delay_loop_us);
}

static void kw_alpha(struct diags *d, const struct conf_node *n, void *obj)
{
	struct cp_inherit *i = obj;
	bool on;

	if (conf_opt_bool(d, n, &on))
		i->alpha = on;
}

const struct keyword cp_inherit_keywords[] = {
	{ "connect_timeout", kw_connect_timeout, 1, 1, KW_NO_BLOCK },
	{ "retry", kw_retry, 1, 1, KW_NO_BLOCK },
	{ "nb_get_retry", kw_nb_get_retry, 1, 1, KW_NO_BLOCK },
	{ "delay_before_retry", kw_delay_before_retry, 1, 1, KW_NO_BLOCK },
	{ "warmup", kw_warmup, 1, 1, KW_NO_BLOCK },
	{ "delay_loop", kw_delay_loop, 1, 1, KW_NO_BLOCK },
	{ "alpha", kw_alpha, 0, 1, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

/* ---- the side table ---- */

void cp_add_ref(struct diags *d, struct check_conf *c, enum cp_ref_kind kind, size_t a,
		size_t b, const char *name, const struct conf_pos *pos)
{
	conf_refs_add(d, &c->refs, kind, a, b, name, pos);
}

void cp_refs_free(struct check_conf *c)
{
	conf_refs_free(&c->refs);
}
