/* The checker runtime.  Health checks and IPVS are issue #4; until then the
 * child runs, follows reloads and stops cleanly, and says what it was given. */
#include "config.h"

#include <stdlib.h>

#include "check_child.h"
#include "log.h"

struct check_child {
	struct ev_loop *loop;
	const struct check_conf *conf;
};

static void describe(const struct check_conf *conf, const char *what)
{
	log_info("%s: %u virtual_server, %u virtual_server_group configured "
		 "(health checks and IPVS are not implemented yet, issue #4)",
		 what, conf->n_virtual_servers, conf->n_groups);
}

struct check_child *check_child_start(struct ev_loop *loop, const struct check_conf *conf,
				      const struct global_conf *global)
{
	struct check_child *c = calloc(1, sizeof(*c));

	(void)global;
	if (!c) {
		log_err("checker child: out of memory");
		return NULL;
	}
	c->loop = loop;
	c->conf = conf;
	describe(conf, "checker child started");
	return c;
}

int check_child_reload(struct check_child *c, const struct check_conf *conf,
		       const struct global_conf *global)
{
	(void)global;
	c->conf = conf;
	describe(conf, "checker configuration reloaded");
	return 0;
}

void check_child_stop(struct check_child *c, void (*done)(void *arg), void *arg)
{
	free(c);
	done(arg);
}
