/* The tracker blocks that are not scripts: track_file (and its older name
 * vrrp_track_file) and vrrp_track_process, and the NAME [weight W
 * [reverse|noreverse]] lists instances and sync groups refer to them with.
 * Names are resolved by vrrp_parser_validate.c once the file is read. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"
#include "vrrp_parser_priv.h"

/* /proc/PID/comm holds at most 15 bytes of a process name. */
#define COMM_MAX		15
#define TRACK_DELAY_MAX_US	(3600ull * US_PER_S)

/* weight W [reverse|noreverse], from words[i..]; shared by the blocks and
 * the list lines.  Reports and returns false for any other shape. */
static bool read_weight(struct diags *d, const struct conf_node *n, size_t i, int *weight,
			bool *reverse)
{
	char shown[DIAG_TEXT_BUF];

	if (i >= n->nwords) {
		diag_error(d, &n->words[i - 1].pos, "'weight' needs a value");
		return false;
	}
	if (!vp_weight(d, &n->words[i], weight))
		return false;
	*reverse = false;
	if (i + 1 < n->nwords) {
		const char *r = n->words[i + 1].text;

		if (strcmp(r, "reverse") && strcmp(r, "noreverse")) {
			diag_error(d, &n->words[i + 1].pos, "unexpected '%s' after the weight "
				   "(expected reverse or noreverse)",
				   diag_text(r, shown, sizeof(shown)));
			return false;
		}
		*reverse = strcmp(r, "reverse") == 0;
	}
	if (i + 2 < n->nwords) {
		diag_error(d, &n->words[i + 2].pos, "unexpected '%s' after the weight",
			   diag_text(n->words[i + 2].text, shown, sizeof(shown)));
		return false;
	}
	return true;
}

/* ---- track_file NAME { file PATH  weight W [reverse]  init_file [V] [overwrite] } ---- */

static void kw_file(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_track_file_conf *f = obj;

	if (!n->words[1].text[0]) {
		diag_error(d, &n->words[1].pos, "empty file name");
		return;
	}
	free(f->path);
	f->path = conf_strdup(d, &n->words[1].pos, n->words[1].text);
}

static void kw_file_weight(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_track_file_conf *f = obj;

	read_weight(d, n, 1, &f->weight, &f->reverse);
}

static void kw_init_file(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_track_file_conf *f = obj;
	size_t i = 1;
	int64_t v;

	f->init_file = true;
	f->init_value = 0;
	f->init_overwrite = false;
	if (i < n->nwords && strcmp(n->words[i].text, "overwrite") != 0) {
		if (!val_int(d, &n->words[i], INT_MIN, INT_MAX, &v))
			return;
		f->init_value = (int)v;
		i++;
	}
	if (i < n->nwords) {
		if (strcmp(n->words[i].text, "overwrite") != 0 || i + 1 < n->nwords) {
			char shown[DIAG_TEXT_BUF];

			diag_error(d, &n->words[i].pos, "unexpected '%s' in init_file (expected "
				   "init_file [VALUE] [overwrite])",
				   diag_text(n->words[i].text, shown, sizeof(shown)));
			return;
		}
		f->init_overwrite = true;
	}
}

