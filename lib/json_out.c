#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_out.h"

void json_out_init(struct json_out *j)
{
	memset(j, 0, sizeof(*j));
}

void json_out_free(struct json_out *j)
{
	free(j->buf);
	json_out_init(j);
}

static void put(struct json_out *j, const char *s, size_t n)
{
	if (j->failed)
		return;
	if (j->len + n + 1 > j->cap) {
		size_t cap = j->cap ? j->cap : 256;
		char *grown;

		while (cap < j->len + n + 1)
			cap *= 2;
		grown = realloc(j->buf, cap);
		if (!grown) {
			j->failed = true;
			return;
		}
		j->buf = grown;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void puts_(struct json_out *j, const char *s)
{
	put(j, s, strlen(s));
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none:
 * no overlong forms, no surrogates, nothing above U+10FFFF (RFC 3629). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t need;
	uint32_t cp, min;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 2, cp = s[0] & 0x1f, min = 0x80;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 3, cp = s[0] & 0x0f, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 4, cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (n < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need;
}

void json_quote(struct json_out *j, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	char esc[8];

	put(j, "\"", 1);
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t n;

		if (c == '"' || c == '\\') {
			esc[0] = '\\', esc[1] = (char)c;
			put(j, esc, 2);
		} else if (c == '\n') {
			puts_(j, "\\n");
		} else if (c == '\r') {
			puts_(j, "\\r");
		} else if (c == '\t') {
			puts_(j, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			puts_(j, esc);
		} else if (c < 0x80) {
			put(j, (const char *)&s[i], 1);
		} else if ((n = utf8_len(&s[i], len - i)) > 0) {
			put(j, (const char *)&s[i], n);
			i += n;
			continue;
		} else {
			puts_(j, "\\ufffd");
		}
		i++;
	}
	put(j, "\"", 1);
}

/* The comma and key that come before any value. */
static void member(struct json_out *j, const char *key)
{
	bool in_object = j->depth > 0 && j->in_object[j->depth - 1];

	if (j->failed)
		return;
	if (in_object != (key != NULL) || (j->depth == 0 && j->len > 0)) {
		j->failed = true;	/* a structure mistake in our own code */
		return;
	}
	if (j->depth > 0) {
		if (j->has_member[j->depth - 1])
			put(j, ",", 1);
		j->has_member[j->depth - 1] = true;
	}
	if (key) {
		json_quote(j, key, strlen(key));
		put(j, ":", 1);
	}
}

static void begin(struct json_out *j, const char *key, bool object)
{
	member(j, key);
	if (j->failed)
		return;
	if (j->depth == JSON_OUT_MAX_DEPTH) {
		j->failed = true;
		return;
	}
	j->in_object[j->depth] = object;
	j->has_member[j->depth] = false;
	j->depth++;
	put(j, object ? "{" : "[", 1);
}

static void end(struct json_out *j, bool object)
{
	if (j->failed)
		return;
	if (j->depth == 0 || j->in_object[j->depth - 1] != object) {
		j->failed = true;
		return;
	}
	j->depth--;
	put(j, object ? "}" : "]", 1);
}

void json_begin_object(struct json_out *j, const char *key)
{
	begin(j, key, true);
}

void json_end_object(struct json_out *j)
{
	end(j, true);
}

void json_begin_array(struct json_out *j, const char *key)
{
	begin(j, key, false);
}

void json_end_array(struct json_out *j)
{
	end(j, false);
}

void json_string(struct json_out *j, const char *key, const char *s)
{
	member(j, key);
	if (s)
		json_quote(j, s, strlen(s));
	else
		puts_(j, "null");
}

void json_uint(struct json_out *j, const char *key, uint64_t v)
{
	char num[24];

	member(j, key);
	snprintf(num, sizeof(num), "%" PRIu64, v);
	puts_(j, num);
}

void json_int(struct json_out *j, const char *key, int64_t v)
{
	char num[24];

	member(j, key);
	snprintf(num, sizeof(num), "%" PRId64, v);
	puts_(j, num);
}

void json_bool(struct json_out *j, const char *key, bool v)
{
	member(j, key);
	puts_(j, v ? "true" : "false");
}

void json_null(struct json_out *j, const char *key)
{
	member(j, key);
	puts_(j, "null");
}

void json_raw(struct json_out *j, const char *key, const char *raw, size_t len)
{
	member(j, key);
	put(j, raw, len);
}

const char *json_out_finish(struct json_out *j, size_t *len)
{
	if (j->failed || j->depth != 0 || j->len == 0)
		return NULL;
	if (len)
		*len = j->len;
	return j->buf;
}

const char *json_time_iso(uint64_t mono_us, char *buf, size_t len)
{
	struct timespec now_mono, now_wall;
	uint64_t mono_now_us, ago_us;
	time_t when;
	struct tm tm;

	clock_gettime(CLOCK_MONOTONIC, &now_mono);
	clock_gettime(CLOCK_REALTIME, &now_wall);
	mono_now_us = (uint64_t)now_mono.tv_sec * 1000000 + (uint64_t)now_mono.tv_nsec / 1000;
	ago_us = mono_now_us > mono_us ? mono_now_us - mono_us : 0;
	when = now_wall.tv_sec - (time_t)((ago_us + 500000) / 1000000);
	if (!gmtime_r(&when, &tm) || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "unknown");
	return buf;
}
