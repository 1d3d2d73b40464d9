/* OpenSSL client sessions for SSL_GET and genhash (see check_tls.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "check_tls.h"

/* The first queued OpenSSL error as text ("wrong version number"), or
 * `fallback` when the queue is empty. */
static void reason_from_queue(char *buf, size_t len, const char *fallback)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	snprintf(buf, len, "%s", r ? r : fallback);
	ERR_clear_error();
}

static int load_identity(SSL_CTX *ctx, const struct check_ssl_conf *conf, char *err, size_t len)
{
	const char *key = conf->key ? conf->key : conf->certificate;
	char why[96];

	if (conf->password)
		SSL_CTX_set_default_passwd_cb_userdata(ctx, conf->password);
	if (SSL_CTX_use_certificate_chain_file(ctx, conf->certificate) != 1) {
		reason_from_queue(why, sizeof(why), "unreadable");
		snprintf(err, len, "certificate %s: %s", conf->certificate, why);
		return -1;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		reason_from_queue(why, sizeof(why), "unreadable");
		snprintf(err, len, "key %s: %s", key, why);
		return -1;
	}
	return 0;
}

SSL_CTX *tls_ctx_new(const struct check_ssl_conf *conf, char *err, size_t len)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	char why[96];

	if (!ctx) {
		reason_from_queue(why, sizeof(why), "out of memory");
		snprintf(err, len, "TLS context: %s", why);
		return NULL;
	}
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
	/* Many servers close without close_notify; the HTTP framing says
	 * whether the body is complete, as it does for plain HTTP_GET. */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE);
	if (conf && conf->certificate && load_identity(ctx, conf, err, len) < 0)
		goto bad;
	if (conf && conf->ca) {
		if (SSL_CTX_load_verify_locations(ctx, conf->ca, NULL) != 1) {
			reason_from_queue(why, sizeof(why), "unreadable");
			snprintf(err, len, "ca %s: %s", conf->ca, why);
			goto bad;
		}
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	}
	return ctx;
bad:
	SSL_CTX_free(ctx);
	return NULL;
}

void tls_ctx_free(SSL_CTX *ctx)
{
	SSL_CTX_free(ctx);
}

int tls_conn_start(struct tls_conn *conn, SSL_CTX *ctx, int fd, const char *sni)
{
	conn->reason[0] = '\0';
	ERR_clear_error();
	conn->ssl = SSL_new(ctx);
	if (!conn->ssl || SSL_set_fd(conn->ssl, fd) != 1 ||
	    (sni && SSL_set_tlsext_host_name(conn->ssl, sni) != 1)) {
		reason_from_queue(conn->reason, sizeof(conn->reason), "cannot create a session");
		tls_conn_end(conn);
		return -1;
	}
	return 0;
}

/* What an SSL_* call that returned `rc` means for the caller. */
static enum tls_step classify(struct tls_conn *conn, int rc, bool handshake)
{
	int e = SSL_get_error(conn->ssl, rc);
	long v;

	switch (e) {
	case SSL_ERROR_WANT_READ:
		return TLS_STEP_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return TLS_STEP_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		return TLS_STEP_EOF;
	case SSL_ERROR_SYSCALL:
		if (!handshake && ERR_peek_error() == 0 && errno == 0)
			return TLS_STEP_EOF;	/* closed without close_notify */
		snprintf(conn->reason, sizeof(conn->reason), "%s",
			 errno ? strerror(errno) : "connection closed by the server");
		ERR_clear_error();
		return TLS_STEP_FAILED;
	default:
		break;
	}
	v = SSL_get_verify_result(conn->ssl);
	if (handshake && v != X509_V_OK) {
		snprintf(conn->reason, sizeof(conn->reason), "certificate verify failed: %s",
			 X509_verify_cert_error_string(v));
		ERR_clear_error();
		return TLS_STEP_VERIFY_FAILED;
	}
	reason_from_queue(conn->reason, sizeof(conn->reason), "TLS error");
	return TLS_STEP_FAILED;
}

enum tls_step tls_handshake(struct tls_conn *conn)
{
	int rc;

	ERR_clear_error();
	errno = 0;
	rc = SSL_connect(conn->ssl);
	return rc == 1 ? TLS_STEP_DONE : classify(conn, rc, true);
}

enum tls_step tls_write(struct tls_conn *conn, const void *buf, size_t len, size_t *done)
{
	int rc;

	ERR_clear_error();
	errno = 0;
	rc = SSL_write_ex(conn->ssl, buf, len, done);
	return rc == 1 ? TLS_STEP_DONE : classify(conn, rc, false);
}

enum tls_step tls_read(struct tls_conn *conn, void *buf, size_t len, size_t *got)
{
	int rc;

	ERR_clear_error();
	errno = 0;
	rc = SSL_read_ex(conn->ssl, buf, len, got);
	return rc == 1 ? TLS_STEP_DONE : classify(conn, rc, false);
}

bool tls_pending(const struct tls_conn *conn)
{
	return conn->ssl && SSL_pending(conn->ssl) > 0;
}

void tls_conn_end(struct tls_conn *conn)
{
	SSL_free(conn->ssl);
	conn->ssl = NULL;
}

const char *tls_conn_describe(const struct tls_conn *conn, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", SSL_get_version(conn->ssl),
		 SSL_CIPHER_get_name(SSL_get_current_cipher(conn->ssl)));
	return buf;
}
