/* The table keepalived-tls.so exports (tls_module.h).  Built only into the
 * module, with every other symbol hidden. */
#include "config.h"

#include "tls_module.h"

__attribute__((visibility("default"))) extern const struct tls_module ka_tls_module;

const struct tls_module ka_tls_module = {
	.head = { .abi = TLS_MODULE_ABI, .version = PACKAGE_VERSION },
	.ctx_new = tls_ctx_new,
	.ctx_free = tls_ctx_free,
	.conn_start = tls_conn_start,
	.handshake = tls_handshake,
	.write = tls_write,
	.read = tls_read,
	.pending = tls_pending,
	.conn_end = tls_conn_end,
	.conn_describe = tls_conn_describe,
};
