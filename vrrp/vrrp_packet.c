/* VRRPv2 and VRRPv3 (IPv4 and IPv6) advert codec; see vrrp_packet.h.  Everything here works on byte
 * offsets into caller buffers, never on casted structs, so an odd
 * alignment or a short buffer cannot fault.
 *
 * Decisions recorded here (the tests pin them down):
 * - The VRRP message length comes from Count (16 + 4n octets, V2-R17);
 *   extra octets after it inside the IP payload are accepted and ignored,
 *   and the checksum covers exactly 16 + 4n octets.  Octets after the IP
 *   total length (Ethernet padding) are never looked at.
 * - IP options are skipped; fragments are refused as IP_HEADER, since a
 *   VRRP advert always fits one datagram and the kernel has reassembled
 *   anything legitimate before a raw socket sees it.
 * - An owner (local priority 255) drops every advert for its VRID, as
 *   RFC 3768 section 7.1 says (V2-R46). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "vrrp_packet.h"

#define IPV4_MIN_HDR	20
#define IP_OFF_MF	0x2000u
#define IP_OFF_MASK	0x1fffu
#define VRRP_TYPE_ADVERT 1

static const char *const drop_names[VRRP_DROP_REASONS] = {
	[VRRP_RX_OK] = "ok",
	[VRRP_DROP_IP_HEADER] = "ip-header",
	[VRRP_DROP_TTL] = "ttl",
	[VRRP_DROP_VERSION] = "version",
	[VRRP_DROP_LENGTH] = "length",
	[VRRP_DROP_CHECKSUM] = "checksum",
	[VRRP_DROP_TYPE] = "type",
	[VRRP_DROP_VRID] = "vrid",
	[VRRP_DROP_OWNER] = "owner",
	[VRRP_DROP_AUTH_TYPE] = "auth-type",
	[VRRP_DROP_AUTH] = "auth",
	[VRRP_DROP_ADDR_LIST] = "address-list",
	[VRRP_DROP_INTERVAL] = "interval",
	[VRRP_DROP_SOURCE] = "source",
};

const char *vrrp_drop_name(enum vrrp_drop r)
{
	if ((unsigned)r >= VRRP_DROP_REASONS)
		return "unknown";
	return drop_names[r];
}

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* One's-complement sum of big-endian 16-bit words, folded to 16 bits; an
 * odd last octet counts as the high half of a word (RFC 1071). */
static unsigned ones_sum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += get16(p + i);
		/* Fold as we go: a 64 KiB input cannot overflow 32 bits. */
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

uint16_t vrrp_checksum(const void *data, size_t len)
{
	return htons((uint16_t)(~ones_sum(data, len) & 0xffff));
}

size_t vrrp_v2_encode(const struct vrrp_adv *a, uint8_t *buf, size_t len)
{
	size_t need = VRRP_V2_FIXED_LEN + 4u * a->naddr + VRRP_V2_AUTH_LEN;
	size_t off = VRRP_V2_FIXED_LEN;
	uint16_t ck;
	unsigned i;

	if (a->naddr == 0 || len < need)
		return 0;
	buf[0] = 2 << 4 | VRRP_TYPE_ADVERT;
	buf[1] = a->vrid;
	buf[2] = a->priority;
	buf[3] = a->naddr;
	buf[4] = a->auth_type;
	buf[5] = a->adver_int;
	buf[6] = buf[7] = 0;
	for (i = 0; i < a->naddr; i++, off += 4)
		memcpy(buf + off, &a->addrs[i].s_addr, 4);
	/* V2-R16: auth data is zero unless it carries a password. */
	if (a->auth_type == VRRP_AUTH_PASS)
		memcpy(buf + off, a->auth_data, VRRP_V2_AUTH_LEN);
	else
		memset(buf + off, 0, VRRP_V2_AUTH_LEN);
	/* V2-R15: the whole message, no pseudo-header. */
	ck = vrrp_checksum(buf, need);
	memcpy(buf + 6, &ck, 2);
	return need;
}

/* The one's-complement sum of the IPv4 pseudo-header a VRRPv3 checksum may
 * cover (RFC 5798 section 5.2.8 read with RFC 8200 section 8.1): source,
 * destination, zero, protocol 112, VRRP message length. */
