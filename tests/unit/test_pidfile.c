/* Unit tests for pid files: content and mode, a second instance refused
 * with the holder's pid, hostile files refused, stale files taken over, and
 * removal only of our own file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "pidfile.h"

struct fixture {
	char dir[64];
	char path[128];
	char other[128];
	char err[256];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_pidfile.XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/keepalived.pid", f->dir);
	snprintf(f->other, sizeof(f->other), "%s/other", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	/* The tests leave at most these names behind. */
	unlink(f->path);
	rmdir(f->path);
	unlink(f->other);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void write_file(const char *path, const char *content)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
}

static void assert_content(const char *path, const char *want)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, want);
}

static void test_acquire_writes_pid(void **state)
{
	struct fixture *f = *state;
	struct pidfile pf = PIDFILE_INIT;
	struct stat st;
	mode_t old = umask(077);

	assert_int_equal(pidfile_acquire(&pf, f->path, 1234, f->err, sizeof(f->err)), 0);
	umask(old);
	assert_true(pf.fd >= 0);
	assert_content(f->path, "1234\n");
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);

	assert_int_equal(pidfile_update(&pf, 56), 0);
	assert_content(f->path, "56\n");

	pidfile_release(&pf);
	assert_int_equal(pf.fd, -1);
	assert_int_equal(access(f->path, F_OK), -1);
	assert_int_equal(errno, ENOENT);
	pidfile_release(&pf);	/* twice is harmless */
}

static void test_second_instance_refused(void **state)
{
	struct fixture *f = *state;
	struct pidfile a = PIDFILE_INIT, b = PIDFILE_INIT;

	assert_int_equal(pidfile_acquire(&a, f->path, 4242, f->err, sizeof(f->err)), 0);
	/* flock is per open file description, so a second open conflicts. */
	assert_int_equal(pidfile_acquire(&b, f->path, 99, f->err, sizeof(f->err)), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	assert_non_null(strstr(f->err, "another instance is running (pid 4242)"));
	assert_non_null(strstr(f->err, f->path));
	assert_int_equal(b.fd, -1);
	/* The loser must not have disturbed the holder's file. */
	assert_content(f->path, "4242\n");
	pidfile_release(&b);
	pidfile_release(&a);
}

/* A child forgetting its inherited copy leaves the lock and file alone. */
static void test_forget_in_child(void **state)
{
	struct fixture *f = *state;
	struct pidfile a = PIDFILE_INIT, b = PIDFILE_INIT;
	int status;
	pid_t pid;

	assert_int_equal(pidfile_acquire(&a, f->path, 777, f->err, sizeof(f->err)), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		pidfile_forget(&a);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(access(f->path, F_OK), 0);
	assert_int_equal(pidfile_acquire(&b, f->path, 1, f->err, sizeof(f->err)), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	pidfile_release(&a);
}

static void test_symlink_refused(void **state)
{
	struct fixture *f = *state;
	struct pidfile pf = PIDFILE_INIT;

	write_file(f->other, "precious\n");
	assert_int_equal(symlink(f->other, f->path), 0);
	assert_int_equal(pidfile_acquire(&pf, f->path, 1, f->err, sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "symbolic link"));
	assert_content(f->other, "precious\n");
}

static void test_hardlink_refused(void **state)
{
	struct fixture *f = *state;
	struct pidfile pf = PIDFILE_INIT;

	write_file(f->other, "precious\n");
	assert_int_equal(link(f->other, f->path), 0);
	assert_int_equal(pidfile_acquire(&pf, f->path, 1, f->err, sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "hard links"));
	assert_content(f->other, "precious\n");
}

static void test_directory_refused(void **state)
{
	struct fixture *f = *state;
	struct pidfile pf = PIDFILE_INIT;

	assert_int_equal(mkdir(f->path, 0700), 0);
	assert_int_equal(pidfile_acquire(&pf, f->path, 1, f->err, sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "directory"));
}

static void test_foreign_owner_refused(void **state)
{
	struct fixture *f = *state;
	struct pidfile pf = PIDFILE_INIT;

	if (geteuid() != 0)
		skip();		/* only root can give a file away */
	write_file(f->path, "1\n");
	assert_int_equal(chown(f->path, 12345, 12345), 0);
	assert_int_equal(pidfile_acquire(&pf, f->path, 1, f->err, sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "owned by uid 12345"));
}

static void test_stale_taken_over(void **state)
{
	struct fixture *f = *state;
	struct pidfile pf = PIDFILE_INIT;

	write_file(f->path, "999999\nleftover junk that is longer\n");
	assert_int_equal(pidfile_acquire(&pf, f->path, 321, f->err, sizeof(f->err)), 0);
	assert_content(f->path, "321\n");
	pidfile_release(&pf);
}

/* If the name now belongs to another file, release must leave it be. */
static void test_release_spares_replaced_file(void **state)
{
	struct fixture *f = *state;
	struct pidfile pf = PIDFILE_INIT;

	assert_int_equal(pidfile_acquire(&pf, f->path, 5, f->err, sizeof(f->err)), 0);
	assert_int_equal(rename(f->path, f->other), 0);
	write_file(f->path, "6\n");
	pidfile_release(&pf);
	assert_content(f->path, "6\n");
	assert_int_equal(access(f->other, F_OK), 0);
}

static void test_never_acquired(void **state)
{
	struct pidfile pf = PIDFILE_INIT;

	(void)state;
	assert_int_equal(pidfile_update(&pf, 1), -1);
	assert_int_equal(errno, EBADF);
	pidfile_forget(&pf);
	pidfile_release(&pf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_acquire_writes_pid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_instance_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forget_in_child, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hardlink_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_owner_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_taken_over, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_spares_replaced_file, setup, teardown),
		cmocka_unit_test(test_never_acquired),
	};

	return cmocka_run_group_tests_name("pidfile", tests, NULL, NULL);
}
