/* A small JSON writer into a growing memory buffer, shared by the status
 * reports of the VRRP and checker children and by the parent that joins
 * them.  The caller states the structure (begin/end object or array, then
 * members); the writer places commas and escapes every string, so names
 * taken from a configuration file (any bytes at all) always come out as
 * valid JSON in valid UTF-8.
 *
 * Errors are sticky: after an allocation failure or a nesting mistake every
 * call does nothing and json_out_finish() reports the failure, so report
 * code need not check each call. */
#ifndef KA_JSON_OUT_H
#define KA_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_OUT_MAX_DEPTH 16

struct json_out {
	char *buf;
	size_t len, cap;
	bool failed;
	unsigned depth;
	bool in_object[JSON_OUT_MAX_DEPTH];	/* members need a key there */
	bool has_member[JSON_OUT_MAX_DEPTH];	/* a comma goes before the next */
};

void json_out_init(struct json_out *j);
/* The finished document (NUL-terminated, owned by `j`) and its length, or
 * NULL when memory ran out or the objects and arrays were not all closed. */
const char *json_out_finish(struct json_out *j, size_t *len);
void json_out_free(struct json_out *j);

/* `key` names the member inside an object and must be NULL inside an array
 * or at the top level. */
void json_begin_object(struct json_out *j, const char *key);
void json_end_object(struct json_out *j);
void json_begin_array(struct json_out *j, const char *key);
void json_end_array(struct json_out *j);
/* A NULL `s` writes null. */
void json_string(struct json_out *j, const char *key, const char *s);
void json_uint(struct json_out *j, const char *key, uint64_t v);
void json_int(struct json_out *j, const char *key, int64_t v);
void json_bool(struct json_out *j, const char *key, bool v);
void json_null(struct json_out *j, const char *key);
/* A value that is already JSON (a child's fragment), copied as it is; the
 * caller vouches for it. */
void json_raw(struct json_out *j, const char *key, const char *raw, size_t len);

/* Append `s` (len bytes) to `j` as a quoted JSON string: `"` and `\`
 * escaped, control characters and DEL as \uXXXX (\n, \r, \t short), valid
 * UTF-8 sequences kept, any other byte replaced by U+FFFD. */
void json_quote(struct json_out *j, const char *s, size_t len);

/* The wall-clock time, ISO 8601 in UTC ("2026-11-22T03:04:05Z"), of the
 * monotonic instant `mono_us` (monotonic_us() scale) that is in the past;
 * reports show it, the runtime keeps monotonic stamps.  Returns buf. */
const char *json_time_iso(uint64_t mono_us, char *buf, size_t len);

#endif
