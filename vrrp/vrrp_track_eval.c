/* See vrrp_track_eval.h. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp_track_eval.h"

#define COMM_MAX	15	/* bytes of a name in /proc/PID/comm */
#define FAULT_BELOW	-253

bool track_file_parse(const char *text, int *out)
{
	long v;

	errno = 0;
	v = strtol(text, NULL, 0);
	if (errno == ERANGE || v < INT_MIN || v > INT_MAX)
		return false;
	*out = (int)v;
	return true;
}

static int clamp_adjust(long long v)
{
	return v < -VRRP_PRIO_OWNER + 1 ? -VRRP_PRIO_OWNER + 1
	       : v > VRRP_PRIO_OWNER - 1 ? VRRP_PRIO_OWNER - 1 : (int)v;
}

struct track_effect track_file_effect(int value, int weight, bool reverse)
{
	struct track_effect e = { false, 0 };
	long long r;

	if (weight == 0) {
		e.fault = (value != 0) != reverse;
		return e;
	}
	r = (long long)value * weight;
	if (reverse)
		r = -r;
	if (r < FAULT_BELOW)
		e.fault = true;
	else
		e.adjust = clamp_adjust(r);
	return e;
}

struct track_effect track_process_effect(bool quorum_ok, int weight, bool reverse)
{
	struct track_effect e = { false, 0 };
	bool up = quorum_ok != reverse;

	if (weight == 0)
		e.fault = !up;
	else if (weight > 0 && up)
		e.adjust = weight;
	else if (weight < 0 && !up)
		e.adjust = weight;
	return e;
}

bool track_process_wants_cmdline(const struct vrrp_track_process_conf *c)
{
	return c->full_command || c->n_params || c->param_match != TRACK_PARAM_NONE;
}

/* The parameters of a command line against the configured ones; both are
 * runs of NUL-terminated words. */
static bool params_match(const struct vrrp_track_process_conf *c, const char *params,
			 size_t len)
{
	size_t plen = strlen(c->cmd) + 1;
	const char *want = c->cmd + plen;
	size_t wlen = c->cmd_len - plen;

	/* full_command alone: the program only; parameters given without
	 * param_match: all of them. */
	if (c->param_match == TRACK_PARAM_NONE && !c->n_params)
		return true;
	switch (c->param_match) {
	case TRACK_PARAM_NONE:
	case TRACK_PARAM_EXACT:
		return len == wlen && memcmp(params, want, wlen) == 0;
	case TRACK_PARAM_PARTIAL:	/* the first N words, whole */
		return len >= wlen && memcmp(params, want, wlen) == 0;
	case TRACK_PARAM_INITIAL:	/* the text, the last word may go on */
		return wlen == 0 || (len >= wlen - 1 && memcmp(params, want, wlen - 1) == 0);
	}
	return false;
}

bool track_process_matches(const struct vrrp_track_process_conf *c, const char *comm,
			   const char *cmdline, size_t cmdline_len)
{
	size_t argv0_len, rest;

	if (!track_process_wants_cmdline(c))
		return comm && strncmp(comm, c->cmd, COMM_MAX) == 0;
	if (!cmdline || !cmdline_len)
		return false;	/* kernel threads and zombies have none */
	argv0_len = strnlen(cmdline, cmdline_len);
	if (argv0_len != strlen(c->cmd) || memcmp(cmdline, c->cmd, argv0_len) != 0)
		return false;
	/* A command line rewritten without its final NUL has no parameters. */
	rest = argv0_len < cmdline_len ? argv0_len + 1 : cmdline_len;
	return params_match(c, cmdline + rest, cmdline_len - rest);
}
