/* track_file: the integer in a file, re-read whenever inotify says the
 * file was written, replaced or removed.  The watch is on the file's
 * directory, not on the file: a file replaced by rename(2) or created later
 * is a new inode that a watch on the old one would never report.
 *
 * A missing or unreadable file reads as 0; so does one whose text starts
 * with no number.  A number beyond an int is ignored (the old value stays).
 * Files are small and local: reading one in the loop does not stall it, and
 * O_NONBLOCK keeps a FIFO put in its place from doing so. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "ptr_array.h"
#include "vrrp_rt.h"

/* Writes that end (close after writing), renames over the file, removals.
 * Not IN_MODIFY: `echo 5 > f` truncates first, and reading between the
 * truncation and the write would see a false 0. */
#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ONLYDIR)
#define VALUE_TEXT_MAX 128

struct tfile {
	const struct vrrp_track_file_conf *conf;
	const char *base;		/* the name within its directory */
	int wd;				/* inotify watch on the directory, -1 */
	int value;
};

struct vrrp_tfiles {
	struct vrrp_rt *rt;
	int fd;				/* inotify, -1 */
	struct tfile **files;
	size_t n;
};

/* The value now in the file; false when it must be ignored. */
static bool read_value(const struct tfile *f, int *out)
{
	char buf[VALUE_TEXT_MAX];
	struct stat st;
	ssize_t len;
	int fd = open(f->conf->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	*out = 0;
	if (fd < 0)
		return true;	/* missing or unreadable: 0 */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		log_warn("Track_file(%s): %s is not a regular file; read as 0", f->conf->name,
			 f->conf->path);
		close(fd);
		return true;
	}
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return true;
	buf[len] = '\0';
	if (track_file_parse(buf, out))
		return true;
	log_warn("Track_file(%s): the number in %s does not fit an int; ignored", f->conf->name,
		 f->conf->path);
	return false;
}

/* Re-read one file; `quiet` at start, where the first value is not news. */
static bool refresh(struct tfile *f, bool quiet)
{
	int v;

	if (!read_value(f, &v) || v == f->value)
		return false;
	if (!quiet)
		log_info("Track_file(%s) value %d -> %d", f->conf->name, f->value, v);
	f->value = v;
	return true;
}

static void on_events(struct ev_loop *loop, int fd, uint32_t events, void *arg);

/* init_file: write the initial value when the file is missing, or always
 * with overwrite.  Done once per tracker, not on a reload that keeps it. */
static void init_file(const struct vrrp_track_file_conf *c)
{
	int fd, flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY;

	if (!c->init_file)
		return;
	flags |= c->init_overwrite ? O_TRUNC : O_EXCL;
	fd = open(c->path, flags, 0644);
	if (fd < 0) {
		if (errno != EEXIST)
			log_warn("Track_file(%s): cannot initialise %s", c->name, c->path);
		return;
	}
	if (dprintf(fd, "%d\n", c->init_value) < 0)
		log_warn("Track_file(%s): cannot write %s", c->name, c->path);
	close(fd);
}

static void watch(struct vrrp_tfiles *t, struct tfile *f)
{
	const char *slash = strrchr(f->conf->path, '/');
	char *dir;

	f->base = slash ? slash + 1 : f->conf->path;
	f->wd = -1;
	if (t->fd < 0)
		return;
	dir = slash ? strndup(f->conf->path, slash == f->conf->path ? 1 : (size_t)(slash -
			      f->conf->path)) : strdup(".");
	if (!dir)
		return;
	f->wd = inotify_add_watch(t->fd, dir, WATCH_MASK);
	if (f->wd < 0)
		log_warn("Track_file(%s): cannot watch directory %s; changes to %s will not be "
			 "seen", f->conf->name, dir, f->conf->path);
	free(dir);
}

static bool conf_same(const struct vrrp_track_file_conf *a, const struct vrrp_track_file_conf *b)
{
	return strcmp(a->name, b->name) == 0 && strcmp(a->path, b->path) == 0 &&
	       a->weight == b->weight && a->reverse == b->reverse &&
	       a->init_file == b->init_file && a->init_value == b->init_value &&
	       a->init_overwrite == b->init_overwrite;
}

