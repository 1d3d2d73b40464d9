/* The checks that need the whole VRRP configuration: unique names and
 * VRIDs, names that refer to other blocks (track_script entries, sync group
 * members), and global_defs values reaching the instances.
 *
 * Everything with a position is in the side table (vrrp_parser_priv.h).
 * Entries are sorted once, so a file of N blocks costs O(N log N) however
 * it is written; diagnostics still come out in file order. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp_parser.h"
#include "vrrp_parser_priv.h"

/* One side-table entry as a sort key: (num, s), ties broken by file order.
 * Definitions: num = kind, s = name.  VRIDs: num = vrid (+ 256 for IPv6
 * instances, whose VRIDs are separate: RFC 5798 section 5.2.3), s =
 * interface. */
struct key {
	unsigned num;
	const char *s;
	size_t order;		/* index in the side table */
};

static int key_cmp_value(const struct key *a, const struct key *b)
{
	if (a->num != b->num)
		return a->num < b->num ? -1 : 1;
	return strcmp(a->s, b->s);
}

static int key_cmp(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;
	int r = key_cmp_value(a, b);

	return r ? r : a->order < b->order ? -1 : a->order > b->order;
}

/* What the final pass needs to know about each side-table entry. */
struct check {
	struct vrrp_conf *c;
	struct diags *d;
	const struct conf_ref *refs;
	size_t n_refs;
	struct key *defs;	/* definitions, sorted */
	size_t n_defs;
	size_t *first;		/* per entry: the earlier entry it repeats, or SIZE_MAX */
};

/* Entries whose name must be unique among those of their kind; a vmac's
 * interface name too: one macvlan has one MAC, one parent and one owner. */
static bool is_definition(enum vrrp_ref_kind k)
{
	return k == VRRP_REF_INSTANCE || k == VRRP_REF_SCRIPT || k == VRRP_REF_GROUP ||
	       k == VRRP_REF_TRACK_FILE_DEF || k == VRRP_REF_TRACK_PROCESS_DEF ||
	       k == VRRP_REF_VMAC;
}

/* Sort the keys and point each repeat at the first of its run. */
static void mark_repeats(struct key *keys, size_t n, size_t *first)
{
	size_t run = 0;

	qsort(keys, n, sizeof(*keys), key_cmp);
	for (size_t i = 1; i < n; i++) {
		if (key_cmp_value(&keys[run], &keys[i]) == 0)
			first[keys[i].order] = keys[run].order;
		else
			run = i;
	}
}

static unsigned vrid_key(const struct vrrp_instance_conf *v)
{
	return v->vrid + (v->family == AF_INET6 ? 256u : 0u);
}

/* Keys of the VRID entries, or of the definitions; NULL when out of memory. */
static struct key *collect(const struct check *k, bool vrids, size_t *n)
{
	struct key *keys = malloc((k->n_refs ? k->n_refs : 1) * sizeof(*keys));

	*n = 0;
	for (size_t i = 0; keys && i < k->n_refs; i++) {
		const struct conf_ref *r = &k->refs[i];

		if (vrids && r->kind == VRRP_REF_VRID)
			keys[(*n)++] = (struct key){ vrid_key(&k->c->instances[r->a]),
						     k->c->instances[r->a].ifname, i };
		else if (!vrids && is_definition(r->kind))
			keys[(*n)++] = (struct key){ r->kind, r->name, i };
	}
	return keys;
}

