/* Unit tests for VRRPv2 over IP AH (vrrp_ah.h).  The golden vectors are
 * datagrams captured from keepalived 2.2.7 (Debian) running in network
 * namespaces with `authentication { auth_type AH auth_pass ... }`; the
 * password of each is in `goldens` below.  Build must reproduce them octet
 * for octet from the same inputs, and parse must accept them with the
 * right password only. */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vrrp_ah.h"
#include "vrrp_packet.h"

#define IPH 20
#define AHH 24
#define VOFF (IPH + AHH)

/* ---- captured from keepalived 2.2.7 (IP datagram, Ethernet removed) ---- */
/* multicast, first advert of a fresh master */
static const uint8_t g1[] = {
	0x45, 0xc0, 0x00, 0x40, 0x00, 0x01, 0x00, 0x00, 0xff, 0x33, 0xd0, 0x69,
	0x0a, 0x4d, 0x00, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x70, 0x04, 0x00, 0x00,
	0x0a, 0x4d, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x3e, 0xc2, 0x48, 0x3f,
	0x6b, 0x8b, 0x48, 0x53, 0x01, 0x67, 0xea, 0x60, 0x21, 0x33, 0x96, 0x01,
	0x02, 0x01, 0x3c, 0x19, 0x0a, 0x4d, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};
/* multicast, second advert */
static const uint8_t g2[] = {
	0x45, 0xc0, 0x00, 0x40, 0x00, 0x02, 0x00, 0x00, 0xff, 0x33, 0xd0, 0x68,
	0x0a, 0x4d, 0x00, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x70, 0x04, 0x00, 0x00,
	0x0a, 0x4d, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0xb4, 0x90, 0x4d, 0x59,
	0xe4, 0x14, 0xb4, 0xa2, 0x44, 0x43, 0x7f, 0xfd, 0x21, 0x33, 0x96, 0x01,
	0x02, 0x01, 0x3c, 0x19, 0x0a, 0x4d, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};
