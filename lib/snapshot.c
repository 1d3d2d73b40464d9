/* Configuration snapshots; see snapshot.h.
 *
 * A recorder answers from the filesystem and remembers every answer,
 * failures included, so that a replayer gives the parser exactly the same
 * answers and therefore the same tree and the same diagnostics.  Repeated
 * questions get the remembered answer, so a file included twice is the same
 * bytes both times even if it changed on disk in between.
 *
 * Sealed format (native byte order: a snapshot never leaves the machine):
 *
 *   header   magic "KASNAP\r\n", u32 version, u32 record count,
 *            u64 body length, u64 FNV-1a hash of the body
 *   record   u32 type, u32 errno (0 on success), u64 name length (with its
 *            NUL), u64 payload length, name, payload
 *
 *   ROOT     name = root path, no payload
 *   FILE     name = path, payload = contents (none when errno is set)
 *   GLOB     name = pattern, payload = u64 count, then count NUL-terminated
 *            paths (no payload when errno is set)
 *
 * A reader checks every length against what is left, so a truncated or
 * corrupt snapshot is refused, never trusted. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snapshot.h"

struct snap_file {
	char *path;
	char *data;
	size_t len;
	int err;		/* 0, or why the file could not be read */
};

struct snap_glob {
	char *pattern;
	char **paths;		/* the array is always owned */
	size_t n;
	int err;
};

/* Open-addressing hash index from a key string to an entry number. */
struct snap_index {
	size_t *slots;		/* entry number + 1; 0 = empty */
	size_t cap;		/* a power of two, or 0 */
};

struct snapshot {
	/* A replayer's strings and file data point into `blob`; a recorder owns
	 * each of them separately. */
	char *blob;
	char *root;
	struct snap_file *files;
	size_t nfiles, files_cap;
	struct snap_glob *globs;
	size_t nglobs, globs_cap;
	struct snap_index file_index, glob_index;
	size_t total;		/* serialised size of the records so far */
};

#define SNAP_MAGIC		"KASNAP\r\n"
#define SNAP_VERSION		1u
#define SNAP_HEADER		32	/* magic, version, count, length, hash */
#define SNAP_RECORD_HEAD	24	/* type, errno, name length, payload length */
#define SNAP_HASH_SEED		0xcbf29ce484222325ull

enum snap_record { SNAP_REC_ROOT = 1, SNAP_REC_FILE = 2, SNAP_REC_GLOB = 3 };

/* FNV-1a: any single changed byte changes the hash, which is all a sealed
 * snapshot needs (this is a consistency check, not authentication). */
static uint64_t snap_hash(const void *data, size_t len, uint64_t h)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* ---- index ---------------------------------------------------------- */

typedef const char *snap_key_fn(const struct snapshot *s, size_t i);

static const char *file_key(const struct snapshot *s, size_t i)
{
	return s->files[i].path;
}

static const char *glob_key(const struct snapshot *s, size_t i)
{
	return s->globs[i].pattern;
}

static size_t index_slot(const struct snap_index *ix, const char *key)
{
	return snap_hash(key, strlen(key), SNAP_HASH_SEED) & (ix->cap - 1);
}

/* Entry number for `key`, or -1. */
static long index_find(const struct snapshot *s, const struct snap_index *ix,
		       snap_key_fn *key_of, const char *key)
{
	size_t i;

	if (ix->cap == 0)
		return -1;
	for (i = index_slot(ix, key); ix->slots[i]; i = (i + 1) & (ix->cap - 1))
		if (strcmp(key_of(s, ix->slots[i] - 1), key) == 0)
			return (long)(ix->slots[i] - 1);
	return -1;
}

static void index_put(struct snap_index *ix, const char *key, size_t entry)
{
	size_t i = index_slot(ix, key);

	while (ix->slots[i])
		i = (i + 1) & (ix->cap - 1);
	ix->slots[i] = entry + 1;
}

/* Make room for entry number `count` (keeping the load under one half). */
static int index_reserve(const struct snapshot *s, struct snap_index *ix,
			 snap_key_fn *key_of, size_t count)
{
	struct snap_index bigger;
	size_t i;

	if ((count + 1) * 2 <= ix->cap)
		return 0;
	bigger.cap = ix->cap ? ix->cap * 2 : 64;
	bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
	if (!bigger.slots)
		return -1;
	for (i = 0; i < count; i++)
		index_put(&bigger, key_of(s, i), i);
	free(ix->slots);
	*ix = bigger;
	return 0;
}

/* ---- entries -------------------------------------------------------- */

