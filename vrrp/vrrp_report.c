/* What the VRRP child tells about itself: the status report the control
 * socket serves (JSON, or one line per object) and the SIGUSR1 / SIGUSR2
 * dumps.  Read-only over the runtime; the one field kept for it alone is
 * the reason of the last transition (vrrp_inst.last_reason). */
#include "config.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>

#include "json_out.h"
#include "vrrp_rt.h"

#define TIME_LEN 32

/* Our advert source in the instance's family. */
static const char *source_address(const struct vrrp_inst *in, char *buf)
{
	struct ip_addr a = { .family = in->conf->family };

	if (a.family == AF_INET6)
		a.u.v6 = in->src6;
	else
		a.u.v4 = in->src;
	return ip_addr_str(&a, buf, INET6_ADDRSTRLEN);
}

/* The master as we know it: ourselves when MASTER, else the source of the
 * last advert we accepted; NULL when nobody is known. */
static const char *master_address(const struct vrrp_inst *in, char *buf)
{
	if (in->sm.state == VRRP_STATE_MASTER)
		return source_address(in, buf);
	if (in->sm.state == VRRP_STATE_BACKUP && in->sm.master_ip.family != 0)
		return ip_addr_str(&in->sm.master_ip, buf, INET6_ADDRSTRLEN);
	return NULL;
}

static uint64_t invalid_dropped(const struct vrrp_inst *in)
{
	uint64_t sum = 0;

	for (int r = 0; r < VRRP_DROP_REASONS; r++)
		sum += in->drops[r];
	return sum;
}

static const char *last_transition(const struct vrrp_inst *in, char *buf)
{
	return in->sm.transitions ? json_time_iso(in->sm.last_transition_us, buf, TIME_LEN) : NULL;
}

static const char *group_name(const struct vrrp_inst *in)
{
	return in->group >= 0 ? in->rt->groups[in->group]->conf->name : NULL;
}

static void json_counters(struct json_out *j, const struct vrrp_inst *in)
{
	json_begin_object(j, "counters");
	json_uint(j, "adverts_sent", in->sm.adverts_sent);
	json_uint(j, "adverts_received", in->sm.adverts_rcvd);
	json_uint(j, "priority_zero_sent", in->sm.prio0_sent);
	json_uint(j, "priority_zero_received", in->sm.prio0_rcvd);
	json_uint(j, "invalid_dropped", invalid_dropped(in));
	json_uint(j, "become_master", in->sm.become_master);
	json_uint(j, "transitions", in->sm.transitions);
	json_uint(j, "gratuitous_arps_sent", in->garps_sent);
	json_begin_object(j, "dropped_by_reason");
	for (int r = 0; r < VRRP_DROP_REASONS; r++)
		if (in->drops[r])
			json_uint(j, vrrp_drop_name((enum vrrp_drop)r), in->drops[r]);
	json_end_object(j);
	json_end_object(j);
}

static void json_instance(struct json_out *j, const struct vrrp_inst *in)
{
	char master[INET6_ADDRSTRLEN], when[TIME_LEN];

	json_begin_object(j, NULL);
	json_string(j, "name", in->conf->name);
	json_string(j, "interface", in->conf->ifname);
	json_uint(j, "vrid", in->conf->vrid);
	json_string(j, "state", vrrp_state_name(in->sm.state));
	json_uint(j, "priority", in->conf->priority);
	json_uint(j, "effective_priority", in->sm.priority);
	json_string(j, "master_address", master_address(in, master));
	json_string(j, "sync_group", group_name(in));
	json_string(j, "last_transition", last_transition(in, when));
	json_string(j, "last_transition_reason", in->sm.transitions ? in->last_reason : NULL);
	json_string(j, "fault_reason", in->sm.state == VRRP_STATE_FAULT ? in->fault_reason : NULL);
	json_counters(j, in);
	json_end_object(j);
}

static void json_group(struct json_out *j, const struct vrrp_group_rt *g)
{
	json_begin_object(j, NULL);
	json_string(j, "name", g->conf->name);
	json_string(j, "state", vrrp_state_name(g->state));
	json_begin_array(j, "members");
	for (size_t i = 0; i < g->n_members; i++)
		json_string(j, NULL, g->members[i]->conf->name);
	json_end_array(j);
	json_end_object(j);
}

