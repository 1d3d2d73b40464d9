/* Typed configuration values; see value.h.
 *
 * Numbers are read by hand rather than with strtoull(), which accepts
 * blanks, signs, "0x" and, for negative input, silently wraps: exactly
 * the laxness that lets a typo become a huge value. */
#include "config.h"

#include <arpa/inet.h>
#include <grp.h>
#include <inttypes.h>
#include <net/if.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "value.h"

enum num_status { NUM_OK, NUM_INVALID, NUM_OVERFLOW };

/* s[0..n) is one or more decimal digits and nothing else. */
static enum num_status parse_run(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	bool overflow = false;
	size_t i;

	if (n == 0)
		return NUM_INVALID;
	for (i = 0; i < n; i++) {
		unsigned digit = (unsigned)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9')
			return NUM_INVALID;
		if (v > (UINT64_MAX - digit) / 10)
			overflow = true;	/* keep going: "99...9x" is invalid */
		else
			v = v * 10 + digit;
	}
	*out = v;
	return overflow ? NUM_OVERFLOW : NUM_OK;
}

static enum num_status parse_digits(const char *s, uint64_t *out)
{
	return parse_run(s, strlen(s), out);
}

/* The word's text, escaped and cut for a message. */
static const char *shown(const struct conf_word *w, char *buf)
{
	return diag_text(w->text, buf, DIAG_TEXT_BUF);
}

static void out_of_range_u(struct diags *d, const struct conf_word *w, uint64_t min,
			   uint64_t max)
{
	char buf[DIAG_TEXT_BUF];

	diag_error(d, &w->pos, "'%s' is out of range (expected %" PRIu64 " to %" PRIu64 ")",
		   shown(w, buf), min, max);
}

bool val_uint(struct diags *d, const struct conf_word *w, uint64_t min, uint64_t max,
	      uint64_t *out)
{
	enum num_status st;
	uint64_t v = 0;

	st = parse_digits(w->text, &v);
	/* A negative number is well formed, just never in range: say so. */
	if (st == NUM_INVALID && w->text[0] == '-' && parse_digits(w->text + 1, &v) != NUM_INVALID &&
	    v != 0) {
		out_of_range_u(d, w, min, max);
		return false;
	}
	if (st == NUM_INVALID) {
		char buf[DIAG_TEXT_BUF];

		diag_error(d, &w->pos,
			   "'%s' is not a valid number (expected an integer from %" PRIu64
			   " to %" PRIu64 ")", shown(w, buf), min, max);
		return false;
	}
	if (st == NUM_OVERFLOW || v < min || v > max) {
		out_of_range_u(d, w, min, max);
		return false;
	}
	*out = v;
	return true;
}

bool val_int(struct diags *d, const struct conf_word *w, int64_t min, int64_t max,
	     int64_t *out)
{
	char buf[DIAG_TEXT_BUF];
	bool negative = w->text[0] == '-';
	enum num_status st;
	uint64_t mag = 0;
	int64_t v = 0;

	st = parse_digits(w->text + (negative ? 1 : 0), &mag);
	if (st == NUM_INVALID) {
		diag_error(d, &w->pos,
			   "'%s' is not a valid number (expected an integer from %" PRId64
			   " to %" PRId64 ")", shown(w, buf), min, max);
		return false;
	}
	if (st == NUM_OK && !negative && mag <= (uint64_t)INT64_MAX)
		v = (int64_t)mag;
	else if (st == NUM_OK && negative && mag <= (uint64_t)INT64_MAX + 1)
		v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	else
		st = NUM_OVERFLOW;
	if (st == NUM_OVERFLOW || v < min || v > max) {
		diag_error(d, &w->pos, "'%s' is out of range (expected %" PRId64 " to %" PRId64 ")",
			   shown(w, buf), min, max);
		return false;
	}
	*out = v;
	return true;
}

