/* ipvs_probe: a small command line front end to the ipvs/ layer, for the
 * integration tests (tests/integration/test_ipvs_layer.py) and for poking
 * at a kernel by hand.  Not installed.
 *
 *   ipvs_probe dump                      the kernel's table, canonical text
 *   ipvs_probe [--owned FILE] diff FILE  the operations FILE would need
 *   ipvs_probe [--owned FILE] apply FILE run them; report failures
 *   ipvs_probe timeouts [TCP TCPFIN UDP] set (when given), then print
 *   ipvs_probe daemon start master|backup IFNAME SYNCID
 *                     [maxlen N] [port N] [ttl N] [group ADDR]
 *   ipvs_probe daemon stop master|backup
 *   ipvs_probe daemon list
 *   ipvs_probe flush
 *
 * FILE ("-" for stdin) holds one object per line ('#' starts a comment):
 *   service tcp|udp|sctp ADDR PORT [OPTIONS]
 *   service fwmark MARK inet|inet6 [OPTIONS]
 *       OPTIONS: sched NAME  flags F[,F...]|none  timeout SECS
 *                netmask MASK|PREFIXLEN  pe NAME|none
 *       F: persistent onepacket sched1 sched2 sched3
 *   dest ADDR PORT [nat|dr|tun|local|bypass] [weight N] [uthresh N]
 *        [lthresh N] [tuntype ipip|gue|gre] [tunport N] [tunflags N]
 * A dest line belongs to the service above it.  `dump` prints the same
 * format with every setting spelt out, so its output can be fed back.
 *
 * Failures print "error ERRNAME ERRNO: message" on stdout; `diff` and
 * `apply` end with "changes N", the change requests sent.  Exit status: 0,
 * 1 when an operation failed, 2 for bad usage or input. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipvs.h"
#include "ipvs_reconcile.h"

#define MAX_WORDS 32

static const char *const flag_names[] = { "persistent", NULL, "onepacket", "sched1", "sched2",
					  "sched3" };
static const char *const fwd_names[] = { "nat", "local", "tun", "dr", "bypass" };
static const char *const tun_names[] = { "ipip", "gue", "gre" };

static void print_error(int err, const char *msg)
{
	const char *name = strerrorname_np(-err);

	printf("error %s %d: %s\n", name != NULL ? name : "?", -err, msg);
}

/* ---- reading tables ---- */

struct reader {
	const char *file;
	int line;
};

static int bad(const struct reader *r, const char *what, const char *word)
{
	fprintf(stderr, "%s:%d: %s '%s'\n", r->file, r->line, what, word != NULL ? word : "");
	return -1;
}

static int word_index(const char *w, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] != NULL && strcmp(w, names[i]) == 0)
			return (int)i;
	return -1;
}

static int parse_u32(const char *w, unsigned long max, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (w == NULL || *w < '0' || *w > '9')
		return -1;
	errno = 0;
	v = strtoul(w, &end, 0);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int parse_addr(const char *w, struct ip_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (w != NULL && inet_pton(AF_INET, w, &a->u.v4) == 1)
		a->family = AF_INET;
	else if (w != NULL && inet_pton(AF_INET6, w, &a->u.v6) == 1)
		a->family = AF_INET6;
	return a->family != 0 ? 0 : -1;
}

static int parse_flags(const char *w, uint32_t *out)
{
	char buf[128], *tok, *save;

	*out = 0;
	if (strcmp(w, "none") == 0)
		return 0;
	snprintf(buf, sizeof(buf), "%s", w);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		int i = word_index(tok, flag_names, sizeof(flag_names) / sizeof(*flag_names));
		if (i < 0)
			return -1;
		*out |= 1u << i;
	}
	return 0;
}

static int parse_netmask(const char *w, int af, uint32_t *out)
{
	struct in_addr m;

	if (af == AF_INET && inet_pton(AF_INET, w, &m) == 1) {
		*out = ntohl(m.s_addr);
		return 0;
	}
	return parse_u32(w, af == AF_INET6 ? 128 : UINT32_MAX, out);
}

static int copy_name(const char *w, char *out, size_t size)
{
	if (strlen(w) >= size)
		return -1;
	snprintf(out, size, "%s", strcmp(w, "none") == 0 ? "" : w);
	return 0;
}

