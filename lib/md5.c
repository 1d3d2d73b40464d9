/* MD5 and HMAC-MD5; see md5.h.  Words are read and written byte by byte
 * (MD5 is little-endian), so the code does not depend on the host's order. */
#include <string.h>

#include "md5.h"

/* floor(|sin(i + 1)| * 2^32), RFC 1321 section 3.4. */
static const uint32_t K[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
	0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
	0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
	0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
	0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* Left rotations: four per round, used in turn. */
static const uint8_t SHIFT[4][4] = {
	{ 7, 12, 17, 22 }, { 5, 9, 14, 20 }, { 4, 11, 16, 23 }, { 6, 10, 15, 21 },
};

static uint32_t rotl(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static uint32_t get32le(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32le(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* One 64-byte block into the state: 4 rounds of 16 steps, each round with
 * its own boolean function and order of the message words. */
static void compress(uint32_t h[4], const uint8_t block[64])
{
	uint32_t m[16], a = h[0], b = h[1], c = h[2], d = h[3];

	for (int i = 0; i < 16; i++)
		m[i] = get32le(block + 4 * i);
	for (unsigned i = 0; i < 64; i++) {
		unsigned round = i / 16, g;
		uint32_t f, t;

		switch (round) {
		case 0:	f = (b & c) | (~b & d);	g = i;			break;
		case 1:	f = (d & b) | (~d & c);	g = (5 * i + 1) % 16;	break;
		case 2:	f = b ^ c ^ d;		g = (3 * i + 5) % 16;	break;
		default: f = c ^ (b | ~d);	g = (7 * i) % 16;	break;
		}
		t = d;
		d = c;
		c = b;
		b = b + rotl(a + f + K[i] + m[g], SHIFT[round][i % 4]);
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
}

void md5_init(struct md5_ctx *c)
{
	c->h[0] = 0x67452301;
	c->h[1] = 0xefcdab89;
	c->h[2] = 0x98badcfe;
	c->h[3] = 0x10325476;
	c->bytes = 0;
}

void md5_update(struct md5_ctx *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t used = (size_t)(c->bytes % 64);

	c->bytes += len;
	if (used) {
		size_t take = len < 64 - used ? len : 64 - used;

		memcpy(c->block + used, p, take);
		p += take;
		len -= take;
		if (used + take < 64)
			return;
		compress(c->h, c->block);
	}
	for (; len >= 64; p += 64, len -= 64)
		compress(c->h, p);
	memcpy(c->block, p, len);
}

/* Padding: 0x80, zeros up to 56 mod 64, then the length in bits. */
void md5_final(struct md5_ctx *c, uint8_t out[MD5_LEN])
{
	static const uint8_t pad[64] = { 0x80 };
	uint64_t bits = c->bytes * 8;
	size_t used = (size_t)(c->bytes % 64);
	uint8_t len[8];

	for (int i = 0; i < 8; i++)
		len[i] = (uint8_t)(bits >> (8 * i));
	md5_update(c, pad, used < 56 ? 56 - used : 120 - used);
	md5_update(c, len, sizeof(len));
	for (int i = 0; i < 4; i++)
		put32le(out + 4 * i, c->h[i]);
}

void hmac_md5(const void *key, size_t klen, const void *data, size_t len,
	      uint8_t out[MD5_LEN])
{
	uint8_t k[64] = { 0 }, pad[64], inner[MD5_LEN];
	struct md5_ctx c;

	if (klen > sizeof(k)) {
		md5_init(&c);
		md5_update(&c, key, klen);
		md5_final(&c, k);
	} else if (klen) {
		memcpy(k, key, klen);
	}
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	md5_init(&c);
	md5_update(&c, pad, sizeof(pad));
	md5_update(&c, data, len);
	md5_final(&c, inner);
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	md5_init(&c);
	md5_update(&c, pad, sizeof(pad));
	md5_update(&c, inner, sizeof(inner));
	md5_final(&c, out);
}
