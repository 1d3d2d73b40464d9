/* check_tls.h's functions in the daemon: the first client context loads
 * keepalived-tls.so (tls_module.h) and every call goes to its table.  A
 * session or context exists only once the module is loaded, so only
 * tls_ctx_new can meet an unloaded module; the others check their argument
 * where the contract allows NULL or a zeroed session. */
#include "config.h"

#include <stdio.h>

#include "tls_module.h"

static const struct tls_module *mod;

struct ssl_ctx_st *tls_ctx_new(const struct check_ssl_conf *conf, char *err, size_t len)
{
	char why[512];

	if (!mod) {
		mod = (const struct tls_module *)module_load(TLS_MODULE_FILE, TLS_MODULE_SYMBOL,
							     TLS_MODULE_ABI, why, sizeof(why));
		if (!mod) {
			snprintf(err, len, "cannot load the TLS module: %s", why);
			return NULL;
		}
	}
	return mod->ctx_new(conf, err, len);
}

void tls_ctx_free(struct ssl_ctx_st *ctx)
{
	if (ctx)
		mod->ctx_free(ctx);
}

int tls_conn_start(struct tls_conn *conn, struct ssl_ctx_st *ctx, int fd, const char *sni)
{
	return mod->conn_start(conn, ctx, fd, sni);
}

enum tls_step tls_handshake(struct tls_conn *conn)
{
	return mod->handshake(conn);
}

enum tls_step tls_write(struct tls_conn *conn, const void *buf, size_t len, size_t *done)
{
	return mod->write(conn, buf, len, done);
}

enum tls_step tls_read(struct tls_conn *conn, void *buf, size_t len, size_t *got)
{
	return mod->read(conn, buf, len, got);
}

bool tls_pending(const struct tls_conn *conn)
{
	return conn->ssl && mod->pending(conn);
}

void tls_conn_end(struct tls_conn *conn)
{
	if (conn->ssl)
		mod->conn_end(conn);
}

const char *tls_conn_describe(const struct tls_conn *conn, char *buf, size_t len)
{
	return mod->conn_describe(conn, buf, len);
}
