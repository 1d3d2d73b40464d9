/* The difference between two IPVS tables as a list of operations, and
 * running that list (see ipvs_reconcile.h).
 *
 * Lookups are linear: the diff is O(services^2 + dests^2 per service),
 * a few million comparisons for a thousand services, which is well below
 * the cost of the dumps that feed it. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipvs.h"
#include "ipvs_reconcile.h"

/* ---- operations list ---- */

void ipvs_ops_free(struct ipvs_ops *ops)
{
	free(ops->v);
	memset(ops, 0, sizeof(*ops));
}

static int ops_push(struct ipvs_ops *ops, enum ipvs_op_kind kind, const struct ipvs_service *s,
		    const struct ipvs_dest *d)
{
	struct ipvs_op *op;

	if (ops->n == ops->cap) {
		size_t cap = ops->cap ? ops->cap * 2 : 16;
		struct ipvs_op *grown = realloc(ops->v, cap * sizeof(*grown));

		if (grown == NULL)
			return -ENOMEM;
		ops->v = grown;
		ops->cap = cap;
	}
	op = &ops->v[ops->n++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->svc = *s;
	if (d != NULL)
		op->dest = *d;
	return 0;
}

/* ---- diff ---- */

static int vs_ptr_cmp(const void *a, const void *b)
{
	const struct ipvs_vs *x = *(const struct ipvs_vs *const *)a;
	const struct ipvs_vs *y = *(const struct ipvs_vs *const *)b;

	return ipvs_service_cmp(&x->svc, &y->svc);
}

static int dest_ptr_cmp(const void *a, const void *b)
{
	return ipvs_dest_cmp(*(const struct ipvs_dest *const *)a,
			     *(const struct ipvs_dest *const *)b);
}

/* The services of t in identity order, as a new array of pointers (NULL
 * for an empty table, or without memory: check t->n). */
static const struct ipvs_vs **sorted_services(const struct ipvs_table *t)
{
	const struct ipvs_vs **p;
	size_t i;

	if (t == NULL || t->n == 0)
		return NULL;
	p = malloc(t->n * sizeof(*p));
	if (p == NULL)
		return NULL;
	for (i = 0; i < t->n; i++)
		p[i] = &t->vs[i];
	qsort(p, t->n, sizeof(*p), vs_ptr_cmp);
	return p;
}

static const struct ipvs_dest **sorted_dests(const struct ipvs_vs *vs)
{
	const struct ipvs_dest **p;
	size_t i;

	if (vs->n_dests == 0)
		return NULL;
	p = malloc(vs->n_dests * sizeof(*p));
	if (p == NULL)
		return NULL;
	for (i = 0; i < vs->n_dests; i++)
		p[i] = &vs->dests[i];
	qsort(p, vs->n_dests, sizeof(*p), dest_ptr_cmp);
	return p;
}

/* Destination operations of the desired service `want`, whose kernel
 * counterpart is `have` (NULL when the service is being added). */
static int diff_dests(const struct ipvs_vs *want, const struct ipvs_vs *have,
		      struct ipvs_ops *ops)
{
	const struct ipvs_dest **wd = sorted_dests(want);
	const struct ipvs_dest **hd = have != NULL ? sorted_dests(have) : NULL;
	const struct ipvs_dest *k;
	size_t i;
	int rc = 0;

	if ((want->n_dests > 0 && wd == NULL) ||
	    (have != NULL && have->n_dests > 0 && hd == NULL)) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; rc == 0 && i < want->n_dests; i++) {
		k = have != NULL ? ipvs_vs_find_dest(have, wd[i]) : NULL;
		if (k == NULL)
			rc = ops_push(ops, IPVS_OP_DEST_ADD, &want->svc, wd[i]);
		else if (ipvs_dest_differs(wd[i], k))
			rc = ops_push(ops, IPVS_OP_DEST_EDIT, &want->svc, wd[i]);
	}
	/* In a service we manage, every destination is ours to decide. */
	for (i = 0; rc == 0 && have != NULL && i < have->n_dests; i++)
		if (ipvs_vs_find_dest(want, hd[i]) == NULL)
			rc = ops_push(ops, IPVS_OP_DEST_DEL, &want->svc, hd[i]);
out:
	free(wd);
	free(hd);
	return rc;
}

