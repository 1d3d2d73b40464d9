/* Command line, compatible with keepalived's main options. */
#ifndef KA_CMDLINE_H
#define KA_CMDLINE_H

#include <stdbool.h>

#define DEFAULT_PID_FILE	"/run/keepalived.pid"
#define DEFAULT_VRRP_PID_FILE	"/run/vrrp.pid"
#define DEFAULT_CHECK_PID_FILE	"/run/checkers.pid"
#define DEFAULT_RUN_DIR		"/run/keepalived"

struct options {
	const char *conf_file;
	const char *pid_file;
	const char *vrrp_pid_file;
	const char *check_pid_file;
	bool only_vrrp;		/* -P */
	bool only_check;	/* -C */
	bool dont_fork;		/* -n */
	bool log_console;	/* -l */
	bool log_detail;	/* -D */
	bool dont_release_ipvs;	/* -I: leave our IPVS services in place on stop */
	bool snmp;		/* -x: every SNMP part and the traps, as if configured */
	int log_facility;	/* LOG_* value */
	bool config_test;	/* -t */
	const char *config_test_log;	/* -t=FILE: diagnostics there, not stderr */
	const char *run_dir;	/* --run-dir: control socket and dumps */
	bool status;		/* --status: ask the running daemon, then exit */
	bool status_json;	/* --json: with --status, the raw JSON */
};

enum cmdline_result { CMDLINE_RUN, CMDLINE_EXIT_OK, CMDLINE_EXIT_USAGE };

/* Parse argv into `o` (initialised with the defaults first).  Prints help,
 * version or usage errors itself and says whether to run or exit. */
enum cmdline_result cmdline_parse(int argc, char **argv, struct options *o);

/* Whether the options allow each child at all (-P / -C restrict them). */
bool options_allow_vrrp(const struct options *o);
bool options_allow_checker(const struct options *o);

#endif