/* priority 0 on shutdown, two addresses */
static const uint8_t g3[] = {
	0x45, 0xc0, 0x00, 0x44, 0x00, 0x04, 0x00, 0x00, 0xff, 0x33, 0xd0, 0x62,
	0x0a, 0x4d, 0x00, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x70, 0x04, 0x00, 0x00,
	0x0a, 0x4d, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x38, 0x2b, 0xaf, 0x4c,
	0x16, 0x32, 0xbb, 0x83, 0x15, 0x50, 0xea, 0x42, 0x21, 0x33, 0x00, 0x02,
	0x02, 0x01, 0xc7, 0x66, 0x0a, 0x4d, 0x00, 0x64, 0x0a, 0x4d, 0x00, 0x65,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
/* auth_pass longer than 8: key is "longpass" */
static const uint8_t g4[] = {
	0x45, 0xc0, 0x00, 0x40, 0x00, 0x01, 0x00, 0x00, 0xff, 0x33, 0xd0, 0x69,
	0x0a, 0x4d, 0x00, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x70, 0x04, 0x00, 0x00,
	0x0a, 0x4d, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x15, 0xf0, 0xf7, 0x14,
	0xf3, 0x30, 0x07, 0x75, 0x47, 0x66, 0xba, 0x90, 0x21, 0x33, 0x96, 0x01,
	0x02, 0x01, 0x3c, 0x19, 0x0a, 0x4d, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};
/* unicast_peer 10.77.0.2: TTL not in the ICV */
static const uint8_t g5[] = {
	0x45, 0xc0, 0x00, 0x40, 0x00, 0x01, 0x00, 0x00, 0xff, 0x33, 0xa6, 0x2d,
	0x0a, 0x4d, 0x00, 0x01, 0x0a, 0x4d, 0x00, 0x02, 0x70, 0x04, 0x00, 0x00,
	0x0a, 0x4d, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0c, 0xca, 0x6f, 0xbe,
	0x26, 0x98, 0x84, 0x08, 0xe3, 0x6f, 0x56, 0x8f, 0x21, 0x33, 0x96, 0x01,
	0x02, 0x01, 0x3c, 0x19, 0x0a, 0x4d, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};
/* sequence 7 adopted from the peer */
static const uint8_t g6[] = {
	0x45, 0xc0, 0x00, 0x40, 0x00, 0x01, 0x00, 0x00, 0xff, 0x33, 0xd0, 0x69,
	0x0a, 0x4d, 0x00, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x70, 0x04, 0x00, 0x00,
	0x0a, 0x4d, 0x00, 0x01, 0x00, 0x00, 0x00, 0x07, 0x5d, 0x4f, 0xec, 0x4e,
	0xbc, 0x27, 0xdc, 0x19, 0x53, 0x14, 0x19, 0x89, 0x21, 0x33, 0x96, 0x01,
	0x02, 0x01, 0x3c, 0x19, 0x0a, 0x4d, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};
/* VRID 7, priority 254, interval 3, three addresses */
static const uint8_t g7[] = {
	0x45, 0xc0, 0x00, 0x48, 0x00, 0x01, 0x00, 0x00, 0xff, 0x33, 0xd0, 0x60,
	0x0a, 0x4d, 0x00, 0x02, 0xe0, 0x00, 0x00, 0x12, 0x70, 0x04, 0x00, 0x00,
	0x0a, 0x4d, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x9a, 0x52, 0x5d, 0x20,
	0x69, 0x22, 0x0a, 0x88, 0x1f, 0x64, 0x0f, 0x2c, 0x21, 0x07, 0xfe, 0x03,
	0x02, 0x03, 0xed, 0x98, 0xc0, 0xa8, 0x32, 0x01, 0xc0, 0xa8, 0x32, 0x02,
	0x0a, 0x01, 0x02, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
/* same router, priority 0, sequence 3 */
static const uint8_t g8[] = {
	0x45, 0xc0, 0x00, 0x48, 0x00, 0x03, 0x00, 0x00, 0xff, 0x33, 0xd0, 0x5e,
	0x0a, 0x4d, 0x00, 0x02, 0xe0, 0x00, 0x00, 0x12, 0x70, 0x04, 0x00, 0x00,
	0x0a, 0x4d, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0xc1, 0xcd, 0x4c, 0xdd,
	0xcd, 0xa7, 0x6b, 0x86, 0xa1, 0xe2, 0xd7, 0x26, 0x21, 0x07, 0x00, 0x03,
	0x02, 0x03, 0xeb, 0x99, 0xc0, 0xa8, 0x32, 0x01, 0xc0, 0xa8, 0x32, 0x02,
	0x0a, 0x01, 0x02, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

struct golden {
	const uint8_t *pkt;
	size_t len;
	const char *pass;	/* auth_pass as configured */
	const char *src, *dst;
	uint16_t id;
	uint32_t seq;
	uint8_t vrid, prio, naddr, adver_int;
};

static const struct golden goldens[] = {
	{ g1, sizeof(g1), "secret12", "10.77.0.1", "224.0.0.18", 1, 1, 51, 150, 1, 1 },
	{ g2, sizeof(g2), "secret12", "10.77.0.1", "224.0.0.18", 2, 2, 51, 150, 1, 1 },
	{ g3, sizeof(g3), "abc", "10.77.0.1", "224.0.0.18", 4, 4, 51, 0, 2, 1 },
	{ g4, sizeof(g4), "longpassword123", "10.77.0.1", "224.0.0.18", 1, 1, 51, 150, 1, 1 },
	{ g5, sizeof(g5), "pw", "10.77.0.1", "10.77.0.2", 1, 1, 51, 150, 1, 1 },
	{ g6, sizeof(g6), "secret12", "10.77.0.1", "224.0.0.18", 1, 7, 51, 150, 1, 1 },
	{ g7, sizeof(g7), "Zz9!", "10.77.0.2", "224.0.0.18", 1, 1, 7, 254, 3, 3 },
	{ g8, sizeof(g8), "Zz9!", "10.77.0.2", "224.0.0.18", 3, 3, 7, 0, 3, 3 },
};

#define NGOLDEN (sizeof(goldens) / sizeof(goldens[0]))

static struct in_addr ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* A heap copy of exactly len octets, so ASan sees any read past the end. */
static uint8_t *dup_exact(const uint8_t *p, size_t len)
{
	uint8_t *q = malloc(len ? len : 1);

	assert_non_null(q);
	if (len)
		memcpy(q, p, len);
	return q;
}

static enum vrrp_ah_result parse_exact(const uint8_t *p, size_t len, const char *key,
				       struct vrrp_ah_info *info)
{
	uint8_t *q = dup_exact(p, len);
	enum vrrp_ah_result r = vrrp_ah_parse(q, len, key, info);

	free(q);
	return r;
}

static size_t build_golden(const struct golden *g, uint8_t *out, size_t outlen)
{
	struct in_addr src = ip4(g->src);

	return vrrp_ah_build(out, outlen, src, ip4(g->dst), g->id, vrrp_ah_spi(src), g->seq,
			     g->pass, g->pkt + VOFF, g->len - VOFF);
}

/* Recompute the ICV of a (modified) datagram with the same build inputs it
 * carries, so that only the field under test is wrong. */
static void reseal(uint8_t *p, size_t len, const char *key)
{
	uint8_t out[VRRP_AH_MAX_PKT];
	struct in_addr src, dst;
	uint32_t spi, seq;
	size_t n;

	memcpy(&src.s_addr, p + 12, 4);
	memcpy(&dst.s_addr, p + 16, 4);
	spi = (uint32_t)p[IPH + 4] << 24 | (uint32_t)p[IPH + 5] << 16 |
	      (uint32_t)p[IPH + 6] << 8 | p[IPH + 7];
	seq = (uint32_t)p[IPH + 8] << 24 | (uint32_t)p[IPH + 9] << 16 |
	      (uint32_t)p[IPH + 10] << 8 | p[IPH + 11];
	n = vrrp_ah_build(out, sizeof(out), src, dst, (uint16_t)(p[4] << 8 | p[5]), spi, seq,
			  key, p + VOFF, len - VOFF);
	assert_int_equal(n, len);
	memcpy(p + IPH + 12, out + IPH + 12, VRRP_AH_ICV_LEN);
}

/* Every captured datagram parses with its password, with the fields the
 * capture shows, and its VRRP message passes vrrp_v2_parse after decap. */
static void test_golden_parse(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NGOLDEN; i++) {
		const struct golden *g = &goldens[i];
		struct vrrp_ah_info info;
		uint8_t plain[IPH + VRRP_V2_MAX_LEN];
		struct vrrp_rx rx;
		size_t n;

		assert_int_equal(parse_exact(g->pkt, g->len, g->pass, &info), VRRP_AH_OK);
		assert_int_equal(info.src.s_addr, ip4(g->src).s_addr);
		assert_int_equal(info.dst.s_addr, ip4(g->dst).s_addr);
		assert_int_equal(info.ttl, 255);
		assert_int_equal(info.ip_id, g->id);
		assert_int_equal(info.spi, ntohl(ip4(g->src).s_addr));
		assert_int_equal(info.seq, g->seq);
		assert_int_equal(info.vrrp_len, 16u + 4u * g->naddr);

		/* vrrp points into the caller's buffer */
		assert_int_equal(vrrp_ah_parse(g->pkt, g->len, g->pass, &info), VRRP_AH_OK);
		assert_ptr_equal(info.vrrp, g->pkt + VOFF);

		n = vrrp_ah_decap(&info, plain, sizeof(plain));
		assert_int_equal(n, IPH + info.vrrp_len);
		assert_int_equal(vrrp_v2_parse(plain, n, &rx), VRRP_RX_OK);
		assert_int_equal(rx.src.s_addr, info.src.s_addr);
		assert_int_equal(rx.dst.s_addr, info.dst.s_addr);
		assert_int_equal(rx.ttl, 255);
		assert_int_equal(rx.adv.vrid, g->vrid);
		assert_int_equal(rx.adv.priority, g->prio);
		assert_int_equal(rx.adv.naddr, g->naddr);
		assert_int_equal(rx.adv.adver_int, g->adver_int);
		/* keepalived's inner header: auth type 2, auth data zero */
		assert_int_equal(rx.adv.auth_type, VRRP_AUTH_AH);
		assert_memory_equal(rx.adv.auth_data, "\0\0\0\0\0\0\0\0", 8);
	}
}

/* Build from the same inputs gives the captured octets exactly. */
static void test_golden_build(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NGOLDEN; i++) {
		uint8_t out[VRRP_AH_MAX_PKT];

		memset(out, 0xa5, sizeof(out));
		assert_int_equal(build_golden(&goldens[i], out, sizeof(out)), goldens[i].len);
		assert_memory_equal(out, goldens[i].pkt, goldens[i].len);
	}
}

/* The VRRP message inside is exactly vrrp_v2_encode's for auth type 2:
 * no fix-up needed.  (g7: VRID 7, prio 254, interval 3, three addresses.) */
static void test_golden_inner_is_v2_encode(void **state)
{
	const struct golden *g = &goldens[6];
	struct vrrp_adv a;
	uint8_t msg[VRRP_V2_MAX_LEN], out[VRRP_AH_MAX_PKT];
	struct in_addr src = ip4(g->src);
	size_t mlen;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.vrid = 7;
	a.priority = 254;
	a.naddr = 3;
	a.auth_type = VRRP_AUTH_AH;
	a.adver_int = 3;
	a.addrs[0] = ip4("192.168.50.1");
	a.addrs[1] = ip4("192.168.50.2");
	a.addrs[2] = ip4("10.1.2.3");
	memcpy(a.auth_data, "Zz9!\0\0\0\0", 8);	/* must not leak into AH adverts */
	mlen = vrrp_v2_encode(&a, msg, sizeof(msg));
	assert_int_equal(mlen, g->len - VOFF);
	assert_memory_equal(msg, g->pkt + VOFF, mlen);
	assert_int_equal(vrrp_ah_build(out, sizeof(out), src, ip4(g->dst), g->id,
				       vrrp_ah_spi(src), g->seq, g->pass, msg, mlen), g->len);
	assert_memory_equal(out, g->pkt, g->len);
}

/* A wrong password fails the ICV; the key is the first 8 octets only. */
static void test_wrong_key(void **state)
{
	static const char *const wrong[] = { "", "secret1", "secret13", "Secret12" };
	struct vrrp_ah_info info;
	size_t i;

	(void)state;
	assert_int_equal(parse_exact(g1, sizeof(g1), NULL, &info), VRRP_AH_BAD_ICV);
	for (i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++)
		assert_int_equal(parse_exact(g1, sizeof(g1), wrong[i], &info), VRRP_AH_BAD_ICV);
	/* only 8 octets count: "secret12x" is "secret12" */
	assert_int_equal(parse_exact(g1, sizeof(g1), "secret12x", &info), VRRP_AH_OK);
	/* g4 was sent with auth_pass longpassword123 */
	assert_int_equal(parse_exact(g4, sizeof(g4), "longpass", &info), VRRP_AH_OK);
	assert_int_equal(parse_exact(g4, sizeof(g4), "longpas", &info), VRRP_AH_BAD_ICV);
	assert_int_equal(parse_exact(g3, sizeof(g3), "abd", &info), VRRP_AH_BAD_ICV);
	assert_int_equal(parse_exact(g3, sizeof(g3), "ab", &info), VRRP_AH_BAD_ICV);
	/* every golden fails with every other golden's (different) password */
	for (i = 0; i < NGOLDEN; i++) {
		const char *other = strcmp(goldens[i].pass, "pw") ? "pw" : "secret12";

		assert_int_equal(parse_exact(goldens[i].pkt, goldens[i].len, other, &info),
				 VRRP_AH_BAD_ICV);
	}
}

/* The fields RFC 2402 calls mutable and keepalived leaves out of the ICV:
 * TOS, flags (DF), IP checksum -- and TTL only when the destination is
 * unicast. */
static int mutable_octet(size_t off, bool unicast)
{
	return off == 1 || off == 10 || off == 11 || (unicast && off == 8);
}

/* Flipping any single bit anywhere else makes parse fail. */
static void test_modified_every_octet(void **state)
{
	size_t i, off;
	unsigned bit;

	(void)state;
	for (i = 0; i < NGOLDEN; i++) {
		const struct golden *g = &goldens[i];
		bool unicast = strcmp(g->dst, "224.0.0.18") != 0;

		for (off = 0; off < g->len; off++) {
			for (bit = 0; bit < 8; bit++) {
				uint8_t p[VRRP_AH_MAX_PKT];
				struct vrrp_ah_info info;
				enum vrrp_ah_result r;

				memcpy(p, g->pkt, g->len);
				p[off] ^= (uint8_t)(1u << bit);
				r = parse_exact(p, g->len, g->pass, &info);
				/* The flag bits (DF 0x40 and the reserved 0x80
				 * of octet 6) are outside the ICV too; MF and
				 * the offset mean a fragment. */
				if (mutable_octet(off, unicast) || (off == 6 && bit >= 6))
					assert_int_equal(r, VRRP_AH_OK);
				else
					assert_int_not_equal(r, VRRP_AH_OK);
			}
		}
	}
}

/* Where a change lands decides which reason is given. */
static void test_modified_reasons(void **state)
{
	uint8_t p[sizeof(g1)];
	struct vrrp_ah_info info;

	(void)state;
	memcpy(p, g1, sizeof(g1));
	p[8] = 254;			/* multicast: TTL is in the ICV */
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_BAD_ICV);
	memcpy(p, g1, sizeof(g1));
	p[5] ^= 1;			/* IP id is in the ICV */
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_BAD_ICV);
	memcpy(p, g1, sizeof(g1));
	p[IPH + 2] = 1;			/* AH reserved: covered */
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_BAD_ICV);
	memcpy(p, g1, sizeof(g1));
	p[IPH + 11] ^= 1;		/* sequence number: covered */
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_BAD_ICV);
	memcpy(p, g1, sizeof(g1));
	p[IPH + 12] ^= 0x80;		/* ICV itself */
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_BAD_ICV);
	memcpy(p, g1, sizeof(g1));
	p[sizeof(p) - 1] ^= 1;		/* last octet of the VRRP message */
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_BAD_ICV);
	memcpy(p, g1, sizeof(g1));
	p[IPH + 7] ^= 1;		/* SPI no longer the source */
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_BAD_SPI);
	memcpy(p, g1, sizeof(g1));
	p[15] ^= 1;			/* source no longer the SPI */
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_BAD_SPI);
	memcpy(p, g1, sizeof(g1));
	p[IPH] = 0;			/* next header */
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_BAD_HEADER);
	memcpy(p, g1, sizeof(g1));
	p[IPH + 1] = 5;			/* payload length */
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_BAD_HEADER);
	memcpy(p, g1, sizeof(g1));
	p[9] = IPPROTO_VRRP_NUM;	/* protocol */
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_BAD_IP);
	memcpy(p, g1, sizeof(g1));
	p[6] = 0x20;			/* MF */
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_BAD_IP);
	memcpy(p, g1, sizeof(g1));
	p[7] = 1;			/* fragment offset */
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_BAD_IP);
	memcpy(p, g1, sizeof(g1));
	p[0] = 0x65;			/* version 6 */
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_BAD_IP);
}

