/* The request of HTTP_GET, SSL_GET and genhash (see http_request.h). */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "http_request.h"

#define HTTP_PORT	80
#define HTTPS_PORT	443

void http_default_host(const struct ip_addr *ip, uint16_t port, bool tls, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "";
	bool v6 = ip->family == AF_INET6;

	inet_ntop(ip->family, &ip->u, a, sizeof(a));
	if (port == (tls ? HTTPS_PORT : HTTP_PORT))
		snprintf(buf, len, v6 ? "[%s]" : "%s", a);
	else
		snprintf(buf, len, v6 ? "[%s]:%u" : "%s:%u", a, port);
}

char *http_request_new(const char *path, const char *host, enum http_protocol proto, size_t *len)
{
	const char *version = proto == HTTP_PROTO_1_1 ? "1.1" : "1.0";
	const char *conn_close = proto == HTTP_PROTO_1_0 ? "" : "Connection: close\r\n";
	char *req;
	int n = asprintf(&req, "GET %s HTTP/%s\r\nUser-Agent: keepalived-checker\r\n"
			 "Host: %s\r\n%s\r\n", path, version, host, conn_close);

	if (n < 0)
		return NULL;
	*len = (size_t)n;
	return req;
}
