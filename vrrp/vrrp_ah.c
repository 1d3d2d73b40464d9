/* VRRPv2 over the IP Authentication Header; see vrrp_ah.h for the wire
 * format and where each rule comes from.  Like vrrp_packet.c, everything
 * works on byte offsets into caller buffers, never on casted structs.
 *
 * Decisions recorded here (tests/unit/test_vrrp_ah.c pins them down):
 * - IP options are refused rather than skipped: which option octets are
 *   mutable would have to be decided for the ICV, and no VRRP sender
 *   puts options on an advert.
 * - The ICV is computed over a private copy of the datagram with the
 *   mutable fields cleared, so the caller's packet is never written.
 *   That bounds the datagram to VRRP_AH_MAX_PKT octets.
 * - The IP header checksum is not verified: the kernel drops datagrams
 *   with a bad one before a raw socket sees them, and the field is
 *   outside the ICV anyway. */
#include "config.h"

#include <string.h>

#include "md5.h"
#include "vrrp_ah.h"
#include "vrrp_packet.h"

/* IPv4 header field offsets */
#define OFF_TOS		1
#define OFF_TOTLEN	2
#define OFF_ID		4
#define OFF_FRAG		6
#define OFF_TTL		8
#define OFF_PROTO	9
#define OFF_CKSUM	10
#define OFF_SRC		12
#define OFF_DST		16
#define IP_OFF_MF	0x2000u
#define IP_OFF_MASK	0x1fffu

/* AH header offsets (RFC 2402 section 2) */
#define AH_NEXT		0
#define AH_PLEN		1
#define AH_RSV		2
#define AH_SPI		4
#define AH_SEQ		8
#define AH_ICV		12

static const char *const result_names[VRRP_AH_RESULTS] = {
	[VRRP_AH_OK] = "ok",
	[VRRP_AH_BAD_IP] = "ip-header",
	[VRRP_AH_BAD_HEADER] = "ah-header",
	[VRRP_AH_BAD_SPI] = "spi",
	[VRRP_AH_BAD_ICV] = "icv",
};