static int diff_desired(const struct ipvs_table *desired, const struct ipvs_table *kernel,
			struct ipvs_ops *ops)
{
	const struct ipvs_vs **want = sorted_services(desired);
	const struct ipvs_vs *have;
	size_t i;
	int rc = 0;

	if (desired->n > 0 && want == NULL)
		return -ENOMEM;
	for (i = 0; rc == 0 && i < desired->n; i++) {
		have = ipvs_table_find(kernel, &want[i]->svc);
		if (have == NULL)
			rc = ops_push(ops, IPVS_OP_SVC_ADD, &want[i]->svc, NULL);
		else if (ipvs_service_differs(&want[i]->svc, &have->svc))
			rc = ops_push(ops, IPVS_OP_SVC_EDIT, &want[i]->svc, NULL);
		if (rc == 0)
			rc = diff_dests(want[i], have, ops);
	}
	free(want);
	return rc;
}

static int diff_owned(const struct ipvs_table *desired, const struct ipvs_table *kernel,
		      const struct ipvs_table *owned, struct ipvs_ops *ops)
{
	const struct ipvs_vs **mine = sorted_services(owned);
	const struct ipvs_vs *have;
	size_t i;
	int rc = 0;

	if (owned == NULL || owned->n == 0)
		return 0;
	if (mine == NULL)
		return -ENOMEM;
	for (i = 0; rc == 0 && i < owned->n; i++) {
		if (ipvs_table_find(desired, &mine[i]->svc) != NULL)
			continue;
		have = ipvs_table_find(kernel, &mine[i]->svc);
		if (have != NULL)
			rc = ops_push(ops, IPVS_OP_SVC_DEL, &have->svc, NULL);
	}
	free(mine);
	return rc;
}

int ipvs_diff(const struct ipvs_table *desired, const struct ipvs_table *kernel,
	      const struct ipvs_table *owned, struct ipvs_ops *ops)
{
	int rc;

	ops->n = 0;
	rc = diff_desired(desired, kernel, ops);
	if (rc == 0)
		rc = diff_owned(desired, kernel, owned, ops);
	if (rc < 0)
		ops->n = 0;
	return rc;
}

/* ---- apply ---- */

int ipvs_op_exec(void *ctx, const struct ipvs_op *op)
{
	struct ipvs *ipvs = ctx;

	switch (op->kind) {
	case IPVS_OP_SVC_ADD:
		return ipvs_service_add(ipvs, &op->svc);
	case IPVS_OP_SVC_EDIT:
		return ipvs_service_edit(ipvs, &op->svc);
	case IPVS_OP_SVC_DEL:
		return ipvs_service_del(ipvs, &op->svc);
	case IPVS_OP_DEST_ADD:
		return ipvs_dest_add(ipvs, &op->svc, &op->dest);
	case IPVS_OP_DEST_EDIT:
		return ipvs_dest_edit(ipvs, &op->svc, &op->dest);
	case IPVS_OP_DEST_DEL:
		return ipvs_dest_del(ipvs, &op->svc, &op->dest);
	}
	return -EINVAL;
}

/* The kind to retry `kind` as after `err`, or -1 for none.  Each answer
 * here means the kernel's table moved since it was read (or the retry of
 * a dump missed an entry); the other kind does what was meant. */
static int retry_kind(enum ipvs_op_kind kind, int err)
{
	switch (kind) {
	case IPVS_OP_SVC_ADD:
		return err == -EEXIST ? IPVS_OP_SVC_EDIT : -1;
	case IPVS_OP_DEST_ADD:
		return err == -EEXIST ? IPVS_OP_DEST_EDIT : -1;
	case IPVS_OP_SVC_EDIT:
		/* -ENOENT here is an unknown scheduler, not a missing service. */
		return err == -ESRCH ? IPVS_OP_SVC_ADD : -1;
	case IPVS_OP_DEST_EDIT:
		/* -ESRCH: the service itself is gone; adding fails the same. */
		return err == -ENOENT ? IPVS_OP_DEST_ADD : -1;
	default:
		return -1;
	}
}

