/* A cmocka fixture for tests that load whole configurations with the
 * daemon's own parsers: a temporary directory, the diagnostics of the last
 * load, and its result. */
#ifndef KA_CONF_FIXTURE_H
#define KA_CONF_FIXTURE_H

#include "diag.h"
#include "keepalived/ka_conf.h"

struct fx {
	char *dir;
	struct diags d;
	struct ka_config *c;
};

/* cmocka setup and teardown: *state is a struct fx. */
int cfx_setup(void **state);
int cfx_teardown(void **state);

/* Drop the previous result and its diagnostics. */
void cfx_reset(struct fx *f);

/* Load `text` as <dir>/keepalived.conf (the previous result dropped);
 * NULL when it has errors (they are in f->d). */
struct ka_config *cfx_load(struct fx *f, const char *text);

/* Assert the diagnostic "<dir>/keepalived.conf:<tail>". */
void cfx_expect(struct fx *f, const char *tail);

#endif