/* Mutable fields: parse ignores them, and reports what arrived. */
static void test_mutable_fields(void **state)
{
	uint8_t p[sizeof(g5)];
	struct vrrp_ah_info info;

	(void)state;
	memcpy(p, g1, sizeof(g1));
	p[1] = 0;			/* TOS */
	p[6] = 0x40;			/* DF */
	p[10] = p[11] = 0;		/* IP checksum */
	assert_int_equal(parse_exact(p, sizeof(g1), "secret12", &info), VRRP_AH_OK);
	/* unicast: TTL outside the ICV; the caller sees the real TTL */
	memcpy(p, g5, sizeof(g5));
	p[8] = 64;
	assert_int_equal(parse_exact(p, sizeof(g5), "pw", &info), VRRP_AH_OK);
	assert_int_equal(info.ttl, 64);
	assert_false(vrrp_ah_icv_covers_ttl(ip4("10.77.0.2")));
	assert_true(vrrp_ah_icv_covers_ttl(ip4("224.0.0.18")));
	assert_true(vrrp_ah_icv_covers_ttl(ip4("239.255.255.255")));
	assert_false(vrrp_ah_icv_covers_ttl(ip4("255.255.255.255")));
}

/* Every truncation fails (and ASan checks nothing past the end is read),
 * whether or not the total length is adjusted to match. */