static unsigned pseudo_sum(struct in_addr src, struct in_addr dst, size_t vrrp_len)
{
	uint8_t ph[12];

	memcpy(ph, &src.s_addr, 4);
	memcpy(ph + 4, &dst.s_addr, 4);
	ph[8] = 0;
	ph[9] = IPPROTO_VRRP_NUM;
	ph[10] = (uint8_t)(vrrp_len >> 8);
	ph[11] = (uint8_t)vrrp_len;
	return ones_sum(ph, sizeof(ph));
}

static unsigned fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static bool v3_encodable(const struct vrrp_adv *a, size_t len, size_t need)
{
	return a->naddr != 0 && len >= need && a->max_adver_int_cs != 0 &&
	       a->max_adver_int_cs <= VRRP_V3_MAX_INT_CS;
}

/* The fixed part both v3 families share (V3-R02: reserved bits zero). */
static void put_v3_header(const struct vrrp_adv *a, uint8_t *buf)
{
	buf[0] = 3 << 4 | VRRP_TYPE_ADVERT;
	buf[1] = a->vrid;
	buf[2] = a->priority;
	buf[3] = a->naddr;
	buf[4] = (uint8_t)(a->max_adver_int_cs >> 8);
	buf[5] = (uint8_t)a->max_adver_int_cs;
	buf[6] = buf[7] = 0;
}

size_t vrrp_v3_encode(const struct vrrp_adv *a, uint8_t *buf, size_t len, struct in_addr src,
		      struct in_addr dst, bool pseudo_header)
{
	size_t need = VRRP_V3_FIXED_LEN + 4u * a->naddr;
	unsigned sum;
	uint16_t ck;

	if (!v3_encodable(a, len, need))
		return 0;
	put_v3_header(a, buf);
	for (unsigned i = 0; i < a->naddr; i++)
		memcpy(buf + VRRP_V3_FIXED_LEN + 4 * i, &a->addrs[i].s_addr, 4);
	sum = ones_sum(buf, need);
	if (pseudo_header)
		sum = fold(sum + pseudo_sum(src, dst, need));
	ck = htons((uint16_t)(~sum & 0xffff));
	memcpy(buf + 6, &ck, 2);
	return need;
}

/* The IPv6 pseudo-header (RFC 8200 section 8.1): source, destination,
 * upper-layer length on 32 bits, three zero octets, next header. */
static unsigned pseudo_sum6(const struct in6_addr *src, const struct in6_addr *dst,
			    uint8_t next_header, size_t len)
{
	uint8_t ph[40] = { 0 };

	memcpy(ph, src, 16);
	memcpy(ph + 16, dst, 16);
	ph[34] = (uint8_t)(len >> 8);
	ph[35] = (uint8_t)len;
	ph[39] = next_header;
	return ones_sum(ph, sizeof(ph));
}

uint16_t vrrp_ip6_checksum(const struct in6_addr *src, const struct in6_addr *dst,
			   uint8_t next_header, const void *msg, size_t len)
{
	unsigned sum = fold(ones_sum(msg, len) + pseudo_sum6(src, dst, next_header, len));

	return htons((uint16_t)(~sum & 0xffff));
}

size_t vrrp_v3_encode6(const struct vrrp_adv *a, uint8_t *buf, size_t len,
		       const struct in6_addr *src, const struct in6_addr *dst)
{
	size_t need = VRRP_V3_FIXED_LEN + 16u * a->naddr;
	uint16_t ck;

	if (!v3_encodable(a, len, need))
		return 0;
	put_v3_header(a, buf);
	for (unsigned i = 0; i < a->naddr; i++)
		memcpy(buf + VRRP_V3_FIXED_LEN + 16 * i, &a->addrs6[i], 16);
	ck = vrrp_ip6_checksum(src, dst, IPPROTO_VRRP_NUM, buf, need);
	memcpy(buf + 6, &ck, 2);
	return need;
}

/* The IPv4 header checks.  On success *ihl and *tot bound the payload. */
static enum vrrp_drop check_ip_header(const uint8_t *pkt, size_t len, size_t *ihl, size_t *tot)
{
	if (len < IPV4_MIN_HDR || pkt[0] >> 4 != 4)
		return VRRP_DROP_IP_HEADER;
	*ihl = (size_t)(pkt[0] & 0x0f) * 4;
	*tot = get16(pkt + 2);
	if (*ihl < IPV4_MIN_HDR || *ihl > len)
		return VRRP_DROP_IP_HEADER;
	/* The IP total length, not the frame: short frames carry padding. */
	if (*tot < *ihl || *tot > len)
		return VRRP_DROP_IP_HEADER;
	if (pkt[9] != IPPROTO_VRRP_NUM)
		return VRRP_DROP_IP_HEADER;
	if (get16(pkt + 6) & (IP_OFF_MF | IP_OFF_MASK))
		return VRRP_DROP_IP_HEADER;
	return VRRP_RX_OK;
}

