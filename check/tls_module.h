/* SSL_GET's TLS client (check_tls.c, the only user of OpenSSL's SSL API in
 * the daemon) as a module, lib/module.h: a checker that has no SSL_GET
 * never maps OpenSSL.  In the daemon, check_tls.h's functions are those of
 * tls_loader.c, which loads the module when the first client context is
 * built and forwards every call to this table; genhash links check_tls.c
 * itself. */
#ifndef KA_CHECK_TLS_MODULE_H
#define KA_CHECK_TLS_MODULE_H

#include "check_tls.h"
#include "module.h"

#define TLS_MODULE_FILE		"keepalived-tls.so"
#define TLS_MODULE_SYMBOL	"ka_tls_module"
#define TLS_MODULE_ABI		1	/* bump with any change below or in struct tls_conn */

struct tls_module {
	struct module_head head;
	struct ssl_ctx_st *(*ctx_new)(const struct check_ssl_conf *conf, char *err, size_t len);
	void (*ctx_free)(struct ssl_ctx_st *ctx);
	int (*conn_start)(struct tls_conn *conn, struct ssl_ctx_st *ctx, int fd, const char *sni);
	enum tls_step (*handshake)(struct tls_conn *conn);
	enum tls_step (*write)(struct tls_conn *conn, const void *buf, size_t len, size_t *done);
	enum tls_step (*read)(struct tls_conn *conn, void *buf, size_t len, size_t *got);
	bool (*pending)(const struct tls_conn *conn);
	void (*conn_end)(struct tls_conn *conn);
	const char *(*conn_describe)(const struct tls_conn *conn, char *buf, size_t len);
};

#endif
