/* Unit tests for the VRRPv2 codec: the golden vector, round trips, and one
 * crafted packet per drop reason (RFC 3768 section 7.1 order), including
 * the bad inputs of BI-V01..BI-V14.  Test names cite requirement IDs. */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vrrp_packet.h"

#define IPH 20

static const uint8_t golden[20] = {
	0x21, 0x01, 0x64, 0x01, 0x00, 0x01, 0xba, 0x52, 0xc0, 0xa8,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static struct in_addr ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* An advert with `n` addresses 10.1.x.y, no auth, interval 1. */
static void make_adv(struct vrrp_adv *a, unsigned n)
{
	unsigned i;

	memset(a, 0, sizeof(*a));
	a->vrid = 51;
	a->priority = 100;
	a->naddr = (uint8_t)n;
	a->adver_int = 1;
	for (i = 0; i < n; i++)
		a->addrs[i].s_addr = htonl(0x0a010000u + i + 1);
}

/* Put an IPv4 header with `optlen` octets of options (NOPs) in front of the
 * VRRP message msg[0..mlen).  Returns the total length. */
static size_t wrap_ip(uint8_t *pkt, const uint8_t *msg, size_t mlen, size_t optlen)
{
	size_t ihl = IPH + optlen, tot = ihl + mlen;

	memset(pkt, 0, ihl);
	pkt[0] = (uint8_t)(0x40 | ihl / 4);
	pkt[2] = (uint8_t)(tot >> 8);
	pkt[3] = (uint8_t)tot;
	pkt[8] = VRRP_TTL;
	pkt[9] = IPPROTO_VRRP_NUM;
	memcpy(pkt + 12, &(struct in_addr){ htonl(0xc0a80002u) }, 4);
	memcpy(pkt + 16, &(struct in_addr){ htonl(VRRP_MCAST_GROUP) }, 4);
	memset(pkt + IPH, 1, optlen);		/* IPOPT_NOP */
	memcpy(pkt + ihl, msg, mlen);
	return tot;
}

/* A complete valid packet for `a`; returns its length. */
static size_t make_pkt(uint8_t *pkt, const struct vrrp_adv *a)
{
	uint8_t msg[VRRP_V2_MAX_LEN];
	size_t mlen = vrrp_v2_encode(a, msg, sizeof(msg));

	assert_true(mlen > 0);
	return wrap_ip(pkt, msg, mlen, 0);
}

/* After editing the VRRP part of pkt (at offset ihl, mlen octets), make its
 * checksum right again so that only the edited field is wrong. */
static void fix_cksum(uint8_t *pkt, size_t ihl, size_t mlen)
{
	uint16_t ck;

	pkt[ihl + 6] = pkt[ihl + 7] = 0;
	ck = vrrp_checksum(pkt + ihl, mlen);
	memcpy(pkt + ihl + 6, &ck, 2);
}

/* Parse a copy in a buffer of exactly `len` octets, so ASan sees any read
 * past the end. */
static enum vrrp_drop parse_exact(const uint8_t *pkt, size_t len, struct vrrp_rx *rx)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum vrrp_drop r;

	assert_non_null(copy);
	memcpy(copy, pkt, len);
	r = vrrp_v2_parse(copy, len, rx);
	free(copy);
	return r;
}

static void test_golden_vector_v2_r15(void **state)
{
	struct vrrp_adv a;
	uint8_t buf[64];
	uint16_t ck;

	(void)state;
	make_adv(&a, 1);
	a.vrid = 1;
	a.addrs[0] = ip4("192.168.0.1");
	assert_int_equal(vrrp_v2_encode(&a, buf, sizeof(buf)), sizeof(golden));
	assert_memory_equal(buf, golden, sizeof(golden));
	/* The returned value is stored as is: network order in memory. */
	ck = vrrp_checksum(golden, sizeof(golden));
	assert_int_equal(ck, 0);
	memcpy(buf, golden, sizeof(golden));
	buf[6] = buf[7] = 0;
	ck = vrrp_checksum(buf, sizeof(golden));
	assert_int_equal(ntohs(ck), 0xba52);
}

