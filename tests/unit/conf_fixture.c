#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "conf_fixture.h"
#include "unit_util.h"

int cfx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->dir = ut_tmpdir();
	diags_init(&f->d);
	*state = f;
	return 0;
}

int cfx_teardown(void **state)
{
	struct fx *f = *state;

	config_free(f->c);
	diags_free(&f->d);
	ut_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

void cfx_reset(struct fx *f)
{
	config_free(f->c);
	f->c = NULL;
	diags_free(&f->d);
	diags_init(&f->d);
}

struct ka_config *cfx_load(struct fx *f, const char *text)
{
	char *path = ut_write(f->dir, "keepalived.conf", text);

	cfx_reset(f);
	f->c = config_load_file(path, &f->d, NULL);
	free(path);
	return f->c;
}

void cfx_expect(struct fx *f, const char *tail)
{
	ut_assert_diag(&f->d, "%s/keepalived.conf:%s", f->dir, tail);
}