/* Copy a validated message into `out`. */
static void fill_rx(const uint8_t *pkt, const uint8_t *v, struct vrrp_rx *out)
{
	struct vrrp_adv *a = &out->adv;
	size_t off = VRRP_V2_FIXED_LEN;
	unsigned i;

	memset(out, 0, sizeof(*out));
	out->family = AF_INET;
	memcpy(&out->src.s_addr, pkt + 12, 4);
	memcpy(&out->dst.s_addr, pkt + 16, 4);
	out->ttl = pkt[8];
	a->version = v[0] >> 4;
	a->type = v[0] & 0x0f;
	a->vrid = v[1];
	a->priority = v[2];
	a->naddr = v[3];
	a->auth_type = v[4];
	a->adver_int = v[5];
	memcpy(&a->checksum, v + 6, 2);
	for (i = 0; i < a->naddr; i++, off += 4)
		memcpy(&a->addrs[i].s_addr, v + off, 4);
	memcpy(a->auth_data, v + off, VRRP_V2_AUTH_LEN);
}

/* The IP part (RFC 3768 / RFC 5798 section 7.1 order): header, TTL, and
 * at least a version nibble; *v and *vlen are the VRRP message. */
static enum vrrp_drop parse_ip(const uint8_t *pkt, size_t len, const uint8_t **v, size_t *vlen)
{
	size_t ihl = 0, tot = 0;
	enum vrrp_drop r;

	r = check_ip_header(pkt, len, &ihl, &tot);
	if (r != VRRP_RX_OK)
		return r;
	if (pkt[8] != VRRP_TTL)				/* V2-R42, V3-R04 */
		return VRRP_DROP_TTL;
	*v = pkt + ihl;
	*vlen = tot - ihl;
	if (*vlen < 1)		/* not even a version nibble to check */
		return VRRP_DROP_LENGTH;
	return VRRP_RX_OK;
}

static enum vrrp_drop parse_v2_body(const uint8_t *pkt, const uint8_t *v, size_t vlen,
				    struct vrrp_rx *out)
{
	size_t need;

	/* V2-R44 / V2-R12: fixed part, then one or more addresses + auth. */
	if (vlen < VRRP_V2_FIXED_LEN || v[3] == 0)
		return VRRP_DROP_LENGTH;
	need = VRRP_V2_FIXED_LEN + 4u * v[3] + VRRP_V2_AUTH_LEN;
	if (vlen < need)
		return VRRP_DROP_LENGTH;
	if (ones_sum(v, need) != 0xffff)		/* V2-R45 */
		return VRRP_DROP_CHECKSUM;
	if ((v[0] & 0x0f) != VRRP_TYPE_ADVERT)		/* V2-R07 */
		return VRRP_DROP_TYPE;
	fill_rx(pkt, v, out);
	return VRRP_RX_OK;
}

/* The fixed part of a validated v3 message. */
static void get_v3_header(const uint8_t *v, struct vrrp_adv *a)
{
	a->version = 3;
	a->type = VRRP_TYPE_ADVERT;
	a->vrid = v[1];
	a->priority = v[2];
	a->naddr = v[3];
	a->max_adver_int_cs = (uint16_t)(get16(v + 4) & 0x0fff);	/* rsvd ignored */
	memcpy(&a->checksum, v + 6, 2);
}

/* Type and interval, the checks after the checksum (V3-R17, V3-R03). */
static enum vrrp_drop check_v3_type_interval(const uint8_t *v)
{
	if ((v[0] & 0x0f) != VRRP_TYPE_ADVERT)
		return VRRP_DROP_TYPE;
	if ((get16(v + 4) & 0x0fff) == 0)
		return VRRP_DROP_INTERVAL;
	return VRRP_RX_OK;
}

/* V3-R17 order: complete packet, checksum (either form, V3-R07), type,
 * then the non-zero interval (V3-R03). */
static enum vrrp_drop parse_v3_body(const uint8_t *pkt, const uint8_t *v, size_t vlen,
				    struct vrrp_rx *out)
{
	struct in_addr src, dst;
	enum vrrp_drop r;
	size_t need;
	unsigned sum;
	bool plain_ok, pseudo_ok;