void vrrp_child_report_json(struct vrrp_child *v, struct json_out *j)
{
	const struct vrrp_rt *rt = vrrp_child_rt(v);

	json_begin_object(j, NULL);
	json_begin_array(j, "instances");
	for (size_t i = 0; i < rt->n_insts; i++)
		json_instance(j, rt->insts[i]);
	json_end_array(j);
	json_begin_array(j, "sync_groups");
	for (size_t i = 0; i < rt->n_groups; i++)
		json_group(j, rt->groups[i]);
	json_end_array(j);
	json_end_object(j);
}

void vrrp_child_report_text(struct vrrp_child *v, FILE *out)
{
	const struct vrrp_rt *rt = vrrp_child_rt(v);
	char master[INET6_ADDRSTRLEN], when[TIME_LEN];

	for (size_t i = 0; i < rt->n_insts; i++) {
		const struct vrrp_inst *in = rt->insts[i];
		const char *m = master_address(in, master);

		fprintf(out, "VRRP instance %s: %s on %s vrid %u, priority %u (effective %u), "
			"master %s", in->conf->name, vrrp_state_name(in->sm.state),
			in->conf->ifname, in->conf->vrid, in->conf->priority, in->sm.priority,
			m ? m : "unknown");
		if (in->sm.transitions)
			fprintf(out, ", since %s (%s)", last_transition(in, when), in->last_reason);
		fputc('\n', out);
	}
	for (size_t i = 0; i < rt->n_groups; i++)
		fprintf(out, "VRRP sync group %s: %s, %zu members\n", rt->groups[i]->conf->name,
			vrrp_state_name(rt->groups[i]->state), rt->groups[i]->n_members);
}

static void dump_vips(FILE *out, const struct vip_conf *v, size_t n, const char *what)
{
	char a[INET6_ADDRSTRLEN];

	for (size_t i = 0; i < n; i++)
		fprintf(out, "   %s %s/%u%s%s\n", what, ip_addr_str(&v[i].addr, a, sizeof(a)),
			v[i].prefix_len, v[i].dev[0] ? " dev " : "", v[i].dev);
}

static void dump_instance_data(FILE *out, const struct vrrp_inst *in)
{
	const struct vrrp_instance_conf *c = in->conf;
	char master[INET6_ADDRSTRLEN], src[INET6_ADDRSTRLEN], when[TIME_LEN];
	const char *m = master_address(in, master);

	fprintf(out, " VRRP Instance = %s\n", c->name);
	fprintf(out, "   State = %s\n", vrrp_state_name(in->sm.state));
	if (in->sm.transitions)
		fprintf(out, "   Last transition = %s (%s)\n", last_transition(in, when),
			in->last_reason);
	if (in->sm.state == VRRP_STATE_FAULT)
		fprintf(out, "   Fault reason = %s\n", in->fault_reason);
	fprintf(out, "   Master address = %s\n", m ? m : "unknown");
	fprintf(out, "   Interface = %s\n", c->ifname);
	fprintf(out, "   Source address = %s\n", source_address(in, src));
	fprintf(out, "   Virtual router id = %u\n", c->vrid);
	fprintf(out, "   Priority = %u (effective %u)\n", c->priority, in->sm.priority);
	fprintf(out, "   Advert interval = %u sec\n", c->advert_int_s);
	fprintf(out, "   Preempt = %s, preempt delay = %" PRIu64 " sec\n",
		c->nopreempt ? "disabled" : "enabled", c->preempt_delay_us / 1000000);
	fprintf(out, "   Authentication = %s\n", c->auth_type == VRRP_AUTH_PASS ? "PASS" :
		c->auth_type == VRRP_AUTH_AH ? "AH" : "none");
	fprintf(out, "   Unicast peers = %zu\n", c->n_unicast_peers);
	fprintf(out, "   Sync group = %s\n", group_name(in) ? group_name(in) : "none");
	dump_vips(out, c->vips, c->n_vips, "Virtual IP");
	dump_vips(out, c->vips_excluded, c->n_vips_excluded, "Excluded virtual IP");
	for (size_t i = 0; i < c->n_track_ifs; i++)
		fprintf(out, "   Tracked interface = %s\n", c->track_ifs[i].ifname);
	for (size_t i = 0; i < c->n_track_scripts; i++)
		fprintf(out, "   Tracked script = %s\n", c->track_scripts[i].name);
}

