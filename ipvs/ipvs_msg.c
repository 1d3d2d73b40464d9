/* Building IPVS requests and parsing the kernel's answers (see ipvs_msg.h).
 *
 * Byte orders on the wire, as the kernel uses them: the service,
 * destination and tunnel ports, the IPv4 persistence netmask and the IPv4
 * sync multicast group are big-endian; everything else is host order,
 * including the sync daemon's multicast port (unlike every other port) and
 * the IPv6 "netmask", which is a prefix length.  The kernel
 * dumps addresses as 16 bytes whatever the family; it accepts 4. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <arpa/inet.h>

#include <netlink/genl/genl.h>

#include "ipvs_msg.h"

/* Strings must hold at least their NUL. */
#define STR_POLICY(max) { .type = NLA_STRING, .minlen = 1, .maxlen = (max) }

const struct nla_policy ipvs_cmd_policy[IPVS_CMD_ATTR_MAX + 1] = {
	[IPVS_CMD_ATTR_SERVICE] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DEST] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DAEMON] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_TIMEOUT_TCP] = { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN] = { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_UDP] = { .type = NLA_U32 },
};

const struct nla_policy ipvs_svc_policy[IPVS_SVC_ATTR_MAX + 1] = {
	[IPVS_SVC_ATTR_AF] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_PROTOCOL] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_ADDR] = { .type = NLA_UNSPEC, .maxlen = sizeof(struct in6_addr) },
	[IPVS_SVC_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_FWMARK] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_SCHED_NAME] = STR_POLICY(IP_VS_SCHEDNAME_MAXLEN),
	[IPVS_SVC_ATTR_FLAGS] = { .type = NLA_UNSPEC, .minlen = sizeof(struct ip_vs_flags) },
	[IPVS_SVC_ATTR_TIMEOUT] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_NETMASK] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_STATS] = { .type = NLA_NESTED },
	[IPVS_SVC_ATTR_PE_NAME] = STR_POLICY(IP_VS_PENAME_MAXLEN),
	[IPVS_SVC_ATTR_STATS64] = { .type = NLA_NESTED },
};

const struct nla_policy ipvs_dest_policy[IPVS_DEST_ATTR_MAX + 1] = {
	[IPVS_DEST_ATTR_ADDR] = { .type = NLA_UNSPEC, .maxlen = sizeof(struct in6_addr) },
	[IPVS_DEST_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_FWD_METHOD] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_WEIGHT] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_U_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_L_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_ACTIVE_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_INACT_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_PERSIST_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_STATS] = { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_ADDR_FAMILY] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_STATS64] = { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_TUN_TYPE] = { .type = NLA_U8 },
	[IPVS_DEST_ATTR_TUN_PORT] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_TUN_FLAGS] = { .type = NLA_U16 },
};

const struct nla_policy ipvs_daemon_policy[IPVS_DAEMON_ATTR_MAX + 1] = {
	[IPVS_DAEMON_ATTR_STATE] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_MCAST_IFN] = STR_POLICY(IP_VS_IFNAME_MAXLEN),
	[IPVS_DAEMON_ATTR_SYNC_ID] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_SYNC_MAXLEN] = { .type = NLA_U16 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP6] = { .type = NLA_UNSPEC,
					    .minlen = sizeof(struct in6_addr) },
	[IPVS_DAEMON_ATTR_MCAST_PORT] = { .type = NLA_U16 },
	[IPVS_DAEMON_ATTR_MCAST_TTL] = { .type = NLA_U8 },
};

static const struct nla_policy stats64_policy[IPVS_STATS_ATTR_MAX + 1] = {
	[IPVS_STATS_ATTR_CONNS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INPKTS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTPKTS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_CPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INPPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTPPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INBPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTBPS] = { .type = NLA_U64 },
};

/* Bytes of an address of family af, 0 for a family IPVS does not know. */
static size_t af_len(int af)
{
	if (af == AF_INET)
		return sizeof(struct in_addr);
	if (af == AF_INET6)
		return sizeof(struct in6_addr);
	return 0;
}

static uint32_t default_netmask(int af)
{
	return af == AF_INET6 ? 128 : 0xffffffffu;
}

