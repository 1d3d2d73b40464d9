/* Pure decisions of the file and process trackers: what a value read from
 * a track_file does to an instance, whether a process matches a
 * vrrp_track_process, what a process count does.  No I/O, no globals:
 * vrrp_track_file.c and vrrp_track_process.c feed them, unit tests too. */
#ifndef KA_VRRP_TRACK_EVAL_H
#define KA_VRRP_TRACK_EVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "vrrp_conf.h"

/* What one tracked object does to an instance: FAULT, or an amount added
 * to its priority (clamped to -254..254, so sums cannot overflow). */
struct track_effect {
	bool fault;
	int adjust;
};

/* The number at the start of `text` (after blanks; decimal, 0x hex or 0
 * octal, as strtol with base 0), into *out.  No digits reads as 0, as
 * keepalived does.  Returns false, leaving *out alone, when the number does
 * not fit an int: such a read is ignored. */
bool track_file_parse(const char *text, int *out);

/* A file's value under weight W (and reverse): with W = 0 any non-zero
 * value (a zero one with reverse) is a fault; otherwise value x W, negated
 * by reverse, is added to the priority, and a result below -253 is a fault. */
struct track_effect track_file_effect(int value, int weight, bool reverse);

/* A process tracker's verdict (quorum reached or not) under weight W: with
 * W = 0 no quorum is a fault (quorum is with reverse); with W > 0 the
 * priority gains W while the quorum holds; with W < 0 it loses |W| while it
 * does not.  reverse swaps "holds" and "does not". */
struct track_effect track_process_effect(bool quorum_ok, int weight, bool reverse);

/* Whether a process matches `c`: by its name `comm` (at most 15 bytes, as
 * /proc/PID/comm), or, with full_command, parameters or param_match, by its
 * command line `cmdline` (cmdline_len bytes, words NUL-terminated, as
 * /proc/PID/cmdline).  Either may be NULL when `c` does not need it. */
bool track_process_matches(const struct vrrp_track_process_conf *c, const char *comm,
			   const char *cmdline, size_t cmdline_len);

/* Whether `c` needs the command line (else the name is enough). */
bool track_process_wants_cmdline(const struct vrrp_track_process_conf *c);

#endif