static void test_checksum_rfc1071(void **state)
{
	static const uint8_t rfc[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	static const uint8_t odd[3] = { 0x01, 0x02, 0x03 };
	static const uint8_t one[1] = { 0xab };
	uint8_t big[65536];

	(void)state;
	/* RFC 1071 section 3 example: sum 0xddf2. */
	assert_int_equal(ntohs(vrrp_checksum(rfc, sizeof(rfc))), 0x220d);
	/* Odd length: the last octet is the high half of a word. */
	assert_int_equal(ntohs(vrrp_checksum(odd, sizeof(odd))), (uint16_t)~0x0402);
	assert_int_equal(ntohs(vrrp_checksum(one, sizeof(one))), (uint16_t)~0xab00);
	assert_int_equal(ntohs(vrrp_checksum(odd, 0)), 0xffff);
	/* Carries fold: 32 Ki words of 0xffff sum to 0xffff. */
	memset(big, 0xff, sizeof(big));
	assert_int_equal(vrrp_checksum(big, sizeof(big)), 0);
}

static void test_encode_limits(void **state)
{
	struct vrrp_adv a;
	uint8_t buf[VRRP_V2_MAX_LEN];

	(void)state;
	make_adv(&a, 0);
	assert_int_equal(vrrp_v2_encode(&a, buf, sizeof(buf)), 0);	/* V2-R12 */
	make_adv(&a, 3);
	assert_int_equal(vrrp_v2_encode(&a, buf, 27), 0);
	assert_int_equal(vrrp_v2_encode(&a, buf, 28), 28);
	make_adv(&a, 255);
	assert_int_equal(vrrp_v2_encode(&a, buf, sizeof(buf)), VRRP_V2_MAX_LEN);
}

/* V2-R16: auth data is zero on TX unless it is a password. */
static void test_encode_auth_data_zero_v2_r16(void **state)
{
	struct vrrp_adv a;
	uint8_t buf[64];
	static const uint8_t zero[8];

	(void)state;
	make_adv(&a, 1);
	memcpy(a.auth_data, "garbage!", 8);
	a.auth_type = VRRP_AUTH_NONE;
	assert_int_equal(vrrp_v2_encode(&a, buf, sizeof(buf)), 20);
	assert_memory_equal(buf + 12, zero, 8);
	a.auth_type = VRRP_AUTH_AH;
	assert_int_equal(vrrp_v2_encode(&a, buf, sizeof(buf)), 20);
	assert_memory_equal(buf + 12, zero, 8);
	a.auth_type = VRRP_AUTH_PASS;
	assert_int_equal(vrrp_v2_encode(&a, buf, sizeof(buf)), 20);
	assert_memory_equal(buf + 12, "garbage!", 8);
}

static void test_round_trip_255_addresses_pass(void **state)
{
	static uint8_t pkt[IPH + VRRP_V2_MAX_LEN];
	static struct in_addr vips[VRRP_MAX_VIPS];
	struct vrrp_expect e = { .auth_type = VRRP_AUTH_PASS, .auth_pass = "s3cret",
				 .adver_int = 3, .local_priority = 100 };
	struct vrrp_adv a;
	struct vrrp_rx rx;
	size_t len;
	unsigned i;

	(void)state;
	make_adv(&a, 255);
	a.priority = 254;
	a.adver_int = 3;
	a.auth_type = VRRP_AUTH_PASS;
	memcpy(a.auth_data, "s3cret\0\0", 8);
	len = make_pkt(pkt, &a);
	assert_int_equal(len, IPH + VRRP_V2_MAX_LEN);
	assert_int_equal(parse_exact(pkt, len, &rx), VRRP_RX_OK);
	assert_int_equal(rx.adv.version, 2);
	assert_int_equal(rx.adv.type, 1);
	assert_int_equal(rx.adv.vrid, 51);
	assert_int_equal(rx.adv.priority, 254);
	assert_int_equal(rx.adv.naddr, 255);
	assert_int_equal(rx.adv.auth_type, VRRP_AUTH_PASS);
	assert_int_equal(rx.adv.adver_int, 3);
	assert_memory_equal(rx.adv.addrs, a.addrs, 255 * sizeof(a.addrs[0]));
	assert_memory_equal(rx.adv.auth_data, "s3cret\0\0", 8);
	assert_memory_equal(&rx.adv.checksum, pkt + IPH + 6, 2);
	assert_int_equal(ntohl(rx.src.s_addr), 0xc0a80002u);
	assert_int_equal(ntohl(rx.dst.s_addr), VRRP_MCAST_GROUP);
	assert_int_equal(rx.ttl, 255);
	/* The configured list in reverse order still matches. */
	for (i = 0; i < 255; i++)
		vips[i] = a.addrs[254 - i];
	e.vips = vips;
	e.n_vips = 255;
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_RX_OK);
	assert_false(rx.addr_list_mismatch);
}

