/* Unit tests for the run directory: created 0700, refused when it is a
 * symbolic link, writable by others or not a directory; dump files written
 * 0600 through a temporary name that replaces (never follows) a symbolic
 * link, and nothing left behind when writing fails. */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "rundir.h"

struct fixture {
	char base[64];
	char run[128];
	char err[320];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->base, sizeof(f->base), "/tmp/test_rundir.XXXXXX");
	if (!mkdtemp(f->base)) {
		free(f);
		return -1;
	}
	snprintf(f->run, sizeof(f->run), "%s/run", f->base);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->base);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static int write_hello(FILE *out, void *arg)
{
	fprintf(out, "hello %s\n", (const char *)arg);
	return 0;
}

static int fail_midway(FILE *out, void *arg)
{
	(void)arg;
	fprintf(out, "half");
	return -1;
}

static void read_file(const char *path, char *buf, size_t len)
{
	FILE *in = fopen(path, "r");
	size_t n;

	assert_non_null(in);
	n = fread(buf, 1, len - 1, in);
	buf[n] = '\0';
	fclose(in);
}

static void test_created_0700(void **state)
{
	struct fixture *f = *state;
	struct stat st;
	int fd;

	umask(022);
	fd = rundir_prepare(f->run, f->err, sizeof(f->err));
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(lstat(f->run, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0700);
	/* Again: an existing good directory is fine. */
	fd = rundir_prepare(f->run, f->err, sizeof(f->err));
	assert_true(fd >= 0);
	close(fd);
}

static void test_symlink_refused(void **state)
{
	struct fixture *f = *state;
	char target[160];

	snprintf(target, sizeof(target), "%s/real", f->base);
	assert_int_equal(mkdir(target, 0700), 0);
	assert_int_equal(symlink(target, f->run), 0);
	assert_int_equal(rundir_prepare(f->run, f->err, sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "is a symbolic link"));
}

static void test_writable_by_others_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mkdir(f->run, 0700), 0);
	assert_int_equal(chmod(f->run, 0770), 0);
	assert_int_equal(rundir_open(f->run, f->err, sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "writable by group or others (mode 0770)"));
}

static void test_file_refused(void **state)
{
	struct fixture *f = *state;
	int fd = open(f->run, O_CREAT | O_WRONLY, 0600);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(rundir_prepare(f->run, f->err, sizeof(f->err)), -1);
}

static void test_write_replaces_symlink(void **state)
{
	struct fixture *f = *state;
	char victim[160], dump[160], buf[64];
	struct stat st;
	int dirfd, fd;

	dirfd = rundir_prepare(f->run, f->err, sizeof(f->err));
	assert_true(dirfd >= 0);
	snprintf(victim, sizeof(victim), "%s/victim", f->base);
	snprintf(dump, sizeof(dump), "%s/x.data", f->run);
	fd = open(victim, O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "precious", 8), 8);
	close(fd);
	assert_int_equal(symlink(victim, dump), 0);
	assert_int_equal(rundir_write_file(dirfd, "x.data", write_hello, "world", f->err,
					   sizeof(f->err)), 0);
	read_file(victim, buf, sizeof(buf));
	assert_string_equal(buf, "precious");
	assert_int_equal(lstat(dump, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	read_file(dump, buf, sizeof(buf));
	assert_string_equal(buf, "hello world\n");
	close(dirfd);
}

static void test_failed_write_keeps_old_file(void **state)
{
	struct fixture *f = *state;
	char dump[160], buf[64], tmp[200];
	int dirfd;

	dirfd = rundir_prepare(f->run, f->err, sizeof(f->err));
	assert_true(dirfd >= 0);
	assert_int_equal(rundir_write_file(dirfd, "x.stats", write_hello, "one", f->err,
					   sizeof(f->err)), 0);
	assert_int_equal(rundir_write_file(dirfd, "x.stats", fail_midway, NULL, f->err,
					   sizeof(f->err)), -1);
	snprintf(dump, sizeof(dump), "%s/x.stats", f->run);
	read_file(dump, buf, sizeof(buf));
	assert_string_equal(buf, "hello one\n");
	snprintf(tmp, sizeof(tmp), "%s/.x.stats.%ld.tmp", f->run, (long)getpid());
	assert_int_equal(access(tmp, F_OK), -1);
	close(dirfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_created_0700, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writable_by_others_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_replaces_symlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_keeps_old_file, setup, teardown),
	};

	return cmocka_run_group_tests_name("rundir", tests, NULL, NULL);
}
