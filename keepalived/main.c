/* keepalived: a high-availability daemon for Linux load balancers. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmdline.h"
#include "ka_conf.h"
#include "log.h"
#include "sd_notify.h"
#include "status_client.h"
#include "supervisor.h"

/* -t: every diagnostic, one per line; exit 0 when the file can run. */
static int config_test(const struct options *o)
{
	FILE *out = stderr;
	struct diags d;
	struct ka_config *c;

	if (o->config_test_log && !(out = fopen(o->config_test_log, "we"))) {
		perror(o->config_test_log);
		return EXIT_CONFIG;
	}
	diags_init(&d);
	c = config_load_file(o->conf_file, &d, NULL);
	diags_print(&d, out);
	if (out != stderr)
		fclose(out);
	diags_free(&d);
	config_free(c);
	return c ? EXIT_SUCCESS : EXIT_CONFIG;
}

static void redirect_to_null(int fd)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null < 0)
		return;
	dup2(null, fd);
	close(null);
}

/* Detach from the terminal.  The launching process waits until the daemon
 * holds its pid files and has started its children, so `keepalived` exits
 * non-zero when another instance is already running. Returns the daemon's end of
 * the readiness pipe. */
static int daemonize(const struct options *o)
{
	int pipefd[2];
	pid_t pid;
	char ok;

	if (pipe2(pipefd, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		perror("keepalived: cannot daemonize");
		exit(EXIT_FAILURE);
	}
	if (pid > 0) {
		close(pipefd[1]);
		if (read(pipefd[0], &ok, 1) == 1)
			_exit(EXIT_SUCCESS);
		fprintf(stderr, "keepalived: failed to start; see the system log\n");
		_exit(EXIT_FAILURE);
	}
	close(pipefd[0]);
	setsid();
	if (chdir("/") < 0)
		log_warn("chdir /");
	redirect_to_null(STDIN_FILENO);
	redirect_to_null(STDOUT_FILENO);
	if (!o->log_console)
		redirect_to_null(STDERR_FILENO);
	return pipefd[1];
}

int main(int argc, char **argv)
{
	struct options o;
	struct diags d;
	struct ka_config *conf;
	int snap_fd = -1, ready_fd = -1;

	switch (cmdline_parse(argc, argv, &o)) {
	case CMDLINE_EXIT_OK: return EXIT_SUCCESS;
	case CMDLINE_EXIT_USAGE: return EXIT_FAILURE;
	case CMDLINE_RUN: break;
	}
	if (o.status)
		return status_client_run(&o);
	if (o.config_test)
		return config_test(&o);
	log_init("Keepalived", o.log_console, o.log_facility, o.log_detail);
	sd_notify_init();
	log_info("Starting %s %s, configuration %s", PACKAGE_NAME, PACKAGE_VERSION, o.conf_file);
	diags_init(&d);
	conf = config_load_file(o.conf_file, &d, &snap_fd);
	config_log_diags(&d, "", true);
	if (!conf && !o.log_console)
		diags_print(&d, stderr);
	diags_free(&d);
	if (!conf) {
		log_err("Configuration has errors: not starting");
		return EXIT_CONFIG;
	}
	if (!o.dont_fork)
		ready_fd = daemonize(&o);
	return supervisor_run(&o, conf, snap_fd, ready_fd);
}