static void test_truncated_everywhere(void **state)
{
	size_t i, n;

	(void)state;
	for (i = 0; i < NGOLDEN; i++) {
		const struct golden *g = &goldens[i];

		for (n = 0; n < g->len; n++) {
			uint8_t p[VRRP_AH_MAX_PKT];
			struct vrrp_ah_info info;

			assert_int_not_equal(parse_exact(g->pkt, n, g->pass, &info), VRRP_AH_OK);
			memcpy(p, g->pkt, n);
			if (n >= 4) {
				p[2] = (uint8_t)(n >> 8);
				p[3] = (uint8_t)n;
			}
			assert_int_not_equal(parse_exact(p, n, g->pass, &info), VRRP_AH_OK);
		}
	}
}

/* Bytes after the IP total length (Ethernet padding) are not looked at. */
static void test_trailing_padding(void **state)
{
	uint8_t p[sizeof(g1) + 16];
	struct vrrp_ah_info info;

	(void)state;
	memcpy(p, g1, sizeof(g1));
	memset(p + sizeof(g1), 0xee, 16);
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_OK);
	assert_int_equal(info.vrrp_len, 20);
}

/* IP options are refused, even with a correct ICV over them. */
static void test_ip_options_refused(void **state)
{
	uint8_t p[sizeof(g1) + 4];
	struct vrrp_ah_info info;

	(void)state;
	memcpy(p, g1, IPH);
	memset(p + IPH, 1, 4);		/* 4 x NOP */
	memcpy(p + IPH + 4, g1 + IPH, sizeof(g1) - IPH);
	p[0] = 0x46;
	p[3] = (uint8_t)sizeof(p);
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_BAD_IP);
}