static void dump_script_data(FILE *out, const struct vrrp_script_rt *s)
{
	fprintf(out, " VRRP Script = %s\n", s->conf->name);
	fprintf(out, "   Command = %s\n", s->conf->script);
	fprintf(out, "   Interval = %" PRIu64 " sec, timeout = %" PRIu64 " sec\n",
		s->conf->interval_us / 1000000, s->conf->timeout_us / 1000000);
	fprintf(out, "   Status = %s\n", s->disabled ? "disabled (script security)" :
		!s->known ? "not run yet" : s->ok ? "GOOD" : "BAD");
}

int vrrp_child_dump_data(struct vrrp_child *v, FILE *out)
{
	const struct vrrp_rt *rt = vrrp_child_rt(v);

	fprintf(out, "------< VRRP Topology >------\n");
	for (size_t i = 0; i < rt->n_insts; i++)
		dump_instance_data(out, rt->insts[i]);
	fprintf(out, "------< VRRP Sync groups >------\n");
	for (size_t i = 0; i < rt->n_groups; i++) {
		const struct vrrp_group_rt *g = rt->groups[i];

		fprintf(out, " VRRP Sync Group = %s, %s\n", g->conf->name,
			vrrp_state_name(g->state));
		for (size_t k = 0; k < g->n_members; k++)
			fprintf(out, "   monitor = %s\n", g->members[k]->conf->name);
	}
	fprintf(out, "------< VRRP Scripts >------\n");
	for (size_t i = 0; i < rt->n_scripts; i++)
		dump_script_data(out, rt->scripts[i]);
	return 0;
}

static void dump_instance_stats(FILE *out, const struct vrrp_inst *in)
{
	fprintf(out, "VRRP Instance: %s\n", in->conf->name);
	fprintf(out, "  Advertisements:\n");
	fprintf(out, "    Received: %" PRIu64 "\n", in->sm.adverts_rcvd);
	fprintf(out, "    Sent: %" PRIu64 "\n", in->sm.adverts_sent);
	fprintf(out, "  Became master: %" PRIu64 "\n", in->sm.become_master);
	fprintf(out, "  Transitions: %" PRIu64 "\n", in->sm.transitions);
	fprintf(out, "  Invalid packets dropped: %" PRIu64 "\n", invalid_dropped(in));
	for (int r = 0; r < VRRP_DROP_REASONS; r++)
		fprintf(out, "    %s: %" PRIu64 "\n", vrrp_drop_name((enum vrrp_drop)r),
			in->drops[r]);
	fprintf(out, "  Priority zero:\n");
	fprintf(out, "    Received: %" PRIu64 "\n", in->sm.prio0_rcvd);
	fprintf(out, "    Sent: %" PRIu64 "\n", in->sm.prio0_sent);
	fprintf(out, "  Gratuitous ARPs sent: %" PRIu64 "\n", in->garps_sent);
	fprintf(out, "  Notify scripts dropped (queue full): %" PRIu64 "\n", in->nq.dropped);
}

/* Adverts dropped before an instance could be named (bad header, no
 * such VRID here). */
static void dump_interface_stats(FILE *out, const struct vrrp_if *vif)
{
	uint64_t sum = 0;

	for (int r = 0; r < VRRP_DROP_REASONS; r++)
		sum += vif->drops[r];
	fprintf(out, "Interface: %s\n  Dropped before an instance: %" PRIu64 "\n", vif->name,
		sum);
	for (int r = 0; r < VRRP_DROP_REASONS; r++)
		if (vif->drops[r])
			fprintf(out, "    %s: %" PRIu64 "\n", vrrp_drop_name((enum vrrp_drop)r),
				vif->drops[r]);
}

int vrrp_child_dump_stats(struct vrrp_child *v, FILE *out)
{
	const struct vrrp_rt *rt = vrrp_child_rt(v);

	for (size_t i = 0; i < rt->n_insts; i++)
		dump_instance_stats(out, rt->insts[i]);
	for (size_t i = 0; i < rt->n_ifs; i++)
		dump_interface_stats(out, rt->ifs[i]);
	for (size_t i = 0; i < rt->n_scripts; i++)
		fprintf(out, "VRRP Script: %s\n  Runs: %" PRIu64 "\n  Failures: %" PRIu64 "\n",
			rt->scripts[i]->conf->name, rt->scripts[i]->runs,
			rt->scripts[i]->failures);
	return 0;
}
