#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl_msg.h"

static int send_msg(int sock, const struct ctl_msg *m, int fd, int flags)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctrl;
	struct iovec iov = { .iov_base = (void *)(uintptr_t)m, .iov_len = sizeof(*m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		struct cmsghdr *cm;

		memset(&ctrl, 0, sizeof(ctrl));
		mh.msg_control = ctrl.buf;
		mh.msg_controllen = sizeof(ctrl.buf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	if (sendmsg(sock, &mh, MSG_NOSIGNAL | flags) != (ssize_t)sizeof(*m))
		return -1;
	return 0;
}

int ctl_send(int sock, const struct ctl_msg *m, int fd)
{
	return send_msg(sock, m, fd, 0);
}

int ctl_send_nowait(int sock, const struct ctl_msg *m, int fd)
{
	return send_msg(sock, m, fd, MSG_DONTWAIT);
}

/* Take every descriptor out of the control data: keep the first, close any
 * other so a confused peer cannot leak descriptors into us. */
static int take_fds(struct msghdr *mh)
{
	int kept = -1;

	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		size_t n;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (kept < 0)
				kept = fd;
			else
				close(fd);
		}
	}
	return kept;
}

int ctl_recv(int sock, struct ctl_msg *m, int *fd)
{
	union {
		char buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} ctrl;
	struct iovec iov = { .iov_base = m, .iov_len = sizeof(*m) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctrl.buf, .msg_controllen = sizeof(ctrl.buf),
	};
	ssize_t n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);

	*fd = -1;
	if (n < 0)
		return -1;
	if (n == 0)
		return 0;
	*fd = take_fds(&mh);
	if ((size_t)n != sizeof(*m) || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		errno = EPROTO;
		return -1;
	}
	m->name[CTL_NAME_MAX - 1] = '\0';
	return 1;
}

int ctl_blob_fd(const char *data, size_t len)
{
	int fd = memfd_create("keepalived-report", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	return fd;
}

int ctl_blob_read(int fd, size_t max, char **data, size_t *len)
{
	struct stat st;
	size_t size, done = 0;
	char *buf;

	if (fstat(fd, &st) < 0)
		return -1;
	if (st.st_size < 0 || (uint64_t)st.st_size > max) {
		errno = EFBIG;
		return -1;
	}
	size = (size_t)st.st_size;
	buf = malloc(size + 1);
	if (!buf)
		return -1;
	while (done < size) {
		ssize_t n = pread(fd, buf + done, size - done, (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			errno = n == 0 ? EPROTO : errno;
			return -1;
		}
		done += (size_t)n;
	}
	buf[size] = '\0';
	*data = buf;
	*len = size;
	return 0;
}
