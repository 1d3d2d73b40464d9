/* Unit tests for the JSON writer: structure (commas, nesting, keys only in
 * objects), escaping of quotes, backslashes and control characters, UTF-8
 * kept when valid and replaced when not, and sticky errors. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "json_out.h"

/* The quoted form of `len` bytes of `s`. */
static void assert_quoted(const char *s, size_t len, const char *want)
{
	struct json_out j;

	json_out_init(&j);
	json_quote(&j, s, len);
	assert_non_null(j.buf);
	assert_string_equal(j.buf, want);
	json_out_free(&j);
}

static void test_plain_and_quotes(void **state)
{
	(void)state;
	assert_quoted("VI_1", 4, "\"VI_1\"");
	assert_quoted("", 0, "\"\"");
	assert_quoted("a\"b\\c/d", 7, "\"a\\\"b\\\\c/d\"");
}

static void test_control_characters(void **state)
{
	(void)state;
	assert_quoted("a\nb\rc\td", 7, "\"a\\nb\\rc\\td\"");
	assert_quoted("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\"");
	/* An embedded NUL is data, not the end. */
	assert_quoted("x\0y", 3, "\"x\\u0000y\"");
	assert_quoted("\b\f", 2, "\"\\u0008\\u000c\"");
}

static void test_utf8_kept(void **state)
{
	(void)state;
	assert_quoted("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"");			/* é */
	assert_quoted("\xe2\x82\xac", 3, "\"\xe2\x82\xac\"");			/* € */
	assert_quoted("\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"");	/* U+1F600 */
}

static void test_invalid_bytes_replaced(void **state)
{
	(void)state;
	assert_quoted("\xff", 1, "\"\\ufffd\"");
	assert_quoted("a\x80z", 3, "\"a\\ufffdz\"");			/* lone continuation */
	assert_quoted("\xc3", 1, "\"\\ufffd\"");			/* truncated */
	assert_quoted("\xc3(", 2, "\"\\ufffd(\"");			/* bad continuation */
	assert_quoted("\xc0\xaf", 2, "\"\\ufffd\\ufffd\"");		/* overlong '/' */
	assert_quoted("\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"");	/* surrogate */
	assert_quoted("\xf4\x90\x80\x80", 4,
		      "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");			/* above U+10FFFF */
}

static void test_document(void **state)
{
	struct json_out j;
	const char *doc;
	size_t len;

	(void)state;
	json_out_init(&j);
	json_begin_object(&j, NULL);
	json_string(&j, "name", "web \"1\"");
	json_uint(&j, "big", UINT64_MAX);
	json_int(&j, "neg", -5);
	json_bool(&j, "up", true);
	json_null(&j, "none");
	json_string(&j, "null_string", NULL);
	json_begin_array(&j, "list");
	json_uint(&j, NULL, 1);
	json_begin_object(&j, NULL);
	json_end_object(&j);
	json_begin_array(&j, NULL);
	json_end_array(&j);
	json_end_array(&j);
	json_raw(&j, "part", "{\"x\":[1,2]}", 11);
	json_string(&j, "k\ney", "v");
	json_end_object(&j);
	doc = json_out_finish(&j, &len);
	assert_non_null(doc);
	assert_string_equal(doc, "{\"name\":\"web \\\"1\\\"\",\"big\":18446744073709551615,"
			    "\"neg\":-5,\"up\":true,\"none\":null,\"null_string\":null,"
			    "\"list\":[1,{},[]],\"part\":{\"x\":[1,2]},\"k\\ney\":\"v\"}");
	assert_int_equal(len, strlen(doc));
	json_out_free(&j);
}

static void test_structure_mistakes_fail(void **state)
{
	struct json_out j;

	(void)state;
	json_out_init(&j);			/* a key inside an array */
	json_begin_array(&j, NULL);
	json_uint(&j, "k", 1);
	json_end_array(&j);
	assert_null(json_out_finish(&j, NULL));
	json_out_free(&j);

	json_out_init(&j);			/* no key inside an object */
	json_begin_object(&j, NULL);
	json_uint(&j, NULL, 1);
	json_end_object(&j);
	assert_null(json_out_finish(&j, NULL));
	json_out_free(&j);

	json_out_init(&j);			/* left open */
	json_begin_object(&j, NULL);
	assert_null(json_out_finish(&j, NULL));
	json_out_free(&j);

	json_out_init(&j);			/* closed with the wrong bracket */
	json_begin_object(&j, NULL);
	json_end_array(&j);
	assert_null(json_out_finish(&j, NULL));
	json_out_free(&j);

	json_out_init(&j);			/* two top-level values */
	json_uint(&j, NULL, 1);
	json_uint(&j, NULL, 2);
	assert_null(json_out_finish(&j, NULL));
	json_out_free(&j);

	json_out_init(&j);			/* nothing at all */
	assert_null(json_out_finish(&j, NULL));
	json_out_free(&j);
}

static void test_depth_limit(void **state)
{
	struct json_out j;

	(void)state;
	json_out_init(&j);
	for (int i = 0; i <= JSON_OUT_MAX_DEPTH; i++)
		json_begin_array(&j, NULL);
	for (int i = 0; i <= JSON_OUT_MAX_DEPTH; i++)
		json_end_array(&j);
	assert_null(json_out_finish(&j, NULL));
	json_out_free(&j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_quotes),
		cmocka_unit_test(test_control_characters),
		cmocka_unit_test(test_utf8_kept),
		cmocka_unit_test(test_invalid_bytes_replaced),
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_structure_mistakes_fail),
		cmocka_unit_test(test_depth_limit),
	};

	return cmocka_run_group_tests_name("json_out", tests, NULL, NULL);
}