uint32_t ipvs_service_netmask(const struct ipvs_service *s)
{
	return s->netmask != 0 ? s->netmask : default_netmask(s->af);
}

/* ---- building ---- */

struct nl_msg *ipvs_msg_new(int family, uint8_t cmd, int nlflags)
{
	struct nl_msg *m = nlmsg_alloc();

	if (m == NULL)
		return NULL;
	if (genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, nlflags, cmd,
			IPVS_GENL_VERSION) == NULL) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

static int put_service_identity(struct nl_msg *m, const struct ipvs_service *s)
{
	size_t alen = af_len(s->af);

	if (alen == 0)
		return -EINVAL;
	if (nla_put_u16(m, IPVS_SVC_ATTR_AF, (uint16_t)s->af) < 0)
		return -EMSGSIZE;
	/* The kernel picks a fwmark service whenever FWMARK is present, so
	 * an address service must not carry it. */
	if (s->fwmark != 0)
		return nla_put_u32(m, IPVS_SVC_ATTR_FWMARK, s->fwmark) < 0 ? -EMSGSIZE : 0;
	if (s->addr.family != s->af)
		return -EINVAL;
	if (nla_put_u16(m, IPVS_SVC_ATTR_PROTOCOL, s->protocol) < 0 ||
	    nla_put(m, IPVS_SVC_ATTR_ADDR, (int)alen, &s->addr.u) < 0 ||
	    nla_put_u16(m, IPVS_SVC_ATTR_PORT, htons(s->port)) < 0)
		return -EMSGSIZE;
	return 0;
}

static int put_service_settings(struct nl_msg *m, const struct ipvs_service *s)
{
	/* The mask leaves HASHED alone: on an edit the kernel keeps its own
	 * bit, on an add it starts from 0 and hashes the service itself. */
	struct ip_vs_flags f = {
		.flags = s->flags & ~(uint32_t)IP_VS_SVC_F_HASHED,
		.mask = ~(uint32_t)IP_VS_SVC_F_HASHED,
	};
	uint32_t mask = ipvs_service_netmask(s);

	if (s->af == AF_INET)
		mask = htonl(mask);
	if (nla_put_string(m, IPVS_SVC_ATTR_SCHED_NAME, s->sched) < 0 ||
	    nla_put(m, IPVS_SVC_ATTR_FLAGS, sizeof(f), &f) < 0 ||
	    nla_put_u32(m, IPVS_SVC_ATTR_TIMEOUT, s->timeout) < 0 ||
	    nla_put_u32(m, IPVS_SVC_ATTR_NETMASK, mask) < 0)
		return -EMSGSIZE;
	/* Without PE_NAME an edit removes the persistence engine. */
	if (s->pe_name[0] != '\0' && nla_put_string(m, IPVS_SVC_ATTR_PE_NAME, s->pe_name) < 0)
		return -EMSGSIZE;
	return 0;
}

int ipvs_put_service(struct nl_msg *m, const struct ipvs_service *s, bool full)
{
	struct nlattr *nest = nla_nest_start(m, IPVS_CMD_ATTR_SERVICE);
	int rc;

	if (nest == NULL)
		return -EMSGSIZE;
	/* Names longer than the kernel's buffers would be cut silently. */
	if (memchr(s->sched, '\0', sizeof(s->sched)) == NULL ||
	    memchr(s->pe_name, '\0', sizeof(s->pe_name)) == NULL)
		rc = -EINVAL;
	else
		rc = put_service_identity(m, s);
	if (rc == 0 && full)
		rc = put_service_settings(m, s);
	if (rc < 0) {
		nla_nest_cancel(m, nest);
		return rc;
	}
	nla_nest_end(m, nest);
	return 0;
}