/* An AH datagram with nothing after the AH header parses (the VRRP checks
 * reject it); one with the AH header cut does not; one longer than any
 * advert is refused. */
static void test_lengths(void **state)
{
	uint8_t p[VRRP_AH_MAX_PKT + 8];
	uint8_t msg[VRRP_V2_MAX_LEN] = { 0 };
	struct vrrp_ah_info info;
	struct vrrp_rx rx;
	uint8_t plain[64];
	size_t n;

	(void)state;
	n = vrrp_ah_build(p, sizeof(p), ip4("10.0.0.1"), ip4("224.0.0.18"), 9,
			  vrrp_ah_spi(ip4("10.0.0.1")), 5, "k", NULL, 0);
	assert_int_equal(n, IPH + AHH);
	assert_int_equal(parse_exact(p, n, "k", &info), VRRP_AH_OK);
	assert_int_equal(info.vrrp_len, 0);
	n = vrrp_ah_decap(&info, plain, sizeof(plain));
	assert_int_equal(n, IPH);
	assert_int_equal(vrrp_v2_parse(plain, n, &rx), VRRP_DROP_LENGTH);

	/* total length says 43: AH header incomplete */
	memcpy(p, g1, IPH + AHH - 1);
	p[3] = IPH + AHH - 1;
	assert_int_equal(parse_exact(p, IPH + AHH - 1, "secret12", &info), VRRP_AH_BAD_HEADER);

	/* largest advert: fine; one octet more: refused */
	memset(p, 0, sizeof(p));
	n = vrrp_ah_build(p, sizeof(p), ip4("10.0.0.1"), ip4("224.0.0.18"), 9,
			  vrrp_ah_spi(ip4("10.0.0.1")), 5, "k", msg, sizeof(msg));
	assert_int_equal(n, VRRP_AH_MAX_PKT);
	assert_int_equal(parse_exact(p, n, "k", &info), VRRP_AH_OK);
	p[2] = (uint8_t)((n + 1) >> 8);
	p[3] = (uint8_t)(n + 1);
	assert_int_equal(parse_exact(p, n + 1, "k", &info), VRRP_AH_BAD_HEADER);
}

