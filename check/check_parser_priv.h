/* Private to the checker parser files (check_parser.c, check_parser_vs.c,
 * check_parser_checker.c, check_parser_util.c, check_parser_validate.c,
 * check_conf.c): helpers shared by several blocks, the values inherited
 * from a virtual server by its real servers and from those by their
 * checkers, and the side table of positions.
 *
 * Positions (struct conf_pos) point into the parse tree, which is freed
 * before check_conf_validate() runs.  Checks within one block run when the
 * block ends, with the tree's positions.  Checks across blocks (groups,
 * services configured twice) run in check_conf_validate(); the positions
 * they report at are recorded in a side table with a copy of the file
 * name. */
#ifndef KA_CHECK_PARSER_PRIV_H
#define KA_CHECK_PARSER_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check_conf.h"
#include "conf_util.h"
#include "keyword.h"

#define US_PER_S		1000000ull
#define CP_UNSET_US		UINT64_MAX

/* Timers: a check every millisecond at most (faster is a fork or SYN
 * loop, not a health check), and nothing longer than a day. */
#define CP_MIN_US		1000ull
#define CP_MAX_US		(86400ull * US_PER_S)

/* IPVS takes timeouts in seconds and multiplies them by HZ into an int:
 * the kernel refuses connection timeouts above INT_MAX / HZ and
 * persistence timeouts silently wrap there.  HZ is at most 1000, so
 * INT_MAX / 1000 s (24.8 days) is the largest value that works on every
 * kernel. */
#define CP_LVS_TIMEOUT_MAX	2147483u

/* ipvsadm accepts weights 0..65535; keeping to that range means a sum of
 * weights (quorum arithmetic) cannot overflow for any realistic number of
 * real servers, and what keepalived and ipvsadm accept stays accepted. */
#define CP_WEIGHT_MAX		65535u

/* An address range of a virtual_server_group line is expanded into one
 * IPVS service per address: a /16 (or one IPv6 hextet) at most. */
#define CP_RANGE_MAX		65536u

/* Values a checker takes from its real server, which takes them from its
 * virtual server, unless it sets its own.  Unset: CP_UNSET_US, -1, NULL. */
struct cp_inherit {
	uint64_t connect_timeout_us;
	uint64_t retry;
	uint64_t delay_before_retry_us;
	uint64_t warmup_us;
	uint64_t delay_loop_us;
	int alpha;
	const char *virtualhost;	/* borrowed from the level that set it */
};

void cp_inherit_init(struct cp_inherit *i);
/* Fill what `child` left unset from `parent`. */
void cp_inherit_merge(struct cp_inherit *child, const struct cp_inherit *parent);

/* connect_timeout, retry, nb_get_retry, delay_before_retry, warmup,
 * delay_loop, alpha: handlers take a struct cp_inherit *.  Used in
 * virtual_server, real_server and every checker. */
extern const struct keyword cp_inherit_keywords[];

/* ---- the side table ---- */

enum cp_ref_kind {
	CP_REF_VS,		/* virtual_server header; a: vs index */
	CP_REF_VS_GROUP,	/* the NAME of `virtual_server group NAME`; a: vs index */
	CP_REF_GROUP,		/* virtual_server_group NAME; a: group index */
	CP_REF_GROUP_ENTRY,	/* a line of a group; a: group index, b: entry index */
	CP_REF_RS,		/* real_server of a group virtual server; a: vs, b: rs */
	CP_REF_SORRY,		/* sorry_server of a group virtual server; a: vs */
	CP_REF_GRANULARITY,	/* persistence_granularity of a group virtual server;
				 * a: vs, b: the family its form means */
};

/* Entries are struct conf_ref (lib/conf_util.h): kind is a cp_ref_kind,
 * a and b as listed above, name the group name. */

/* Record `pos` (and `name`, which must fit CHECK_NAME_MAX, or NULL). */
void cp_add_ref(struct diags *d, struct check_conf *c, enum cp_ref_kind kind, size_t a,
		size_t b, const char *name, const struct conf_pos *pos);
void cp_refs_free(struct check_conf *c);

/* ---- helpers ---- */

/* Replace *out with a copy of `w`'s text (1..max bytes). */
bool cp_string(struct diags *d, const struct conf_word *w, size_t max, char **out);

/* The words of `n` from words[1], joined by single spaces (a command
 * line written quoted or not); NULL after reporting when empty. */
char *cp_join_words(struct diags *d, const struct conf_node *n);