static void test_parse_ip_header(void **state)
{
	uint8_t pkt[128], bad[128];
	struct vrrp_adv a;
	struct vrrp_rx rx;
	size_t len;

	(void)state;
	make_adv(&a, 1);
	len = make_pkt(pkt, &a);
	assert_int_equal(parse_exact(pkt, len, &rx), VRRP_RX_OK);
	assert_int_equal(parse_exact(pkt, 19, &rx), VRRP_DROP_IP_HEADER);
#define BAD(off, val) do { memcpy(bad, pkt, len); bad[off] = (val); \
	assert_int_equal(parse_exact(bad, len, &rx), VRRP_DROP_IP_HEADER); } while (0)
	BAD(0, 0x65);		/* version 6 */
	BAD(0, 0x44);		/* IHL 4 */
	BAD(0, 0x4f);		/* IHL 15: 60 octets, more than the 40 we have */
	BAD(3, 19);		/* total length below the header */
	BAD(3, (uint8_t)(len + 1));	/* total length beyond the buffer */
	BAD(2, 1);
	BAD(9, 6);		/* TCP */
	BAD(9, 51);		/* AH: not ours to parse */
	BAD(6, 0x20);		/* MF: first fragment (BI-V11) */
	BAD(7, 0x01);		/* offset 8: later fragment */
	BAD(6, 0x1f);
#undef BAD
	/* DF is fine. */
	memcpy(bad, pkt, len);
	bad[6] = 0x40;
	assert_int_equal(parse_exact(bad, len, &rx), VRRP_RX_OK);
}

/* BI-V11: IHL > 5 is legal; the options are skipped. */
static void test_parse_ip_options_accepted(void **state)
{
	uint8_t msg[64], pkt[128];
	struct vrrp_adv a;
	struct vrrp_rx rx;
	size_t mlen, opt;

	(void)state;
	make_adv(&a, 2);
	mlen = vrrp_v2_encode(&a, msg, sizeof(msg));
	for (opt = 4; opt <= 40; opt += 4) {
		size_t len = wrap_ip(pkt, msg, mlen, opt);

		assert_int_equal(parse_exact(pkt, len, &rx), VRRP_RX_OK);
		assert_int_equal(rx.adv.naddr, 2);
		assert_memory_equal(rx.adv.addrs, a.addrs, 8);
	}
}

/* BI-V02 / V2-R17: octets after the IP total length are Ethernet padding. */
static void test_parse_ethernet_padding(void **state)
{
	uint8_t pkt[128];
	struct vrrp_adv a;
	struct vrrp_rx rx;
	size_t len;

	(void)state;
	make_adv(&a, 1);
	len = make_pkt(pkt, &a);
	memset(pkt + len, 0xa5, 26);
	assert_int_equal(parse_exact(pkt, len + 26, &rx), VRRP_RX_OK);
	assert_int_equal(rx.adv.naddr, 1);
}

/* V2-R17 decision: octets after 16 + 4n inside the IP payload are accepted
 * and left out of the checksum. */
static void test_parse_trailing_payload_accepted_v2_r17(void **state)
{
	uint8_t msg[64], pkt[128];
	struct vrrp_adv a;
	struct vrrp_rx rx;
	size_t mlen, len;

	(void)state;
	make_adv(&a, 1);
	mlen = vrrp_v2_encode(&a, msg, sizeof(msg));
	memset(msg + mlen, 0x77, 12);
	len = wrap_ip(pkt, msg, mlen + 12, 0);
	assert_int_equal(parse_exact(pkt, len, &rx), VRRP_RX_OK);
	assert_int_equal(rx.adv.naddr, 1);
}