/* Build refuses short buffers and oversized messages, and never writes
 * past outlen. */
static void test_build_limits(void **state)
{
	const uint8_t *msg = g1 + VOFF;
	size_t mlen = sizeof(g1) - VOFF, n;
	struct in_addr src = ip4("10.77.0.1");
	uint8_t big[VRRP_V2_MAX_LEN + 1] = { 0 };
	uint8_t out[VRRP_AH_MAX_PKT + 8];

	(void)state;
	for (n = 0; n < sizeof(g1); n++) {
		uint8_t *q = malloc(n ? n : 1);

		assert_non_null(q);
		assert_int_equal(vrrp_ah_build(q, n, src, ip4("224.0.0.18"), 1, vrrp_ah_spi(src),
					       1, "secret12", msg, mlen), 0);
		free(q);
	}
	assert_int_equal(vrrp_ah_build(out, sizeof(out), src, ip4("224.0.0.18"), 1,
				       vrrp_ah_spi(src), 1, "secret12", big, sizeof(big)), 0);
}

/* Round trips over varied inputs: what goes in comes out. */
static void test_round_trip(void **state)
{
	static const char *const keys[] = { NULL, "", "a", "12345678", "123456789" };
	static const char *const dsts[] = { "224.0.0.18", "192.168.1.2" };
	uint8_t msg[VRRP_V2_MAX_LEN], out[VRRP_AH_MAX_PKT];
	struct vrrp_ah_info info;
	unsigned i, k;

	(void)state;
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 37 + 11);
	for (i = 0; i < 200; i++) {
		struct in_addr src = { htonl(0x0a000001u + i * 7919u) };
		struct in_addr dst = ip4(dsts[i % 2]);
		uint32_t seq = i * 0x01010101u + (i == 199 ? 0xffffff00u : 0);
		size_t mlen = (i * 13) % (VRRP_V2_MAX_LEN + 1), n;

		k = i % 5;
		n = vrrp_ah_build(out, sizeof(out), src, dst, (uint16_t)(i + 1), vrrp_ah_spi(src),
				  seq, keys[k], msg, mlen);
		assert_int_equal(n, IPH + AHH + mlen);
		assert_int_equal(parse_exact(out, n, keys[k], &info), VRRP_AH_OK);
		assert_int_equal(info.seq, seq);
		assert_int_equal(info.spi, ntohl(src.s_addr));
		assert_int_equal(info.ip_id, i + 1);
		assert_int_equal(info.vrrp_len, mlen);
		assert_int_equal(info.ttl, 255);
		/* NULL and "" are the same (empty) key; 9 octets are 8 */
		if (k == 0 || k == 1)
			assert_int_equal(parse_exact(out, n, keys[1 - k], &info), VRRP_AH_OK);
		if (k == 3 || k == 4)
			assert_int_equal(parse_exact(out, n, keys[7 - k], &info), VRRP_AH_OK);
		if (k == 2)
			assert_int_equal(parse_exact(out, n, "b", &info), VRRP_AH_BAD_ICV);
	}
}

