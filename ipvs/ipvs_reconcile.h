/* IPVS tables and their reconciliation.
 *
 * A table is a list of services, each with its destinations.  The checker
 * builds the desired table from the configuration and the health state;
 * ipvs_table_read() fills one from the kernel; ipvs_diff() lists the
 * operations that turn the kernel's table into the desired one, touching
 * nothing that is already right (a reload that changes nothing sends
 * nothing) and nothing that belongs to someone else; ipvs_apply() runs
 * them and carries on past failures.
 *
 * Everything here but ipvs_table_read() and ipvs_apply() is pure. */
#ifndef KA_IPVS_RECONCILE_H
#define KA_IPVS_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>

#include "ipvs.h"

/* A service with its destinations. */
struct ipvs_vs {
	struct ipvs_service svc;
	struct ipvs_dest *dests;
	size_t n_dests, cap_dests;
};

/* Services in `vs`, and an index of them by identity so that a lookup is
 * O(1): open addressing, slots hold a position in `vs` plus one (0: free),
 * kept at most half full.  10,000 services made linear lookups quadratic:
 * seconds per reconciliation (bench/ipvs_program.py). */
struct ipvs_table {
	struct ipvs_vs *vs;
	size_t n, cap;
	size_t *slots;
	size_t n_slots;		/* a power of two, or 0 */
};

/* ---- tables ---- */

/* An empty table; a zeroed struct is one too. */
void ipvs_table_init(struct ipvs_table *t);

/* Free everything the table holds and leave it empty. */
void ipvs_table_free(struct ipvs_table *t);

/* Add service `s` (copied, no destinations).  Returns the new entry, or
 * NULL with errno EEXIST (a service of that identity is already there) or
 * ENOMEM.  The pointer is valid until the next service is added. */
struct ipvs_vs *ipvs_table_add_service(struct ipvs_table *t, const struct ipvs_service *s);

/* Add destination `d` (copied) to vs.  0, -EEXIST for a second destination
 * of the same identity, -ENOMEM. */
int ipvs_vs_add_dest(struct ipvs_vs *vs, const struct ipvs_dest *d);

/* The service of t with the identity of key, or NULL.  O(1). */
struct ipvs_vs *ipvs_table_find(const struct ipvs_table *t, const struct ipvs_service *key);

/* The destination of vs with the identity of key, or NULL.  O(n). */
struct ipvs_dest *ipvs_vs_find_dest(const struct ipvs_vs *vs, const struct ipvs_dest *key);

/* Sort services and each service's destinations by identity (the index
 * follows). */
void ipvs_table_sort(struct ipvs_table *t);

/* Replace *out with the kernel's whole table (one service dump, then one
 * destination dump per service), sorted.  0 or -errno; on failure *out is
 * left empty.  A service deleted between the two dumps shows no
 * destinations, which a later reconcile sorts out. */
int ipvs_table_read(struct ipvs *ipvs, struct ipvs_table *out);

/* Whether the settings of two services of the same identity differ in a way
 * the kernel would report (scheduler, flags, persistence timeout and
 * netmask, persistence engine).  Statistics are ignored. */
bool ipvs_service_differs(const struct ipvs_service *a, const struct ipvs_service *b);

/* The same for destinations: weight, thresholds, forwarding method and, for
 * TUNNEL, the tunnel settings.  Connection counts are ignored. */
bool ipvs_dest_differs(const struct ipvs_dest *a, const struct ipvs_dest *b);

/* ---- operations ---- */

enum ipvs_op_kind {
	IPVS_OP_SVC_ADD,
	IPVS_OP_SVC_EDIT,
	IPVS_OP_SVC_DEL,
	IPVS_OP_DEST_ADD,
	IPVS_OP_DEST_EDIT,
	IPVS_OP_DEST_DEL,
};

/* One change to the kernel.  `svc` is complete for SVC_ADD/EDIT and only
 * its identity matters otherwise; `dest` is used by the DEST_* kinds. */
struct ipvs_op {
	enum ipvs_op_kind kind;
	struct ipvs_service svc;
	struct ipvs_dest dest;
};

struct ipvs_ops {
	struct ipvs_op *v;
	size_t n, cap;
};

/* Free the list and leave it empty; a zeroed struct is an empty list. */
void ipvs_ops_free(struct ipvs_ops *ops);

/* Fill `ops` (emptied first) with what turns `kernel` into `desired`:
 *  - for each service of `desired`: SVC_ADD when the kernel lacks it, else
 *    SVC_EDIT when its settings differ (an edit keeps its connections);
 *    then for its destinations DEST_ADD for each missing, DEST_EDIT for
 *    each that differs, and DEST_DEL for each the kernel has in that
 *    service but `desired` does not;
 *  - SVC_DEL for each service of `owned` (may be NULL; its destinations
 *    are not looked at) that the kernel has and `desired` does not.
 * Kernel services that are neither desired nor owned are never touched:
 * they belong to someone else (kube-proxy, an operator with ipvsadm).
 * Equal entries produce no operation at all.  The order is deterministic:
 * desired services by identity, each followed by its destination adds and
 * edits by identity then its destination deletions, and the service
 * deletions last.  Neither table needs to be sorted.  0 or -ENOMEM (ops
 * is then empty). */
int ipvs_diff(const struct ipvs_table *desired, const struct ipvs_table *kernel,
	      const struct ipvs_table *owned, struct ipvs_ops *ops);

/* Called for every operation that finally failed: `op` is the one last
 * tried (perhaps the retry, see ipvs_apply), `err` its -errno. */
typedef void ipvs_report_fn(void *arg, const struct ipvs_op *op, int err);

/* Runs one operation; returns 0 or -errno.  ipvs_op_exec is the real one. */
typedef int ipvs_exec_fn(void *ctx, const struct ipvs_op *op);

/* Run `op` against the kernel through ipvs (ctx is a struct ipvs *). */
int ipvs_op_exec(void *ctx, const struct ipvs_op *op);

/* Run every operation of `ops` in order with `exec`.  A failure never stops
 * the others (BI-N02).  The kernel may have drifted since it was read, so:
 * an add answered -EEXIST is retried as an edit, an edit answered -ESRCH
 * (no such service) or -ENOENT (no such destination) as an add, and a
 * delete answered -ESRCH/-ENOENT counts as done.  Each remaining failure
 * goes to `report` (may be NULL).  When a service cannot be added, the
 * destination operations that follow it for that service are skipped
 * (each could only fail with -ESRCH) and neither reported nor counted.
 * Returns the number of failures. */
size_t ipvs_apply_exec(ipvs_exec_fn *exec, void *ctx, const struct ipvs_ops *ops,
		       ipvs_report_fn *report, void *arg);

/* ipvs_apply_exec with the real kernel. */
size_t ipvs_apply(struct ipvs *ipvs, const struct ipvs_ops *ops, ipvs_report_fn *report,
		  void *arg);

/* One line about a failed operation, for the log: "cannot add destination
 * 10.1.0.3:80 to TCP 10.0.0.1:80: File exists".  Returns buf. */
const char *ipvs_op_describe(const struct ipvs_op *op, int err, char *buf, size_t len);

/* The operation alone: "add destination 10.1.0.3:80 to TCP 10.0.0.1:80". */
const char *ipvs_op_str(const struct ipvs_op *op, char *buf, size_t len);

#endif
