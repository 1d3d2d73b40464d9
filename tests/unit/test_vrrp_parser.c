/* The VRRP configuration through the daemon's real entry point,
 * config_load_file(): a full keepalived-style file with every field
 * checked, the defaults, global_defs values reaching instances, and every
 * error and warning with its exact line. */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "keepalived/ka_conf.h"
#include "conf_fixture.h"
#include "unit_util.h"

static const char *addr_str(const struct ip_addr *a)
{
	static char buf[INET6_ADDRSTRLEN];

	return ip_addr_str(a, buf, sizeof(buf));
}

static const char FULL[] =
	"global_defs {\n  router_id LB_1\n"
	"  vrrp_garp_master_delay 2\n  vrrp_garp_master_repeat 3\n"
	"  vrrp_garp_master_refresh 60\n  vrrp_garp_master_refresh_repeat 2\n"
	"  vrrp_skip_check_adv_addr\n  vrrp_version 2\n"
	"}\n"
	"vrrp_script chk_haproxy {\n"
	"  script \"killall -0 haproxy\"\n"
	"  interval 2\n  timeout 1.5\n  weight -4\n  rise 3\n  fall 2\n"
	"  user root root\n"
	"}\n"
	"vrrp_script chk_file {\n"
	"  script /usr/bin/test -e /run/up\n"
	"}\n"
	"vrrp_sync_group G1 {\n"
	"  group {\n    VI_1\n    VI_2\n  }\n"
	"  notify_master \"/usr/local/bin/to_master.sh G1\"\n"
	"  notify_backup /usr/local/bin/to_backup.sh root root\n"
	"  notify /usr/local/bin/notify.sh\n"
	"  smtp_alert\n"
	"  track_script {\n    chk_file\n  }\n"
	"  sync_group_tracking_weight\n"
	"}\n"
	"vrrp_instance VI_1 {\n"
	"  state master\n"
	"  interface eth0\n"
	"  virtual_router_id 51\n"
	"  priority 150\n"
	"  advert_int 2\n"
	"  authentication {\n    auth_type pass\n    auth_pass s3cret\n  }\n"
	"  virtual_ipaddress {\n"
	"    192.168.200.16\n"
	"    192.168.200.17/24 dev eth1 brd 192.168.200.255 scope link label eth1:vip\n"
	"    10.1.1.1/32 scope 200\n"
	"  }\n"
	"  virtual_ipaddress_excluded {\n"
	"    2001:db8::10/64 dev eth0\n"
	"    192.168.201.1/24\n"
	"  }\n"
	"  unicast_src_ip 192.168.200.2\n"
	"  unicast_peer {\n    192.168.200.3\n    192.168.200.4\n  }\n"
	"  track_interface {\n    eth1\n    eth2 weight -10\n  }\n"
	"  track_script {\n    chk_haproxy weight 20\n    chk_file\n  }\n"
	"  garp_master_delay 1\n"
	"  garp_master_repeat 7\n"
	"  notify_fault \"/bin/fault.sh VI_1\" root\n"
	"  notify_stop /bin/stop.sh\n"
	"  smtp_alert off\n"
	"  debug 2\n"
	"  version 2\n"
	"}\n"
	"vrrp_instance VI_2 {\n"
	"  interface eth1\n  virtual_router_id 52\n"
	"  nopreempt\n  preempt_delay 30.5\n"
	"  mcast_src_ip 192.168.201.2\n"
	"  dont_track_primary\n  garp_master_refresh 0\n"
	"  virtual_ipaddress {\n    192.168.201.13\n  }\n"
	"}\n";

static void check_full_globals_scripts(const struct vrrp_conf *v)
{
	const struct vrrp_script_conf *s;

	assert_int_equal(v->globals.garp_master_delay_us, 2000000);
	assert_int_equal(v->globals.garp_master_repeat, 3);
	assert_int_equal(v->globals.garp_master_refresh_us, 60000000);
	assert_int_equal(v->globals.garp_master_refresh_repeat, 2);
	assert_true(v->globals.skip_check_adv_addr);
	assert_int_equal(v->globals.version, 2);
	assert_null(v->refs);

	assert_int_equal(v->n_scripts, 2);
	s = vrrp_conf_script(v, "chk_haproxy");
	assert_ptr_equal(s, &v->scripts[0]);
	assert_string_equal(s->script, "killall -0 haproxy");
	assert_int_equal(s->interval_us, 2000000);
	assert_int_equal(s->timeout_us, 1500000);
	assert_true(s->w.has_weight);
	assert_int_equal(s->w.weight, -4);
	assert_int_equal(s->rise, 3);
	assert_int_equal(s->fall, 2);
	assert_string_equal(s->user, "root");
	assert_string_equal(s->group, "root");
	s = vrrp_conf_script(v, "chk_file");
	assert_string_equal(s->script, "/usr/bin/test -e /run/up");
	assert_int_equal(s->interval_us, 1000000);
	assert_int_equal(s->timeout_us, 1000000);
	assert_false(s->w.has_weight);
	assert_string_equal(s->user, "");
	assert_null(vrrp_conf_script(v, "chk_none"));
}

static void check_full_group(const struct vrrp_conf *v)
{
	const struct vrrp_sync_group_conf *g = &v->groups[0];

	assert_int_equal(v->n_groups, 1);
	assert_string_equal(g->name, "G1");
	assert_int_equal(g->n_members, 2);
	assert_int_equal(g->members[0], 0);
	assert_int_equal(g->members[1], 1);
	assert_string_equal(g->notify.master, "/usr/local/bin/to_master.sh G1");
	assert_string_equal(g->notify.master_as.user, "");
	assert_string_equal(g->notify.backup, "/usr/local/bin/to_backup.sh");
	assert_string_equal(g->notify.backup_as.user, "root");
	assert_string_equal(g->notify.backup_as.group, "root");
	assert_null(g->notify.fault);
	assert_null(g->notify.stop);
	assert_string_equal(g->notify.any, "/usr/local/bin/notify.sh");
	assert_int_equal(g->notify.smtp_alert, VRRP_SMTP_ON);
	assert_int_equal(g->n_track_scripts, 1);
	assert_string_equal(g->track_scripts[0].name, "chk_file");
	assert_false(g->track_scripts[0].w.has_weight);
}