const char *vrrp_ah_result_name(enum vrrp_ah_result r)
{
	if ((unsigned)r >= VRRP_AH_RESULTS)
		return "unknown";
	return result_names[r];
}

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The IPv4 header checksum (RFC 1071, as VRRP's own), over a header whose
 * checksum field is zero. */
static void set_ip_checksum(uint8_t *hdr)
{
	uint16_t ck = vrrp_checksum(hdr, VRRP_AH_IP_HDR_LEN);

	memcpy(hdr + OFF_CKSUM, &ck, 2);
}

bool vrrp_ah_icv_covers_ttl(struct in_addr dst)
{
	return IN_MULTICAST(ntohl(dst.s_addr));
}

/* HMAC-MD5-96 of pkt[0..len) as RFC 2402 section 3.3.3 wants it: a copy
 * with the mutable fields (see vrrp_ah.h) cleared.  len is at most
 * VRRP_AH_MAX_PKT and the datagram has a 20-octet IP header followed by
 * the AH header. */
static void compute_icv(const uint8_t *pkt, size_t len, const char *key,
			uint8_t icv[VRRP_AH_ICV_LEN])
{
	uint8_t buf[VRRP_AH_MAX_PKT];
	uint8_t k[VRRP_AH_KEY_MAX] = { 0 };
	uint8_t md[MD5_LEN];
	size_t klen = 0;
	struct in_addr dst;

	memcpy(buf, pkt, len);
	buf[OFF_TOS] = 0;
	put16(buf + OFF_FRAG, 0);
	memcpy(&dst.s_addr, buf + OFF_DST, 4);
	if (!vrrp_ah_icv_covers_ttl(dst))
		buf[OFF_TTL] = 0;
	put16(buf + OFF_CKSUM, 0);
	memset(buf + VRRP_AH_IP_HDR_LEN + AH_ICV, 0, VRRP_AH_ICV_LEN);
	if (key) {
		klen = strnlen(key, VRRP_AH_KEY_MAX);
		memcpy(k, key, klen);
	}
	/* k is never NULL, so an empty password is an empty key. */
	hmac_md5(k, klen, buf, len, md);
	memcpy(icv, md, VRRP_AH_ICV_LEN);
}

size_t vrrp_ah_build(uint8_t *out, size_t outlen, const struct in_addr src,
		     const struct in_addr dst, uint16_t ip_id, uint32_t spi, uint32_t seq,
		     const char *key, const uint8_t *vrrp, size_t vrrp_len)
{
	size_t tot = VRRP_AH_IP_HDR_LEN + VRRP_AH_HDR_LEN + vrrp_len;
	uint8_t *ah = out + VRRP_AH_IP_HDR_LEN;

	if (vrrp_len > VRRP_V2_MAX_LEN || outlen < tot)
		return 0;
	out[0] = 0x45;			/* version 4, 5 words of header */
	out[OFF_TOS] = VRRP_AH_TOS;
	put16(out + OFF_TOTLEN, (unsigned)tot);
	put16(out + OFF_ID, ip_id);
	put16(out + OFF_FRAG, 0);
	out[OFF_TTL] = VRRP_TTL;
	out[OFF_PROTO] = IPPROTO_AH_NUM;
	put16(out + OFF_CKSUM, 0);
	memcpy(out + OFF_SRC, &src.s_addr, 4);
	memcpy(out + OFF_DST, &dst.s_addr, 4);
	set_ip_checksum(out);

	ah[AH_NEXT] = IPPROTO_VRRP_NUM;
	ah[AH_PLEN] = VRRP_AH_PAYLOAD_LEN;
	put16(ah + AH_RSV, 0);
	put32(ah + AH_SPI, spi);
	put32(ah + AH_SEQ, seq);
	memset(ah + AH_ICV, 0, VRRP_AH_ICV_LEN);
	if (vrrp_len)
		memcpy(ah + VRRP_AH_HDR_LEN, vrrp, vrrp_len);
	compute_icv(out, tot, key, ah + AH_ICV);
	return tot;
}

/* Equal without an early exit, so the time taken says nothing about how
 * many leading octets of a forged ICV were right. */
static bool same_icv(const uint8_t *a, const uint8_t *b)
{
	unsigned diff = 0;
	size_t i;

	for (i = 0; i < VRRP_AH_ICV_LEN; i++)
		diff |= (unsigned)(a[i] ^ b[i]);
	return diff == 0;
}

enum vrrp_ah_result vrrp_ah_parse(const uint8_t *pkt, size_t len, const char *key,
				  struct vrrp_ah_info *out)
{
	uint8_t icv[VRRP_AH_ICV_LEN];
	const uint8_t *ah;
	size_t tot;

	if (len < VRRP_AH_IP_HDR_LEN || pkt[0] != 0x45)	/* v4, no options */
		return VRRP_AH_BAD_IP;
	tot = get16(pkt + OFF_TOTLEN);
	/* The IP total length, not the frame: short frames carry padding. */
	if (tot < VRRP_AH_IP_HDR_LEN || tot > len)
		return VRRP_AH_BAD_IP;
	if (pkt[OFF_PROTO] != IPPROTO_AH_NUM)
		return VRRP_AH_BAD_IP;
	if (get16(pkt + OFF_FRAG) & (IP_OFF_MF | IP_OFF_MASK))
		return VRRP_AH_BAD_IP;

	ah = pkt + VRRP_AH_IP_HDR_LEN;
	if (tot < VRRP_AH_IP_HDR_LEN + VRRP_AH_HDR_LEN || tot > VRRP_AH_MAX_PKT)
		return VRRP_AH_BAD_HEADER;
	if (ah[AH_NEXT] != IPPROTO_VRRP_NUM || ah[AH_PLEN] != VRRP_AH_PAYLOAD_LEN)
		return VRRP_AH_BAD_HEADER;

	if (memcmp(ah + AH_SPI, pkt + OFF_SRC, 4) != 0)
		return VRRP_AH_BAD_SPI;

	compute_icv(pkt, tot, key, icv);
	if (!same_icv(icv, ah + AH_ICV))
		return VRRP_AH_BAD_ICV;

	memset(out, 0, sizeof(*out));
	memcpy(&out->src.s_addr, pkt + OFF_SRC, 4);
	memcpy(&out->dst.s_addr, pkt + OFF_DST, 4);
	out->ttl = pkt[OFF_TTL];
	out->ip_id = (uint16_t)get16(pkt + OFF_ID);
	out->spi = get32(ah + AH_SPI);
	out->seq = get32(ah + AH_SEQ);
	out->vrrp = ah + VRRP_AH_HDR_LEN;
	out->vrrp_len = tot - VRRP_AH_IP_HDR_LEN - VRRP_AH_HDR_LEN;
	return VRRP_AH_OK;
}

size_t vrrp_ah_decap(const struct vrrp_ah_info *info, uint8_t *buf, size_t buflen)
{
	size_t tot = VRRP_AH_IP_HDR_LEN + info->vrrp_len;

	if (buflen < tot || tot > 0xffff)
		return 0;
	buf[0] = 0x45;
	buf[OFF_TOS] = VRRP_AH_TOS;
	put16(buf + OFF_TOTLEN, (unsigned)tot);
	put16(buf + OFF_ID, info->ip_id);
	put16(buf + OFF_FRAG, 0);
	buf[OFF_TTL] = info->ttl;
	buf[OFF_PROTO] = IPPROTO_VRRP_NUM;
	put16(buf + OFF_CKSUM, 0);
	memcpy(buf + OFF_SRC, &info->src.s_addr, 4);
	memcpy(buf + OFF_DST, &info->dst.s_addr, 4);
	set_ip_checksum(buf);
	if (info->vrrp_len)
		memcpy(buf + VRRP_AH_IP_HDR_LEN, info->vrrp, info->vrrp_len);
	return tot;
}

bool vrrp_ah_seq_accept(uint32_t *counter, uint32_t seq)
{
	if (seq <= *counter)
		return false;
	*counter = seq;
	return true;
}

uint32_t vrrp_ah_seq_next(uint32_t *counter)
{
	if (*counter != UINT32_MAX)
		(*counter)++;
	return *counter;
}
