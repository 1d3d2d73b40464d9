/* VRRPv3 over IPv4 and IPv6: the codec against packets captured from
 * keepalived 2.2.7, both IPv4 checksum forms, the IPv6 pseudo-header
 * checksum, the receive checks, the timers that follow the master's
 * interval, the IPv6 tie-break and the unsolicited Neighbour Advertisement.
 * Test names cite requirement IDs (V3-Rnn). */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vrrp_ndisc.h"
#include "vrrp_packet.h"
#include "vrrp_state.h"

#define MS 1000ull
#define SEC 1000000ull

/* keepalived 2.2.7, `vrrp_version 3`, VRID 7, priority 200, advert_int 0.5,
 * VIPs 10.99.0.50 and .51, from 10.99.0.1 to 224.0.0.18 (tcpdump -xx). */
static const uint8_t keepalived_pkt[36] = {
	0x45, 0xc0, 0x00, 0x24, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0xd0, 0x32,
	0x0a, 0x63, 0x00, 0x01, 0xe0, 0x00, 0x00, 0x12,
	0x31, 0x07, 0xc8, 0x02, 0x00, 0x32, 0x06, 0xa2,
	0x0a, 0x63, 0x00, 0x32, 0x0a, 0x63, 0x00, 0x33,
};

static struct in_addr ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static void keepalived_adv(struct vrrp_adv *a)
{
	memset(a, 0, sizeof(*a));
	a->version = 3;
	a->type = 1;
	a->vrid = 7;
	a->priority = 200;
	a->naddr = 2;
	a->max_adver_int_cs = 50;
	a->addrs[0] = ip4("10.99.0.50");
	a->addrs[1] = ip4("10.99.0.51");
}

/* An IPv4 header (TTL 255, protocol 112, src -> dst) around msg. */
static size_t wrap(uint8_t *pkt, const uint8_t *msg, size_t mlen, const char *src,
		   const char *dst)
{
	struct in_addr s = ip4(src), d = ip4(dst);

	memset(pkt, 0, 20);
	pkt[0] = 0x45;
	pkt[3] = (uint8_t)(20 + mlen);
	pkt[8] = VRRP_TTL;
	pkt[9] = IPPROTO_VRRP_NUM;
	memcpy(pkt + 12, &s, 4);
	memcpy(pkt + 16, &d, 4);
	memcpy(pkt + 20, msg, mlen);
	return 20 + mlen;
}

/* V3-R07: keepalived's default form (IPv4 pseudo-header) byte for byte. */
static void test_encode_matches_keepalived_v3_r07(void **state)
{
	struct vrrp_adv a;
	uint8_t msg[VRRP_V3_MAX_LEN];

	(void)state;
	keepalived_adv(&a);
	assert_int_equal(vrrp_v3_encode(&a, msg, sizeof(msg), ip4("10.99.0.1"),
					ip4("224.0.0.18"), true), 16);
	assert_memory_equal(msg, keepalived_pkt + 20, 16);
}

static void test_parse_keepalived_packet_v3_r02(void **state)
{
	struct vrrp_rx rx;

	(void)state;
	assert_int_equal(vrrp_parse(keepalived_pkt, sizeof(keepalived_pkt), &rx), VRRP_RX_OK);
	assert_int_equal(rx.adv.version, 3);
	assert_int_equal(rx.adv.vrid, 7);
	assert_int_equal(rx.adv.priority, 200);
	assert_int_equal(rx.adv.naddr, 2);
	assert_int_equal(rx.adv.max_adver_int_cs, 50);
	assert_int_equal(rx.adv.addrs[1].s_addr, ip4("10.99.0.51").s_addr);
	assert_true(rx.v3_pseudo_header);
	/* A v2-only parser refuses it on the version. */
	assert_int_equal(vrrp_v2_parse(keepalived_pkt, sizeof(keepalived_pkt), &rx),
			 VRRP_DROP_VERSION);
}

/* V3-R07: the RFC 9568 form (message only) is sent on request and
 * accepted on receive; which form matched is reported. */
