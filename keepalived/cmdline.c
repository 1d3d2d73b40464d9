#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "cmdline.h"
#include "ka_conf.h"
#include "log.h"

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s [OPTION...]\n"
		"  -f, --use-file=FILE          configuration file (default %s)\n"
		"  -P, --vrrp                   run only the VRRP child\n"
		"  -C, --check                  run only the checker child\n"
		"  -n, --dont-fork              stay in the foreground\n"
		"  -l, --log-console            log to the console (stderr) instead of syslog\n"
		"  -D, --log-detail             detailed (debug) logging\n"
		"  -I, --dont-release-ipvs      leave our IPVS services in place on stop\n"
		"  -S, --log-facility=[0-7]     syslog facility local0..local7\n"
		"  -x, --snmp                   SNMP subagent: both MIBs and traps\n"
		"  -t, --config-test[=FILE]     check the configuration and exit;\n"
		"                               diagnostics to FILE instead of stderr\n"
		"  -p, --pid=FILE               pid file of the parent (default %s)\n"
		"  -r, --vrrp_pid=FILE          pid file of the VRRP child (default %s)\n"
		"  -c, --checkers_pid=FILE      pid file of the checker child (default %s)\n"
		"      --run-dir=DIR            control socket and dumps (default %s)\n"
		"      --status [--json]        print the running daemon's status and exit\n"
		"  -v, --version                print the version and exit\n"
		"  -h, --help                   print this help and exit\n",
		prog, DEFAULT_CONF_FILE, DEFAULT_PID_FILE, DEFAULT_VRRP_PID_FILE,
		DEFAULT_CHECK_PID_FILE, DEFAULT_RUN_DIR);
}

/* Long options without a short form (keepalived has none for them). */
enum { OPT_RUN_DIR = 256, OPT_STATUS, OPT_JSON };

static const struct option long_options[] = {
	{ "use-file", required_argument, NULL, 'f' },
	{ "vrrp", no_argument, NULL, 'P' },
	{ "check", no_argument, NULL, 'C' },
	{ "dont-fork", no_argument, NULL, 'n' },
	{ "log-console", no_argument, NULL, 'l' },
	{ "log-detail", no_argument, NULL, 'D' },
	{ "dont-release-ipvs", no_argument, NULL, 'I' },
	{ "log-facility", required_argument, NULL, 'S' },
	{ "snmp", no_argument, NULL, 'x' },
	{ "config-test", optional_argument, NULL, 't' },
	{ "pid", required_argument, NULL, 'p' },
	{ "vrrp_pid", required_argument, NULL, 'r' },
	{ "checkers_pid", required_argument, NULL, 'c' },
	{ "run-dir", required_argument, NULL, OPT_RUN_DIR },
	{ "status", no_argument, NULL, OPT_STATUS },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "version", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void options_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->conf_file = DEFAULT_CONF_FILE;
	o->pid_file = DEFAULT_PID_FILE;
	o->vrrp_pid_file = DEFAULT_VRRP_PID_FILE;
	o->check_pid_file = DEFAULT_CHECK_PID_FILE;
	o->log_facility = LOG_DAEMON;
	o->run_dir = DEFAULT_RUN_DIR;
}

static bool parse_facility(const char *arg, int *facility)
{
	if (arg[0] < '0' || arg[0] > '7' || arg[1] != '\0')
		return false;
	*facility = log_facility_local(arg[0] - '0');
	return true;
}

enum cmdline_result cmdline_parse(int argc, char **argv, struct options *o)
{
	const char *prog = argv[0] ? argv[0] : "keepalived";
	int c;

	options_defaults(o);
	while ((c = getopt_long(argc, argv, "f:PCnlDIS:xt::p:r:c:vh", long_options, NULL)) != -1) {
		switch (c) {
		case 'f': o->conf_file = optarg; break;
		case 'P': o->only_vrrp = true; break;
		case 'C': o->only_check = true; break;
		case 'n': o->dont_fork = true; break;
		case 'l': o->log_console = true; break;
		case 'D': o->log_detail = true; break;
		case 'I': o->dont_release_ipvs = true; break;
		case 'S':
			if (!parse_facility(optarg, &o->log_facility)) {
				fprintf(stderr, "%s: --log-facility takes 0 to 7, not '%s'\n",
					prog, optarg);
				return CMDLINE_EXIT_USAGE;
			}
			break;
		case 'x':
#ifndef WITH_SNMP
			fprintf(stderr, "%s: --snmp: SNMP support was not built "
				"(configure --disable-snmp)\n", prog);
			return CMDLINE_EXIT_USAGE;
#endif
			o->snmp = true;
			break;
		case 't':
			o->config_test = true;
			o->config_test_log = optarg;
			break;
		case 'p': o->pid_file = optarg; break;
		case 'r': o->vrrp_pid_file = optarg; break;
		case 'c': o->check_pid_file = optarg; break;
		case OPT_RUN_DIR: o->run_dir = optarg; break;
		case OPT_STATUS: o->status = true; break;
		case OPT_JSON: o->status_json = true; break;
		case 'v':
			fprintf(stderr, "%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return CMDLINE_EXIT_OK;
		case 'h':
			usage(stdout, prog);
			return CMDLINE_EXIT_OK;
		default:
			usage(stderr, prog);
			return CMDLINE_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog, argv[optind]);
		usage(stderr, prog);
		return CMDLINE_EXIT_USAGE;
	}
	if (o->status_json && !o->status) {
		fprintf(stderr, "%s: --json goes with --status\n", prog);
		return CMDLINE_EXIT_USAGE;
	}
	return CMDLINE_RUN;
}

/* As keepalived: -P and -C restrict the daemon to that child; with
 * neither (or both) each child runs when the configuration needs it. */
bool options_allow_vrrp(const struct options *o)
{
	return o->only_vrrp || !o->only_check;
}

bool options_allow_checker(const struct options *o)
{
	return o->only_check || !o->only_vrrp;
}