static void check_full_vi1_addresses(const struct vrrp_instance_conf *i)
{
	assert_int_equal(i->n_vips, 3);
	assert_string_equal(addr_str(&i->vips[0].addr), "192.168.200.16");
	assert_int_equal(i->vips[0].prefix_len, 32);
	assert_string_equal(i->vips[0].dev, "");
	assert_false(i->vips[0].has_brd);
	assert_int_equal(i->vips[0].scope, 0);
	assert_string_equal(i->vips[0].label, "");
	assert_string_equal(addr_str(&i->vips[1].addr), "192.168.200.17");
	assert_int_equal(i->vips[1].prefix_len, 24);
	assert_string_equal(i->vips[1].dev, "eth1");
	assert_true(i->vips[1].has_brd);
	assert_int_equal(i->vips[1].brd.s_addr, inet_addr("192.168.200.255"));
	assert_int_equal(i->vips[1].scope, 253);
	assert_string_equal(i->vips[1].label, "eth1:vip");
	assert_int_equal(i->vips[2].scope, 200);
	assert_int_equal(i->n_vips_excluded, 2);
	assert_int_equal(i->vips_excluded[0].addr.family, AF_INET6);
	assert_string_equal(addr_str(&i->vips_excluded[0].addr), "2001:db8::10");
	assert_int_equal(i->vips_excluded[0].prefix_len, 64);
	assert_string_equal(i->vips_excluded[0].dev, "eth0");
	assert_int_equal(i->vips_excluded[1].prefix_len, 24);
	assert_false(i->has_mcast_src);
	assert_true(i->has_unicast_src);
	assert_string_equal(addr_str(&i->unicast_src), "192.168.200.2");
	assert_int_equal(i->n_unicast_peers, 2);
	assert_string_equal(addr_str(&i->unicast_peers[0]), "192.168.200.3");
	assert_string_equal(addr_str(&i->unicast_peers[1]), "192.168.200.4");
}

static void check_full_vi1(const struct vrrp_instance_conf *i)
{
	assert_string_equal(i->name, "VI_1");
	assert_int_equal(i->initial_state, VRRP_STATE_MASTER);
	assert_string_equal(i->ifname, "eth0");
	assert_int_equal(i->vrid, 51);
	assert_int_equal(i->priority, 150);
	assert_int_equal(i->advert_int_s, 2);
	assert_int_equal(i->auth_type, VRRP_AUTH_PASS);
	assert_string_equal(i->auth_pass, "s3cret");
	check_full_vi1_addresses(i);
	assert_false(i->nopreempt);
	assert_int_equal(i->preempt_delay_us, 0);
	assert_false(i->dont_track_primary);
	assert_int_equal(i->n_track_ifs, 2);
	assert_string_equal(i->track_ifs[0].ifname, "eth1");
	assert_false(i->track_ifs[0].w.has_weight);
	assert_string_equal(i->track_ifs[1].ifname, "eth2");
	assert_true(i->track_ifs[1].w.has_weight);
	assert_int_equal(i->track_ifs[1].w.weight, -10);
	assert_int_equal(i->n_track_scripts, 2);
	assert_string_equal(i->track_scripts[0].name, "chk_haproxy");
	assert_true(i->track_scripts[0].w.has_weight);
	assert_int_equal(i->track_scripts[0].w.weight, 20);
	assert_string_equal(i->track_scripts[1].name, "chk_file");
	assert_false(i->track_scripts[1].w.has_weight);
	/* Own GARP values where set, global_defs' elsewhere. */
	assert_int_equal(i->garp_master_delay_us, 1000000);
	assert_int_equal(i->garp_master_repeat, 7);
	assert_int_equal(i->garp_master_refresh_us, 60000000);
	assert_int_equal(i->garp_master_refresh_repeat, 2);
	assert_null(i->notify.master);
	assert_string_equal(i->notify.fault, "/bin/fault.sh VI_1");
	assert_string_equal(i->notify.fault_as.user, "root");
	assert_string_equal(i->notify.fault_as.group, "");
	assert_string_equal(i->notify.stop, "/bin/stop.sh");
	assert_int_equal(i->notify.smtp_alert, VRRP_SMTP_OFF);
	assert_true(i->debug);
	assert_int_equal(i->sync_group, 0);
}

static void check_full_vi2(const struct vrrp_instance_conf *i)
{
	assert_string_equal(i->name, "VI_2");
	assert_int_equal(i->initial_state, VRRP_STATE_BACKUP);
	assert_string_equal(i->ifname, "eth1");
	assert_int_equal(i->vrid, 52);
	assert_int_equal(i->priority, 100);
	assert_int_equal(i->advert_int_s, 1);
	assert_int_equal(i->auth_type, VRRP_AUTH_NONE);
	assert_true(i->nopreempt);
	assert_int_equal(i->preempt_delay_us, 30500000);
	assert_true(i->has_mcast_src);
	assert_string_equal(addr_str(&i->mcast_src), "192.168.201.2");
	assert_false(i->has_unicast_src);
	assert_int_equal(i->n_unicast_peers, 0);
	assert_true(i->dont_track_primary);
	assert_int_equal(i->garp_master_delay_us, 2000000);
	assert_int_equal(i->garp_master_repeat, 3);
	assert_int_equal(i->garp_master_refresh_us, 0);
	assert_int_equal(i->garp_master_refresh_repeat, 2);
	assert_false(i->debug);
	assert_int_equal(i->sync_group, 0);
}

static void test_full_config(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c = cfx_load(f, FULL);

	assert_non_null(c);
	/* the group asks for mail that has no server to go to */
	cfx_expect(f, "30:3: warning: smtp_alert: no smtp_server in global_defs, so no e-mail "
	       "alert will be sent");
	ut_assert_counts(&f->d, 0, 1);
	assert_true(config_wants_vrrp(c));
	check_full_globals_scripts(&c->vrrp);
	check_full_group(&c->vrrp);
	assert_int_equal(c->vrrp.n_instances, 2);
	check_full_vi1(&c->vrrp.instances[0]);
	check_full_vi2(&c->vrrp.instances[1]);
	assert_int_equal(vrrp_conf_instance_index(&c->vrrp, "VI_2"), 1);
	assert_int_equal(vrrp_conf_instance_index(&c->vrrp, "VI_3"), -1);
}