static int grow(void **items, size_t *cap, size_t len, size_t size)
{
	size_t ncap;
	void *n;

	if (len < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	n = realloc(*items, ncap * size);
	if (!n)
		return -1;
	*items = n;
	*cap = ncap;
	return 0;
}

static struct snap_file *add_file(struct snapshot *s, char *path)
{
	struct snap_file *f;

	if (grow((void **)&s->files, &s->files_cap, s->nfiles, sizeof(*f)) < 0 ||
	    index_reserve(s, &s->file_index, file_key, s->nfiles) < 0)
		return NULL;
	f = &s->files[s->nfiles];
	memset(f, 0, sizeof(*f));
	f->path = path;
	index_put(&s->file_index, path, s->nfiles++);
	return f;
}

static struct snap_glob *add_glob(struct snapshot *s, char *pattern)
{
	struct snap_glob *g;

	if (grow((void **)&s->globs, &s->globs_cap, s->nglobs, sizeof(*g)) < 0 ||
	    index_reserve(s, &s->glob_index, glob_key, s->nglobs) < 0)
		return NULL;
	g = &s->globs[s->nglobs];
	memset(g, 0, sizeof(*g));
	g->pattern = pattern;
	index_put(&s->glob_index, pattern, s->nglobs++);
	return g;
}

struct snapshot *snapshot_recorder(void)
{
	return calloc(1, sizeof(struct snapshot));
}

void snapshot_free(struct snapshot *s)
{
	size_t i, j;

	if (!s)
		return;
	for (i = 0; i < s->nglobs; i++) {
		if (!s->blob) {
			for (j = 0; j < s->globs[i].n; j++)
				free(s->globs[i].paths[j]);
			free(s->globs[i].pattern);
		}
		free(s->globs[i].paths);
	}
	if (!s->blob) {
		for (i = 0; i < s->nfiles; i++) {
			free(s->files[i].path);
			free(s->files[i].data);
		}
		free(s->root);
	}
	free(s->files);
	free(s->globs);
	free(s->file_index.slots);
	free(s->glob_index.slots);
	free(s->blob);
	free(s);
}

const char *snapshot_root(const struct snapshot *s)
{
	return s->root;
}

/* ---- recording ------------------------------------------------------ */

/* Whether `more` serialised bytes still fit in the budget; if so, count them. */
static bool budget_take(struct snapshot *s, size_t more)
{
	if (more > SNAPSHOT_MAX_TOTAL - s->total)
		return false;
	s->total += more;
	return true;
}

/* Read a regular file of at most `limit` bytes.  O_NONBLOCK keeps a FIFO
 * from blocking the open; it has no effect on regular files. */
static int read_regular(const char *path, size_t limit, char **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	size_t got = 0;
	char *buf = NULL;
	int err = 0;

	if (fd < 0)
		return errno;
	if (fstat(fd, &st) < 0) {
		err = errno;
		goto out;
	}
	if (S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode)) {
		err = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		goto out;
	}
	if (st.st_size > (off_t)limit) {
		err = EFBIG;
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		err = ENOMEM;
		goto out;
	}
	/* A file that shrinks while we read it is taken as it was read; one
	 * that grows is cut at the size fstat() gave. */
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = errno;
			goto out;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	*data = buf;
	*len = got;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return err;
}

static int answer_file(const struct snap_file *f, const char **data, size_t *len, int *err)
{
	if (f->err) {
		*err = f->err;
		return -1;
	}
	*data = f->data;
	*len = f->len;
	return 0;
}

/* Read `path` from disk and remember the outcome. */
static int record_file(struct snapshot *s, const char *path, const char **data,
		       size_t *len, int *err)
{
	size_t head = SNAP_RECORD_HEAD + strlen(path) + 1;
	size_t room = SNAPSHOT_MAX_TOTAL - s->total;
	size_t limit = SNAPSHOT_MAX_FILE_SIZE;
	char *content = NULL;
	size_t clen = 0;
	struct snap_file *f;
	char *copy;
	int e;

	if (head > room) {
		*err = EFBIG;	/* no room even to remember the failure */
		return -1;
	}
	if (room - head < limit)
		limit = room - head;
	e = read_regular(path, limit, &content, &clen);
	copy = strdup(path);
	f = copy ? add_file(s, copy) : NULL;
	if (!f) {
		free(copy);
		free(content);
		*err = ENOMEM;
		return -1;
	}
	budget_take(s, head + clen);
	f->err = e;
	f->data = content;
	f->len = clen;
	return answer_file(f, data, len, err);
}