static void test_plain_checksum_form_v3_r07(void **state)
{
	struct vrrp_adv a;
	uint8_t msg[VRRP_V3_MAX_LEN], pkt[64];
	struct vrrp_rx rx;
	uint16_t ck;
	size_t n;

	(void)state;
	keepalived_adv(&a);
	assert_int_equal(vrrp_v3_encode(&a, msg, sizeof(msg), ip4("10.99.0.1"),
					ip4("224.0.0.18"), false), 16);
	memcpy(&ck, msg + 6, 2);
	msg[6] = msg[7] = 0;
	assert_int_equal(ck, vrrp_checksum(msg, 16));
	memcpy(msg + 6, &ck, 2);
	n = wrap(pkt, msg, 16, "10.99.0.1", "224.0.0.18");
	assert_int_equal(vrrp_parse(pkt, n, &rx), VRRP_RX_OK);
	assert_false(rx.v3_pseudo_header);
}

/* The pseudo-header covers the destination: a unicast advert is checked
 * against its own destination (keepalived's old issue #642). */
static void test_unicast_pseudo_header_uses_destination(void **state)
{
	struct vrrp_adv a;
	uint8_t msg[VRRP_V3_MAX_LEN], pkt[64];
	struct vrrp_rx rx;
	size_t n;

	(void)state;
	keepalived_adv(&a);
	vrrp_v3_encode(&a, msg, sizeof(msg), ip4("10.99.0.1"), ip4("10.99.0.2"), true);
	n = wrap(pkt, msg, 16, "10.99.0.1", "10.99.0.2");
	assert_int_equal(vrrp_parse(pkt, n, &rx), VRRP_RX_OK);
	assert_true(rx.v3_pseudo_header);
	n = wrap(pkt, msg, 16, "10.99.0.1", "224.0.0.18");
	assert_int_equal(vrrp_parse(pkt, n, &rx), VRRP_DROP_CHECKSUM);
}

/* V3-R17, V3-R03, V3-R02: one reason per broken packet. */
static void test_receive_checks_v3_r17(void **state)
{
	uint8_t pkt[sizeof(keepalived_pkt)];
	struct vrrp_rx rx;

	(void)state;
	memcpy(pkt, keepalived_pkt, sizeof(pkt));
	pkt[27] ^= 1;						/* checksum */
	assert_int_equal(vrrp_parse(pkt, sizeof(pkt), &rx), VRRP_DROP_CHECKSUM);
	memcpy(pkt, keepalived_pkt, sizeof(pkt));
	pkt[8] = 254;						/* TTL (V3-R04) */
	assert_int_equal(vrrp_parse(pkt, sizeof(pkt), &rx), VRRP_DROP_TTL);
	memcpy(pkt, keepalived_pkt, sizeof(pkt));
	pkt[23] = 3;			/* Count 3: the packet is 4 octets short */
	assert_int_equal(vrrp_parse(pkt, sizeof(pkt), &rx), VRRP_DROP_LENGTH);
	memcpy(pkt, keepalived_pkt, sizeof(pkt));
	pkt[20] = 0x41;						/* version 4 */
	assert_int_equal(vrrp_parse(pkt, sizeof(pkt), &rx), VRRP_DROP_VERSION);
}

/* After an edit of the v3 message in pkt (20-octet IP header, 16-octet
 * message), set its checksum again the way keepalived does: the RFC 1071
 * sum over the IPv4 pseudo-header and the message. */
static void reseal(uint8_t *pkt)
{
	uint8_t buf[12 + 16];
	uint16_t ck;

	memcpy(buf, pkt + 12, 8);		/* source, destination */
	buf[8] = 0;
	buf[9] = IPPROTO_VRRP_NUM;
	buf[10] = 0;
	buf[11] = 16;
	memcpy(buf + 12, pkt + 20, 16);
	buf[12 + 6] = buf[12 + 7] = 0;
	ck = vrrp_checksum(buf, sizeof(buf));
	memcpy(pkt + 26, &ck, 2);
}

