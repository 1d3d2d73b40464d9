#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check/check_child.h"
#include "child_report.h"
#include "json_out.h"
#include "log.h"
#include "rundir.h"
#include "vrrp/vrrp_child.h"

static void report_json(enum child_kind kind, void *rt, struct json_out *j)
{
	if (kind == CHILD_VRRP)
		vrrp_child_report_json(rt, j);
	else
		check_child_report_json(rt, j);
}

static void report_text(enum child_kind kind, void *rt, FILE *out)
{
	if (kind == CHILD_VRRP)
		vrrp_child_report_text(rt, out);
	else
		check_child_report_text(rt, out);
}

/* The report as one memfd, or -1 (logged). */
static int build_report(enum child_kind kind, void *rt, uint32_t format)
{
	struct json_out j;
	const char *doc;
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int fd = -1;

	if (format == CTL_STATUS_JSON) {
		json_out_init(&j);
		report_json(kind, rt, &j);
		doc = json_out_finish(&j, &len);
		if (doc)
			fd = ctl_blob_fd(doc, len);
		json_out_free(&j);
	} else if ((out = open_memstream(&text, &len)) != NULL) {
		report_text(kind, rt, out);
		if (fclose(out) == 0)
			fd = ctl_blob_fd(text, len);
		free(text);
	}
	if (fd < 0)
		log_warn("cannot build the status report");
	return fd;
}

void child_report_reply(enum child_kind kind, void *rt, int ctl_fd, const struct ctl_msg *req)
{
	struct ctl_msg m = { .type = CTL_STATUS_REPLY, .generation = req->generation,
			     .state = req->state, .seq = req->seq };
	int fd = -1;

	/* Without a runtime the reply carries no report: the parent shows
	 * the section as null, the child as stopping. */
	if (rt && (fd = build_report(kind, rt, req->state)) < 0)
		return;
	if (ctl_send_nowait(ctl_fd, &m, fd) < 0)
		log_warn("cannot send the status report to the parent");
	if (fd >= 0)
		close(fd);
}

struct dump_job {
	enum child_kind kind;
	void *rt;
	bool stats;
};

static int fill_dump(FILE *out, void *arg)
{
	const struct dump_job *d = arg;

	if (d->kind == CHILD_VRRP)
		return d->stats ? vrrp_child_dump_stats(d->rt, out) :
				  vrrp_child_dump_data(d->rt, out);
	return d->stats ? check_child_dump_stats(d->rt, out) : check_child_dump_data(d->rt, out);
}

void child_dump(enum child_kind kind, void *rt, const char *run_dir, bool stats)
{
	struct dump_job d = { kind, rt, stats };
	char name[64], err[320];
	int dirfd;

	snprintf(name, sizeof(name), "keepalived_%s.%s", kind == CHILD_VRRP ? "vrrp" : "check",
		 stats ? "stats" : "data");
	if (!rt) {
		log_info("%s dump skipped: the %s child is not running", name,
			 child_kind_name(kind));
		return;
	}
	dirfd = rundir_open(run_dir, err, sizeof(err));
	if (dirfd < 0) {
		log_err("%s dump not written: %s", name, err);
		return;
	}
	if (rundir_write_file(dirfd, name, fill_dump, &d, err, sizeof(err)) < 0)
		log_err("%s dump not written: %s", name, err);
	else
		log_info("%s dump written to %s/%s", stats ? "Statistics" : "Data", run_dir, name);
	close(dirfd);
}