int snapshot_file(struct snapshot *s, const char *path, const char **data,
		  size_t *len, int *err)
{
	long i = index_find(s, &s->file_index, file_key, path);

	if (i >= 0)
		return answer_file(&s->files[i], data, len, err);
	if (s->blob) {
		*err = ENOENT;
		return -1;
	}
	if (!s->root) {
		s->root = strdup(path);
		if (!s->root || !budget_take(s, SNAP_RECORD_HEAD + strlen(path) + 1)) {
			*err = ENOMEM;
			return -1;
		}
	}
	return record_file(s, path, data, len, err);
}

static int answer_glob(const struct snap_glob *g, const char *const **paths, size_t *n,
		       int *err)
{
	if (g->err) {
		*err = g->err;
		return -1;
	}
	*paths = (const char *const *)g->paths;
	*n = g->n;
	return 0;
}

/* Copy the matches of a successful glob(3) into g, within the budget. */
static int keep_matches(struct snapshot *s, struct snap_glob *g, const glob_t *gl)
{
	size_t i, bytes = 8;

	if (gl->gl_pathc > SNAPSHOT_MAX_GLOB)
		return E2BIG;
	for (i = 0; i < gl->gl_pathc; i++)
		bytes += strlen(gl->gl_pathv[i]) + 1;
	if (!budget_take(s, bytes))
		return EFBIG;
	g->paths = calloc(gl->gl_pathc + 1, sizeof(*g->paths));
	if (!g->paths)
		return ENOMEM;
	for (g->n = 0; g->n < gl->gl_pathc; g->n++) {
		g->paths[g->n] = strdup(gl->gl_pathv[g->n]);
		if (!g->paths[g->n])
			return ENOMEM;
	}
	return 0;
}

static int record_glob(struct snapshot *s, const char *pattern, const char *const **paths,
		       size_t *n, int *err)
{
	size_t head = SNAP_RECORD_HEAD + strlen(pattern) + 1;
	struct snap_glob *g;
	glob_t gl;
	char *copy;
	int rc;

	if (!budget_take(s, head)) {
		*err = EFBIG;
		return -1;
	}
	copy = strdup(pattern);
	g = copy ? add_glob(s, copy) : NULL;
	if (!g) {
		free(copy);
		*err = ENOMEM;
		return -1;
	}
	memset(&gl, 0, sizeof(gl));
	rc = glob(pattern, 0, NULL, &gl);
	if (rc == 0)
		g->err = keep_matches(s, g, &gl);
	else if (rc == GLOB_NOSPACE)
		g->err = ENOMEM;
	else if (rc != GLOB_NOMATCH)
		g->err = EIO;
	globfree(&gl);
	if (g->err && g->paths) {
		while (g->n > 0)
			free(g->paths[--g->n]);
		free(g->paths);
		g->paths = NULL;
	}
	if (!g->err && !g->paths) {
		g->paths = calloc(1, sizeof(*g->paths));
		if (!g->paths)
			g->err = ENOMEM;
	}
	return answer_glob(g, paths, n, err);
}

int snapshot_glob(struct snapshot *s, const char *pattern, const char *const **paths,
		  size_t *n, int *err)
{
	long i = index_find(s, &s->glob_index, glob_key, pattern);

	if (i >= 0)
		return answer_glob(&s->globs[i], paths, n, err);
	if (s->blob) {
		*err = ENOENT;
		return -1;
	}
	return record_glob(s, pattern, paths, n, err);
}

/* ---- sealing -------------------------------------------------------- */

/* Buffered writer of the body; the header is written last, once the body
 * length and hash are known. */
struct snap_writer {
	int fd;
	int err;
	uint64_t hash;
	uint64_t body_len;
	size_t used;
	char buf[64 << 10];
};