/* A wrong SPI with a correct ICV over it is still refused. */
static void test_spi_must_be_source(void **state)
{
	uint8_t p[sizeof(g1)];
	struct vrrp_ah_info info;

	(void)state;
	memcpy(p, g1, sizeof(g1));
	p[IPH + 4] = 0x12;
	p[IPH + 5] = 0x34;
	reseal(p, sizeof(p), "secret12");
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_BAD_SPI);
	/* and the reseal helper does produce a valid ICV otherwise */
	memcpy(p, g1, sizeof(g1));
	p[IPH + 11] = 9;
	reseal(p, sizeof(p), "secret12");
	assert_int_equal(parse_exact(p, sizeof(p), "secret12", &info), VRRP_AH_OK);
	assert_int_equal(info.seq, 9);
}

/* keepalived 2.2.7's replay rule, as observed: strictly greater than the
 * instance's counter, which then takes the received value. */
static void test_seq_accept(void **state)
{
	uint32_t c = 0;

	(void)state;
	assert_false(vrrp_ah_seq_accept(&c, 0));	/* 0 never passes */
	assert_int_equal(c, 0);
	assert_true(vrrp_ah_seq_accept(&c, 1));
	assert_int_equal(c, 1);
	assert_false(vrrp_ah_seq_accept(&c, 1));	/* replay */
	assert_true(vrrp_ah_seq_accept(&c, 5000));	/* gaps are fine */
	assert_int_equal(c, 5000);
	assert_false(vrrp_ah_seq_accept(&c, 1002));	/* and stay: no window */
	assert_int_equal(c, 5000);
	assert_true(vrrp_ah_seq_accept(&c, 0x80000000u));	/* unsigned */
	assert_true(vrrp_ah_seq_accept(&c, 0xffffffffu));
	assert_false(vrrp_ah_seq_accept(&c, 0));	/* no wrap */
	assert_false(vrrp_ah_seq_accept(&c, 0xffffffffu));
	assert_int_equal(c, 0xffffffffu);
}

