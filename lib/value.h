/* Typed values read from configuration words.  Every parser checks the
 * whole word (no trailing garbage, no sign where none is allowed, no
 * overflow), range-checks it, and on failure reports one error at the word's
 * position naming the expected form and range.  They return true on success
 * and leave *out untouched on failure. */
#ifndef KA_VALUE_H
#define KA_VALUE_H

#include <netinet/in.h>
#include <sys/socket.h>
#include <stdbool.h>
#include <stdint.h>

#include "conf_tree.h"
#include "diag.h"

/* An IPv4 or IPv6 address. */
struct ip_addr {
	int family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

/* Decimal unsigned integer in [min, max].  Leading zeros are read as
 * decimal; "+5", "-1", "", "1e3", "12abc" and overflow are errors. */
bool val_uint(struct diags *d, const struct conf_word *w, uint64_t min, uint64_t max,
	      uint64_t *out);

/* Decimal signed integer in [min, max] (a leading '-' allowed). */
bool val_int(struct diags *d, const struct conf_word *w, int64_t min, int64_t max,
	     int64_t *out);

/* A non-negative decimal number of seconds with at most 6 decimals
 * ("3", "0.5", "1.250000"), returned in microseconds, in [min_us, max_us].
 * Digits are required on both sides of a dot: ".5" and "5." are errors, as
 * are "1.2345678" (7 decimals), "+1", "-1", "1e3" and "". */
bool val_seconds(struct diags *d, const struct conf_word *w, uint64_t min_us,
		 uint64_t max_us, uint64_t *out_us);

/* A TCP/UDP port, 1..65535 (host order). */
bool val_port(struct diags *d, const struct conf_word *w, uint16_t *out);

/* An IPv4 or IPv6 address literal (no host names). `family` restricts it:
 * AF_INET, AF_INET6, or AF_UNSPEC for either.  IPv4 is strict dotted quad
 * (inet_pton): "1.2.3", "010.0.0.1" and "1.2.3.4/24" are errors. */
bool val_ipaddr(struct diags *d, const struct conf_word *w, int family, struct ip_addr *out);

/* ADDR or ADDR/PREFIX; the prefix defaults to 32 (IPv4) or 128 (IPv6).
 * Host bits after the prefix are kept as written ("10.0.0.1/24"). */
bool val_prefix(struct diags *d, const struct conf_word *w, int family, struct ip_addr *out,
		unsigned *prefix_len);

/* One of `choices` (NULL-terminated), compared case-insensitively; *out is
 * the index.  The error lists the accepted values. */
bool val_choice(struct diags *d, const struct conf_word *w, const char *const *choices,
		int *out);

/* A string of 1..max_len bytes (max_len excludes the NUL), copied into buf
 * of size max_len + 1. */
bool val_string(struct diags *d, const struct conf_word *w, size_t max_len, char *buf);

/* An interface name: 1 to IF_NAMESIZE - 1 bytes, no '/', ':' or blanks,
 * not "." or "..".  buf has IF_NAMESIZE bytes. */
bool val_ifname(struct diags *d, const struct conf_word *w, char *buf);

/* on/off, true/false, yes/no (case-insensitive). */
bool val_bool(struct diags *d, const struct conf_word *w, bool *out);

/* USER [GROUP] from words[0..n) (n is 1 or 2), each an existing name of
 * at most `max` bytes, into user and group (buffers of max + 1 bytes; group
 * is left empty without a second word).  Nothing is written on failure. */
bool val_user_group(struct diags *d, const struct conf_word *words, size_t n, size_t max,
		    char *user, char *group);

/* The value of a hexadecimal digit, or -1. */
static inline int val_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Format an address for logs and messages ("10.0.0.1", "fe80::1"). */
const char *ip_addr_str(const struct ip_addr *a, char *buf, size_t len);

/* "TCP", "UDP" or "SCTP" for an IP protocol number; NULL for any other. */
const char *ip_proto_name(unsigned protocol);

/* Parse an IPv4 or IPv6 address literal into *out; returns its family
 * (AF_INET, AF_INET6), or 0 when `text` is neither. */
int ip_addr_parse(const char *text, struct ip_addr *out);

/* The socket address of `a` and `port` (host order) in *ss, zeroed first;
 * returns its length. */
socklen_t ip_addr_sockaddr(const struct ip_addr *a, uint16_t port, struct sockaddr_storage *ss);

#endif
