/* The request HTTP_GET, SSL_GET and genhash send: built in one place so
 * that genhash fetches a page exactly as the checker does, and so prints
 * the digest the checker will compare. */
#ifndef KA_HTTP_REQUEST_H
#define KA_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check_conf.h"

/* The Host header when no virtualhost is configured: the address, in
 * brackets for IPv6, with the port unless it is the scheme's own (80, or
 * 443 with `tls`) (RFC 9110 7.2). */
void http_default_host(const struct ip_addr *ip, uint16_t port, bool tls, char *buf, size_t len);

/* "GET PATH HTTP/1.x" with User-Agent and Host (and "Connection: close"
 * unless the protocol is plain 1.0), CRLF line ends.  Returns a malloc'd
 * request and its length in *len, or NULL when out of memory. */
char *http_request_new(const char *path, const char *host, enum http_protocol proto, size_t *len);

#endif