static const char MINIMAL[] =
	"vrrp_instance V {\n"
	"  interface eth0\n"
	"  virtual_router_id 1\n"
	"  virtual_ipaddress {\n"
	"    10.0.0.1\n"
	"  }\n"
	"}\n";

static void test_defaults(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c = cfx_load(f, MINIMAL);
	const struct vrrp_instance_conf *i;

	assert_non_null(c);
	ut_assert_counts(&f->d, 0, 0);
	assert_int_equal(c->vrrp.globals.garp_master_delay_us, 5000000);
	assert_int_equal(c->vrrp.globals.garp_master_repeat, 5);
	assert_int_equal(c->vrrp.globals.garp_master_refresh_us, 0);
	assert_int_equal(c->vrrp.globals.garp_master_refresh_repeat, 1);
	assert_false(c->vrrp.globals.skip_check_adv_addr);
	assert_int_equal(c->vrrp.globals.version, 2);
	i = &c->vrrp.instances[0];
	assert_int_equal(i->initial_state, VRRP_STATE_BACKUP);
	assert_int_equal(i->priority, 100);
	assert_int_equal(i->advert_int_s, 1);
	assert_int_equal(i->auth_type, VRRP_AUTH_NONE);
	assert_false(i->nopreempt);
	assert_int_equal(i->garp_master_delay_us, 5000000);
	assert_int_equal(i->garp_master_repeat, 5);
	assert_int_equal(i->garp_master_refresh_us, 0);
	assert_int_equal(i->garp_master_refresh_repeat, 1);
	assert_int_equal(i->sync_group, -1);
	assert_int_equal(i->vips[0].scope, 0);
	assert_null(i->notify.any);
	assert_int_equal(i->notify.smtp_alert, VRRP_SMTP_UNSET);
	assert_int_equal(c->vrrp.n_groups, 0);
	assert_int_equal(c->vrrp.n_scripts, 0);
	assert_string_equal(vrrp_state_name(VRRP_STATE_INIT), "INIT");
	assert_string_equal(vrrp_state_name(VRRP_STATE_BACKUP), "BACKUP");
	assert_string_equal(vrrp_state_name(VRRP_STATE_MASTER), "MASTER");
	assert_string_equal(vrrp_state_name(VRRP_STATE_FAULT), "FAULT");
}

/* global_defs may follow the instances it applies to. */
static void test_globals_after_instances(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c = cfx_load(f,
		"vrrp_instance V {\n  interface eth0\n  virtual_router_id 1\n"
		"  garp_master_refresh_repeat 4\n"
		"  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n"
		"global_defs {\n  vrrp_garp_master_delay 0.5\n  vrrp_garp_master_refresh 10\n"
		"  vrrp_garp_master_refresh_repeat 9\n}\n");

	assert_non_null(c);
	assert_int_equal(c->vrrp.instances[0].garp_master_delay_us, 500000);
	assert_int_equal(c->vrrp.instances[0].garp_master_refresh_us, 10000000);
	assert_int_equal(c->vrrp.instances[0].garp_master_refresh_repeat, 4);
	assert_int_equal(c->vrrp.instances[0].garp_master_repeat, 5);
}

static void test_global_errors(void **state)
{
	struct fx *f = *state;

	assert_null(cfx_load(f, "global_defs {\n"
			 "  vrrp_version 1\n"
			 "  vrrp_version 4\n"
			 "  vrrp_garp_master_delay -1\n"
			 "  vrrp_garp_master_repeat 0\n"
			 "  vrrp_garp_master_refresh 86401\n"
			 "  vrrp_garp_master_refresh_repeat 256\n"
			 "  vrrp_skip_check_adv_addr yes\n"
			 "  vrrp_strict\n"
			 "}\n"));
	cfx_expect(f, "2:16: error: '1' is out of range (expected 2 to 3)");
	cfx_expect(f, "3:16: error: '4' is out of range (expected 2 to 3)");
	cfx_expect(f, "4:26: error: '-1' is not a valid number of seconds (expected 0 to 86400, "
	       "like 3 or 0.5)");
	cfx_expect(f, "5:27: error: '0' is out of range (expected 1 to 255)");
	cfx_expect(f, "6:28: error: '86401' is out of range (expected 0 to 86400 seconds)");
	cfx_expect(f, "7:35: error: '256' is out of range (expected 1 to 255)");
	cfx_expect(f, "8:3: error: 'vrrp_skip_check_adv_addr' takes no arguments, got 1");
	cfx_expect(f, "9:3: error: unknown keyword 'vrrp_strict' in global_defs");
	ut_assert_counts(&f->d, 8, 0);
}

static void test_instance_errors(void **state)
{
	struct fx *f = *state;

	assert_null(cfx_load(f, "vrrp_instance V {\n"
			 "  state LEADER\n"
			 "  interface this_name_is_too_long\n"
			 "  virtual_router_id 0\n"
			 "  priority 256\n"
			 "  preempt_delay 1000.5\n"
			 "  mcast_src_ip 10.0.0.300\n"
			 "  unicast_src_ip fe80::1\n"
			 "  debug 5\n"
			 "  smtp_alert maybe\n"
			 "  version 3\n"
			 "  garp_master_repeat 1x\n"
			 "  use_vmac eth0:51\n"
			 "  nopreempt now\n"
			 "  virtual_ipaddress {\n    10.0.0.1\n  }\n"
			 "}\n"));
	cfx_expect(f, "2:9: error: 'LEADER' is not a valid choice (expected one of: MASTER, BACKUP)");
	cfx_expect(f, "3:13: error: 'this_name_is_too_long' is not a valid interface name "
	       "(1 to 15 bytes, no '/', ':' or blanks)");
	cfx_expect(f, "4:21: error: '0' is out of range (expected 1 to 255)");
	cfx_expect(f, "5:12: error: '256' is out of range (expected 1 to 255)");
	cfx_expect(f, "6:17: error: '1000.5' is out of range (expected 0 to 1000 seconds)");
	cfx_expect(f, "7:16: error: '10.0.0.300' is not a valid IP address");
	cfx_expect(f, "8:18: error: unicast_src_ip fe80::1 is IPv6 but vrrp_instance 'V' is IPv4 "
	       "(its addresses must all be of one family)");
	cfx_expect(f, "9:9: error: '5' is out of range (expected 0 to 4)");
	cfx_expect(f, "10:14: error: 'maybe' is not a valid choice (expected one of: on, off, true, "
	       "false, yes, no)");
	cfx_expect(f, "12:22: error: '1x' is not a valid number (expected an integer from 1 to 255)");
	cfx_expect(f, "13:12: error: 'eth0:51' is not a valid interface name (1 to 15 bytes, "
	       "no '/', ':' or blanks)");
	cfx_expect(f, "14:3: error: 'nopreempt' takes no arguments, got 1");
	ut_assert_counts(&f->d, 12, 0);
}

