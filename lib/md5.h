/* MD5 (RFC 1321) and HMAC-MD5 (RFC 2104).
 *
 * The HTTP_GET/SSL_GET body digest and VRRP's IPsec-AH authentication are
 * the daemon's only uses of a hash.  With this small implementation no
 * process maps OpenSSL's libcrypto (about 2 MiB of RSS each) unless an
 * SSL_GET needs TLS (lib/module.h).  MD5 is here for compatibility with
 * keepalived's digests and RFC 2402, not for security. */
#ifndef KA_MD5_H
#define KA_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_LEN		16

struct md5_ctx {
	uint32_t h[4];
	uint64_t bytes;			/* fed so far */
	uint8_t block[64];		/* the partial block, bytes % 64 long */
};

void md5_init(struct md5_ctx *c);
void md5_update(struct md5_ctx *c, const void *data, size_t len);
/* The digest of everything fed since md5_init; `c` must be re-initialised
 * before it is used again. */
void md5_final(struct md5_ctx *c, uint8_t out[MD5_LEN]);

/* HMAC-MD5 of data[0..len) under key[0..klen) (any length; a key longer
 * than a block is hashed first, as RFC 2104 says). */
void hmac_md5(const void *key, size_t klen, const void *data, size_t len,
	      uint8_t out[MD5_LEN]);

#endif