/* V2-R42 / BI-V08, and TTL is checked before anything in the message. */
static void test_parse_ttl_v2_r42(void **state)
{
	static const uint8_t ttls[] = { 0, 1, 64, 128, 254 };
	uint8_t pkt[128];
	struct vrrp_adv a;
	struct vrrp_rx rx;
	size_t len, i;

	(void)state;
	make_adv(&a, 1);
	len = make_pkt(pkt, &a);
	for (i = 0; i < sizeof(ttls); i++) {
		pkt[8] = ttls[i];
		assert_int_equal(parse_exact(pkt, len, &rx), VRRP_DROP_TTL);
	}
	pkt[IPH] = 0x31;		/* also a bad version: TTL wins */
	assert_int_equal(parse_exact(pkt, len, &rx), VRRP_DROP_TTL);
}

/* V2-R43 / BI-V03: any version but 2, with a correct checksum. */
static void test_parse_version_v2_r43(void **state)
{
	uint8_t pkt[128];
	struct vrrp_adv a;
	struct vrrp_rx rx;
	size_t len;
	unsigned v;

	(void)state;
	make_adv(&a, 1);
	len = make_pkt(pkt, &a);
	for (v = 0; v < 16; v++) {
		if (v == 2)
			continue;
		pkt[IPH] = (uint8_t)(v << 4 | 1);
		fix_cksum(pkt, IPH, len - IPH);
		assert_int_equal(parse_exact(pkt, len, &rx), VRRP_DROP_VERSION);
	}
	/* Version before length: a 4-octet v3 stub is a version error. */
	pkt[IPH] = 0x31;
	pkt[3] = IPH + 4;
	assert_int_equal(parse_exact(pkt, IPH + 4, &rx), VRRP_DROP_VERSION);
}

/* V2-R07 / BI-V03: any type but 1 (checksum right). */
static void test_parse_type_v2_r07(void **state)
{
	uint8_t pkt[128];
	struct vrrp_adv a;
	struct vrrp_rx rx;
	size_t len;
	unsigned t;

	(void)state;
	make_adv(&a, 1);
	len = make_pkt(pkt, &a);
	for (t = 0; t < 16; t++) {
		if (t == 1)
			continue;
		pkt[IPH] = (uint8_t)(0x20 | t);
		fix_cksum(pkt, IPH, len - IPH);
		assert_int_equal(parse_exact(pkt, len, &rx), VRRP_DROP_TYPE);
		/* Checksum comes first: break it too and that is the reason. */
		pkt[IPH + 7] ^= 1;
		assert_int_equal(parse_exact(pkt, len, &rx), VRRP_DROP_CHECKSUM);
	}
}

/* V2-R44, V2-R12 / BI-V02. */
static void test_parse_length_v2_r44(void **state)
{
	uint8_t pkt[128];
	struct vrrp_adv a;
	struct vrrp_rx rx;
	size_t len;

	(void)state;
	make_adv(&a, 2);
	len = make_pkt(pkt, &a);
	pkt[IPH + 3] = 0;			/* Count 0 */
	fix_cksum(pkt, IPH, len - IPH);
	assert_int_equal(parse_exact(pkt, len, &rx), VRRP_DROP_LENGTH);
	pkt[IPH + 3] = 255;			/* Count 255 in 24 octets */
	fix_cksum(pkt, IPH, len - IPH);
	assert_int_equal(parse_exact(pkt, len, &rx), VRRP_DROP_LENGTH);
	pkt[IPH + 3] = 3;			/* one more than carried */
	fix_cksum(pkt, IPH, len - IPH);
	assert_int_equal(parse_exact(pkt, len, &rx), VRRP_DROP_LENGTH);
	/* Count 1 in a 2-address message: 4 trailing octets, accepted, but
	 * the checksum then covers 20 octets and must be right for those. */
	pkt[IPH + 3] = 1;
	assert_int_equal(parse_exact(pkt, len, &rx), VRRP_DROP_CHECKSUM);
	fix_cksum(pkt, IPH, 20);
	assert_int_equal(parse_exact(pkt, len, &rx), VRRP_RX_OK);
	assert_int_equal(rx.adv.naddr, 1);
}