static void test_required_keywords(void **state)
{
	struct fx *f = *state;

	assert_null(cfx_load(f, "vrrp_instance V {\n  priority 50\n}\n"
			 "vrrp_instance W {\n  interface eth/0\n  virtual_router_id 300\n"
			 "  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n"));
	cfx_expect(f, "1:1: error: vrrp_instance 'V' has no virtual_router_id");
	cfx_expect(f, "1:1: error: vrrp_instance 'V' has no interface");
	cfx_expect(f, "1:1: warning: vrrp_instance 'V' has no virtual_ipaddress");
	/* Given but invalid: one error each, not a second "has no". */
	cfx_expect(f, "5:13: error: 'eth/0' is not a valid interface name (1 to 15 bytes, no '/', "
	       "':' or blanks)");
	cfx_expect(f, "6:21: error: '300' is out of range (expected 1 to 255)");
	ut_assert_counts(&f->d, 4, 1);
}

static void test_advert_int(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c = cfx_load(f,
		"vrrp_instance V {\n  interface eth0\n  virtual_router_id 1\n  advert_int 3.0\n"
		"  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n");

	assert_non_null(c);
	assert_int_equal(c->vrrp.instances[0].advert_int_s, 3);
	assert_int_equal(c->vrrp.instances[0].version, 2);
	assert_null(cfx_load(f,
			 "vrrp_instance A {\n"
			 "  interface eth0\n"
			 "  virtual_router_id 1\n"
			 "  advert_int 0.5\n"
			 "  virtual_ipaddress {\n"
			 "    10.0.0.1\n"
			 "  }\n"
			 "}\n"
			 "vrrp_instance B {\n"
			 "  interface eth0\n"
			 "  virtual_router_id 2\n"
			 "  advert_int 1.5\n"
			 "  virtual_ipaddress {\n"
			 "    10.0.0.2\n"
			 "  }\n"
			 "}\n"
			 "vrrp_instance C {\n"
			 "  interface eth0\n"
			 "  virtual_router_id 3\n"
			 "  advert_int 0\n"
			 "  virtual_ipaddress {\n"
			 "    10.0.0.3\n"
			 "  }\n"
			 "}\n"
			 "vrrp_instance D {\n"
			 "  interface eth0\n"
			 "  virtual_router_id 4\n"
			 "  advert_int 256\n"
			 "  advert_int 1,5\n"
			 "  advert_int 255.5\n"
			 "  virtual_ipaddress {\n"
			 "    10.0.0.4\n"
			 "  }\n"
			 "}\n"
			 "vrrp_instance E {\n"
			 "  interface eth0\n"
			 "  virtual_router_id 5\n"
			 "  version 3\n"
			 "  advert_int 0.005\n"
			 "  virtual_ipaddress {\n"
			 "    10.0.0.5\n"
			 "  }\n"
			 "}\n"
			 "vrrp_instance F {\n"
			 "  interface eth0\n"
			 "  virtual_router_id 6\n"
			 "  version 3\n"
			 "  advert_int 40.96\n"
			 "  virtual_ipaddress {\n"
			 "    10.0.0.6\n"
			 "  }\n"
			 "}\n"
			 "vrrp_instance G {\n"
			 "  interface eth0\n"
			 "  virtual_router_id 7\n"
			 "  version 3\n"
			 "  advert_int 0.015\n"
			 "  virtual_ipaddress {\n"
			 "    10.0.0.7\n"
			 "  }\n"
			 "}\n"));
	cfx_expect(f, "28:14: error: '256' is out of range (expected 0 to 255 seconds)");
	cfx_expect(f, "29:14: error: '1,5' is not a valid number of seconds (expected 0 to 255, "
	       "like 3 or 0.5)");
	cfx_expect(f, "30:14: error: '255.5' is out of range (expected 0 to 255 seconds)");
	cfx_expect(f, "4:14: error: VRRPv2 advert_int must be whole seconds from 1 to 255, got '0.5' "
	       "(sub-second intervals need version 3)");
	cfx_expect(f, "12:14: error: VRRPv2 advert_int must be whole seconds from 1 to 255, got '1.5' "
	       "(sub-second intervals need version 3)");
	cfx_expect(f, "20:14: error: VRRPv2 advert_int must be whole seconds from 1 to 255, got '0' "
	       "(sub-second intervals need version 3)");
	cfx_expect(f, "39:14: error: VRRPv3 advert_int must be 0.01 to 40.95 seconds in steps of "
	       "0.01, got '0.005'");
	cfx_expect(f, "48:14: error: VRRPv3 advert_int must be 0.01 to 40.95 seconds in steps of "
	       "0.01, got '40.96'");
	cfx_expect(f, "57:14: error: VRRPv3 advert_int must be 0.01 to 40.95 seconds in steps of "
	       "0.01, got '0.015'");
	ut_assert_counts(&f->d, 9, 0);
}

/* VRRPv3: per instance or from vrrp_version (written anywhere in the
 * file), centisecond intervals, the checksum form, no authentication. */