	if (vlen < VRRP_V3_FIXED_LEN || v[3] == 0)
		return VRRP_DROP_LENGTH;
	need = VRRP_V3_FIXED_LEN + 4u * v[3];
	if (vlen < need)
		return VRRP_DROP_LENGTH;
	memcpy(&src.s_addr, pkt + 12, 4);
	memcpy(&dst.s_addr, pkt + 16, 4);
	sum = ones_sum(v, need);
	plain_ok = sum == 0xffff;
	pseudo_ok = fold(sum + pseudo_sum(src, dst, need)) == 0xffff;
	if (!plain_ok && !pseudo_ok)
		return VRRP_DROP_CHECKSUM;
	r = check_v3_type_interval(v);
	if (r != VRRP_RX_OK)
		return r;
	memset(out, 0, sizeof(*out));
	out->family = AF_INET;
	out->src = src;
	out->dst = dst;
	out->ttl = pkt[8];
	out->v3_pseudo_header = pseudo_ok;
	get_v3_header(v, &out->adv);
	for (unsigned i = 0; i < v[3]; i++)
		memcpy(&out->adv.addrs[i].s_addr, v + VRRP_V3_FIXED_LEN + 4 * i, 4);
	return VRRP_RX_OK;
}

static enum vrrp_drop parse(const uint8_t *pkt, size_t len, struct vrrp_rx *out, bool v3_too)
{
	const uint8_t *v = NULL;
	size_t vlen = 0;
	enum vrrp_drop r = parse_ip(pkt, len, &v, &vlen);

	if (r != VRRP_RX_OK)
		return r;
	if (v[0] >> 4 == 2)
		return parse_v2_body(pkt, v, vlen, out);
	if (v[0] >> 4 == 3 && v3_too)
		return parse_v3_body(pkt, v, vlen, out);
	return VRRP_DROP_VERSION;			/* V2-R43, V3-R17 */
}

enum vrrp_drop vrrp_v2_parse(const uint8_t *pkt, size_t len, struct vrrp_rx *out)
{
	return parse(pkt, len, out, false);
}

enum vrrp_drop vrrp_parse(const uint8_t *pkt, size_t len, struct vrrp_rx *out)
{
	return parse(pkt, len, out, true);
}

/* No IP header to check: the kernel has validated it and reassembled any
 * fragments; what VRRP needs of it comes from the socket. */
enum vrrp_drop vrrp_parse6(const uint8_t *msg, size_t len, const struct in6_addr *src,
			   const struct in6_addr *dst, int hop_limit, struct vrrp_rx *out)
{
	enum vrrp_drop r;
	size_t need;

	if (hop_limit != VRRP_TTL)			/* V3-R04 */
		return VRRP_DROP_TTL;
	if (len < 1)
		return VRRP_DROP_LENGTH;
	if (msg[0] >> 4 != 3)				/* IPv6 is VRRPv3 only */
		return VRRP_DROP_VERSION;
	if (len < VRRP_V3_FIXED_LEN || msg[3] == 0)
		return VRRP_DROP_LENGTH;
	need = VRRP_V3_FIXED_LEN + 16u * msg[3];
	if (len < need)
		return VRRP_DROP_LENGTH;
	/* IPv6 has one form only: the pseudo-header is mandatory. */
	if (fold(ones_sum(msg, need) + pseudo_sum6(src, dst, IPPROTO_VRRP_NUM, need)) != 0xffff)
		return VRRP_DROP_CHECKSUM;
	r = check_v3_type_interval(msg);
	if (r != VRRP_RX_OK)
		return r;
	memset(out, 0, sizeof(*out));
	out->family = AF_INET6;
	out->src6 = *src;
	out->dst6 = *dst;
	out->ttl = (uint8_t)hop_limit;
	out->v3_pseudo_header = true;
	get_v3_header(msg, &out->adv);
	for (unsigned i = 0; i < msg[3]; i++)
		memcpy(&out->adv.addrs6[i], msg + VRRP_V3_FIXED_LEN + 16 * i, 16);
	return VRRP_RX_OK;
}

/* V2-R47 for type 1: the 8 octets against the NUL-padded password.  The
 * compare does not stop at the first difference, so its time says
 * nothing about how much of a guess was right. */