/* BI-V01: every cut of a valid packet is dropped, without reading past the
 * end, whether the IP total length was cut too or still claims the rest. */
static void test_parse_truncated_everywhere_bi_v01(void **state)
{
	uint8_t pkt[128], cut[128];
	struct vrrp_adv a;
	struct vrrp_rx rx;
	size_t len, t;

	(void)state;
	make_adv(&a, 3);
	len = make_pkt(pkt, &a);
	for (t = 0; t < len; t++) {
		assert_int_equal(parse_exact(pkt, t, &rx), VRRP_DROP_IP_HEADER);
		memcpy(cut, pkt, t);
		if (t >= 4) {
			cut[2] = (uint8_t)(t >> 8);
			cut[3] = (uint8_t)t;
		}
		if (t < IPH)
			assert_int_equal(parse_exact(cut, t, &rx), VRRP_DROP_IP_HEADER);
		else
			assert_int_equal(parse_exact(cut, t, &rx), VRRP_DROP_LENGTH);
	}
}

/* V2-R45 / BI-V07. */
static void test_parse_checksum_v2_r45(void **state)
{
	uint8_t pkt[128];
	struct vrrp_adv a;
	struct vrrp_rx rx;
	size_t len, i;

	(void)state;
	make_adv(&a, 2);
	len = make_pkt(pkt, &a);
	for (i = IPH; i < len; i++) {
		if (i == IPH || i == IPH + 3)
			continue;	/* version and Count have their own reasons */
		pkt[i] ^= 0x10;
		assert_int_equal(parse_exact(pkt, len, &rx), VRRP_DROP_CHECKSUM);
		pkt[i] ^= 0x10;
	}
	pkt[IPH + 6] = pkt[IPH + 7] = 0;	/* "no checksum" is no excuse */
	assert_int_equal(parse_exact(pkt, len, &rx), VRRP_DROP_CHECKSUM);
	pkt[IPH + 6] = pkt[IPH + 7] = 0xff;
	assert_int_equal(parse_exact(pkt, len, &rx), VRRP_DROP_CHECKSUM);
}

/* BI-V14 / section 2.6: a CARP advert (0x21, 36 octets, "Count" 7). */
static void test_parse_carp_is_length(void **state)
{
	uint8_t carp[36] = { 0x21, 0x05, 0x00, 0x07, 0x00, 0x01 };
	uint8_t pkt[128];
	struct vrrp_rx rx;
	size_t len;

	(void)state;
	memset(carp + 8, 0x5a, sizeof(carp) - 8);
	len = wrap_ip(pkt, carp, sizeof(carp), 0);
	assert_int_equal(parse_exact(pkt, len, &rx), VRRP_DROP_LENGTH);
}

/* Random payloads behind a sane header never crash and never pass
 * unless the checksum happens to be right. */
static void test_parse_random_payloads(void **state)
{
	uint8_t msg[VRRP_V2_MAX_LEN], pkt[IPH + VRRP_V2_MAX_LEN];
	unsigned long long x = 0x9e3779b97f4a7c15ull;
	struct vrrp_rx rx;
	size_t i, j;

	(void)state;
	for (i = 0; i < 20000; i++) {
		size_t mlen, len;

		x = x * 6364136223846793005ull + 1442695040888963407ull;
		mlen = (size_t)(x >> 33) % sizeof(msg);
		for (j = 0; j < mlen; j++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			msg[j] = (uint8_t)(x >> 56);
		}
		if (mlen && (i & 1))
			msg[0] = 0x21;
		len = wrap_ip(pkt, msg, mlen, 0);
		if (parse_exact(pkt, len, &rx) == VRRP_RX_OK)
			assert_true(rx.adv.naddr > 0);
	}
}

/* A parsed advert with addresses 10.1.0.1, 10.1.0.2 for the instance tests. */
static void parsed(struct vrrp_rx *rx, uint8_t auth_type, const char *pass)
{
	uint8_t pkt[128];
	struct vrrp_adv a;
	size_t len;

	make_adv(&a, 2);
	a.auth_type = auth_type;
	if (pass)
		memcpy(a.auth_data, pass, strnlen(pass, 8));
	len = make_pkt(pkt, &a);
	assert_int_equal(parse_exact(pkt, len, rx), VRRP_RX_OK);
}