static void test_version_3(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c = cfx_load(f,
		"vrrp_instance A {\n  interface eth0\n  virtual_router_id 1\n  advert_int 0.01\n"
		"  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n"
		"vrrp_instance B {\n  interface eth0\n  virtual_router_id 2\n  version 2\n"
		"  virtual_ipaddress {\n    10.0.0.2\n  }\n}\n"
		"vrrp_instance C {\n  interface eth0\n  virtual_router_id 3\n  advert_int 40.95\n"
		"  v3_checksum_as_v2 no\n  virtual_ipaddress {\n    10.0.0.3\n  }\n}\n"
		"global_defs {\n  vrrp_version 3\n  v3_checksum_as_v2\n}\n");

	assert_non_null(c);
	ut_assert_counts(&f->d, 0, 0);
	assert_int_equal(c->vrrp.instances[0].version, 3);
	assert_int_equal(c->vrrp.instances[0].advert_int_us, 10000);
	assert_int_equal(c->vrrp.instances[0].v3_checksum_as_v2, 1);
	assert_int_equal(c->vrrp.instances[1].version, 2);
	assert_int_equal(c->vrrp.instances[1].advert_int_s, 1);
	assert_int_equal(c->vrrp.instances[2].advert_int_us, 40950000);
	assert_int_equal(c->vrrp.instances[2].v3_checksum_as_v2, 0);
	assert_null(cfx_load(f,
		"vrrp_instance A {\n  interface eth0\n  virtual_router_id 1\n  version 3\n"
		"  authentication {\n    auth_type PASS\n    auth_pass x\n  }\n"
		"  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n"));
	cfx_expect(f, "5:3: error: VRRPv3 has no authentication (RFC 5798): remove the "
	       "authentication block or use version 2");
	ut_assert_counts(&f->d, 1, 0);
}

/* An instance's family is its virtual_ipaddress's; IPv6 is VRRPv3 even
 * when the file says 2 (as keepalived); the same VRID may serve an IPv4
 * and an IPv6 instance on one interface; everything sent from or to is of
 * the instance's family; accept is the default, no_accept refused. */
static void test_ipv6_instances(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c = cfx_load(f,
		"vrrp_instance A {\n  interface eth0\n  virtual_router_id 1\n  version 2\n"
		"  advert_int 0.1\n  accept\n"
		"  virtual_ipaddress {\n    fe80::1\n    2001:db8::1/64\n  }\n"
		"  virtual_ipaddress_excluded {\n    10.0.0.9/24\n  }\n"
		"  unicast_src_ip fe80::2\n  unicast_peer {\n    fe80::3\n  }\n}\n"
		"vrrp_instance B {\n  interface eth0\n  virtual_router_id 1\n"
		"  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n"
		"vrrp_instance C {\n  interface eth1\n  virtual_router_id 2\n"
		"  virtual_ipaddress {\n    2001:db8::2\n  }\n}\n");

	assert_non_null(c);
	cfx_expect(f, "4:11: warning: VRRP version 2 has no IPv6: vrrp_instance 'A' uses version 3");
	cfx_expect(f, "30:5: warning: the first IPv6 virtual address should be link-local "
	       "(RFC 5798 section 5.2.9)");
	ut_assert_counts(&f->d, 0, 2);
	assert_int_equal(c->vrrp.instances[0].family, AF_INET6);
	assert_int_equal(c->vrrp.instances[0].version, 3);
	assert_int_equal(c->vrrp.instances[0].advert_int_us, 100000);
	assert_int_equal(c->vrrp.instances[0].n_vips, 2);
	assert_int_equal(c->vrrp.instances[0].vips[1].prefix_len, 64);
	assert_int_equal(c->vrrp.instances[0].n_vips_excluded, 1);
	assert_int_equal(c->vrrp.instances[1].family, AF_INET);
	assert_int_equal(c->vrrp.instances[1].version, 2);
	assert_int_equal(c->vrrp.instances[2].family, AF_INET6);
	assert_int_equal(c->vrrp.instances[2].version, 3);
	assert_int_equal(c->vrrp.instances[2].vips[0].prefix_len, 128);

	assert_null(cfx_load(f,
		"vrrp_instance A {\n  interface eth0\n  virtual_router_id 1\n"
		"  virtual_ipaddress {\n    fe80::1\n    10.0.0.1\n  }\n"
		"  mcast_src_ip 10.0.0.2\n  no_accept\n}\n"
		"vrrp_instance B {\n  interface eth0\n  virtual_router_id 1\n"
		"  virtual_ipaddress {\n    fe80::2\n  }\n}\n"));
	cfx_expect(f, "6:5: error: IPv4 address in virtual_ipaddress of an IPv6 instance (line 5): "
	       "an advert carries one family; put it in virtual_ipaddress_excluded or in "
	       "another vrrp_instance");
	cfx_expect(f, "8:16: error: mcast_src_ip 10.0.0.2 is IPv4 but vrrp_instance 'A' is IPv6 "
	       "(its addresses must all be of one family)");
	cfx_expect(f, "9:3: error: no_accept is not supported: it needs firewall rules "
	       "(iptables/nftables) dropping packets to the virtual addresses, which this "
	       "keepalived does not manage; remove it (accept mode is the default)");
	cfx_expect(f, "13:21: error: virtual_router_id 1 on eth0 is already used by "
	       "vrrp_instance 'A'");
	ut_assert_counts(&f->d, 4, 0);
}

static void test_authentication(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c = cfx_load(f,
		"vrrp_instance V {\n  interface eth0\n  virtual_router_id 1\n"
		"  authentication {\n    auth_type PASS\n    auth_pass 0123456789\n  }\n"
		"  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n");

	assert_non_null(c);
	cfx_expect(f, "6:15: warning: auth_pass is longer than 8 bytes: only the first 8 are used");
	ut_assert_counts(&f->d, 0, 1);
	assert_string_equal(c->vrrp.instances[0].auth_pass, "01234567");
	c = cfx_load(f, "vrrp_instance V {\n  interface eth0\n  virtual_router_id 1\n"
		 "  authentication {\n    auth_type PASS\n  }\n"
		 "  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n");
	assert_non_null(c);
	cfx_expect(f, "4:3: warning: auth_type PASS without auth_pass: the password is empty");
	assert_null(cfx_load(f, "vrrp_instance V {\n  interface eth0\n  virtual_router_id 1\n"
			 "  authentication {\n    auth_type AH\n    auth_pass x\n  }\n"
			 "  authentication {\n    auth_pass secret\n    auth_type MD5\n"
			 "    auth_pass \"\"\n    auth_key y\n  }\n"
			 "  authentication {\n    auth_pass secret\n  }\n"
			 "  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n"));
	cfx_expect(f, "10:15: error: 'MD5' is not a valid choice (expected one of: PASS, AH)");
	cfx_expect(f, "11:15: error: empty value (expected 1 to 8 bytes)");
	cfx_expect(f, "12:5: error: unknown keyword 'auth_key' in authentication");
	cfx_expect(f, "15:15: error: auth_pass without auth_type");
	ut_assert_counts(&f->d, 4, 0);
	c = cfx_load(f, "vrrp_instance V {\n  interface eth0\n  virtual_router_id 1\n"
		 "  authentication {\n    auth_type ah\n    auth_pass s3cret\n  }\n"
		 "  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n");
	assert_non_null(c);
	assert_int_equal(c->vrrp.instances[0].auth_type, VRRP_AUTH_AH);
	assert_string_equal(c->vrrp.instances[0].auth_pass, "s3cret");
}

