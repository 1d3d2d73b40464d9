/* The whole configuration: global_defs values, subsystem dispatch, and the
 * snapshot the parent seals and the children parse. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "keepalived/ka_conf.h"
#include "unit_util.h"

static struct ka_config *load(const char *dir, const char *text, struct diags *d)
{
	char *path = ut_write(dir, "keepalived.conf", text);
	struct ka_config *c;

	diags_init(d);
	c = config_load_file(path, d, NULL);
	free(path);
	return c;
}

static void test_global_defs_values(void **state)
{
	char *dir = ut_tmpdir();
	struct diags d;
	struct ka_config *c = load(dir,
		"global_defs {\n"
		"  router_id LB_1\n"
		"  notification_email {\n    a@example.com b@example.com\n    c@example.com\n  }\n"
		"  notification_email_from ka@example.com\n"
		"  smtp_server 2001:db8::25 2525\n"
		"  smtp_connect_timeout 7.5\n"
		"  smtp_helo_name mail.lb1.example.com\n"
		"  smtp_alert\n"
		"  script_user root root\n"
		"  enable_script_security\n"
		"}\n", &d);

	(void)state;
	ut_print_diags(&d);
	assert_non_null(c);
	assert_string_equal(c->global.router_id, "LB_1");
	assert_int_equal(c->global.n_notification_email, 3);
	assert_string_equal(c->global.notification_email[2], "c@example.com");
	assert_string_equal(c->global.notification_email_from, "ka@example.com");
	assert_true(c->global.has_smtp_server);
	assert_int_equal(c->global.smtp_server.family, AF_INET6);
	assert_int_equal(c->global.smtp_port, 2525);
	assert_int_equal(c->global.smtp_connect_timeout_us, 7500000);
	assert_string_equal(c->global.smtp_helo_name, "mail.lb1.example.com");
	assert_true(c->global.smtp_alert);
	assert_string_equal(c->global.script_user, "root");
	assert_string_equal(c->global.script_group, "root");
	assert_true(c->global.enable_script_security);
	assert_false(config_wants_vrrp(c));
	assert_false(config_wants_checker(c));
	config_free(c);
	diags_free(&d);
	ut_rmtree(dir);
	free(dir);
}

static void test_defaults(void **state)
{
	char *dir = ut_tmpdir();
	struct diags d;
	struct ka_config *c = load(dir, "", &d);

	(void)state;
	assert_non_null(c);
	ut_assert_counts(&d, 0, 0);
	assert_string_equal(c->global.router_id, "");
	assert_false(c->global.has_smtp_server);
	assert_int_equal(c->global.smtp_port, 25);
	assert_int_equal(c->global.smtp_connect_timeout_us, 30000000);
	assert_string_equal(c->global.smtp_helo_name, "");
	assert_false(c->global.smtp_alert);
	config_free(c);
	diags_free(&d);
	ut_rmtree(dir);
	free(dir);
}

static void test_global_errors(void **state)
{
	char *dir = ut_tmpdir();
	struct diags d;
	struct ka_config *c = load(dir,
		"global_defs {\n"
		"  script_user no_such_user_here\n"
		"  smtp_server mail.example.com\n"
		"  notification_email_from \"a b@c\"\n"
		"  lvs_id old\n"
		"}\n"
		"global_defs\n", &d);

	(void)state;
	assert_null(c);
	ut_assert_diag(&d, "%s/keepalived.conf:2:15: error: script_user 'no_such_user_here': "
		       "no such user", dir);
	ut_assert_diag(&d, "%s/keepalived.conf:3:15: error: 'mail.example.com' is not a valid "
		       "IP address", dir);
	ut_assert_diag(&d, "%s/keepalived.conf:4:27: error: 'a b@c' is not an e-mail address",
		       dir);
	ut_assert_diag(&d, "%s/keepalived.conf:5:3: warning: 'lvs_id' is an old name of "
		       "'router_id'; use 'router_id'", dir);
	ut_assert_diag(&d, "%s/keepalived.conf:7:1: error: 'global_defs' needs a block "
		       "'{ ... }'", dir);
	ut_assert_counts(&d, 4, 1);
	diags_free(&d);
	ut_rmtree(dir);
	free(dir);
}

static void test_email_without_server_warns(void **state)
{
	char *dir = ut_tmpdir();
	struct diags d;
	struct ka_config *c = load(dir, "global_defs {\n notification_email {\n  a@b\n }\n}\n", &d);

	(void)state;
	assert_non_null(c);
	ut_assert_counts(&d, 0, 1);
	ut_assert_diag(&d, "warning: notification_email is set but smtp_server is not: "
		       "no e-mail alert will be sent");
	config_free(c);
	diags_free(&d);
	ut_rmtree(dir);
	free(dir);
}

/* Every smtp_alert that turns mail on says where, when the mail has
 * nowhere to go; one that turns it off says nothing. */