static bool is_delete(enum ipvs_op_kind kind)
{
	return kind == IPVS_OP_SVC_DEL || kind == IPVS_OP_DEST_DEL;
}

/* Run one operation with its retry; 0 or the final -errno, and in *last
 * the operation last tried. */
static int run_one(ipvs_exec_fn *exec, void *ctx, const struct ipvs_op *op, struct ipvs_op *last)
{
	int rc = exec(ctx, op);
	int kind;

	*last = *op;
	if (rc == 0)
		return 0;
	/* Already gone is what a delete wanted. */
	if (is_delete(op->kind) && (rc == -ENOENT || rc == -ESRCH))
		return 0;
	kind = retry_kind(op->kind, rc);
	if (kind < 0)
		return rc;
	last->kind = (enum ipvs_op_kind)kind;
	return exec(ctx, last);
}

static bool is_dest_op(enum ipvs_op_kind kind)
{
	return kind == IPVS_OP_DEST_ADD || kind == IPVS_OP_DEST_EDIT || kind == IPVS_OP_DEST_DEL;
}

size_t ipvs_apply_exec(ipvs_exec_fn *exec, void *ctx, const struct ipvs_ops *ops,
		       ipvs_report_fn *report, void *arg)
{
	const struct ipvs_service *failed_svc = NULL;
	struct ipvs_op last;
	size_t i, failures = 0;
	int rc;

	for (i = 0; i < ops->n; i++) {
		const struct ipvs_op *op = &ops->v[i];

		/* The destinations of a service that could not be added
		 * would each fail with -ESRCH: one report says it all. */
		if (failed_svc != NULL && is_dest_op(op->kind) &&
		    ipvs_service_same(&op->svc, failed_svc))
			continue;
		failed_svc = NULL;
		rc = run_one(exec, ctx, op, &last);
		if (rc == 0)
			continue;
		failures++;
		/* Only a failed add (first try or retry) leaves no service;
		 * a failed edit leaves one that can still take its dests. */
		if (last.kind == IPVS_OP_SVC_ADD)
			failed_svc = &op->svc;
		if (report != NULL)
			report(arg, &last, rc);
	}
	return failures;
}

size_t ipvs_apply(struct ipvs *ipvs, const struct ipvs_ops *ops, ipvs_report_fn *report,
		  void *arg)
{
	return ipvs_apply_exec(ipvs_op_exec, ipvs, ops, report, arg);
}

/* ---- descriptions ---- */

const char *ipvs_op_str(const struct ipvs_op *op, char *buf, size_t len)
{
	char s[IPVS_STR_LEN], d[IPVS_STR_LEN];

	ipvs_service_str(&op->svc, s, sizeof(s));
	ipvs_dest_str(&op->dest, d, sizeof(d));
	switch (op->kind) {
	case IPVS_OP_SVC_ADD:
		snprintf(buf, len, "add service %s", s);
		break;
	case IPVS_OP_SVC_EDIT:
		snprintf(buf, len, "change service %s", s);
		break;
	case IPVS_OP_SVC_DEL:
		snprintf(buf, len, "delete service %s", s);
		break;
	case IPVS_OP_DEST_ADD:
		snprintf(buf, len, "add destination %s to %s", d, s);
		break;
	case IPVS_OP_DEST_EDIT:
		snprintf(buf, len, "change destination %s of %s", d, s);
		break;
	case IPVS_OP_DEST_DEL:
		snprintf(buf, len, "delete destination %s from %s", d, s);
		break;
	default:
		snprintf(buf, len, "unknown operation %d", (int)op->kind);
		break;
	}
	return buf;
}

const char *ipvs_op_describe(const struct ipvs_op *op, int err, char *buf, size_t len)
{
	char what[3 * IPVS_STR_LEN];

	ipvs_op_str(op, what, sizeof(what));
	snprintf(buf, len, "cannot %s: %s", what, strerror(err < 0 ? -err : err));
	return buf;
}