static void test_vip_errors(void **state)
{
	struct fx *f = *state;

	assert_null(cfx_load(f, "vrrp_instance V {\n  interface eth0\n  virtual_router_id 1\n"
			 "  virtual_ipaddress {\n"
			 "    10.0.0.1/33\n"
			 "    10.0.0.12\n"
			 "    10.0.0.2 dev\n"
			 "    10.0.0.3 peer 10.0.0.4\n"
			 "    10.0.0.5 scope universe\n"
			 "    10.0.0.6 scope 256\n"
			 "    10.0.0.7 label eth0:this_is_long\n"
			 "    10.0.0.8 dev eth0 dev eth1\n"
			 "    10.0.0.9 brd 10.0.0.255/24\n"
			 "    10.0.0.10 label a {\n    }\n"
			 "    10.0.0.11\n"
			 "    10.0.0.11/24 dev eth1\n"
			 "  }\n"
			 "  virtual_ipaddress_excluded {\n"
			 "    2001:db8::1 brd 10.0.0.255\n"
			 "    10.0.0.11\n"
			 "    host.example.com\n"
			 "  }\n"
			 "}\n"));
	cfx_expect(f, "5:5: error: '10.0.0.1/33' has an invalid prefix length (expected 0 to 32)");
	cfx_expect(f, "7:14: error: 'dev' needs a value");
	cfx_expect(f, "8:14: error: unknown option 'peer' in virtual_ipaddress");
	cfx_expect(f, "9:20: error: 'universe' is not a valid scope (expected global, site, link, "
	       "host, nowhere or 0 to 255)");
	cfx_expect(f, "10:20: error: '256' is out of range (expected 0 to 255)");
	cfx_expect(f, "11:20: error: 'eth0:this_is_long' is too long (17 bytes, at most 15)");
	cfx_expect(f, "12:23: error: 'dev' is given twice");
	cfx_expect(f, "13:18: error: '10.0.0.255/24' is not a valid IPv4 address");
	cfx_expect(f, "14:23: error: unexpected block in virtual_ipaddress");
	cfx_expect(f, "17:5: error: duplicate virtual address 10.0.0.11");
	cfx_expect(f, "20:17: error: 'brd' applies only to IPv4 addresses");
	cfx_expect(f, "21:5: error: duplicate virtual address 10.0.0.11");
	cfx_expect(f, "22:5: error: 'host.example.com' is not a valid IP address");
	ut_assert_counts(&f->d, 13, 0);
}

/* V2-R12: the address count is one octet; excluded addresses do not count.
 * Tracking lists have a limit too, far above any real use. */
static void test_list_limits(void **state)
{
	struct fx *f = *state;
	size_t cap = 64 + 300 * 32, len;
	char *text = malloc(cap);

	assert_non_null(text);
	len = (size_t)snprintf(text, cap, "vrrp_instance V {\n  interface eth0\n"
			       "  virtual_router_id 1\n  virtual_ipaddress {\n");
	for (unsigned n = 0; n < 255; n++)
		len += (size_t)snprintf(text + len, cap - len, "    10.0.0.%u\n", n);
	len += (size_t)snprintf(text + len, cap - len, "  }\n  virtual_ipaddress_excluded {\n");
	for (unsigned n = 0; n < 300; n++)
		len += (size_t)snprintf(text + len, cap - len, "    10.1.%u.%u\n", n / 256, n % 256);
	snprintf(text + len, cap - len, "  }\n}\n");
	assert_non_null(cfx_load(f, text));
	assert_int_equal(f->c->vrrp.instances[0].n_vips, 255);
	assert_int_equal(f->c->vrrp.instances[0].n_vips_excluded, 300);
	/* Two more in the advert list: one error, at the 256th. */
	strcpy(strstr(text, "  }\n  virtual_ipaddress_excluded"),
	       "    10.2.0.1\n    10.2.0.2\n  }\n}\n");
	assert_null(cfx_load(f, text));
	cfx_expect(f, "260:5: error: more than 255 virtual addresses: a VRRPv2 advert carries at "
	       "most 255 (put the others in virtual_ipaddress_excluded)");
	ut_assert_counts(&f->d, 1, 0);
	len = (size_t)snprintf(text, cap, "vrrp_instance V {\n  interface eth0\n"
			       "  virtual_router_id 1\n  track_interface {\n");
	for (unsigned n = 0; n < 256; n++)
		len += (size_t)snprintf(text + len, cap - len, "    e%u\n", n);
	snprintf(text + len, cap - len, "  }\n  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n");
	assert_null(cfx_load(f, text));
	cfx_expect(f, "260:5: error: more than 255 entries in track_interface");
	ut_assert_counts(&f->d, 1, 0);
	free(text);
}