/* The options of a service line from word i on. */
static int service_options(const struct reader *r, char **w, int n, int i,
			   struct ipvs_service *s)
{
	int rc = 0;

	for (; rc == 0 && i + 1 < n; i += 2) {
		const char *k = w[i], *v = w[i + 1];

		if (strcmp(k, "sched") == 0)
			rc = copy_name(v, s->sched, sizeof(s->sched));
		else if (strcmp(k, "flags") == 0)
			rc = parse_flags(v, &s->flags);
		else if (strcmp(k, "timeout") == 0)
			rc = parse_u32(v, UINT32_MAX, &s->timeout);
		else if (strcmp(k, "netmask") == 0)
			rc = parse_netmask(v, s->af, &s->netmask);
		else if (strcmp(k, "pe") == 0)
			rc = copy_name(v, s->pe_name, sizeof(s->pe_name));
		else
			return bad(r, "unknown service option", k);
		if (rc < 0)
			return bad(r, "bad value", v);
	}
	return i < n ? bad(r, "option without a value", w[i]) : 0;
}

static int service_line(const struct reader *r, char **w, int n, struct ipvs_service *s)
{
	static const char *const protos[] = { "tcp", "udp", "sctp" };
	static const uint16_t proto_nums[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP };
	uint32_t v;
	int p;

	memset(s, 0, sizeof(*s));
	snprintf(s->sched, sizeof(s->sched), "wlc");
	if (n < 4)
		return bad(r, "short service line", w[0]);
	if (strcmp(w[1], "fwmark") == 0) {
		if (parse_u32(w[2], UINT32_MAX, &s->fwmark) < 0 || s->fwmark == 0)
			return bad(r, "bad fwmark", w[2]);
		s->af = strcmp(w[3], "inet6") == 0 ? AF_INET6 : AF_INET;
		if (s->af == AF_INET && strcmp(w[3], "inet") != 0)
			return bad(r, "expected inet or inet6", w[3]);
		s->addr.family = s->af;
		return service_options(r, w, n, 4, s);
	}
	p = word_index(w[1], protos, 3);
	if (p < 0)
		return bad(r, "unknown protocol", w[1]);
	s->protocol = proto_nums[p];
	if (parse_addr(w[2], &s->addr) < 0)
		return bad(r, "bad address", w[2]);
	s->af = s->addr.family;
	if (parse_u32(w[3], 65535, &v) < 0)
		return bad(r, "bad port", w[3]);
	s->port = (uint16_t)v;
	return service_options(r, w, n, 4, s);
}

static int dest_option(const char *k, const char *v, struct ipvs_dest *d)
{
	uint32_t x;
	int i;

	if (strcmp(k, "weight") == 0 && parse_u32(v, INT32_MAX, &x) == 0)
		d->weight = (int32_t)x;
	else if (strcmp(k, "uthresh") == 0 && parse_u32(v, UINT32_MAX, &x) == 0)
		d->u_threshold = x;
	else if (strcmp(k, "lthresh") == 0 && parse_u32(v, UINT32_MAX, &x) == 0)
		d->l_threshold = x;
	else if (strcmp(k, "tuntype") == 0 && (i = word_index(v, tun_names, 3)) >= 0)
		d->tun_type = (uint16_t)i;
	else if (strcmp(k, "tunport") == 0 && parse_u32(v, 65535, &x) == 0)
		d->tun_port = (uint16_t)x;
	else if (strcmp(k, "tunflags") == 0 && parse_u32(v, 65535, &x) == 0)
		d->tun_flags = (uint16_t)x;
	else
		return -1;
	return 0;
}

static int dest_line(const struct reader *r, char **w, int n, struct ipvs_dest *d)
{
	uint32_t port;
	int i = 3, fwd;

	memset(d, 0, sizeof(*d));
	d->weight = 1;
	if (n < 3 || parse_addr(w[1], &d->addr) < 0 || parse_u32(w[2], 65535, &port) < 0)
		return bad(r, "bad dest line", w[0]);
	d->af = d->addr.family;
	d->port = (uint16_t)port;
	if (i < n && (fwd = word_index(w[i], fwd_names, 5)) >= 0) {
		d->fwd_method = (uint32_t)fwd;
		i++;
	}
	for (; i + 1 < n; i += 2)
		if (dest_option(w[i], w[i + 1], d) < 0)
			return bad(r, "bad dest option", w[i]);
	return i < n ? bad(r, "option without a value", w[i]) : 0;
}

