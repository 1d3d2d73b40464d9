/* Service and destination identities, names, and tables of services with
 * their destinations (see ipvs.h and ipvs_reconcile.h).  Pure, apart from
 * ipvs_table_read, which only goes through the ipvs.h calls. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipvs.h"
#include "ipvs_reconcile.h"

/* ---- identities ---- */

static size_t addr_bytes(int af)
{
	return af == AF_INET6 ? sizeof(struct in6_addr) : sizeof(struct in_addr);
}

static int cmp_num(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

int ipvs_service_cmp(const struct ipvs_service *a, const struct ipvs_service *b)
{
	int c;

	if (a->af != b->af)
		return cmp_num((unsigned)a->af, (unsigned)b->af);
	/* Address services first, then fwmark services. */
	if ((a->fwmark != 0) != (b->fwmark != 0))
		return a->fwmark != 0 ? 1 : -1;
	if (a->fwmark != 0)
		return cmp_num(a->fwmark, b->fwmark);
	if (a->protocol != b->protocol)
		return cmp_num(a->protocol, b->protocol);
	c = memcmp(&a->addr.u, &b->addr.u, addr_bytes(a->af));
	if (c != 0)
		return c;
	return cmp_num(a->port, b->port);
}

int ipvs_dest_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	int c;

	if (a->af != b->af)
		return cmp_num((unsigned)a->af, (unsigned)b->af);
	c = memcmp(&a->addr.u, &b->addr.u, addr_bytes(a->af));
	if (c != 0)
		return c;
	return cmp_num(a->port, b->port);
}

bool ipvs_service_same(const struct ipvs_service *a, const struct ipvs_service *b)
{
	return ipvs_service_cmp(a, b) == 0;
}

bool ipvs_dest_same(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	return ipvs_dest_cmp(a, b) == 0;
}

bool ipvs_service_differs(const struct ipvs_service *a, const struct ipvs_service *b)
{
	uint32_t hashed = IP_VS_SVC_F_HASHED;

	return strncmp(a->sched, b->sched, sizeof(a->sched)) != 0 ||
	       ((a->flags ^ b->flags) & ~hashed) != 0 || a->timeout != b->timeout ||
	       ipvs_service_netmask(a) != ipvs_service_netmask(b) ||
	       strncmp(a->pe_name, b->pe_name, sizeof(a->pe_name)) != 0;
}

bool ipvs_dest_differs(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	uint32_t fwd = a->fwd_method & IP_VS_CONN_F_FWD_MASK;

	if (a->weight != b->weight || a->u_threshold != b->u_threshold ||
	    a->l_threshold != b->l_threshold || fwd != (b->fwd_method & IP_VS_CONN_F_FWD_MASK))
		return true;
	/* Tunnel settings mean nothing for other methods (and kernels before
	 * 5.2 report none at all). */
	return fwd == IP_VS_CONN_F_TUNNEL &&
	       (a->tun_type != b->tun_type || a->tun_port != b->tun_port ||
		a->tun_flags != b->tun_flags);
}

/* ---- names ---- */

static const char *proto_name(uint16_t p, char *buf, size_t len)
{
	const char *name = ip_proto_name(p);

	if (name)
		return name;
	snprintf(buf, len, "proto %u", (unsigned)p);
	return buf;
}

/* "addr:port", with brackets around an IPv6 address. */
static void addr_port(const struct ip_addr *a, uint16_t port, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN];

	ip_addr_str(a, s, sizeof(s));
	if (a->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", s, (unsigned)port);
	else
		snprintf(buf, len, "%s:%u", s, (unsigned)port);
}

const char *ipvs_service_str(const struct ipvs_service *s, char *buf, size_t len)
{
	char ap[INET6_ADDRSTRLEN + 8], p[16];

	if (len == 0)
		return buf;
	if (s->fwmark != 0) {
		snprintf(buf, len, "FWM %u%s", (unsigned)s->fwmark,
			 s->af == AF_INET6 ? " IPv6" : "");
		return buf;
	}
	addr_port(&s->addr, s->port, ap, sizeof(ap));
	snprintf(buf, len, "%s %s", proto_name(s->protocol, p, sizeof(p)), ap);
	return buf;
}

const char *ipvs_dest_str(const struct ipvs_dest *d, char *buf, size_t len)
{
	if (len > 0)
		addr_port(&d->addr, d->port, buf, len);
	return buf;
}

/* ---- tables ---- */

void ipvs_table_init(struct ipvs_table *t)
{
	memset(t, 0, sizeof(*t));
}

void ipvs_table_free(struct ipvs_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->vs[i].dests);
	free(t->vs);
	free(t->slots);
	ipvs_table_init(t);
}

/* FNV-1a over exactly what ipvs_service_cmp compares. */
static size_t service_hash(const struct ipvs_service *s)
{
	uint64_t h = 1469598103934665603ull;
	uint8_t key[1 + 4 + 2 + 16 + 2];
	size_t n = 0, i;

	key[n++] = (uint8_t)s->af;
	if (s->fwmark) {
		memcpy(key + n, &s->fwmark, 4);
		n += 4;
	} else {
		memcpy(key + n, &s->protocol, 2);
		n += 2;
		memcpy(key + n, &s->addr.u, addr_bytes(s->af));
		n += addr_bytes(s->af);
		memcpy(key + n, &s->port, 2);
		n += 2;
	}
	for (i = 0; i < n; i++)
		h = (h ^ key[i]) * 1099511628211ull;
	return (size_t)h;
}