static void test_peers_and_tracking_errors(void **state)
{
	struct fx *f = *state;

	assert_null(cfx_load(f, "vrrp_instance V {\n  interface eth0\n  virtual_router_id 1\n"
			 "  unicast_src_ip 10.0.0.1\n"
			 "  unicast_peer {\n"
			 "    10.0.0.2 min_ttl 2\n"
			 "    2001:db8::2\n"
			 "    10.0.0.3\n"
			 "    10.0.0.3\n"
			 "  }\n"
			 "  track_interface {\n"
			 "    eth1 weight 255\n"
			 "    eth2 weight\n"
			 "    eth3 reverse\n"
			 "    eth4 weight 1 reverse\n"
			 "    eth1:0\n"
			 "  }\n"
			 "  track_script {\n"
			 "    chk weight -255\n"
			 "    chk weight x\n"
			 "  }\n"
			 "  virtual_ipaddress {\n    10.0.0.1\n  }\n"
			 "}\n"));
	cfx_expect(f, "6:14: error: unexpected 'min_ttl' in unicast_peer (expected one address "
	       "per line)");
	cfx_expect(f, "7:5: error: unicast_peer 2001:db8::2 is IPv6 but vrrp_instance 'V' is IPv4 "
	       "(its addresses must all be of one family)");
	cfx_expect(f, "9:5: error: duplicate unicast peer 10.0.0.3");
	cfx_expect(f, "12:17: error: '255' is out of range (expected -254 to 254)");
	cfx_expect(f, "13:10: error: 'weight' needs a value");
	cfx_expect(f, "14:10: error: unexpected 'reverse' in track_interface (expected NAME "
	       "[weight W])");
	cfx_expect(f, "15:19: error: unexpected 'reverse' in track_interface (expected NAME "
	       "[weight W])");
	cfx_expect(f, "16:5: error: 'eth1:0' is not a valid interface name (1 to 15 bytes, no '/', "
	       "':' or blanks)");
	cfx_expect(f, "19:16: error: '-255' is out of range (expected -254 to 254)");
	cfx_expect(f, "20:16: error: 'x' is not a valid number (expected an integer from -254 to "
	       "254)");
	ut_assert_counts(&f->d, 10, 0);
}

static void test_instance_warnings(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c = cfx_load(f,
		"vrrp_instance V {\n"
		"  state MASTER\n"
		"  interface eth0\n"
		"  virtual_router_id 1\n"
		"  priority 255\n"
		"  nopreempt\n"
		"  preempt_delay 10\n"
		"  unicast_peer {\n    10.0.0.2\n  }\n"
		"  track_interface {\n    eth1\n    eth1 weight 5\n  }\n"
		"  virtual_ipaddress_excluded {\n    10.0.0.1\n  }\n"
		"}\n"
		"vrrp_instance W {\n"
		"  interface eth0\n"
		"  virtual_router_id 2\n"
		"  nopreempt\n"
		"  preempt\n"
		"  unicast_peer {\n  }\n"
		"  virtual_ipaddress {\n    10.0.0.3\n  }\n"
		"}\n");
	const struct vrrp_instance_conf *v;

	assert_non_null(c);
	cfx_expect(f, "5:12: warning: priority 255 means this node owns the virtual addresses");
	cfx_expect(f, "6:3: warning: nopreempt needs state BACKUP; nopreempt ignored");
	cfx_expect(f, "7:3: warning: preempt_delay needs state BACKUP; preempt_delay ignored");
	cfx_expect(f, "8:3: warning: unicast_peer without unicast_src_ip: the interface's primary "
	       "address will be used");
	cfx_expect(f, "13:5: warning: track_interface 'eth1' is listed twice; the first entry is "
	       "used");
	cfx_expect(f, "1:1: warning: vrrp_instance 'V' has no virtual_ipaddress");
	cfx_expect(f, "24:3: warning: unicast_peer has no address: adverts are multicast");
	ut_assert_counts(&f->d, 0, 7);
	v = &c->vrrp.instances[0];
	assert_false(v->nopreempt);
	assert_int_equal(v->preempt_delay_us, 0);
	assert_int_equal(v->n_track_ifs, 1);
	assert_false(v->track_ifs[0].w.has_weight);
	assert_false(c->vrrp.instances[1].nopreempt);
}

static void test_notify_words(void **state)
{
	struct fx *f = *state;

	assert_null(cfx_load(f, "vrrp_instance V {\n  interface eth0\n  virtual_router_id 1\n"
			 "  notify_master /bin/m.sh arg\n"
			 "  notify_backup \"/bin/b.sh\" nobody_here_x\n"
			 "  notify_fault /bin/f.sh root no_group_here_x\n"
			 "  notify_stop \"\"\n"
			 "  notify /bin/n.sh root root extra\n"
			 "  notify_master\n"
			 "  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n"));
	cfx_expect(f, "4:27: error: no such user 'arg'");
	cfx_expect(f, "4:27: error: the words after the command of 'notify_master' name a user "
	       "and group; quote the command to pass arguments");
	cfx_expect(f, "5:29: error: no such user 'nobody_here_x'");
	cfx_expect(f, "6:31: error: no such group 'no_group_here_x'");
	cfx_expect(f, "7:15: error: empty command in 'notify_stop'");
	cfx_expect(f, "8:3: error: 'notify' takes 1 to 3 arguments, got 4");
	cfx_expect(f, "9:3: error: 'notify_master' takes 1 to 3 arguments, got 0");
	ut_assert_counts(&f->d, 7, 0);
}

static void test_script_errors(void **state)
{
	struct fx *f = *state;

	assert_null(cfx_load(f, "vrrp_script a {\n"
			 "  interval 0\n"
			 "  timeout 2x\n"
			 "  weight 300\n"
			 "  rise 0\n"
			 "  fall -1\n"
			 "  user nobody_here_x\n"
			 "  init_fail\n"
			 "}\n"
			 "vrrp_script a {\n  script \"\"\n}\n"
			 "vrrp_script {\n}\n"));
	cfx_expect(f, "1:1: error: vrrp_script 'a' has no script");
	cfx_expect(f, "2:12: error: '0' is out of range (expected 0.001 to 86400 seconds)");
	cfx_expect(f, "3:11: error: '2x' is not a valid number of seconds (expected 0.001 to 86400, "
	       "like 3 or 0.5)");
	cfx_expect(f, "4:10: error: '300' is out of range (expected -254 to 254)");
	cfx_expect(f, "5:8: error: '0' is out of range (expected 1 to 2147483647)");
	cfx_expect(f, "6:8: error: '-1' is out of range (expected 1 to 2147483647)");
	cfx_expect(f, "7:8: error: no such user 'nobody_here_x'");
	cfx_expect(f, "8:3: error: unknown keyword 'init_fail' in vrrp_script");
	cfx_expect(f, "10:13: error: vrrp_script 'a' is defined twice");
	cfx_expect(f, "11:10: error: empty command in 'script'");
	cfx_expect(f, "10:1: error: vrrp_script 'a' has no script");
	cfx_expect(f, "13:1: error: 'vrrp_script' takes 1 argument, got 0");
	ut_assert_counts(&f->d, 12, 0);
}