static int split(char *line, char **w)
{
	char *save, *tok;
	int n = 0;

	line[strcspn(line, "#\n")] = '\0';
	for (tok = strtok_r(line, " \t", &save); tok != NULL && n < MAX_WORDS;
	     tok = strtok_r(NULL, " \t", &save))
		w[n++] = tok;
	return n;
}

static int table_line(struct reader *r, char **w, int n, struct ipvs_table *t,
		      struct ipvs_vs **cur)
{
	struct ipvs_service s;
	struct ipvs_dest d;

	if (strcmp(w[0], "service") == 0) {
		if (service_line(r, w, n, &s) < 0)
			return -1;
		*cur = ipvs_table_add_service(t, &s);
		return *cur != NULL ? 0 : bad(r, "duplicate service", w[2]);
	}
	if (strcmp(w[0], "dest") == 0) {
		if (*cur == NULL)
			return bad(r, "dest before any service", w[1]);
		if (dest_line(r, w, n, &d) < 0)
			return -1;
		return ipvs_vs_add_dest(*cur, &d) == 0 ? 0 : bad(r, "duplicate dest", w[1]);
	}
	return bad(r, "unknown line", w[0]);
}

static int read_table(const char *file, struct ipvs_table *t)
{
	struct reader r = { .file = file };
	struct ipvs_vs *cur = NULL;
	char line[1024], *w[MAX_WORDS];
	FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "re");
	int rc = 0;

	if (f == NULL) {
		perror(file);
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		int n = split(line, w);

		r.line++;
		if (n > 0)
			rc = table_line(&r, w, n, t, &cur);
	}
	if (f != stdin)
		fclose(f);
	return rc;
}

/* ---- printing tables ---- */

static void print_flags(uint32_t flags)
{
	const char *sep = "";
	size_t i;

	if (flags == 0)
		printf(" flags none");
	for (i = 0; i < sizeof(flag_names) / sizeof(*flag_names); i++)
		if (flag_names[i] != NULL && (flags & (1u << i))) {
			printf("%s%s", *sep ? sep : " flags ", flag_names[i]);
			sep = ",";
		}
}

static void print_service(const struct ipvs_service *s)
{
	char a[INET6_ADDRSTRLEN];
	struct in_addr m;

	if (s->fwmark != 0)
		printf("service fwmark %u %s", (unsigned)s->fwmark,
		       s->af == AF_INET6 ? "inet6" : "inet");
	else if (s->protocol == IPPROTO_TCP || s->protocol == IPPROTO_UDP ||
		 s->protocol == IPPROTO_SCTP)
		printf("service %s %s %u",
		       s->protocol == IPPROTO_TCP   ? "tcp"
		       : s->protocol == IPPROTO_UDP ? "udp"
						    : "sctp",
		       ip_addr_str(&s->addr, a, sizeof(a)), (unsigned)s->port);
	else	/* made by someone else: shown, not readable back */
		printf("service proto-%u %s %u", (unsigned)s->protocol,
		       ip_addr_str(&s->addr, a, sizeof(a)), (unsigned)s->port);
	printf(" sched %s", s->sched);
	print_flags(s->flags);
	printf(" timeout %u", (unsigned)s->timeout);
	if (s->af == AF_INET) {
		m.s_addr = htonl(ipvs_service_netmask(s));
		printf(" netmask %s", inet_ntop(AF_INET, &m, a, sizeof(a)));
	} else {
		printf(" netmask %u", (unsigned)ipvs_service_netmask(s));
	}
	printf(" pe %s\n", s->pe_name[0] != '\0' ? s->pe_name : "none");
}

