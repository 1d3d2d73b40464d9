/* Building OIDs and object lists; see snmp_agent.h and snmp_vars.h.  No
 * net-snmp here: this part stays in the daemon. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "snmp_vars.h"

void snmp_oid_set(struct snmp_oid *o, const uint32_t *prefix, size_t len)
{
	o->len = 0;
	for (size_t i = 0; i < len; i++)
		snmp_oid_add(o, prefix[i]);
}

void snmp_oid_add(struct snmp_oid *o, uint32_t sub)
{
	if (o->len < SNMP_OID_MAX)
		o->n[o->len] = sub;
	o->len++;		/* past SNMP_OID_MAX: marks the OID unusable */
}

void snmp_oid_add_str(struct snmp_oid *o, const char *s)
{
	size_t n = strlen(s);

	snmp_oid_add(o, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		snmp_oid_add(o, (unsigned char)s[i]);
}

void snmp_oid_add_ip(struct snmp_oid *o, struct in_addr a)
{
	const uint8_t *b = (const uint8_t *)&a.s_addr;

	for (int i = 0; i < 4; i++)
		snmp_oid_add(o, b[i]);
}

static struct snmp_var *vars_push(struct snmp_vars *v, const struct snmp_oid *o, uint32_t col,
				  const struct snmp_oid *index, enum snmp_type t)
{
	struct snmp_var *x;

	if (v->failed)
		return NULL;
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		struct snmp_var *grown = realloc(v->v, cap * sizeof(*grown));

		if (!grown) {
			v->failed = true;
			return NULL;
		}
		v->v = grown;
		v->cap = cap;
	}
	x = &v->v[v->len];
	memset(x, 0, sizeof(*x));
	x->oid = *o;
	if (col)
		snmp_oid_add(&x->oid, col);
	for (size_t i = 0; index && i < index->len && i < SNMP_OID_MAX; i++)
		snmp_oid_add(&x->oid, index->n[i]);
	if (x->oid.len > SNMP_OID_MAX)
		return NULL;	/* too long to serve; skipped */
	x->type = t;
	v->len++;
	return x;
}

void snmp_vars_num(struct snmp_vars *v, const struct snmp_oid *o, uint32_t col,
		   const struct snmp_oid *index, enum snmp_type t, uint64_t value)
{
	struct snmp_var *x = vars_push(v, o, col, index, t);

	if (x)
		x->num = value;
}

void snmp_vars_bytes(struct snmp_vars *v, const struct snmp_oid *o, uint32_t col,
		     const struct snmp_oid *index, const void *bytes, size_t n)
{
	struct snmp_var *x = vars_push(v, o, col, index, SNMP_T_OCTETS);

	if (!x)
		return;
	x->bytes = malloc(n ? n : 1);
	if (!x->bytes) {
		v->len--;
		v->failed = true;
		return;
	}
	memcpy(x->bytes, bytes, n);
	x->n = n;
}

void snmp_vars_str(struct snmp_vars *v, const struct snmp_oid *o, uint32_t col,
		   const struct snmp_oid *index, const char *s)
{
	snmp_vars_bytes(v, o, col, index, s, strlen(s));
}

void snmp_vars_ip(struct snmp_vars *v, const struct snmp_oid *o, uint32_t col,
		  const struct snmp_oid *index, struct in_addr a)
{
	struct snmp_var *x = vars_push(v, o, col, index, SNMP_T_IPADDR);

	if (x)
		x->num = a.s_addr;	/* network order, as the wire wants it */
}

void snmp_vars_free(struct snmp_vars *v)
{
	for (size_t i = 0; i < v->len; i++)
		free(v->v[i].bytes);
	free(v->v);
	memset(v, 0, sizeof(*v));
}