static bool password_matches(const uint8_t *data, const char *pass)
{
	uint8_t want[VRRP_V2_AUTH_LEN] = { 0 };
	unsigned diff = 0, i;

	if (pass)
		memcpy(want, pass, strnlen(pass, VRRP_V2_AUTH_LEN));
	for (i = 0; i < VRRP_V2_AUTH_LEN; i++)
		diff |= (unsigned)(data[i] ^ want[i]);
	return diff == 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Whether the two lists hold the same addresses, in any order.  The usual
 * case (peers configured alike) matches in order at O(n); otherwise both
 * are sorted, O(n log n) with n <= 255, so a hostile advert stays cheap. */
static bool same_addresses(const struct in_addr *a, const struct in_addr *b, size_t n)
{
	uint32_t sa[VRRP_MAX_VIPS], sb[VRRP_MAX_VIPS];
	size_t i;

	for (i = 0; i < n && a[i].s_addr == b[i].s_addr; i++)
		;
	if (i == n)
		return true;
	for (i = 0; i < n; i++) {
		sa[i] = a[i].s_addr;
		sb[i] = b[i].s_addr;
	}
	qsort(sa, n, sizeof(sa[0]), cmp_u32);
	qsort(sb, n, sizeof(sb[0]), cmp_u32);
	return memcmp(sa, sb, n * sizeof(sa[0])) == 0;
}

static int cmp_in6(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct in6_addr));
}

/* same_addresses for IPv6, at the same costs. */
static bool same_addresses6(const struct in6_addr *a, const struct in6_addr *b, size_t n)
{
	struct in6_addr sa[VRRP_MAX_VIPS], sb[VRRP_MAX_VIPS];

	if (memcmp(a, b, n * sizeof(*a)) == 0)
		return true;
	memcpy(sa, a, n * sizeof(*a));
	memcpy(sb, b, n * sizeof(*b));
	qsort(sa, n, sizeof(sa[0]), cmp_in6);
	qsort(sb, n, sizeof(sb[0]), cmp_in6);
	return memcmp(sa, sb, n * sizeof(sa[0])) == 0;
}

static bool addr_list_ok(const struct vrrp_rx *rx, const struct vrrp_expect *e)
{
	const struct vrrp_adv *a = &rx->adv;

	if (e->n_vips != a->naddr || e->n_vips > VRRP_MAX_VIPS)
		return false;
	if (rx->family == AF_INET6)
		return e->vips6 && same_addresses6(a->addrs6, e->vips6, e->n_vips);
	return same_addresses(a->addrs, e->vips, e->n_vips);
}

/* A mismatch from a sender at priority 255 is tolerated and flagged
 * (V2-R49); from anyone else it is an error. */
static enum vrrp_drop check_addr_list(struct vrrp_rx *rx, const struct vrrp_expect *e)
{
	if (e->skip_addr_check || addr_list_ok(rx, e))
		return VRRP_RX_OK;
	if (rx->adv.priority != VRRP_PRIO_OWNER)
		return VRRP_DROP_ADDR_LIST;
	rx->addr_list_mismatch = true;
	return VRRP_RX_OK;
}

enum vrrp_drop vrrp_v2_check_instance(struct vrrp_rx *rx, const struct vrrp_expect *e)
{
	const struct vrrp_adv *a = &rx->adv;
	enum vrrp_drop r;

	rx->addr_list_mismatch = false;
	if (e->local_priority == VRRP_PRIO_OWNER)	/* V2-R46 */
		return VRRP_DROP_OWNER;
	if (a->auth_type != e->auth_type)		/* V2-R47, V2-R13 */
		return VRRP_DROP_AUTH_TYPE;
	/* Type 0: auth data ignored (V2-R16).  Type 2 arrives as an AH
	 * packet, so only the type itself can be compared here. */
	if (a->auth_type == VRRP_AUTH_PASS && !password_matches(a->auth_data, e->auth_pass))
		return VRRP_DROP_AUTH;
	r = check_addr_list(rx, e);			/* V2-R49 */
	if (r != VRRP_RX_OK)
		return r;
	if (a->adver_int != e->adver_int)		/* V2-R50 */
		return VRRP_DROP_INTERVAL;
	return VRRP_RX_OK;
}

enum vrrp_drop vrrp_v3_check_instance(struct vrrp_rx *rx, const struct vrrp_expect *e)
{
	rx->addr_list_mismatch = false;
	if (e->local_priority == VRRP_PRIO_OWNER)
		return VRRP_DROP_OWNER;
	return check_addr_list(rx, e);			/* V3-R17: MAY check */
}