static const struct keyword file_keywords[] = {
	{ "file", kw_file, 1, 1, KW_NO_BLOCK },
	{ "weight", kw_file_weight, 1, 2, KW_NO_BLOCK },
	{ "init_file", kw_init_file, 0, 2, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

void vp_kw_track_file(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_conf *c = obj;
	struct vrrp_track_file_conf f, *slot;

	memset(&f, 0, sizeof(f));
	if (!vp_name(d, &n->words[1], f.name))
		return;
	f.weight = 1;
	kw_dispatch(d, file_keywords, n->words[0].text, n->children, n->nchildren, &f);
	if (!f.path)
		diag_error(d, &n->pos, "track_file '%s' has no file", f.name);
	slot = conf_grow(d, &n->pos, &c->track_files, &c->n_track_files, sizeof(*slot));
	if (!slot) {
		free(f.path);
		return;
	}
	*slot = f;
	vp_add_ref(d, c, VRRP_REF_TRACK_FILE_DEF, c->n_track_files - 1, &n->words[1]);
}

/* ---- vrrp_track_process NAME { process P [ARGS]  param_match ...  quorum ... } ---- */

struct proc_ctx {
	struct vrrp_track_process_conf *p;
	bool quorum_set, quorum_max_set;
	const struct conf_node *quorum_max_n;
};

/* The process and its parameters, kept as /proc/PID/cmdline lays them
 * out (each word NUL-terminated) so matching is one memcmp. */
static void kw_process(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_track_process_conf *p = ((struct proc_ctx *)obj)->p;
	size_t len = 0;
	char *cmd;

	if (!n->words[1].text[0]) {
		diag_error(d, &n->words[1].pos, "empty process name");
		return;
	}
	for (size_t i = 1; i < n->nwords; i++)
		len += strlen(n->words[i].text) + 1;
	cmd = malloc(len);
	if (!cmd) {
		diag_error(d, &n->pos, "out of memory");
		return;
	}
	len = 0;
	for (size_t i = 1; i < n->nwords; i++) {
		size_t wl = strlen(n->words[i].text) + 1;

		memcpy(cmd + len, n->words[i].text, wl);
		len += wl;
	}
	free(p->cmd);
	p->cmd = cmd;
	p->cmd_len = len;
	p->n_params = n->nwords - 2;
}

static void kw_param_match(struct diags *d, const struct conf_node *n, void *obj)
{
	static const char *const modes[] = { "partial", "initial", NULL };
	struct vrrp_track_process_conf *p = ((struct proc_ctx *)obj)->p;
	int i;

	if (n->nwords == 1)
		p->param_match = TRACK_PARAM_EXACT;
	else if (val_choice(d, &n->words[1], modes, &i))
		p->param_match = i == 0 ? TRACK_PARAM_PARTIAL : TRACK_PARAM_INITIAL;
}

static void kw_proc_weight(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_track_process_conf *p = ((struct proc_ctx *)obj)->p;

	read_weight(d, n, 1, &p->weight, &p->reverse);
}

static void kw_quorum(struct diags *d, const struct conf_node *n, void *obj)
{
	struct proc_ctx *x = obj;
	uint64_t v;

	if (!val_uint(d, &n->words[1], 1, 65535, &v))
		return;
	x->p->quorum = (unsigned)v;
	x->quorum_set = true;
}

static void kw_quorum_max(struct diags *d, const struct conf_node *n, void *obj)
{
	struct proc_ctx *x = obj;
	uint64_t v;

	if (!val_uint(d, &n->words[1], 0, 65535, &v))
		return;
	x->p->quorum_max = (unsigned)v;
	x->quorum_max_set = true;
	x->quorum_max_n = n;
}

static void read_delay(struct diags *d, const struct conf_node *n, uint64_t *a, uint64_t *b)
{
	uint64_t v;

	if (!val_seconds(d, &n->words[1], 0, TRACK_DELAY_MAX_US, &v))
		return;
	*a = v;
	if (b)
		*b = v;
}

static void kw_fork_delay(struct diags *d, const struct conf_node *n, void *obj)
{
	read_delay(d, n, &((struct proc_ctx *)obj)->p->fork_delay_us, NULL);
}

static void kw_terminate_delay(struct diags *d, const struct conf_node *n, void *obj)
{
	read_delay(d, n, &((struct proc_ctx *)obj)->p->terminate_delay_us, NULL);
}

static void kw_delay(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_track_process_conf *p = ((struct proc_ctx *)obj)->p;

	read_delay(d, n, &p->fork_delay_us, &p->terminate_delay_us);
}

static void kw_full_command(struct diags *d, const struct conf_node *n, void *obj)
{
	(void)d;
	(void)n;
	((struct proc_ctx *)obj)->p->full_command = true;
}

static const struct keyword process_keywords[] = {
	{ "process", kw_process, 1, -1, KW_NO_BLOCK },
	{ "param_match", kw_param_match, 0, 1, KW_NO_BLOCK },
	{ "weight", kw_proc_weight, 1, 2, KW_NO_BLOCK },
	{ "quorum", kw_quorum, 1, 1, KW_NO_BLOCK },
	{ "quorum_max", kw_quorum_max, 1, 1, KW_NO_BLOCK },
	{ "fork_delay", kw_fork_delay, 1, 1, KW_NO_BLOCK },
	{ "terminate_delay", kw_terminate_delay, 1, 1, KW_NO_BLOCK },
	{ "delay", kw_delay, 1, 1, KW_NO_BLOCK },
	{ "full_command", kw_full_command, 0, 0, KW_NO_BLOCK },
	{ NULL, NULL, 0, 0, KW_NO_BLOCK },
};

static void finish_process(struct diags *d, const struct conf_node *n, struct proc_ctx *x)
{
	struct vrrp_track_process_conf *p = x->p;

	if (!p->cmd) {
		diag_error(d, &n->pos, "vrrp_track_process '%s' has no process", p->name);
		return;
	}
	/* `quorum_max 0` alone means "no such process may run". */
	if (x->quorum_max_set && !x->quorum_set && p->quorum_max < p->quorum)
		p->quorum = p->quorum_max;
	if (p->quorum_max < p->quorum)
		diag_error(d, &x->quorum_max_n->pos, "quorum_max %u is less than quorum %u",
			   p->quorum_max, p->quorum);
	if (!p->full_command && !p->n_params && p->param_match == TRACK_PARAM_NONE &&
	    strlen(p->cmd) > COMM_MAX)
		diag_warn(d, &n->pos, "process name '%s' is longer than %d bytes: a process name "
			  "(/proc/PID/comm) holds only the first %d, which are compared (use "
			  "full_command to match the command line)", p->cmd, COMM_MAX, COMM_MAX);
}

void vp_kw_track_process(struct diags *d, const struct conf_node *n, void *obj)
{
	struct vrrp_conf *c = obj;
	struct vrrp_track_process_conf p, *slot;
	struct proc_ctx x = { &p, false, false, NULL };

	memset(&p, 0, sizeof(p));
	if (!vp_name(d, &n->words[1], p.name))
		return;
	p.quorum = 1;
	p.quorum_max = UINT_MAX;
	kw_dispatch(d, process_keywords, "vrrp_track_process", n->children, n->nchildren, &x);
	finish_process(d, n, &x);
	slot = conf_grow(d, &n->pos, &c->track_procs, &c->n_track_procs, sizeof(*slot));
	if (!slot) {
		free(p.cmd);
		return;
	}
	*slot = p;
	vp_add_ref(d, c, VRRP_REF_TRACK_PROCESS_DEF, c->n_track_procs - 1, &n->words[1]);
}

/* ---- the lists in vrrp_instance and vrrp_sync_group ---- */

static bool ref_listed(const struct track_ref_conf *arr, size_t len, const char *name)
{
	for (size_t i = 0; i < len; i++)
		if (strcmp(arr[i].name, name) == 0)
			return true;
	return false;
}

static bool read_ref(struct diags *d, const struct conf_node *line, const char *where,
		     struct track_ref_conf *t)
{
	memset(t, 0, sizeof(*t));
	if (line->has_block) {
		diag_error(d, &line->block_pos, "unexpected block in %s", where);
		return false;
	}
	if (!vp_name(d, &line->words[0], t->name))
		return false;
	if (line->nwords == 1)
		return true;
	if (strcmp(line->words[1].text, "weight") != 0) {
		char shown[DIAG_TEXT_BUF];

		diag_error(d, &line->words[1].pos, "unexpected '%s' in %s (expected NAME "
			   "[weight W [reverse|noreverse]])",
			   diag_text(line->words[1].text, shown, sizeof(shown)), where);
		return false;
	}
	if (!read_weight(d, line, 2, &t->w.weight, &t->reverse))
		return false;
	t->w.has_weight = true;
	return true;
}

void vp_track_refs(struct diags *d, const struct conf_node *n, struct vrrp_conf *c,
		   enum vrrp_ref_kind kind, struct track_ref_conf **arr, size_t *len)
{
	const char *where = n->words[0].text;

	for (size_t i = 0; i < n->nchildren; i++) {
		const struct conf_node *line = &n->children[i];
		struct track_ref_conf t, *slot;

		if (!read_ref(d, line, where, &t))
			continue;
		if (*len >= VRRP_MAX_TRACK) {
			diag_error(d, &line->pos, "more than %d entries in %s", VRRP_MAX_TRACK,
				   where);
			return;
		}
		if (ref_listed(*arr, *len, t.name)) {
			diag_warn(d, &line->pos, "%s '%s' is listed twice; the first entry is used",
				  where, t.name);
			continue;
		}
		slot = conf_grow(d, &line->pos, arr, len, sizeof(*slot));
		if (!slot)
			return;
		*slot = t;
		vp_add_ref(d, c, kind, 0, &line->words[0]);
	}
}

void vp_track_objs_free(struct vrrp_conf *c)
{
	for (size_t i = 0; i < c->n_track_files; i++)
		free(c->track_files[i].path);
	for (size_t i = 0; i < c->n_track_procs; i++)
		free(c->track_procs[i].cmd);
	free(c->track_files);
	free(c->track_procs);
	c->track_files = NULL;
	c->track_procs = NULL;
	c->n_track_files = c->n_track_procs = 0;
}
