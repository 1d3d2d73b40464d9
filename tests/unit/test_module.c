/* Unit tests for lib/module.h: what module_load takes and what it refuses,
 * with the reason it gives.  fake_module.c is built as ka-test-module.so
 * beside this program, which is where module_load looks first. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "module.h"

#define FAKE "ka-test-module.so"

static void test_a_matching_table_loads(void **state)
{
	char err[512] = "";
	const struct module_head *t = module_load(FAKE, "ka_test_good", 7, err, sizeof(err));

	(void)state;
	assert_non_null(t);
	assert_int_equal(t->abi, 7);
	assert_string_equal(t->version, PACKAGE_VERSION);
	/* Loading again gives the same table. */
	assert_ptr_equal(module_load(FAKE, "ka_test_good", 7, err, sizeof(err)), t);
}

static void test_another_layout_or_version_is_refused(void **state)
{
	char err[512];

	(void)state;
	assert_null(module_load(FAKE, "ka_test_good", 8, err, sizeof(err)));
	assert_non_null(strstr(err, "(table 7), this is " PACKAGE_VERSION " (table 8)"));
	assert_null(module_load(FAKE, "ka_test_other_version", 7, err, sizeof(err)));
	assert_non_null(strstr(err, "built for keepalived 0.0.0-elsewhere (table 7)"));
	assert_null(module_load(FAKE, "ka_test_no_version", 7, err, sizeof(err)));
	assert_non_null(strstr(err, "built for keepalived ? (table 7)"));
}

static void test_missing_symbol_or_file_is_named(void **state)
{
	char err[512];

	(void)state;
	assert_null(module_load(FAKE, "ka_test_absent", 7, err, sizeof(err)));
	assert_non_null(strstr(err, FAKE ": no symbol ka_test_absent"));
	assert_null(module_load("ka-no-such-module.so", "x", 1, err, sizeof(err)));
	assert_non_null(strstr(err, "ka-no-such-module.so not found in /"));
	assert_non_null(strstr(err, " nor in " KA_MODULE_DIR));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_matching_table_loads),
		cmocka_unit_test(test_another_layout_or_version_is_refused),
		cmocka_unit_test(test_missing_symbol_or_file_is_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