/* A tracker of the old set with the same configuration, taken out of it. */
static struct tfile *take_old(struct vrrp_tfiles *old, const struct vrrp_track_file_conf *c)
{
	for (size_t i = 0; old && i < old->n; i++) {
		struct tfile *f = old->files[i];

		if (f && conf_same(f->conf, c)) {
			old->files[i] = NULL;
			return f;
		}
	}
	return NULL;
}

static struct vrrp_tfiles *tfiles_new(struct vrrp_rt *rt)
{
	struct vrrp_tfiles *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->rt = rt;
	t->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (t->fd < 0)
		log_warn("track_file: inotify; file changes will not be seen");
	else if (ev_io_add(rt->loop, t->fd, EPOLLIN, on_events, t) < 0) {
		log_warn("track_file: cannot watch the inotify descriptor");
		close(t->fd);
		t->fd = -1;
	}
	return t;
}

static void tfiles_release(struct vrrp_rt *rt, struct vrrp_tfiles *t)
{
	if (!t)
		return;
	if (t->fd >= 0) {
		ev_io_del(rt->loop, t->fd);
		close(t->fd);
	}
	for (size_t i = 0; i < t->n; i++)
		free(t->files[i]);
	free(t->files);
	free(t);
}

/* A fresh inotify descriptor each time: watches of removed files go with
 * the old one, and re-adding those of kept files costs a few syscalls. */
int vrrp_tfiles_apply(struct vrrp_rt *rt)
{
	struct vrrp_tfiles *old = rt->tfiles, *t = NULL;
	const struct vrrp_conf *conf = rt->conf;
	int r = 0;

	rt->tfiles = NULL;
	if (conf->n_track_files && !(t = tfiles_new(rt)))
		r = -1;
	for (size_t i = 0; t && i < conf->n_track_files; i++) {
		const struct vrrp_track_file_conf *c = &conf->track_files[i];
		struct tfile *f = take_old(old, c);
		bool fresh = !f;

		if (fresh && (f = calloc(1, sizeof(*f))) != NULL)
			init_file(c);
		if (!f || ptr_array_push(&t->files, &t->n, f) < 0) {
			free(f);
			r = -1;
			break;
		}
		f->conf = c;
		watch(t, f);
		refresh(f, fresh);
		if (fresh)
			log_info("Track_file(%s) value %d (%s)", c->name, f->value, c->path);
	}
	tfiles_release(rt, old);
	rt->tfiles = t;
	return r;
}

static void on_file_event(struct vrrp_tfiles *t, const struct inotify_event *ev, bool *changed)
{
	for (size_t i = 0; i < t->n; i++) {
		struct tfile *f = t->files[i];

		if (f->wd != ev->wd)
			continue;
		if (ev->mask & IN_IGNORED) {
			log_warn("Track_file(%s): the directory of %s is gone; changes will not be "
				 "seen", f->conf->name, f->conf->path);
			f->wd = -1;
		} else if (ev->len && strcmp(ev->name, f->base) == 0) {
			*changed |= refresh(f, false);
		}
	}
}

static void on_events(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct vrrp_tfiles *t = arg;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false;
	ssize_t len;

	(void)loop;
	(void)events;
	while ((len = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + len;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			if (ev->mask & IN_Q_OVERFLOW) {
				for (size_t i = 0; i < t->n; i++)
					changed |= refresh(t->files[i], false);
			} else {
				on_file_event(t, ev, &changed);
			}
			p += sizeof(*ev) + ev->len;
		}
	}
	if (len < 0 && errno != EAGAIN && errno != EINTR)
		log_warn("track_file: reading inotify events");
	if (changed)
		vrrp_track_update_all(t->rt);
}

bool vrrp_tfile_effect(struct vrrp_rt *rt, const struct track_ref_conf *ref,
		       struct track_effect *e)
{
	for (size_t i = 0; rt->tfiles && i < rt->tfiles->n; i++) {
		const struct tfile *f = rt->tfiles->files[i];

		if (strcmp(f->conf->name, ref->name) != 0)
			continue;
		*e = ref->w.has_weight ? track_file_effect(f->value, ref->w.weight, ref->reverse)
				       : track_file_effect(f->value, f->conf->weight,
							   f->conf->reverse);
		return true;
	}
	return false;
}

void vrrp_tfiles_free(struct vrrp_rt *rt)
{
	tfiles_release(rt, rt->tfiles);
	rt->tfiles = NULL;
}