static int put_dest_settings(struct nl_msg *m, const struct ipvs_dest *d)
{
	if (d->weight < 0)
		return -ERANGE;
	if (nla_put_u32(m, IPVS_DEST_ATTR_FWD_METHOD, d->fwd_method & IP_VS_CONN_F_FWD_MASK) < 0 ||
	    nla_put_u32(m, IPVS_DEST_ATTR_WEIGHT, (uint32_t)d->weight) < 0 ||
	    nla_put_u32(m, IPVS_DEST_ATTR_U_THRESH, d->u_threshold) < 0 ||
	    nla_put_u32(m, IPVS_DEST_ATTR_L_THRESH, d->l_threshold) < 0)
		return -EMSGSIZE;
	/* Kernels before 5.2 do not know the tunnel attributes; keep them out
	 * of requests that do not need them. */
	if ((d->fwd_method & IP_VS_CONN_F_FWD_MASK) != IP_VS_CONN_F_TUNNEL)
		return 0;
	if (d->tun_type > UINT8_MAX)
		return -EINVAL;
	if (nla_put_u8(m, IPVS_DEST_ATTR_TUN_TYPE, (uint8_t)d->tun_type) < 0 ||
	    nla_put_u16(m, IPVS_DEST_ATTR_TUN_PORT, htons(d->tun_port)) < 0 ||
	    nla_put_u16(m, IPVS_DEST_ATTR_TUN_FLAGS, d->tun_flags) < 0)
		return -EMSGSIZE;
	return 0;
}

int ipvs_put_dest(struct nl_msg *m, const struct ipvs_dest *d, bool full)
{
	size_t alen = af_len(d->af);
	struct nlattr *nest;
	int rc = 0;

	if (alen == 0 || d->addr.family != d->af)
		return -EINVAL;
	nest = nla_nest_start(m, IPVS_CMD_ATTR_DEST);
	if (nest == NULL)
		return -EMSGSIZE;
	if (nla_put(m, IPVS_DEST_ATTR_ADDR, (int)alen, &d->addr.u) < 0 ||
	    nla_put_u16(m, IPVS_DEST_ATTR_PORT, htons(d->port)) < 0 ||
	    nla_put_u16(m, IPVS_DEST_ATTR_ADDR_FAMILY, (uint16_t)d->af) < 0)
		rc = -EMSGSIZE;
	if (rc == 0 && full)
		rc = put_dest_settings(m, d);
	if (rc < 0) {
		nla_nest_cancel(m, nest);
		return rc;
	}
	nla_nest_end(m, nest);
	return 0;
}

static int put_daemon_options(struct nl_msg *m, const struct ipvs_daemon *d)
{
	const struct ip_addr *g = &d->mcast_group;

	if (d->sync_maxlen != 0 && nla_put_u16(m, IPVS_DAEMON_ATTR_SYNC_MAXLEN, d->sync_maxlen) < 0)
		return -EMSGSIZE;
	if (d->mcast_port != 0 && nla_put_u16(m, IPVS_DAEMON_ATTR_MCAST_PORT, d->mcast_port) < 0)
		return -EMSGSIZE;
	if (d->mcast_ttl != 0 && nla_put_u8(m, IPVS_DAEMON_ATTR_MCAST_TTL, d->mcast_ttl) < 0)
		return -EMSGSIZE;
	if (g->family == AF_INET &&
	    nla_put_u32(m, IPVS_DAEMON_ATTR_MCAST_GROUP, g->u.v4.s_addr) < 0)
		return -EMSGSIZE;
	if (g->family == AF_INET6 &&
	    nla_put(m, IPVS_DAEMON_ATTR_MCAST_GROUP6, sizeof(g->u.v6), &g->u.v6) < 0)
		return -EMSGSIZE;
	if (g->family != 0 && g->family != AF_INET && g->family != AF_INET6)
		return -EINVAL;
	return 0;
}

int ipvs_put_daemon(struct nl_msg *m, const struct ipvs_daemon *d, bool full)
{
	struct nlattr *nest = nla_nest_start(m, IPVS_CMD_ATTR_DAEMON);
	int rc = 0;

	if (nest == NULL)
		return -EMSGSIZE;
	if (full && memchr(d->mcast_ifn, '\0', sizeof(d->mcast_ifn)) == NULL)
		rc = -EINVAL;
	else if (nla_put_u32(m, IPVS_DAEMON_ATTR_STATE, d->state) < 0)
		rc = -EMSGSIZE;
	else if (full && (nla_put_string(m, IPVS_DAEMON_ATTR_MCAST_IFN, d->mcast_ifn) < 0 ||
			  nla_put_u32(m, IPVS_DAEMON_ATTR_SYNC_ID, d->syncid) < 0))
		rc = -EMSGSIZE;
	if (rc == 0 && full)
		rc = put_daemon_options(m, d);
	if (rc < 0) {
		nla_nest_cancel(m, nest);
		return rc;
	}
	nla_nest_end(m, nest);
	return 0;
}