/* The slot holding `key`, or the free slot where it would go.  The index
 * is never full (at most half), so the probe ends. */
static size_t *find_slot(const struct ipvs_table *t, const struct ipvs_service *key)
{
	size_t mask = t->n_slots - 1, i = service_hash(key) & mask;

	while (t->slots[i] && !ipvs_service_same(&t->vs[t->slots[i] - 1].svc, key))
		i = (i + 1) & mask;
	return &t->slots[i];
}

/* Point the (empty) index at every service. */
static void fill_index(struct ipvs_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		*find_slot(t, &t->vs[i].svc) = i + 1;
}

/* (Re)build the index with room for `want` services.  0 or -ENOMEM (the
 * old index then stays). */
static int reindex(struct ipvs_table *t, size_t want)
{
	size_t n = 16, *slots;

	while (n < 2 * want)
		n *= 2;
	slots = calloc(n, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	free(t->slots);
	t->slots = slots;
	t->n_slots = n;
	fill_index(t);
	return 0;
}

struct ipvs_vs *ipvs_table_find(const struct ipvs_table *t, const struct ipvs_service *key)
{
	size_t slot;

	if (!t->n_slots)
		return NULL;
	slot = *find_slot(t, key);
	/* A table cut short (n lowered) keeps stale slots beyond n. */
	return slot && slot <= t->n ? &t->vs[slot - 1] : NULL;
}

struct ipvs_dest *ipvs_vs_find_dest(const struct ipvs_vs *vs, const struct ipvs_dest *key)
{
	size_t i;

	for (i = 0; i < vs->n_dests; i++)
		if (ipvs_dest_same(&vs->dests[i], key))
			return &vs->dests[i];
	return NULL;
}

struct ipvs_vs *ipvs_table_add_service(struct ipvs_table *t, const struct ipvs_service *s)
{
	struct ipvs_vs *vs;

	if (ipvs_table_find(t, s) != NULL) {
		errno = EEXIST;
		return NULL;
	}
	if (2 * (t->n + 1) > t->n_slots && reindex(t, t->n + 1) < 0) {
		errno = ENOMEM;
		return NULL;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		struct ipvs_vs *grown = realloc(t->vs, cap * sizeof(*grown));

		if (grown == NULL) {
			errno = ENOMEM;
			return NULL;
		}
		t->vs = grown;
		t->cap = cap;
	}
	vs = &t->vs[t->n++];
	memset(vs, 0, sizeof(*vs));
	vs->svc = *s;
	*find_slot(t, s) = t->n;
	return vs;
}

int ipvs_vs_add_dest(struct ipvs_vs *vs, const struct ipvs_dest *d)
{
	if (ipvs_vs_find_dest(vs, d) != NULL)
		return -EEXIST;
	if (vs->n_dests == vs->cap_dests) {
		size_t cap = vs->cap_dests ? vs->cap_dests * 2 : 1;	/* most services have a few */
		struct ipvs_dest *grown = realloc(vs->dests, cap * sizeof(*grown));

		if (grown == NULL)
			return -ENOMEM;
		vs->dests = grown;
		vs->cap_dests = cap;
	}
	vs->dests[vs->n_dests++] = *d;
	return 0;
}

static int vs_cmp(const void *a, const void *b)
{
	return ipvs_service_cmp(&((const struct ipvs_vs *)a)->svc,
				&((const struct ipvs_vs *)b)->svc);
}

static int dest_cmp(const void *a, const void *b)
{
	return ipvs_dest_cmp(a, b);
}

void ipvs_table_sort(struct ipvs_table *t)
{
	size_t i;

	if (t->n > 1) {
		qsort(t->vs, t->n, sizeof(*t->vs), vs_cmp);
		/* Positions moved; the index is as large as it needs to be, so
		 * rebuilding it in place cannot fail. */
		memset(t->slots, 0, t->n_slots * sizeof(*t->slots));
		fill_index(t);
	}
	for (i = 0; i < t->n; i++)
		if (t->vs[i].n_dests > 1)
			qsort(t->vs[i].dests, t->vs[i].n_dests, sizeof(struct ipvs_dest), dest_cmp);
}

/* The destinations of vs from the kernel. */
static int read_dests(struct ipvs *ipvs, struct ipvs_vs *vs)
{
	struct ipvs_dest *d;
	size_t n, i;
	int rc = ipvs_get_dests(ipvs, &vs->svc, &d, &n);

	/* A dump that ran while the table changed may repeat an entry;
	 * -EEXIST from the table just drops the copy. */
	for (i = 0; rc == 0 && i < n; i++)
		if (ipvs_vs_add_dest(vs, &d[i]) == -ENOMEM)
			rc = -ENOMEM;
	free(d);
	return rc;
}

int ipvs_table_read(struct ipvs *ipvs, struct ipvs_table *out)
{
	struct ipvs_service *s;
	size_t n, i;
	int rc;

	ipvs_table_free(out);
	rc = ipvs_get_services(ipvs, &s, &n);
	for (i = 0; rc == 0 && i < n; i++) {
		struct ipvs_vs *vs = ipvs_table_add_service(out, &s[i]);

		if (vs == NULL && errno == ENOMEM)
			rc = -ENOMEM;
		else if (vs != NULL)
			rc = read_dests(ipvs, vs);
	}
	free(s);
	if (rc < 0)
		ipvs_table_free(out);
	else
		ipvs_table_sort(out);
	return rc;
}