static int write_all(int fd, const char *p, size_t len, off_t off)
{
	while (len > 0) {
		ssize_t r = off < 0 ? write(fd, p, len) : pwrite(fd, p, len, off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? errno : EIO;
		p += r;
		len -= (size_t)r;
		if (off >= 0)
			off += r;
	}
	return 0;
}

static void writer_flush(struct snap_writer *w)
{
	if (!w->err && w->used)
		w->err = write_all(w->fd, w->buf, w->used, -1);
	w->used = 0;
}

static void put(struct snap_writer *w, const void *data, size_t len)
{
	const char *p = data;

	w->hash = snap_hash(data, len, w->hash);
	w->body_len += len;
	while (len > 0 && !w->err) {
		size_t n = sizeof(w->buf) - w->used;

		if (n > len)
			n = len;
		memcpy(w->buf + w->used, p, n);
		w->used += n;
		p += n;
		len -= n;
		if (w->used == sizeof(w->buf))
			writer_flush(w);
	}
}

static void put_record(struct snap_writer *w, enum snap_record type, int err,
		       const char *name, size_t payload_len)
{
	uint32_t t = type, e = (uint32_t)err;
	uint64_t name_len = strlen(name) + 1, plen = payload_len;

	put(w, &t, sizeof(t));
	put(w, &e, sizeof(e));
	put(w, &name_len, sizeof(name_len));
	put(w, &plen, sizeof(plen));
	put(w, name, name_len);
}

static void put_glob(struct snap_writer *w, const struct snap_glob *g)
{
	uint64_t count = g->n;
	size_t i, plen = 0;

	if (!g->err) {
		plen = sizeof(count);
		for (i = 0; i < g->n; i++)
			plen += strlen(g->paths[i]) + 1;
	}
	put_record(w, SNAP_REC_GLOB, g->err, g->pattern, plen);
	if (g->err)
		return;
	put(w, &count, sizeof(count));
	for (i = 0; i < g->n; i++)
		put(w, g->paths[i], strlen(g->paths[i]) + 1);
}

static int write_header(int fd, uint32_t count, uint64_t body_len, uint64_t hash)
{
	char head[SNAP_HEADER];
	uint32_t version = SNAP_VERSION;

	memcpy(head, SNAP_MAGIC, 8);
	memcpy(head + 8, &version, 4);
	memcpy(head + 12, &count, 4);
	memcpy(head + 16, &body_len, 8);
	memcpy(head + 24, &hash, 8);
	return write_all(fd, head, sizeof(head), 0);
}

int snapshot_seal(const struct snapshot *s)
{
	static const char zeros[SNAP_HEADER];
	struct snap_writer *w = calloc(1, sizeof(*w));
	uint32_t count = (s->root ? 1 : 0) + (uint32_t)(s->nfiles + s->nglobs);
	int err = ENOMEM;
	size_t i;

	if (!w)
		goto fail;
	w->hash = SNAP_HASH_SEED;
	w->fd = memfd_create("keepalived-config", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (w->fd < 0) {
		err = errno;
		goto fail;
	}
	w->err = write_all(w->fd, zeros, sizeof(zeros), -1);
	if (s->root)
		put_record(w, SNAP_REC_ROOT, 0, s->root, 0);
	for (i = 0; i < s->nfiles; i++) {
		put_record(w, SNAP_REC_FILE, s->files[i].err, s->files[i].path, s->files[i].len);
		put(w, s->files[i].data, s->files[i].len);
	}
	for (i = 0; i < s->nglobs; i++)
		put_glob(w, &s->globs[i]);
	writer_flush(w);
	err = w->err;
	if (!err)
		err = write_header(w->fd, count, w->body_len, w->hash);
	if (!err && fcntl(w->fd, F_ADD_SEALS,
			  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
		err = errno;
	if (!err) {
		int fd = w->fd;

		free(w);
		return fd;
	}
fail:
	if (w && w->fd >= 0)
		close(w->fd);
	free(w);
	errno = err;
	return -1;
}

/* ---- opening a sealed snapshot -------------------------------------- */

struct snap_reader {
	char *p;
	size_t left;
};

static bool take(struct snap_reader *r, size_t n, char **out)
{
	if (n > r->left)
		return false;
	*out = r->p;
	r->p += n;
	r->left -= n;
	return true;
}

/* A fixed-size number, copied out because records are not aligned. */
static bool take_num(struct snap_reader *r, void *v, size_t size)
{
	char *p;

	if (!take(r, size, &p))
		return false;
	memcpy(v, p, size);
	return true;
}

/* A NUL-terminated string of exactly `len` bytes including its NUL. */
static bool take_string(struct snap_reader *r, uint64_t len, char **out)
{
	if (len == 0 || len > r->left || !take(r, (size_t)len, out))
		return false;
	return memchr(*out, '\0', (size_t)len) == *out + len - 1;
}

struct snap_record_view {
	uint32_t type, err;
	char *name;
	struct snap_reader payload;
};

static bool take_record(struct snap_reader *r, struct snap_record_view *v)
{
	uint64_t name_len, plen;

	if (!take_num(r, &v->type, 4) || !take_num(r, &v->err, 4) ||
	    !take_num(r, &name_len, 8) || !take_num(r, &plen, 8) ||
	    !take_string(r, name_len, &v->name) || plen > r->left)
		return false;
	v->payload.left = (size_t)plen;
	return take(r, (size_t)plen, &v->payload.p) && v->err < 4096;
}

static bool load_glob(struct snapshot *s, struct snap_record_view *v)
{
	struct snap_glob *g;
	char **paths;
	uint64_t count, i;

	if (index_find(s, &s->glob_index, glob_key, v->name) >= 0)
		return false;
	if (v->err) {
		g = add_glob(s, v->name);
		if (g)
			g->err = (int)v->err;
		return g && v->payload.left == 0;
	}
	if (!take_num(&v->payload, &count, 8) || count > SNAPSHOT_MAX_GLOB)
		return false;
	paths = calloc((size_t)count + 1, sizeof(*paths));
	if (!paths)
		return false;
	for (i = 0; i < count; i++) {
		char *end = memchr(v->payload.p, '\0', v->payload.left);

		if (!end || !take(&v->payload, (size_t)(end - v->payload.p) + 1, &paths[i]))
			break;
	}
	g = i == count && v->payload.left == 0 ? add_glob(s, v->name) : NULL;
	if (!g) {
		free(paths);
		return false;
	}
	g->paths = paths;
	g->n = (size_t)count;
	return true;
}

static bool load_file(struct snapshot *s, const struct snap_record_view *v)
{
	struct snap_file *f;

	if (index_find(s, &s->file_index, file_key, v->name) >= 0 ||
	    (v->err && v->payload.left))
		return false;
	f = add_file(s, v->name);
	if (!f)
		return false;
	f->err = (int)v->err;
	f->data = v->payload.p;
	f->len = v->payload.left;
	return true;
}

static bool load_record(struct snapshot *s, struct snap_record_view *v)
{
	switch (v->type) {
	case SNAP_REC_ROOT:
		if (s->root || v->err || v->payload.left)
			return false;
		s->root = v->name;
		return true;
	case SNAP_REC_FILE:
		return load_file(s, v);
	case SNAP_REC_GLOB:
		return load_glob(s, v);
	default:
		return false;
	}
}

static int load_snapshot(struct snapshot *s, size_t size, char *err, size_t errlen)
{
	struct snap_reader r = { s->blob + SNAP_HEADER, size - SNAP_HEADER };
	uint32_t version, count, i;
	uint64_t body_len, hash;

	memcpy(&version, s->blob + 8, 4);
	memcpy(&count, s->blob + 12, 4);
	memcpy(&body_len, s->blob + 16, 8);
	memcpy(&hash, s->blob + 24, 8);
	if (memcmp(s->blob, SNAP_MAGIC, 8) != 0 || version != SNAP_VERSION) {
		snprintf(err, errlen, "not a configuration snapshot (bad magic or version)");
		return -1;
	}
	if (body_len != r.left || snap_hash(r.p, r.left, SNAP_HASH_SEED) != hash) {
		snprintf(err, errlen, "configuration snapshot is truncated or corrupt");
		return -1;
	}
	for (i = 0; i < count; i++) {
		struct snap_record_view v;

		if (!take_record(&r, &v) || !load_record(s, &v)) {
			snprintf(err, errlen, "configuration snapshot record %u is malformed", i);
			return -1;
		}
	}
	if (r.left) {
		snprintf(err, errlen, "configuration snapshot has %zu stray bytes", r.left);
		return -1;
	}
	return 0;
}

static int read_at(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = pread(fd, buf + got, len - got, (off_t)got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? errno : EIO;
		got += (size_t)r;
	}
	return 0;
}

struct snapshot *snapshot_open_fd(int fd, char *err, size_t errlen)
{
	struct snapshot *s = NULL;
	struct stat st;
	int e;

	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "cannot stat configuration snapshot: %s", strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < SNAP_HEADER ||
	    st.st_size > (off_t)SNAP_HEADER + SNAPSHOT_MAX_TOTAL) {
		snprintf(err, errlen, "configuration snapshot has an impossible size (%lld bytes)",
			 (long long)st.st_size);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s)
		s->blob = malloc((size_t)st.st_size);
	if (!s || !s->blob) {
		snprintf(err, errlen, "out of memory reading configuration snapshot");
		goto fail;
	}
	e = read_at(fd, s->blob, (size_t)st.st_size);
	if (e) {
		snprintf(err, errlen, "cannot read configuration snapshot: %s", strerror(e));
		goto fail;
	}
	if (load_snapshot(s, (size_t)st.st_size, err, errlen) < 0)
		goto fail;
	return s;
fail:
	if (s && !s->blob) {
		free(s);
		return NULL;
	}
	snapshot_free(s);
	return NULL;
}