int ipvs_put_timeouts(struct nl_msg *m, const struct ipvs_timeouts *t)
{
	if (nla_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_TCP, t->tcp) < 0 ||
	    nla_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t->tcp_fin) < 0 ||
	    nla_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_UDP, t->udp) < 0)
		return -EMSGSIZE;
	return 0;
}

/* ---- parsing ---- */

/* The top-level attributes of an answer carrying command `cmd`; -EBADMSG
 * for another command or a malformed message. */
static int parse_top(struct nlmsghdr *h, uint8_t cmd, struct nlattr **tb)
{
	const struct genlmsghdr *g;

	if (!genlmsg_valid_hdr(h, 0))
		return -EBADMSG;
	g = nlmsg_data(h);
	if (g->cmd != cmd)
		return -EBADMSG;
	if (genlmsg_parse(h, 0, tb, IPVS_CMD_ATTR_MAX, ipvs_cmd_policy) < 0)
		return -EBADMSG;
	return 0;
}

/* The nested object `type` of an answer carrying `cmd`, parsed with pol. */
static int parse_object(struct nlmsghdr *h, uint8_t cmd, int type, struct nlattr **a, int max,
			const struct nla_policy *pol)
{
	struct nlattr *tb[IPVS_CMD_ATTR_MAX + 1];

	if (parse_top(h, cmd, tb) < 0 || tb[type] == NULL)
		return -EBADMSG;
	if (nla_parse_nested(a, max, tb[type], pol) < 0)
		return -EBADMSG;
	return 0;
}

/* An address of family af from attribute a, which must hold at least that
 * many bytes (the kernel sends 16 for either family). */
static int get_addr(const struct nlattr *a, int af, struct ip_addr *out)
{
	size_t alen = af_len(af);

	if (a == NULL || alen == 0 || (size_t)nla_len(a) < alen)
		return -EBADMSG;
	memset(out, 0, sizeof(*out));
	out->family = af;
	memcpy(&out->u, nla_data(a), alen);
	return 0;
}

/* The 64-bit counters, when present; older kernels send only 32-bit ones,
 * which we leave out rather than mix. */
static void get_stats(struct nlattr *a, struct ipvs_stats *out)
{
	struct nlattr *s[IPVS_STATS_ATTR_MAX + 1];
	uint64_t *field[] = {
		[IPVS_STATS_ATTR_CONNS] = &out->conns, [IPVS_STATS_ATTR_INPKTS] = &out->inpkts,
		[IPVS_STATS_ATTR_OUTPKTS] = &out->outpkts, [IPVS_STATS_ATTR_INBYTES] = &out->inbytes,
		[IPVS_STATS_ATTR_OUTBYTES] = &out->outbytes, [IPVS_STATS_ATTR_CPS] = &out->cps,
		[IPVS_STATS_ATTR_INPPS] = &out->inpps, [IPVS_STATS_ATTR_OUTPPS] = &out->outpps,
		[IPVS_STATS_ATTR_INBPS] = &out->inbps, [IPVS_STATS_ATTR_OUTBPS] = &out->outbps,
	};
	int i;

	memset(out, 0, sizeof(*out));
	if (a == NULL || nla_parse_nested(s, IPVS_STATS_ATTR_MAX, a, stats64_policy) < 0)
		return;
	for (i = IPVS_STATS_ATTR_CONNS; i <= IPVS_STATS_ATTR_OUTBPS; i++)
		if (s[i] != NULL)
			*field[i] = nla_get_u64(s[i]);
}