static void test_interval_zero_and_reserved_bits_v3_r03(void **state)
{
	uint8_t pkt[sizeof(keepalived_pkt)];
	struct vrrp_rx rx;

	(void)state;
	memcpy(pkt, keepalived_pkt, sizeof(pkt));
	pkt[24] = 0;
	pkt[25] = 0;
	reseal(pkt);
	assert_int_equal(vrrp_parse(pkt, sizeof(pkt), &rx), VRRP_DROP_INTERVAL);
	memcpy(pkt, keepalived_pkt, sizeof(pkt));
	pkt[24] = 0xf0;		/* reserved bits: ignored on receive (V3-R02) */
	reseal(pkt);
	assert_int_equal(vrrp_parse(pkt, sizeof(pkt), &rx), VRRP_RX_OK);
	assert_int_equal(rx.adv.max_adver_int_cs, 50);
}

/* Instance checks: no auth and no interval comparison, the owner and the
 * address list as in v2. */
static void test_instance_checks_v3(void **state)
{
	struct in_addr vips[2] = { ip4("10.99.0.50"), ip4("10.99.0.51") };
	struct vrrp_expect e = { .vips = vips, .n_vips = 2, .local_priority = 100,
				 .adver_int = 1 };
	struct vrrp_rx rx;

	(void)state;
	assert_int_equal(vrrp_parse(keepalived_pkt, sizeof(keepalived_pkt), &rx), VRRP_RX_OK);
	assert_int_equal(vrrp_v3_check_instance(&rx, &e), VRRP_RX_OK);
	e.n_vips = 1;
	assert_int_equal(vrrp_v3_check_instance(&rx, &e), VRRP_DROP_ADDR_LIST);
	e.local_priority = VRRP_PRIO_OWNER;
	assert_int_equal(vrrp_v3_check_instance(&rx, &e), VRRP_DROP_OWNER);
}

/* ---- timers ---- */

struct sm_fx {
	struct vrrp_sm sm;
	unsigned sent;
};

static void fx_send(void *ctx, uint8_t priority)
{
	(void)priority;
	((struct sm_fx *)ctx)->sent++;
}

static void fx_changed(void *ctx, enum vrrp_state from, enum vrrp_state to, const char *reason)
{
	(void)ctx;
	(void)from;
	(void)to;
	(void)reason;
}

static const struct vrrp_sm_ops fx_ops = { fx_send, fx_changed };

static void sm_start(struct sm_fx *f, uint8_t prio, uint64_t adver_int_us)
{
	struct vrrp_sm_params p = { .priority = prio, .adver_int_us = adver_int_us,
				    .preempt = true, .v3 = true };

	p.primary_ip = (struct ip_addr){ .family = AF_INET, .u.v4 = ip4("10.0.0.5") };
	memset(f, 0, sizeof(*f));
	vrrp_sm_init(&f->sm, &p, &fx_ops, f);
	vrrp_sm_start(&f->sm, 0);
}

/* V3-R08: the skew scales with the interval (centiseconds). */
static void test_skew_scales_with_interval_v3_r08(void **state)
{
	(void)state;
	assert_int_equal(vrrp_v3_skew_time_us(100, 1 * SEC), 156 * SEC / 256);
	assert_int_equal(vrrp_v3_skew_time_us(100, 100 * MS), 15600 * MS / 256);
	assert_int_equal(vrrp_v3_master_down_interval_us(254, 100 * MS),
			 300 * MS + 2 * 100 * MS / 256);
}

/* V3-R09, V3-R10: a Backup starts with its own interval, then follows the
 * master's from every advert it accepts. */