static void print_dest(const struct ipvs_dest *d)
{
	char a[INET6_ADDRSTRLEN];
	uint32_t fwd = d->fwd_method & IP_VS_CONN_F_FWD_MASK;

	printf("  dest %s %u %s weight %d uthresh %u lthresh %u", ip_addr_str(&d->addr, a, sizeof(a)),
	       (unsigned)d->port, fwd < 5 ? fwd_names[fwd] : "?", (int)d->weight,
	       (unsigned)d->u_threshold, (unsigned)d->l_threshold);
	if (fwd == IP_VS_CONN_F_TUNNEL)
		printf(" tuntype %s tunport %u tunflags %u",
		       d->tun_type < 3 ? tun_names[d->tun_type] : "?", (unsigned)d->tun_port,
		       (unsigned)d->tun_flags);
	printf("\n");
}

static void print_table(const struct ipvs_table *t)
{
	size_t i, j;

	for (i = 0; i < t->n; i++) {
		print_service(&t->vs[i].svc);
		for (j = 0; j < t->vs[i].n_dests; j++)
			print_dest(&t->vs[i].dests[j]);
	}
}

/* ---- commands ---- */

static void report_failure(void *arg, const struct ipvs_op *op, int err)
{
	char msg[256];

	(void)arg;
	print_error(err, ipvs_op_describe(op, err, msg, sizeof(msg)));
}

static int cmd_dump(struct ipvs *ipvs)
{
	struct ipvs_table t = { 0 };
	int rc = ipvs_table_read(ipvs, &t);

	if (rc < 0) {
		print_error(rc, "cannot read the IPVS table");
		return 1;
	}
	print_table(&t);
	ipvs_table_free(&t);
	return 0;
}

/* diff (apply false) or apply FILE against the kernel. */
static int cmd_reconcile(struct ipvs *ipvs, const char *file, const char *owned_file, bool apply)
{
	struct ipvs_table want = { 0 }, have = { 0 }, owned = { 0 };
	struct ipvs_ops ops = { 0 };
	struct ipvs_counters c;
	char buf[256];
	size_t i, failed = 0;
	int rc = 2;

	if (read_table(file, &want) < 0 || (owned_file && read_table(owned_file, &owned) < 0))
		goto out;
	rc = ipvs_table_read(ipvs, &have);
	if (rc == 0)
		rc = ipvs_diff(&want, &have, owned_file ? &owned : NULL, &ops);
	if (rc < 0) {
		print_error(rc, "cannot compute the difference");
		rc = 1;
		goto out;
	}
	for (i = 0; i < ops.n; i++)
		printf("%s\n", ipvs_op_str(&ops.v[i], buf, sizeof(buf)));
	if (apply)
		failed = ipvs_apply(ipvs, &ops, report_failure, NULL);
	ipvs_get_counters(ipvs, &c);
	printf("changes %llu\n", (unsigned long long)c.changes);
	rc = failed > 0;
out:
	ipvs_ops_free(&ops);
	ipvs_table_free(&want);
	ipvs_table_free(&have);
	ipvs_table_free(&owned);
	return rc;
}

static int cmd_timeouts(struct ipvs *ipvs, int argc, char **argv)
{
	struct ipvs_timeouts t;
	int rc;

	if (argc == 3) {
		if (parse_u32(argv[0], UINT32_MAX, &t.tcp) < 0 ||
		    parse_u32(argv[1], UINT32_MAX, &t.tcp_fin) < 0 ||
		    parse_u32(argv[2], UINT32_MAX, &t.udp) < 0)
			return 2;
		rc = ipvs_set_timeouts(ipvs, &t);
		if (rc < 0) {
			print_error(rc, "cannot set the timeouts");
			return 1;
		}
	} else if (argc != 0) {
		return 2;
	}
	rc = ipvs_get_timeouts(ipvs, &t);
	if (rc < 0) {
		print_error(rc, "cannot read the timeouts");
		return 1;
	}
	printf("timeouts %u %u %u\n", (unsigned)t.tcp, (unsigned)t.tcp_fin, (unsigned)t.udp);
	return 0;
}

static int daemon_state(const char *w, uint32_t *state)
{
	if (w != NULL && strcmp(w, "master") == 0)
		*state = IP_VS_STATE_MASTER;
	else if (w != NULL && strcmp(w, "backup") == 0)
		*state = IP_VS_STATE_BACKUP;
	else
		return -1;
	return 0;
}