static int parse_service_identity(struct nlattr **a, struct ipvs_service *out)
{
	if (a[IPVS_SVC_ATTR_AF] == NULL)
		return -EBADMSG;
	out->af = nla_get_u16(a[IPVS_SVC_ATTR_AF]);
	if (af_len(out->af) == 0)
		return -EBADMSG;
	if (a[IPVS_SVC_ATTR_FWMARK] != NULL && nla_get_u32(a[IPVS_SVC_ATTR_FWMARK]) != 0) {
		out->fwmark = nla_get_u32(a[IPVS_SVC_ATTR_FWMARK]);
		out->addr.family = out->af;
		return 0;
	}
	if (a[IPVS_SVC_ATTR_PROTOCOL] == NULL || a[IPVS_SVC_ATTR_PORT] == NULL ||
	    get_addr(a[IPVS_SVC_ATTR_ADDR], out->af, &out->addr) < 0)
		return -EBADMSG;
	out->protocol = nla_get_u16(a[IPVS_SVC_ATTR_PROTOCOL]);
	out->port = ntohs(nla_get_u16(a[IPVS_SVC_ATTR_PORT]));
	return 0;
}

int ipvs_parse_service(struct nlmsghdr *h, struct ipvs_service *out)
{
	struct nlattr *a[IPVS_SVC_ATTR_MAX + 1];
	struct ip_vs_flags f;

	memset(out, 0, sizeof(*out));
	if (parse_object(h, IPVS_CMD_NEW_SERVICE, IPVS_CMD_ATTR_SERVICE, a, IPVS_SVC_ATTR_MAX,
			 ipvs_svc_policy) < 0 ||
	    parse_service_identity(a, out) < 0)
		return -EBADMSG;
	if (a[IPVS_SVC_ATTR_SCHED_NAME] == NULL || a[IPVS_SVC_ATTR_FLAGS] == NULL ||
	    a[IPVS_SVC_ATTR_TIMEOUT] == NULL || a[IPVS_SVC_ATTR_NETMASK] == NULL)
		return -EBADMSG;
	nla_strlcpy(out->sched, a[IPVS_SVC_ATTR_SCHED_NAME], sizeof(out->sched));
	if (a[IPVS_SVC_ATTR_PE_NAME] != NULL)
		nla_strlcpy(out->pe_name, a[IPVS_SVC_ATTR_PE_NAME], sizeof(out->pe_name));
	memcpy(&f, nla_data(a[IPVS_SVC_ATTR_FLAGS]), sizeof(f));
	out->flags = f.flags & ~(uint32_t)IP_VS_SVC_F_HASHED;
	out->timeout = nla_get_u32(a[IPVS_SVC_ATTR_TIMEOUT]);
	out->netmask = nla_get_u32(a[IPVS_SVC_ATTR_NETMASK]);
	if (out->af == AF_INET)
		out->netmask = ntohl(out->netmask);
	get_stats(a[IPVS_SVC_ATTR_STATS64], &out->stats);
	return 0;
}

static uint32_t get_u32_or0(const struct nlattr *a)
{
	return a != NULL ? nla_get_u32(a) : 0;
}