static struct in_addr cfg_vips[2];

static struct vrrp_expect expect(uint8_t auth_type, const char *pass)
{
	cfg_vips[0].s_addr = htonl(0x0a010002u);	/* other order than sent */
	cfg_vips[1].s_addr = htonl(0x0a010001u);
	return (struct vrrp_expect){ .auth_type = auth_type, .auth_pass = pass, .adver_int = 1,
				     .local_priority = 100, .vips = cfg_vips, .n_vips = 2 };
}

/* V2-R46: the owner discards adverts for its VRID. */
static void test_instance_owner_v2_r46(void **state)
{
	struct vrrp_expect e = expect(VRRP_AUTH_NONE, NULL);
	struct vrrp_rx rx;

	(void)state;
	parsed(&rx, VRRP_AUTH_NONE, NULL);
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_RX_OK);
	e.local_priority = 255;
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_DROP_OWNER);
	e.auth_type = VRRP_AUTH_PASS;		/* owner comes before auth */
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_DROP_OWNER);
}

/* V2-R47, V2-R13 / BI-V09: type mismatch and unknown types. */
static void test_instance_auth_type_v2_r47(void **state)
{
	struct vrrp_expect e;
	struct vrrp_rx rx;
	unsigned t;

	(void)state;
	for (t = 0; t < 256; t++) {
		parsed(&rx, (uint8_t)t, NULL);
		e = expect(VRRP_AUTH_NONE, NULL);
		e.adver_int = 7;		/* type comes before interval */
		assert_int_equal(vrrp_v2_check_instance(&rx, &e),
				 t == 0 ? VRRP_DROP_INTERVAL : VRRP_DROP_AUTH_TYPE);
	}
	parsed(&rx, VRRP_AUTH_NONE, NULL);
	e = expect(VRRP_AUTH_PASS, "pw");
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_DROP_AUTH_TYPE);
	e = expect(VRRP_AUTH_AH, "pw");
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_DROP_AUTH_TYPE);
	/* AH only compares the type here. */
	parsed(&rx, VRRP_AUTH_AH, NULL);
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_RX_OK);
}

/* V2-R47 / BI-V09: password type 1, eight octets NUL-padded. */
static void test_instance_password_v2_r47(void **state)
{
	struct vrrp_expect e = expect(VRRP_AUTH_PASS, "secret");
	struct vrrp_rx rx;

	(void)state;
	parsed(&rx, VRRP_AUTH_PASS, "secret");
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_RX_OK);
	parsed(&rx, VRRP_AUTH_PASS, "secreT");
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_DROP_AUTH);
	parsed(&rx, VRRP_AUTH_PASS, "secret1");	/* longer than configured */
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_DROP_AUTH);
	parsed(&rx, VRRP_AUTH_PASS, "");
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_DROP_AUTH);
	e = expect(VRRP_AUTH_PASS, "12345678");		/* exactly 8 */
	parsed(&rx, VRRP_AUTH_PASS, "12345678");
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_RX_OK);
	e = expect(VRRP_AUTH_PASS, "123456789");	/* only 8 go on the wire */
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_RX_OK);
	e = expect(VRRP_AUTH_PASS, NULL);		/* no password: all zero */
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_DROP_AUTH);
	parsed(&rx, VRRP_AUTH_PASS, "");
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_RX_OK);
}

/* V2-R16 / BI-V09: type 0 ignores whatever the auth data holds. */
static void test_instance_auth_none_ignores_data_v2_r16(void **state)
{
	struct vrrp_expect e = expect(VRRP_AUTH_NONE, NULL);
	struct vrrp_rx rx;

	(void)state;
	parsed(&rx, VRRP_AUTH_NONE, NULL);
	memcpy(rx.adv.auth_data, "nonzero!", 8);
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_RX_OK);
}