static void test_smtp_alert_without_recipients_warns(void **state)
{
	char *dir = ut_tmpdir();
	struct diags d;
	struct ka_config *c = load(dir,
		"global_defs {\n  smtp_server 127.0.0.1\n  smtp_alert no\n}\n"
		"vrrp_instance A {\n  interface eth0\n  virtual_router_id 1\n"
		"  smtp_alert yes\n  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n"
		"vrrp_instance B {\n  interface eth0\n  virtual_router_id 2\n"
		"  smtp_alert off\n  virtual_ipaddress {\n    10.0.0.2\n  }\n}\n"
		"virtual_server 10.0.0.1 80 {\n  protocol TCP\n"
		"  real_server 10.0.0.2 80 {\n    smtp_alert\n  }\n}\n", &d);

	(void)state;
	assert_non_null(c);
	ut_assert_diag(&d, "%s/keepalived.conf:8:3: warning: smtp_alert: no notification_email "
		       "in global_defs, so no e-mail alert will be sent", dir);
	ut_assert_diag(&d, "%s/keepalived.conf:24:5: warning: smtp_alert: no notification_email "
		       "in global_defs, so no e-mail alert will be sent", dir);
	ut_assert_counts(&d, 0, 2);
	assert_false(c->global.smtp_alert);
	config_free(c);
	diags_free(&d);
	ut_rmtree(dir);
	free(dir);
}

static void test_smtp_helo_name_errors(void **state)
{
	char *dir = ut_tmpdir();
	struct diags d;
	struct ka_config *c = load(dir,
		"global_defs {\n  smtp_helo_name \"a b\"\n  smtp_helo_name a<b>\n"
		"  smtp_alert maybe\n}\n", &d);

	(void)state;
	assert_null(c);
	ut_assert_diag(&d, "%s/keepalived.conf:2:18: error: smtp_helo_name 'a b' is not a host "
		       "name", dir);
	ut_assert_diag(&d, "%s/keepalived.conf:3:18: error: smtp_helo_name 'a<b>' is not a host "
		       "name", dir);
	ut_assert_counts(&d, 3, 0);
	diags_free(&d);
	ut_rmtree(dir);
	free(dir);
}

static void test_children_wanted(void **state)
{
	char *dir = ut_tmpdir();
	struct diags d;
	struct ka_config *c = load(dir,
		"vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
		" virtual_ipaddress {\n  10.0.0.1\n }\n}\n"
		"vrrp_instance B {\n interface eth0\n virtual_router_id 2\n"
		" virtual_ipaddress {\n  10.0.0.2\n }\n}\n", &d);

	(void)state;
	ut_print_diags(&d);
	assert_non_null(c);
	assert_int_equal(c->vrrp.n_instances, 2);
	assert_true(config_wants_vrrp(c));
	assert_false(config_wants_checker(c));
	config_free(c);
	diags_free(&d);
	c = load(dir, "virtual_server 10.0.0.1 80 {\n}\n", &d);
	assert_non_null(c);
	assert_false(config_wants_vrrp(c));
	assert_true(config_wants_checker(c));
	config_free(c);
	diags_free(&d);
	ut_rmtree(dir);
	free(dir);
}

/* What the parent validated is what a child parses, even once the files
 * on disk have changed or gone. */
static void test_snapshot_is_what_children_run(void **state)
{
	char *dir = ut_tmpdir();
	char *inc = ut_write(dir, "conf.d/a.conf", "global_defs {\n router_id from_include\n}\n");
	char *root = ut_write(dir, "keepalived.conf",
			      "include conf.d/*.conf\nvrrp_instance V {\n interface eth0\n"
			      " virtual_router_id 9\n virtual_ipaddress {\n  10.0.0.9\n }\n}\n");
	struct diags d;
	struct ka_config *parent, *child;
	int fd = -1;

	(void)state;
	diags_init(&d);
	parent = config_load_file(root, &d, &fd);
	assert_non_null(parent);
	assert_true(fd >= 0);
	diags_free(&d);
	free(inc);
	inc = ut_write(dir, "conf.d/a.conf", "global_defs {\n router_id changed\n}\n");
	unlink(root);
	diags_init(&d);
	child = config_load_snapshot(fd, &d);
	assert_non_null(child);
	assert_string_equal(child->global.router_id, "from_include");
	assert_int_equal(child->vrrp.n_instances, parent->vrrp.n_instances);
	config_free(parent);
	config_free(child);
	diags_free(&d);
	close(fd);
	free(inc);
	free(root);
	ut_rmtree(dir);
	free(dir);
}

static void test_broken_file_gives_no_snapshot(void **state)
{
	char *dir = ut_tmpdir();
	char *root = ut_write(dir, "keepalived.conf", "global_defs {\n");
	struct diags d;
	int fd = -1;

	(void)state;
	diags_init(&d);
	assert_null(config_load_file(root, &d, &fd));
	assert_int_equal(fd, -1);
	ut_assert_counts(&d, 1, 0);
	diags_free(&d);
	free(root);
	ut_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_global_defs_values),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_global_errors),
		cmocka_unit_test(test_email_without_server_warns),
		cmocka_unit_test(test_smtp_alert_without_recipients_warns),
		cmocka_unit_test(test_smtp_helo_name_errors),
		cmocka_unit_test(test_children_wanted),
		cmocka_unit_test(test_snapshot_is_what_children_run),
		cmocka_unit_test(test_broken_file_gives_no_snapshot),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