static void test_backup_learns_interval_v3_r10(void **state)
{
	struct sm_fx f;

	(void)state;
	sm_start(&f, 100, 1 * SEC);
	assert_int_equal(f.sm.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.sm.master_down_timer, vrrp_v3_master_down_interval_us(100, SEC));
	vrrp_sm_advert_v3(&f.sm, 10 * MS, ip4("10.0.0.9"), 200, 100 * MS);
	assert_int_equal(f.sm.master_adver_int_us, 100 * MS);
	assert_int_equal(f.sm.master_down_timer,
			 10 * MS + vrrp_v3_master_down_interval_us(100, 100 * MS));
	/* The master goes quiet: we take over within 3 x 100 ms + skew. */
	vrrp_sm_timers(&f.sm, 10 * MS + vrrp_v3_master_down_interval_us(100, 100 * MS));
	assert_int_equal(f.sm.state, VRRP_STATE_MASTER);
	/* As master we advertise at our own configured interval. */
	assert_int_equal(f.sm.adver_timer - f.sm.last_transition_us, 1 * SEC);
}

/* A lower-priority advert that we discard to preempt teaches nothing. */
static void test_discarded_advert_does_not_teach_v3_r10(void **state)
{
	struct sm_fx f;

	(void)state;
	sm_start(&f, 200, 1 * SEC);
	vrrp_sm_advert_v3(&f.sm, 10 * MS, ip4("10.0.0.9"), 100, 50 * MS);
	assert_int_equal(f.sm.master_adver_int_us, 1 * SEC);
}

/* V3-R11: a Master yielding to a higher priority adopts its interval. */
static void test_master_yields_and_adopts_interval_v3_r11(void **state)
{
	struct sm_fx f;

	(void)state;
	sm_start(&f, 255, 1 * SEC);
	assert_int_equal(f.sm.state, VRRP_STATE_MASTER);
	vrrp_sm_set_priority(&f.sm, 0, 100);
	vrrp_sm_advert_v3(&f.sm, 5 * MS, ip4("10.0.0.9"), 150, 20 * MS);
	assert_int_equal(f.sm.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.sm.master_adver_int_us, 20 * MS);
	assert_int_equal(f.sm.master_down_timer,
			 5 * MS + vrrp_v3_master_down_interval_us(100, 20 * MS));
}

/* ---- IPv6 ---- */

/* keepalived 2.2.7 over IPv6: VRID 7, priority 200, advert_int 0.5, VIPs
 * 2001:db8::50 and ::51, from fe80::ff:fe00:1 (MAC 02:00:00:00:00:01) to
 * ff02::12, hop limit 255 (tcpdump -xx; the VRRP message only: a raw IPv6
 * socket does not see the IPv6 header). */
static const uint8_t keepalived_msg6[40] = {
	0x31, 0x07, 0xc8, 0x02, 0x00, 0x32, 0xad, 0x81,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x50,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x51,
};

/* Its unsolicited Neighbour Advertisement for 2001:db8::50, whole frame. */
static const uint8_t keepalived_na[NDISC_NA_FRAME_LEN] = {
	0x33, 0x33, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x86, 0xdd,
	0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x50,
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01,
	0x88, 0x00, 0xf8, 0x8c, 0x20, 0x00, 0x00, 0x00,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x50,
	0x02, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
};