/* V2-R49 / BI-V10. */
static void test_instance_address_list_v2_r49(void **state)
{
	struct vrrp_expect e = expect(VRRP_AUTH_NONE, NULL);
	struct in_addr dup[2] = { { htonl(0x0a010001u) }, { htonl(0x0a010001u) } };
	struct vrrp_rx rx;

	(void)state;
	parsed(&rx, VRRP_AUTH_NONE, NULL);
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_RX_OK);
	assert_false(rx.addr_list_mismatch);
	e.n_vips = 1;					/* count differs */
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_DROP_ADDR_LIST);
	e = expect(VRRP_AUTH_NONE, NULL);
	cfg_vips[1].s_addr = htonl(0x0a010009u);	/* one address differs */
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_DROP_ADDR_LIST);
	e.vips = dup;					/* same count, a duplicate */
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_DROP_ADDR_LIST);
	e.adver_int = 9;		/* list comes before interval */
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_DROP_ADDR_LIST);
	/* From the owner: tolerated and flagged, the rest still checked. */
	rx.adv.priority = 255;
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_DROP_INTERVAL);
	assert_true(rx.addr_list_mismatch);
	e.adver_int = 1;
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_RX_OK);
	assert_true(rx.addr_list_mismatch);
	/* vrrp_skip_check_adv_addr: no comparison, no flag. */
	rx.adv.priority = 100;
	e.skip_addr_check = true;
	assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_RX_OK);
	assert_false(rx.addr_list_mismatch);
}

/* V2-R50 / BI-V06. */
static void test_instance_interval_v2_r50(void **state)
{
	static const uint8_t ints[] = { 0, 2, 255 };
	struct vrrp_expect e = expect(VRRP_AUTH_NONE, NULL);
	struct vrrp_rx rx;
	size_t i;

	(void)state;
	parsed(&rx, VRRP_AUTH_NONE, NULL);
	for (i = 0; i < sizeof(ints); i++) {
		rx.adv.adver_int = ints[i];
		assert_int_equal(vrrp_v2_check_instance(&rx, &e), VRRP_DROP_INTERVAL);
	}
}

static void test_drop_names(void **state)
{
	static const char *const names[VRRP_DROP_REASONS] = {
		"ok", "ip-header", "ttl", "version", "length", "checksum", "type", "vrid",
		"owner", "auth-type", "auth", "address-list", "interval", "source",
	};
	unsigned i;

	(void)state;
	for (i = 0; i < VRRP_DROP_REASONS; i++)
		assert_string_equal(vrrp_drop_name((enum vrrp_drop)i), names[i]);
	assert_string_equal(vrrp_drop_name(VRRP_DROP_REASONS), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_vector_v2_r15),
		cmocka_unit_test(test_checksum_rfc1071),
		cmocka_unit_test(test_encode_limits),
		cmocka_unit_test(test_encode_auth_data_zero_v2_r16),
		cmocka_unit_test(test_round_trip_255_addresses_pass),
		cmocka_unit_test(test_parse_ip_header),
		cmocka_unit_test(test_parse_ip_options_accepted),
		cmocka_unit_test(test_parse_ethernet_padding),
		cmocka_unit_test(test_parse_trailing_payload_accepted_v2_r17),
		cmocka_unit_test(test_parse_ttl_v2_r42),
		cmocka_unit_test(test_parse_version_v2_r43),
		cmocka_unit_test(test_parse_type_v2_r07),
		cmocka_unit_test(test_parse_length_v2_r44),
		cmocka_unit_test(test_parse_truncated_everywhere_bi_v01),
		cmocka_unit_test(test_parse_checksum_v2_r45),
		cmocka_unit_test(test_parse_carp_is_length),
		cmocka_unit_test(test_parse_random_payloads),
		cmocka_unit_test(test_instance_owner_v2_r46),
		cmocka_unit_test(test_instance_auth_type_v2_r47),
		cmocka_unit_test(test_instance_password_v2_r47),
		cmocka_unit_test(test_instance_auth_none_ignores_data_v2_r16),
		cmocka_unit_test(test_instance_address_list_v2_r49),
		cmocka_unit_test(test_instance_interval_v2_r50),
		cmocka_unit_test(test_drop_names),
	};

	return cmocka_run_group_tests_name("vrrp_packet", tests, NULL, NULL);
}