int ipvs_parse_dest(struct nlmsghdr *h, int svc_af, struct ipvs_dest *out)
{
	struct nlattr *a[IPVS_DEST_ATTR_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (parse_object(h, IPVS_CMD_NEW_DEST, IPVS_CMD_ATTR_DEST, a, IPVS_DEST_ATTR_MAX,
			 ipvs_dest_policy) < 0)
		return -EBADMSG;
	out->af = a[IPVS_DEST_ATTR_ADDR_FAMILY] != NULL ? nla_get_u16(a[IPVS_DEST_ATTR_ADDR_FAMILY])
						       : svc_af;
	if (get_addr(a[IPVS_DEST_ATTR_ADDR], out->af, &out->addr) < 0 ||
	    a[IPVS_DEST_ATTR_PORT] == NULL || a[IPVS_DEST_ATTR_FWD_METHOD] == NULL ||
	    a[IPVS_DEST_ATTR_WEIGHT] == NULL || a[IPVS_DEST_ATTR_U_THRESH] == NULL ||
	    a[IPVS_DEST_ATTR_L_THRESH] == NULL)
		return -EBADMSG;
	out->port = ntohs(nla_get_u16(a[IPVS_DEST_ATTR_PORT]));
	out->fwd_method = nla_get_u32(a[IPVS_DEST_ATTR_FWD_METHOD]) & IP_VS_CONN_F_FWD_MASK;
	out->weight = (int32_t)nla_get_u32(a[IPVS_DEST_ATTR_WEIGHT]);
	out->u_threshold = nla_get_u32(a[IPVS_DEST_ATTR_U_THRESH]);
	out->l_threshold = nla_get_u32(a[IPVS_DEST_ATTR_L_THRESH]);
	if (a[IPVS_DEST_ATTR_TUN_TYPE] != NULL)
		out->tun_type = nla_get_u8(a[IPVS_DEST_ATTR_TUN_TYPE]);
	if (a[IPVS_DEST_ATTR_TUN_PORT] != NULL)
		out->tun_port = ntohs(nla_get_u16(a[IPVS_DEST_ATTR_TUN_PORT]));
	if (a[IPVS_DEST_ATTR_TUN_FLAGS] != NULL)
		out->tun_flags = nla_get_u16(a[IPVS_DEST_ATTR_TUN_FLAGS]);
	out->active_conns = get_u32_or0(a[IPVS_DEST_ATTR_ACTIVE_CONNS]);
	out->inact_conns = get_u32_or0(a[IPVS_DEST_ATTR_INACT_CONNS]);
	out->persist_conns = get_u32_or0(a[IPVS_DEST_ATTR_PERSIST_CONNS]);
	get_stats(a[IPVS_DEST_ATTR_STATS64], &out->stats);
	return 0;
}

int ipvs_parse_daemon(struct nlmsghdr *h, struct ipvs_daemon *out)
{
	struct nlattr *a[IPVS_DAEMON_ATTR_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (parse_object(h, IPVS_CMD_NEW_DAEMON, IPVS_CMD_ATTR_DAEMON, a, IPVS_DAEMON_ATTR_MAX,
			 ipvs_daemon_policy) < 0 ||
	    a[IPVS_DAEMON_ATTR_STATE] == NULL || a[IPVS_DAEMON_ATTR_MCAST_IFN] == NULL ||
	    a[IPVS_DAEMON_ATTR_SYNC_ID] == NULL)
		return -EBADMSG;
	out->state = nla_get_u32(a[IPVS_DAEMON_ATTR_STATE]);
	nla_strlcpy(out->mcast_ifn, a[IPVS_DAEMON_ATTR_MCAST_IFN], sizeof(out->mcast_ifn));
	out->syncid = nla_get_u32(a[IPVS_DAEMON_ATTR_SYNC_ID]);
	if (a[IPVS_DAEMON_ATTR_SYNC_MAXLEN] != NULL)
		out->sync_maxlen = nla_get_u16(a[IPVS_DAEMON_ATTR_SYNC_MAXLEN]);
	if (a[IPVS_DAEMON_ATTR_MCAST_PORT] != NULL)
		out->mcast_port = nla_get_u16(a[IPVS_DAEMON_ATTR_MCAST_PORT]);
	if (a[IPVS_DAEMON_ATTR_MCAST_TTL] != NULL)
		out->mcast_ttl = nla_get_u8(a[IPVS_DAEMON_ATTR_MCAST_TTL]);
	if (a[IPVS_DAEMON_ATTR_MCAST_GROUP] != NULL) {
		out->mcast_group.family = AF_INET;
		out->mcast_group.u.v4.s_addr = nla_get_u32(a[IPVS_DAEMON_ATTR_MCAST_GROUP]);
	} else if (a[IPVS_DAEMON_ATTR_MCAST_GROUP6] != NULL) {
		out->mcast_group.family = AF_INET6;
		memcpy(&out->mcast_group.u.v6, nla_data(a[IPVS_DAEMON_ATTR_MCAST_GROUP6]),
		       sizeof(out->mcast_group.u.v6));
	}
	return 0;
}

int ipvs_parse_timeouts(struct nlmsghdr *h, struct ipvs_timeouts *out)
{
	struct nlattr *tb[IPVS_CMD_ATTR_MAX + 1];

	memset(out, 0, sizeof(*out));
	/* The kernel answers GET_CONFIG with a SET_CONFIG message. */
	if (parse_top(h, IPVS_CMD_SET_CONFIG, tb) < 0)
		return -EBADMSG;
	/* A kernel built without TCP or UDP support leaves that one out. */
	out->tcp = get_u32_or0(tb[IPVS_CMD_ATTR_TIMEOUT_TCP]);
	out->tcp_fin = get_u32_or0(tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]);
	out->udp = get_u32_or0(tb[IPVS_CMD_ATTR_TIMEOUT_UDP]);
	return 0;
}