static struct in6_addr ip6(const char *s)
{
	struct in6_addr a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

/* The same router settings as keepalived_adv, with IPv6 addresses. */
static void keepalived_adv6(struct vrrp_adv *a)
{
	keepalived_adv(a);
	memset(a->addrs, 0, sizeof(a->addrs));
	a->addrs6[0] = ip6("2001:db8::50");
	a->addrs6[1] = ip6("2001:db8::51");
}

/* RFC 5798 5.2.8: the checksum covers the IPv6 pseudo-header; byte for
 * byte what keepalived sends. */
static void test_encode6_matches_keepalived(void **state)
{
	struct in6_addr src = ip6("fe80::ff:fe00:1"), dst = ip6("ff02::12");
	uint8_t msg[VRRP_V3_MAX_LEN6];
	struct vrrp_adv a;

	(void)state;
	keepalived_adv6(&a);
	assert_int_equal(vrrp_v3_encode6(&a, msg, sizeof(msg), &src, &dst), 40);
	assert_memory_equal(msg, keepalived_msg6, 40);
	assert_int_equal(vrrp_v3_encode6(&a, msg, 39, &src, &dst), 0);
	a.max_adver_int_cs = 0;
	assert_int_equal(vrrp_v3_encode6(&a, msg, sizeof(msg), &src, &dst), 0);
}

static void test_parse6_keepalived_message(void **state)
{
	struct in6_addr src = ip6("fe80::ff:fe00:1"), dst = ip6("ff02::12"), want;
	uint8_t longer[48] = { 0 };
	struct vrrp_rx rx;

	(void)state;
	assert_int_equal(vrrp_parse6(keepalived_msg6, 40, &src, &dst, 255, &rx), VRRP_RX_OK);
	assert_int_equal(rx.family, AF_INET6);
	assert_memory_equal(&rx.src6, &src, 16);
	assert_memory_equal(&rx.dst6, &dst, 16);
	assert_int_equal(rx.ttl, 255);
	assert_int_equal(rx.adv.vrid, 7);
	assert_int_equal(rx.adv.priority, 200);
	assert_int_equal(rx.adv.naddr, 2);
	assert_int_equal(rx.adv.max_adver_int_cs, 50);
	want = ip6("2001:db8::51");
	assert_memory_equal(&rx.adv.addrs6[1], &want, 16);
	/* Anything after Count's addresses is ignored. */
	memcpy(longer, keepalived_msg6, 40);
	assert_int_equal(vrrp_parse6(longer, sizeof(longer), &src, &dst, 255, &rx), VRRP_RX_OK);
}

/* V3-R04 first, then version, length, checksum (over the pseudo-header:
 * another source or destination breaks it), type, interval. */
static void test_parse6_rejects(void **state)
{
	struct in6_addr src = ip6("fe80::ff:fe00:1"), dst = ip6("ff02::12");
	struct in6_addr other = ip6("fe80::ff:fe00:2");
	uint8_t m[40];
	struct vrrp_rx rx;

	(void)state;
	assert_int_equal(vrrp_parse6(keepalived_msg6, 40, &src, &dst, 254, &rx), VRRP_DROP_TTL);
	assert_int_equal(vrrp_parse6(keepalived_msg6, 40, &src, &dst, -1, &rx), VRRP_DROP_TTL);
	assert_int_equal(vrrp_parse6(keepalived_msg6, 39, &src, &dst, 255, &rx),
			 VRRP_DROP_LENGTH);
	assert_int_equal(vrrp_parse6(keepalived_msg6, 40, &other, &dst, 255, &rx),
			 VRRP_DROP_CHECKSUM);
	assert_int_equal(vrrp_parse6(keepalived_msg6, 40, &src, &other, 255, &rx),
			 VRRP_DROP_CHECKSUM);
	memcpy(m, keepalived_msg6, 40);
	m[7] ^= 0x01;					/* corrupted checksum */
	assert_int_equal(vrrp_parse6(m, 40, &src, &dst, 255, &rx), VRRP_DROP_CHECKSUM);
	memcpy(m, keepalived_msg6, 40);
	m[0] = 0x21;					/* VRRPv2 has no IPv6 */
	assert_int_equal(vrrp_parse6(m, 40, &src, &dst, 255, &rx), VRRP_DROP_VERSION);
	memcpy(m, keepalived_msg6, 40);
	m[3] = 3;					/* Count says 3 addresses */
	assert_int_equal(vrrp_parse6(m, 40, &src, &dst, 255, &rx), VRRP_DROP_LENGTH);
}

/* The address list of an IPv6 advert against the instance's, any order. */
static void test_instance_checks_v6(void **state)
{
	struct in6_addr src = ip6("fe80::ff:fe00:1"), dst = ip6("ff02::12");
	struct in6_addr mine[2] = { ip6("2001:db8::51"), ip6("2001:db8::50") };
	struct vrrp_expect e = { .vips6 = mine, .n_vips = 2 };
	struct vrrp_rx rx;

	(void)state;
	assert_int_equal(vrrp_parse6(keepalived_msg6, 40, &src, &dst, 255, &rx), VRRP_RX_OK);
	assert_int_equal(vrrp_v3_check_instance(&rx, &e), VRRP_RX_OK);
	mine[0] = ip6("2001:db8::52");
	assert_int_equal(vrrp_v3_check_instance(&rx, &e), VRRP_DROP_ADDR_LIST);
	e.n_vips = 1;
	assert_int_equal(vrrp_v3_check_instance(&rx, &e), VRRP_DROP_ADDR_LIST);
}

/* V3-R12 for IPv6: equal priorities, the higher (link-local) address wins,
 * compared as a 128-bit unsigned number. */
static void test_ipv6_tie_break(void **state)
{
	struct sm_fx f;
	struct ip_addr low = { .family = AF_INET6, .u.v6 = ip6("fe80::1:0") };
	struct ip_addr high = { .family = AF_INET6, .u.v6 = ip6("fe80::2") };
	struct ip_addr higher = { .family = AF_INET6, .u.v6 = ip6("fe80::ffff:0") };

	(void)state;
	sm_start(&f, 100, 100 * MS);
	f.sm.p.primary_ip = low;
	vrrp_sm_timers(&f.sm, vrrp_v3_master_down_interval_us(100, 100 * MS));
	assert_int_equal(f.sm.state, VRRP_STATE_MASTER);
	/* fe80::2 < fe80::1:0: a lower address at our priority does not win. */
	vrrp_sm_advert_from(&f.sm, SEC, &high, 100, 100 * MS);
	assert_int_equal(f.sm.state, VRRP_STATE_MASTER);
	vrrp_sm_advert_from(&f.sm, SEC + 1, &higher, 100, 200 * MS);
	assert_int_equal(f.sm.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.sm.master_ip.family, AF_INET6);
	assert_memory_equal(&f.sm.master_ip.u.v6, &higher.u.v6, 16);
	assert_int_equal(f.sm.master_adver_int_us, 200 * MS);	/* V3-R11 */
}

/* RFC 4861 7.2.6 as keepalived sends it: to ff02::1 from the VIP, hop
 * limit 255, Override only, target link-layer address option. */
static void test_unsolicited_na_matches_keepalived(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
	struct in6_addr vip = ip6("2001:db8::50");
	uint8_t frame[NDISC_NA_FRAME_LEN];

	(void)state;
	ndisc_build_na(frame, mac, &vip);
	assert_memory_equal(frame, keepalived_na, sizeof(frame));
	/* Another target gives another checksum (keepalived's f88a for ::51). */
	vip = ip6("2001:db8::51");
	ndisc_build_na(frame, mac, &vip);
	assert_int_equal(frame[56], 0xf8);
	assert_int_equal(frame[57], 0x8a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_matches_keepalived_v3_r07),
		cmocka_unit_test(test_parse_keepalived_packet_v3_r02),
		cmocka_unit_test(test_plain_checksum_form_v3_r07),
		cmocka_unit_test(test_unicast_pseudo_header_uses_destination),
		cmocka_unit_test(test_receive_checks_v3_r17),
		cmocka_unit_test(test_interval_zero_and_reserved_bits_v3_r03),
		cmocka_unit_test(test_instance_checks_v3),
		cmocka_unit_test(test_skew_scales_with_interval_v3_r08),
		cmocka_unit_test(test_backup_learns_interval_v3_r10),
		cmocka_unit_test(test_discarded_advert_does_not_teach_v3_r10),
		cmocka_unit_test(test_master_yields_and_adopts_interval_v3_r11),
		cmocka_unit_test(test_encode6_matches_keepalived),
		cmocka_unit_test(test_parse6_keepalived_message),
		cmocka_unit_test(test_parse6_rejects),
		cmocka_unit_test(test_instance_checks_v6),
		cmocka_unit_test(test_ipv6_tie_break),
		cmocka_unit_test(test_unsolicited_na_matches_keepalived),
	};

	return cmocka_run_group_tests_name("vrrp_v3", tests, NULL, NULL);
}