/* The index of the first definition of `kind` named `name`, or -1. */
static long find_def(const struct check *k, enum vrrp_ref_kind kind, const char *name)
{
	struct key want = { kind, name, 0 };
	size_t lo = 0, hi = k->n_defs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (key_cmp_value(&k->defs[mid], &want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == k->n_defs || key_cmp_value(&k->defs[lo], &want) != 0)
		return -1;
	return (long)k->refs[k->defs[lo].order].a;
}

static void add_member(const struct check *k, const struct conf_ref *r,
		       const struct conf_pos *pos)
{
	struct vrrp_sync_group_conf *g = &k->c->groups[r->a];
	long idx = find_def(k, VRRP_REF_INSTANCE, r->name);
	struct vrrp_instance_conf *v;
	size_t *slot;

	if (idx < 0) {
		diag_error(k->d, pos, "vrrp_sync_group '%s': no vrrp_instance named '%s'",
			   g->name, r->name);
		return;
	}
	v = &k->c->instances[idx];
	if (v->sync_group >= 0) {
		diag_error(k->d, pos, "vrrp_instance '%s' is already in vrrp_sync_group '%s'",
			   r->name, k->c->groups[v->sync_group].name);
		return;
	}
	slot = conf_grow(k->d, pos, &g->members, &g->n_members, sizeof(*slot));
	if (!slot)
		return;
	*slot = (size_t)idx;
	v->sync_group = (int)r->a;
}

static const char *kind_name(enum vrrp_ref_kind kind)
{
	return kind == VRRP_REF_INSTANCE ? "vrrp_instance"
	       : kind == VRRP_REF_SCRIPT ? "vrrp_script"
	       : kind == VRRP_REF_TRACK_FILE_DEF ? "track_file"
	       : kind == VRRP_REF_TRACK_PROCESS_DEF ? "vrrp_track_process" : "vrrp_sync_group";
}

#define V3_ADVERT_STEP_US	10000ull		/* centiseconds on the wire */
#define V3_ADVERT_MAX_US	(4095 * V3_ADVERT_STEP_US)

/* advert_int against the version the instance ended up with. */
static void check_advert_int(const struct check *k, const struct vrrp_instance_conf *v,
			     const struct conf_pos *pos, const char *text)
{
	uint64_t us = v->advert_int_us;

	if (v->version == 3) {
		if (us < V3_ADVERT_STEP_US || us > V3_ADVERT_MAX_US || us % V3_ADVERT_STEP_US)
			diag_error(k->d, pos, "VRRPv3 advert_int must be 0.01 to 40.95 seconds "
				   "in steps of 0.01, got '%s'", text);
	} else if (us < US_PER_S || us % US_PER_S) {
		diag_error(k->d, pos, "VRRPv2 advert_int must be whole seconds from 1 to 255, "
			   "got '%s' (sub-second intervals need version 3)", text);
	}
}

static void check_one(const struct check *k, size_t i)
{
	const struct conf_ref *r = &k->refs[i];
	struct conf_pos pos = { r->file, r->line, r->col };
	const struct vrrp_instance_conf *v, *earlier;

	switch ((enum vrrp_ref_kind)r->kind) {
	case VRRP_REF_INSTANCE:
	case VRRP_REF_SCRIPT:
	case VRRP_REF_GROUP:
	case VRRP_REF_TRACK_FILE_DEF:
	case VRRP_REF_TRACK_PROCESS_DEF:
		if (k->first[i] != SIZE_MAX)
			diag_error(k->d, &pos, "%s '%s' is defined twice", kind_name(r->kind),
				   r->name);
		break;
	case VRRP_REF_VRID:
		if (k->first[i] == SIZE_MAX)
			break;
		v = &k->c->instances[r->a];
		earlier = &k->c->instances[k->refs[k->first[i]].a];
		diag_error(k->d, &pos, "virtual_router_id %u on %s is already used by "
			   "vrrp_instance '%s'", v->vrid, v->ifname, earlier->name);
		break;
	case VRRP_REF_TRACK_SCRIPT:
		if (find_def(k, VRRP_REF_SCRIPT, r->name) < 0)
			diag_error(k->d, &pos, "track_script '%s': no vrrp_script of that name",
				   r->name);
		break;
	case VRRP_REF_GROUP_MEMBER:
		add_member(k, r, &pos);
		break;
	case VRRP_REF_TRACK_FILE:
		if (find_def(k, VRRP_REF_TRACK_FILE_DEF, r->name) < 0)
			diag_error(k->d, &pos, "track_file '%s': no track_file block of that "
				   "name", r->name);
		break;
	case VRRP_REF_TRACK_PROCESS:
		if (find_def(k, VRRP_REF_TRACK_PROCESS_DEF, r->name) < 0)
			diag_error(k->d, &pos, "track_process '%s': no vrrp_track_process of "
				   "that name", r->name);
		break;
	case VRRP_REF_ADVERT_INT:
		check_advert_int(k, &k->c->instances[r->a], &pos, r->name);
		break;
	case VRRP_REF_VMAC:
		if (k->first[i] != SIZE_MAX)
			diag_error(k->d, &pos, "use_vmac %s: that interface is already the vmac of "
				   "vrrp_instance '%s' (give this one another name)", r->name,
				   k->c->instances[k->refs[k->first[i]].a].name);
		break;
	case VRRP_REF_AUTH:
		if (k->c->instances[r->a].version == 3)
			diag_error(k->d, &pos, "VRRPv3 has no authentication (RFC 5798): remove "
				   "the authentication block or use version 2");
		break;
	}
}

static void check_refs(struct vrrp_conf *c, struct diags *d)
{
	struct check k = { c, d, c->refs->items, c->refs->len, NULL, 0, NULL };
	struct key *vrids = NULL;
	size_t n_vrids;

	k.first = malloc((k.n_refs ? k.n_refs : 1) * sizeof(*k.first));
	k.defs = collect(&k, false, &k.n_defs);
	vrids = collect(&k, true, &n_vrids);
	if (!k.first || !k.defs || !vrids) {
		diag_error(d, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < k.n_refs; i++)
		k.first[i] = SIZE_MAX;
	mark_repeats(k.defs, k.n_defs, k.first);
	mark_repeats(vrids, n_vrids, k.first);
	for (size_t i = 0; i < k.n_refs; i++)
		check_one(&k, i);
out:
	free(k.first);
	free(k.defs);
	free(vrids);
}

/* Instance settings left unset (GARP, VRRP version, v3 checksum form)
 * take global_defs' values, which may be written after the instances. */
static void apply_globals(struct vrrp_conf *c)
{
	const struct vrrp_globals *g = &c->globals;

	for (size_t i = 0; i < c->n_instances; i++) {
		struct vrrp_instance_conf *v = &c->instances[i];

		if (v->garp_master_delay_us == VRRP_UNSET_US)
			v->garp_master_delay_us = g->garp_master_delay_us;
		if (v->garp_master_repeat == VRRP_UNSET)
			v->garp_master_repeat = g->garp_master_repeat;
		if (v->garp_master_refresh_us == VRRP_UNSET_US)
			v->garp_master_refresh_us = g->garp_master_refresh_us;
		if (v->garp_master_refresh_repeat == VRRP_UNSET)
			v->garp_master_refresh_repeat = g->garp_master_refresh_repeat;
		/* IPv6 is VRRPv3 only, whatever vrrp_version says. */
		if (!v->version)
			v->version = v->family == AF_INET6 ? 3 : g->version;
		if (v->v3_checksum_as_v2 == VRRP_UNSET)
			v->v3_checksum_as_v2 = g->v3_checksum_as_v2;
		v->advert_int_s = (unsigned)(v->advert_int_us / US_PER_S);
	}
}

void vrrp_conf_validate(struct vrrp_conf *c, struct diags *d)
{
	apply_globals(c);
	if (c->refs)
		check_refs(c, d);
	vp_refs_free(c);
}
