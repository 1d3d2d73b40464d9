/* Unit tests for lib/md5.h: the test suite of RFC 1321 (appendix A.5),
 * the HMAC-MD5 test cases of RFC 2202 (section 2), and incremental input
 * cut at every awkward place giving the one-shot digest. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "md5.h"

static void hex(const uint8_t d[MD5_LEN], char out[2 * MD5_LEN + 1])
{
	for (int i = 0; i < MD5_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void md5_hex(const void *data, size_t len, char out[2 * MD5_LEN + 1])
{
	struct md5_ctx c;
	uint8_t d[MD5_LEN];

	md5_init(&c);
	md5_update(&c, data, len);
	md5_final(&c, d);
	hex(d, out);
}

static void test_rfc1321_suite(void **state)
{
	static const struct { const char *in, *md5; } v[] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		  "d174ab98d277d9f5a5611c2c9f419d9f" },
		{ "1234567890123456789012345678901234567890"
		  "1234567890123456789012345678901234567890",
		  "57edf4a22be3c955ac49da2e2107b67a" },
	};
	char got[2 * MD5_LEN + 1];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		md5_hex(v[i].in, strlen(v[i].in), got);
		assert_string_equal(got, v[i].md5);
	}
}

/* 1000 bytes fed in pieces whose boundaries fall before, on and after the
 * 55/56-byte padding limit and the 64-byte block, then byte by byte. */
static void test_split_input_same_digest(void **state)
{
	static const size_t cuts[] = { 1, 55, 56, 63, 64, 65, 127, 128, 129 };
	uint8_t in[1000], d[MD5_LEN];
	char one[2 * MD5_LEN + 1], got[2 * MD5_LEN + 1];
	struct md5_ctx c;

	(void)state;
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 3);
	md5_hex(in, sizeof(in), one);
	/* the digest of these bytes from Python's hashlib */
	assert_string_equal(one, "10046f077f2082ac19676b8079f1cb1a");
	for (size_t k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++) {
		md5_init(&c);
		for (size_t off = 0; off < sizeof(in); off += cuts[k]) {
			size_t n = sizeof(in) - off < cuts[k] ? sizeof(in) - off : cuts[k];

			md5_update(&c, in + off, n);
		}
		md5_final(&c, d);
		hex(d, got);
		assert_string_equal(got, one);
	}
	md5_init(&c);
	for (size_t i = 0; i < sizeof(in); i++)
		md5_update(&c, in + i, 1);
	md5_update(&c, in, 0);
	md5_final(&c, d);
	hex(d, got);
	assert_string_equal(got, one);
}

static void test_rfc2202_hmac_md5(void **state)
{
	uint8_t k0b[16], kaa16[16], k25[25], k0c[16], kaa80[80], dd[50], cd[50], d[MD5_LEN];
	const struct { const uint8_t *key; size_t klen; const void *data; size_t len;
		       const char *mac; } v[] = {
		{ k0b, 16, "Hi There", 8, "9294727a3638bb1c13f48ef8158bfc9d" },
		{ (const uint8_t *)"Jefe", 4, "what do ya want for nothing?", 28,
		  "750c783e6ab0b503eaa86e310a5db738" },
		{ kaa16, 16, dd, 50, "56be34521d144c88dbb8c733f0e8b3f6" },
		{ k25, 25, cd, 50, "697eaf0aca3a3aea3a75164746ffaa79" },
		{ k0c, 16, "Test With Truncation", 20, "56461ef2342edc00f9bab995690efd4c" },
		{ kaa80, 80, "Test Using Larger Than Block-Size Key - Hash Key First", 54,
		  "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd" },
		{ kaa80, 80, "Test Using Larger Than Block-Size Key and Larger Than One "
		  "Block-Size Data", 73, "6f630fad67cda0ee1fb1f562db3aa53e" },
	};
	char got[2 * MD5_LEN + 1];

	(void)state;
	memset(k0b, 0x0b, sizeof(k0b));
	memset(kaa16, 0xaa, sizeof(kaa16));
	memset(k0c, 0x0c, sizeof(k0c));
	memset(kaa80, 0xaa, sizeof(kaa80));
	memset(dd, 0xdd, sizeof(dd));
	memset(cd, 0xcd, sizeof(cd));
	for (int i = 0; i < 25; i++)
		k25[i] = (uint8_t)(i + 1);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		hmac_md5(v[i].key, v[i].klen, v[i].data, v[i].len, d);
		hex(d, got);
		assert_string_equal(got, v[i].mac);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc1321_suite),
		cmocka_unit_test(test_split_input_same_digest),
		cmocka_unit_test(test_rfc2202_hmac_md5),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