/* A name of a virtual_server_group or vrrp_instance (1..63 bytes). */
bool cp_name(struct diags *d, const struct conf_word *w, char *buf);

/* USER [GROUP] from words[0..n) (n is 1 or 2), each checked to exist. */
bool cp_run_as(struct diags *d, const struct conf_word *words, size_t n,
	       struct check_run_as *out);

/* `keyword CMD [USER [GROUP]]` (notify_up, quorum_down, ...). */
void cp_script(struct diags *d, const struct conf_node *n, struct check_script *s);
void cp_script_free(struct check_script *s);

/* A host name sent in HTTP headers (virtualhost): 1..255 bytes, no blanks
 * or control characters. */
bool cp_host(struct diags *d, const struct conf_word *w, char **out);

/* `keyword NAT|DR|TUN [type ipip] ...` from words[1]: the method. */
bool cp_lvs_method(struct diags *d, const struct conf_node *n, enum lvs_method *out);

/* `smtp_alert [BOOL]`: alone means on. */
void cp_smtp_alert(struct diags *d, const struct conf_node *n, enum check_smtp_alert *out);

/* Whole seconds for IPVS timeouts, 1..CP_LVS_TIMEOUT_MAX. */
bool cp_lvs_seconds(struct diags *d, const struct conf_word *w, uint32_t *out);

/* Where something else was written, for a message about `here`'s file:
 * "line 12", or "other.conf:12" when it is another file. */
#define CP_WHERE_BUF	(DIAG_PATH_BUF + 16)
const char *cp_where(const char *file, unsigned line, const char *here, char *buf,
		     size_t len);

/* Family names for messages: "IPv4", "IPv6". */
const char *cp_family_name(int family);

/* Compare addresses of one family as numbers (network byte order). */
int cp_addr_cmp(const struct ip_addr *a, const struct ip_addr *b);

/* ---- blocks ---- */

/* Scheduler flag keywords: flag-1..3, sh-fallback, sh-port, mh-fallback,
 * mh-port. */
#define CP_N_SCHED_FLAGS	7

/* A virtual_server block being read: what its real servers and the
 * end-of-block checks need besides the virtual server itself. */
struct cp_vs_ctx {
	struct check_conf *c;
	struct virtual_server_conf *vs;	/* filled here, added to c at the end */
	size_t idx;			/* its index in c once added */
	bool valid;			/* the header was valid: the server is kept */
	const struct conf_node *n;
	char group_name[CHECK_NAME_MAX + 1];
	struct cp_inherit inh;
	int ip_family;			/* AF_UNSPEC unless ip_family */
	bool sorry_method_set;
	/* statements the end-of-block checks report at, when written */
	const struct conf_node *ops_n, *quorum_n, *hysteresis_n, *sorry_n;
	const struct conf_node *protocol_n, *ha_suspend_n, *flag_n[CP_N_SCHED_FLAGS];
	const struct conf_word *granularity_w;
	int granularity_family;		/* AF_INET: a netmask; AF_INET6: a prefix length */
	const struct conf_node **rs_n;	/* the statement of each real server */
	size_t n_rs_n;
};

/* virtual_server (check_parser_vs.c). */
void cp_kw_virtual_server(struct diags *d, const struct conf_node *n, void *obj);

/* A real server's or sorry server's port when none is written: the
 * virtual server's, or 0 (the packet's own) for fwmark and groups. */
uint16_t cp_default_port(const struct virtual_server_conf *vs);

/* One real_server statement of x's block (check_parser_rs.c); the real
 * server is added to x->vs and its statement to x->rs_n when valid. */
void cp_parse_real_server(struct diags *d, const struct conf_node *n, struct cp_vs_ctx *x);

/* The same address and port twice among x's real servers. */
void cp_check_duplicate_rs(struct diags *d, const struct cp_vs_ctx *x);

/* The checkers of a real server (check_parser_checker.c): `n` is a
 * TCP_CHECK, HTTP_GET, SSL_GET or MISC_CHECK statement, `parent` the
 * values the real server passes down, `rs` the real server, complete
 * except for its checkers. */
void cp_parse_checker(struct diags *d, const struct conf_node *n,
		      const struct cp_inherit *parent, struct real_server_conf *rs);
/* Checker statements known to real_server (handled by cp_parse_checker
 * or refused as unsupported). */
bool cp_is_checker(const char *keyword);

void cp_checker_free(struct checker_conf *k);
void cp_real_server_free(struct real_server_conf *rs);
void cp_virtual_server_free(struct virtual_server_conf *vs);

#endif