/* Microseconds as seconds, without trailing zeros: "0.5", "3", "1.25". */
static const char *fmt_seconds(uint64_t us, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%" PRIu64 ".%06" PRIu64, us / 1000000, us % 1000000);

	while (n > 0 && (size_t)n < len && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && (size_t)n < len && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

/* DIGITS[.DIGITS] with 1 to 6 decimals, into microseconds. */
static enum num_status parse_seconds(const char *text, uint64_t *us, bool *too_precise)
{
	const char *dot = strchr(text, '.');
	size_t wlen = dot ? (size_t)(dot - text) : strlen(text);
	size_t ndec = dot ? strlen(dot + 1) : 0;
	uint64_t secs = 0, frac = 0;
	enum num_status st = parse_run(text, wlen, &secs);
	size_t i;

	*too_precise = false;
	if (st == NUM_INVALID || (dot && parse_run(dot + 1, ndec, &frac) == NUM_INVALID))
		return NUM_INVALID;
	if (ndec > 6) {
		*too_precise = true;
		return NUM_INVALID;
	}
	if (st == NUM_OVERFLOW)
		return st;
	for (i = ndec; i < 6; i++)
		frac *= 10;
	if (secs > (UINT64_MAX - frac) / 1000000)
		return NUM_OVERFLOW;
	*us = secs * 1000000 + frac;
	return NUM_OK;
}

bool val_seconds(struct diags *d, const struct conf_word *w, uint64_t min_us,
		 uint64_t max_us, uint64_t *out_us)
{
	char buf[DIAG_TEXT_BUF], lo[32], hi[32];
	bool too_precise;
	uint64_t us = 0;
	enum num_status st = parse_seconds(w->text, &us, &too_precise);

	fmt_seconds(min_us, lo, sizeof(lo));
	fmt_seconds(max_us, hi, sizeof(hi));
	if (too_precise) {
		diag_error(d, &w->pos, "'%s' has more than 6 decimals", shown(w, buf));
		return false;
	}
	if (st == NUM_INVALID) {
		diag_error(d, &w->pos,
			   "'%s' is not a valid number of seconds (expected %s to %s, "
			   "like 3 or 0.5)", shown(w, buf), lo, hi);
		return false;
	}
	if (st == NUM_OVERFLOW || us < min_us || us > max_us) {
		diag_error(d, &w->pos, "'%s' is out of range (expected %s to %s seconds)",
			   shown(w, buf), lo, hi);
		return false;
	}
	*out_us = us;
	return true;
}

bool val_port(struct diags *d, const struct conf_word *w, uint16_t *out)
{
	uint64_t v;

	if (!val_uint(d, w, 1, 65535, &v))
		return false;
	*out = (uint16_t)v;
	return true;
}

static const char *family_name(int family)
{
	return family == AF_INET ? "IPv4" : family == AF_INET6 ? "IPv6" : "IP";
}

int ip_addr_parse(const char *text, struct ip_addr *out)
{
	if (inet_pton(AF_INET, text, &out->u.v4) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, text, &out->u.v6) == 1)
		out->family = AF_INET6;
	else
		return 0;
	return out->family;
}

/* Check that `got` (0: not an address) is acceptable for `family`. */
static bool check_family(struct diags *d, const struct conf_word *w, int family, int got)
{
	char buf[DIAG_TEXT_BUF];

	if (got == 0) {
		diag_error(d, &w->pos, "'%s' is not a valid %s address", shown(w, buf),
			   family_name(family));
		return false;
	}
	if (family != AF_UNSPEC && got != family) {
		diag_error(d, &w->pos, "'%s' is an %s address (expected an %s address)",
			   shown(w, buf), family_name(got), family_name(family));
		return false;
	}
	return true;
}

bool val_ipaddr(struct diags *d, const struct conf_word *w, int family, struct ip_addr *out)
{
	struct ip_addr a;

	memset(&a, 0, sizeof(a));
	if (!check_family(d, w, family, ip_addr_parse(w->text, &a)))
		return false;
	*out = a;
	return true;
}

bool val_prefix(struct diags *d, const struct conf_word *w, int family, struct ip_addr *out,
		unsigned *prefix_len)
{
	char addr[INET6_ADDRSTRLEN + 1], buf[DIAG_TEXT_BUF];
	const char *slash = strchr(w->text, '/');
	size_t alen = slash ? (size_t)(slash - w->text) : strlen(w->text);
	unsigned max;
	uint64_t len = 0;
	struct ip_addr a;
	int got = 0;

	memset(&a, 0, sizeof(a));
	if (alen < sizeof(addr)) {
		memcpy(addr, w->text, alen);
		addr[alen] = '\0';
		got = ip_addr_parse(addr, &a);
	}
	if (!check_family(d, w, family, got))
		return false;
	max = a.family == AF_INET ? 32 : 128;
	if (!slash) {
		len = max;
	} else if (strlen(slash + 1) > 3 || parse_digits(slash + 1, &len) != NUM_OK ||
		   len > max) {
		diag_error(d, &w->pos, "'%s' has an invalid prefix length (expected 0 to %u)",
			   shown(w, buf), max);
		return false;
	}
	*out = a;
	*prefix_len = (unsigned)len;
	return true;
}

/* "a, b, c" into buf, cut with "..." when it does not fit. */
static const char *list_choices(const char *const *choices, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; choices[i]; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", choices[i]);

		if (n < 0 || (size_t)n >= len - used) {
			if (len >= 4)
				strcpy(buf + len - 4, "...");
			break;
		}
		used += (size_t)n;
	}
	return buf;
}