/* Names that refer to other blocks, whichever order the blocks come in. */
static void test_cross_references(void **state)
{
	struct fx *f = *state;

	assert_null(cfx_load(f,
		"vrrp_sync_group G1 {\n  group {\n    A B\n    NOPE\n  }\n"
		"  track_script {\n    chk_gone\n  }\n}\n"
		"vrrp_sync_group G2 {\n  group {\n    A\n  }\n  track_interface {\n  }\n}\n"
		"vrrp_sync_group G1 {\n  group {\n    B\n    C\n  }\n}\n"
		"vrrp_instance A {\n  interface eth0\n  virtual_router_id 7\n"
		"  track_script {\n    chk weight 3\n    chk\n    chk_missing\n  }\n"
		"  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n"
		"vrrp_instance B {\n  interface eth0\n  virtual_router_id 7\n"
		"  virtual_ipaddress {\n    10.0.0.2\n  }\n}\n"
		"vrrp_instance A {\n  interface eth1\n  virtual_router_id 7\n"
		"  virtual_ipaddress {\n    10.0.0.3\n  }\n}\n"
		"vrrp_instance C {\n  interface eth1\n  virtual_router_id 8\n"
		"  virtual_ipaddress {\n    10.0.0.4\n  }\n}\n"
		"vrrp_script chk {\n  script /bin/true\n}\n"));
	cfx_expect(f, "4:5: error: vrrp_sync_group 'G1': no vrrp_instance named 'NOPE'");
	cfx_expect(f, "7:5: error: track_script 'chk_gone': no vrrp_script of that name");
	cfx_expect(f, "10:1: warning: vrrp_sync_group 'G2' has 1 instance: a sync group needs at "
	       "least 2");
	cfx_expect(f, "12:5: error: vrrp_instance 'A' is already in vrrp_sync_group 'G1'");
	cfx_expect(f, "14:3: error: unknown keyword 'track_interface' in vrrp_sync_group");
	cfx_expect(f, "17:17: error: vrrp_sync_group 'G1' is defined twice");
	cfx_expect(f, "19:5: error: vrrp_instance 'B' is already in vrrp_sync_group 'G1'");
	cfx_expect(f, "28:5: warning: track_script 'chk' is listed twice; the first entry is used");
	cfx_expect(f, "29:5: error: track_script 'chk_missing': no vrrp_script of that name");
	cfx_expect(f, "37:21: error: virtual_router_id 7 on eth0 is already used by "
	       "vrrp_instance 'A'");
	cfx_expect(f, "42:15: error: vrrp_instance 'A' is defined twice");
	ut_assert_counts(&f->d, 9, 2);
}

static void test_sync_group_without_members(void **state)
{
	struct fx *f = *state;
	const struct ka_config *c = cfx_load(f, "vrrp_sync_group G {\n  notify \"/bin/n.sh x\"\n}\n");

	assert_non_null(c);
	cfx_expect(f, "1:1: warning: vrrp_sync_group 'G' has 0 instances: a sync group needs at "
	       "least 2");
	ut_assert_counts(&f->d, 0, 1);
	assert_int_equal(c->vrrp.groups[0].n_members, 0);
	assert_false(config_wants_vrrp(c));
}

/* use_vmac: the default name needs the VRID written after it; a given
 * name is kept; vmac_xmit_base without use_vmac is dropped with a warning. */
static void test_use_vmac(void **state)
{
	static const uint8_t v4[6] = { 0, 0, 0x5e, 0, 1, 51 }, v6[6] = { 0, 0, 0x5e, 0, 2, 255 };
	struct fx *f = *state;
	const struct ka_config *c;
	uint8_t mac[6];
	char name[IF_NAMESIZE];

	c = cfx_load(f, "vrrp_instance A {\n  use_vmac\n  interface eth0\n"
		     "  virtual_router_id 51\n  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n"
		     "vrrp_instance B {\n  interface eth0\n  virtual_router_id 52\n"
		     "  use_vmac vip52\n  vmac_xmit_base\n"
		     "  virtual_ipaddress {\n    10.0.0.2\n  }\n}\n"
		     "vrrp_instance C {\n  interface eth0\n  virtual_router_id 53\n"
		     "  vmac_xmit_base\n  virtual_ipaddress {\n    10.0.0.3\n  }\n}\n");
	assert_non_null(c);
	cfx_expect(f, "21:3: warning: vmac_xmit_base without use_vmac: ignored");
	ut_assert_counts(&f->d, 0, 1);
	assert_true(c->vrrp.instances[0].use_vmac);
	assert_string_equal(c->vrrp.instances[0].vmac_name, "vrrp.51");
	assert_false(c->vrrp.instances[0].vmac_xmit_base);
	assert_string_equal(c->vrrp.instances[1].vmac_name, "vip52");
	assert_true(c->vrrp.instances[1].vmac_xmit_base);
	assert_false(c->vrrp.instances[2].use_vmac);
	assert_false(c->vrrp.instances[2].vmac_xmit_base);
	vrrp_vmac_address(AF_INET, 51, mac);
	assert_memory_equal(mac, v4, 6);
	vrrp_vmac_address(AF_INET6, 255, mac);
	assert_memory_equal(mac, v6, 6);
	vrrp_vmac_default_name(AF_INET6, 255, name);
	assert_string_equal(name, "vrrp6.255");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, cfx_setup, cfx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_full_config),
		T(test_defaults),
		T(test_globals_after_instances),
		T(test_global_errors),
		T(test_instance_errors),
		T(test_required_keywords),
		T(test_advert_int),
		T(test_version_3),
		T(test_ipv6_instances),
		T(test_authentication),
		T(test_vip_errors),
		T(test_list_limits),
		T(test_peers_and_tracking_errors),
		T(test_instance_warnings),
		T(test_notify_words),
		T(test_script_errors),
		T(test_cross_references),
		T(test_sync_group_without_members),
		T(test_use_vmac),
	};

	return cmocka_run_group_tests_name("vrrp_parser", tests, NULL, NULL);
}