static int daemon_options(int argc, char **argv, struct ipvs_daemon *d)
{
	uint32_t v;
	int i;

	for (i = 0; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "group") == 0) {
			if (parse_addr(argv[i + 1], &d->mcast_group) < 0)
				return -1;
			continue;
		}
		if (parse_u32(argv[i + 1], 65535, &v) < 0)
			return -1;
		if (strcmp(argv[i], "maxlen") == 0)
			d->sync_maxlen = (uint16_t)v;
		else if (strcmp(argv[i], "port") == 0)
			d->mcast_port = (uint16_t)v;
		else if (strcmp(argv[i], "ttl") == 0 && v <= 255)
			d->mcast_ttl = (uint8_t)v;
		else
			return -1;
	}
	return i == argc ? 0 : -1;
}

static int daemon_list(struct ipvs *ipvs)
{
	struct ipvs_daemon d[2];
	char g[INET6_ADDRSTRLEN];
	size_t n, i;
	int rc = ipvs_get_daemons(ipvs, d, &n);

	if (rc < 0) {
		print_error(rc, "cannot list the sync daemons");
		return 1;
	}
	for (i = 0; i < n; i++)
		printf("daemon %s %s %u maxlen %u port %u ttl %u group %s\n",
		       d[i].state == IP_VS_STATE_MASTER ? "master" : "backup", d[i].mcast_ifn,
		       (unsigned)d[i].syncid, (unsigned)d[i].sync_maxlen, (unsigned)d[i].mcast_port,
		       (unsigned)d[i].mcast_ttl,
		       d[i].mcast_group.family != 0 ? ip_addr_str(&d[i].mcast_group, g, sizeof(g))
						    : "-");
	return 0;
}

static int cmd_daemon(struct ipvs *ipvs, int argc, char **argv)
{
	struct ipvs_daemon d = { 0 };
	int rc;

	if (argc == 1 && strcmp(argv[0], "list") == 0)
		return daemon_list(ipvs);
	if (argc < 2 || daemon_state(argv[1], &d.state) < 0)
		return 2;
	if (strcmp(argv[0], "stop") == 0 && argc == 2) {
		rc = ipvs_daemon_stop(ipvs, d.state);
	} else if (strcmp(argv[0], "start") == 0 && argc >= 4) {
		if (copy_name(argv[2], d.mcast_ifn, sizeof(d.mcast_ifn)) < 0 ||
		    parse_u32(argv[3], 255, &d.syncid) < 0 || daemon_options(argc - 4, argv + 4, &d) < 0)
			return 2;
		rc = ipvs_daemon_start(ipvs, &d);
	} else {
		return 2;
	}
	if (rc < 0) {
		print_error(rc, "sync daemon request failed");
		return 1;
	}
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: ipvs_probe dump | [--owned FILE] diff|apply FILE |\n"
			"       timeouts [TCP TCPFIN UDP] | daemon start|stop|list ... | flush\n");
	return 2;
}

static int run(struct ipvs *ipvs, int argc, char **argv)
{
	const char *owned = NULL;

	if (argc >= 2 && strcmp(argv[0], "--owned") == 0) {
		owned = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc == 1 && strcmp(argv[0], "dump") == 0)
		return cmd_dump(ipvs);
	if (argc == 2 && (strcmp(argv[0], "diff") == 0 || strcmp(argv[0], "apply") == 0))
		return cmd_reconcile(ipvs, argv[1], owned, argv[0][0] == 'a');
	if (argc >= 1 && strcmp(argv[0], "timeouts") == 0)
		return cmd_timeouts(ipvs, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "daemon") == 0)
		return cmd_daemon(ipvs, argc - 1, argv + 1);
	if (argc == 1 && strcmp(argv[0], "flush") == 0) {
		int rc = ipvs_flush(ipvs);

		if (rc < 0)
			print_error(rc, "cannot flush");
		return rc < 0;
	}
	return usage();
}

int main(int argc, char **argv)
{
	char err[256];
	struct ipvs *ipvs;
	int rc;

	if (argc < 2)
		return usage();
	ipvs = ipvs_open(err, sizeof(err));
	if (ipvs == NULL) {
		fprintf(stderr, "ipvs_probe: %s\n", err);
		return 1;
	}
	rc = run(ipvs, argc - 1, argv + 1);
	ipvs_close(ipvs);
	return rc;
}