bool val_choice(struct diags *d, const struct conf_word *w, const char *const *choices,
		int *out)
{
	char buf[DIAG_TEXT_BUF], list[256];
	int i;

	for (i = 0; choices[i]; i++) {
		if (strcasecmp(w->text, choices[i]) == 0) {
			*out = i;
			return true;
		}
	}
	diag_error(d, &w->pos, "'%s' is not a valid choice (expected one of: %s)", shown(w, buf),
		   list_choices(choices, list, sizeof(list)));
	return false;
}

bool val_string(struct diags *d, const struct conf_word *w, size_t max_len, char *out)
{
	size_t len = strlen(w->text);

	if (len == 0) {
		diag_error(d, &w->pos, "empty value (expected 1 to %zu bytes)", max_len);
		return false;
	}
	if (len > max_len) {
		char buf[DIAG_TEXT_BUF];

		diag_error(d, &w->pos, "'%s' is too long (%zu bytes, at most %zu)", shown(w, buf),
			   len, max_len);
		return false;
	}
	memcpy(out, w->text, len + 1);
	return true;
}

const char *ip_addr_str(const struct ip_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->family, &a->u, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

const char *ip_proto_name(unsigned protocol)
{
	switch (protocol) {
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_SCTP:
		return "SCTP";
	}
	return NULL;
}

bool val_ifname(struct diags *d, const struct conf_word *w, char *buf)
{
	const char *s = w->text;
	size_t len = strlen(s);

	if (len == 0 || len >= IF_NAMESIZE || strpbrk(s, "/: \t") || !strcmp(s, ".") ||
	    !strcmp(s, "..")) {
		char shown[DIAG_TEXT_BUF];

		diag_error(d, &w->pos, "'%s' is not a valid interface name (1 to %d bytes, "
			   "no '/', ':' or blanks)", diag_text(s, shown, sizeof(shown)),
			   IF_NAMESIZE - 1);
		return false;
	}
	memcpy(buf, s, len + 1);
	return true;
}

bool val_bool(struct diags *d, const struct conf_word *w, bool *out)
{
	static const char *const words[] = { "on", "off", "true", "false", "yes", "no", NULL };
	int i = 0;	/* gcc -O2 cannot see val_choice sets it */

	if (!val_choice(d, w, words, &i))
		return false;
	*out = i % 2 == 0;
	return true;
}

bool val_user_group(struct diags *d, const struct conf_word *words, size_t n, size_t max,
		    char *user, char *group)
{
	char u[256], g[256] = "";

	if (max >= sizeof(u) || !val_string(d, &words[0], max, u))
		return false;
	if (!getpwnam(u)) {
		diag_error(d, &words[0].pos, "no such user '%s'", u);
		return false;
	}
	if (n > 1) {
		if (!val_string(d, &words[1], max, g))
			return false;
		if (!getgrnam(g)) {
			diag_error(d, &words[1].pos, "no such group '%s'", g);
			return false;
		}
	}
	memcpy(user, u, strlen(u) + 1);
	memcpy(group, g, strlen(g) + 1);
	return true;
}

socklen_t ip_addr_sockaddr(const struct ip_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = a->u.v6;
		s6->sin6_port = htons(port);
		return sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_addr = a->u.v4;
		s4->sin_port = htons(port);
		return sizeof(*s4);
	}
}
