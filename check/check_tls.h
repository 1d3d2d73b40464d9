/* The TLS client of SSL_GET and genhash: one OpenSSL context built from the
 * global SSL block, and non-blocking sessions over an already connected
 * socket.  Only this file and its users touch OpenSSL's SSL API.
 *
 * Every step returns what the caller has to wait for (readable or
 * writable) or a final outcome with a named reason, so a log line says
 * "certificate verify failed: certificate has expired" rather than an
 * OpenSSL error stack. */
#ifndef KA_CHECK_TLS_H
#define KA_CHECK_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "check_conf.h"

struct ssl_ctx_st;			/* OpenSSL's SSL_CTX */
struct ssl_st;				/* OpenSSL's SSL */

enum tls_step {
	TLS_STEP_DONE,			/* the operation completed (read: n > 0 bytes) */
	TLS_STEP_WANT_READ,		/* call again once the socket is readable */
	TLS_STEP_WANT_WRITE,		/* call again once the socket is writable */
	TLS_STEP_EOF,			/* read: the server closed the stream */
	TLS_STEP_FAILED,		/* see the reason */
	TLS_STEP_VERIFY_FAILED,		/* handshake: the certificate was not accepted */
};

/* A client context.  With `conf->ca`, the server's certificate must chain
 * to it (validity dates included); without, any certificate is taken, as
 * keepalived does.  With `conf->certificate` (and `key`, default the
 * certificate file; `password` for an encrypted key), the client presents
 * it.  `conf` may be NULL (no SSL block).  Returns NULL with the reason in
 * `err`. */
struct ssl_ctx_st *tls_ctx_new(const struct check_ssl_conf *conf, char *err, size_t len);
void tls_ctx_free(struct ssl_ctx_st *ctx);

struct tls_conn {
	struct ssl_st *ssl;
	char reason[128];		/* of the last TLS_STEP_FAILED / _VERIFY_FAILED */
};

/* Start a session on the connected socket `fd` (not owned).  `sni`, if
 * not NULL, is sent as the server name.  0, or -1 with the reason in
 * conn->reason. */
int tls_conn_start(struct tls_conn *conn, struct ssl_ctx_st *ctx, int fd, const char *sni);

/* Drive the handshake one step. */
enum tls_step tls_handshake(struct tls_conn *conn);

/* Write up to `len` bytes; on TLS_STEP_DONE *done says how many went.  A
 * write that had to wait must be retried with the same buffer. */
enum tls_step tls_write(struct tls_conn *conn, const void *buf, size_t len, size_t *done);

/* Read up to `len` bytes; on TLS_STEP_DONE *got (> 0) says how many. */
enum tls_step tls_read(struct tls_conn *conn, void *buf, size_t len, size_t *got);

/* Whether decrypted bytes are buffered inside OpenSSL: the socket may not
 * become readable again for them. */
bool tls_pending(const struct tls_conn *conn);

/* Free the session (the socket stays open).  Safe on a zeroed conn. */
void tls_conn_end(struct tls_conn *conn);

/* "TLSv1.3 TLS_AES_256_GCM_SHA384", for genhash's verbose output. */
const char *tls_conn_describe(const struct tls_conn *conn, char *buf, size_t len);

#endif
