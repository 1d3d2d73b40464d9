/* The VRRP runtime.  The protocol itself is issue #3; until then the child
 * runs, follows reloads and stops cleanly, and says what it was given. */
#include "config.h"

#include <stdlib.h>

#include "log.h"
#include "vrrp_child.h"

struct vrrp_child {
	struct ev_loop *loop;
	const struct vrrp_conf *conf;
};

static void describe(const struct vrrp_conf *conf, const char *what)
{
	log_info("%s: %zu vrrp_instance, %zu vrrp_sync_group, %zu vrrp_script configured "
		 "(the VRRP protocol is not implemented yet, issue #3)",
		 what, conf->n_instances, conf->n_groups, conf->n_scripts);
}

struct vrrp_child *vrrp_child_start(struct ev_loop *loop, const struct vrrp_conf *conf,
				    const struct global_conf *global)
{
	struct vrrp_child *v = calloc(1, sizeof(*v));

	(void)global;
	if (!v) {
		log_err("VRRP child: out of memory");
		return NULL;
	}
	v->loop = loop;
	v->conf = conf;
	describe(conf, "VRRP child started");
	return v;
}

int vrrp_child_reload(struct vrrp_child *v, const struct vrrp_conf *conf,
		      const struct global_conf *global)
{
	(void)global;
	v->conf = conf;
	describe(conf, "VRRP configuration reloaded");
	return 0;
}

void vrrp_child_stop(struct vrrp_child *v, void (*done)(void *arg), void *arg)
{
	free(v);
	done(arg);
}