/* Sending: counter + 1, first advert 1, continues after a received value,
 * saturates at 0xffffffff. */
static void test_seq_next(void **state)
{
	uint32_t c = 0;

	(void)state;
	assert_int_equal(vrrp_ah_seq_next(&c), 1);
	assert_int_equal(vrrp_ah_seq_next(&c), 2);
	assert_int_equal(c, 2);
	assert_true(vrrp_ah_seq_accept(&c, 6));	/* a peer's advert, as in g6 */
	assert_int_equal(vrrp_ah_seq_next(&c), 7);
	c = 0xfffffffeu;
	assert_int_equal(vrrp_ah_seq_next(&c), 0xffffffffu);
	assert_int_equal(vrrp_ah_seq_next(&c), 0xffffffffu);
	assert_int_equal(c, 0xffffffffu);
}

static void test_decap_limits(void **state)
{
	struct vrrp_ah_info info;
	uint8_t buf[IPH + 20];

	(void)state;
	assert_int_equal(vrrp_ah_parse(g1, sizeof(g1), "secret12", &info), VRRP_AH_OK);
	assert_int_equal(vrrp_ah_decap(&info, buf, sizeof(buf) - 1), 0);
	assert_int_equal(vrrp_ah_decap(&info, buf, sizeof(buf)), sizeof(buf));
	assert_int_equal(buf[9], IPPROTO_VRRP_NUM);
	assert_int_equal(buf[8], 255);
	assert_memory_equal(buf + IPH, g1 + VOFF, 20);
	/* a valid IP header checksum, should anything check it */
	assert_int_equal(vrrp_checksum(buf, IPH), 0);
}

static void test_result_names(void **state)
{
	(void)state;
	assert_string_equal(vrrp_ah_result_name(VRRP_AH_OK), "ok");
	assert_string_equal(vrrp_ah_result_name(VRRP_AH_BAD_IP), "ip-header");
	assert_string_equal(vrrp_ah_result_name(VRRP_AH_BAD_HEADER), "ah-header");
	assert_string_equal(vrrp_ah_result_name(VRRP_AH_BAD_SPI), "spi");
	assert_string_equal(vrrp_ah_result_name(VRRP_AH_BAD_ICV), "icv");
	assert_string_equal(vrrp_ah_result_name(VRRP_AH_RESULTS), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_parse),
		cmocka_unit_test(test_golden_build),
		cmocka_unit_test(test_golden_inner_is_v2_encode),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_modified_every_octet),
		cmocka_unit_test(test_modified_reasons),
		cmocka_unit_test(test_mutable_fields),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_trailing_padding),
		cmocka_unit_test(test_ip_options_refused),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_build_limits),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_spi_must_be_source),
		cmocka_unit_test(test_seq_accept),
		cmocka_unit_test(test_seq_next),
		cmocka_unit_test(test_decap_limits),
		cmocka_unit_test(test_result_names),
	};

	return cmocka_run_group_tests_name("vrrp_ah", tests, NULL, NULL);
}
