/* Netlink requests answered by the kernel (see nl_txn.h). */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "log.h"
#include "nl_txn.h"

/* A buffer that has to grow starts at this size, so that the usual answers
 * never need a second realloc. */
#define NL_BUF_MIN 32768

int nl_vec_push(struct nl_vec *v, const void *item)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *grown = realloc(v->items, cap * v->elem);

		if (grown == NULL)
			return -ENOMEM;
		v->items = grown;
		v->cap = cap;
	}
	memcpy(nl_vec_at(v, v->n), item, v->elem);
	v->n++;
	return 0;
}

void *nl_vec_at(const struct nl_vec *v, size_t i)
{
	return (uint8_t *)v->items + i * v->elem;
}

static int buf_reserve(struct nl_buf *b, size_t n)
{
	uint8_t *grown;

	if (n <= b->size)
		return 0;
	if (n < NL_BUF_MIN)
		n = NL_BUF_MIN;
	grown = realloc(b->data, n);
	if (grown == NULL)
		return -ENOMEM;
	b->data = grown;
	b->size = n;
	return 0;
}

ssize_t nl_recv_datagram(int fd, struct nl_buf *b, struct sockaddr_nl *from)
{
	struct iovec iov;
	struct msghdr mh;
	ssize_t n;

	/* Peek at the real size first: a datagram cut to fit would lose the
	 * messages at its end. */
	do
		n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (buf_reserve(b, (size_t)n) < 0)
		return -ENOMEM;
	iov.iov_base = b->data;
	iov.iov_len = b->size;
	memset(&mh, 0, sizeof(mh));
	memset(from, 0, sizeof(*from));
	mh.msg_name = from;
	mh.msg_namelen = sizeof(*from);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	do
		n = recvmsg(fd, &mh, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (mh.msg_namelen != sizeof(*from) || from->nl_family != AF_NETLINK)
		from->nl_pid = UINT32_MAX;	/* not from the kernel */
	return n;
}

int nl_txn_timeout(struct nl_sock *sk, int seconds)
{
	struct timeval tv = { .tv_sec = seconds };

	if (setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return -errno;
	return 0;
}

/* The answer to one request, as read so far. */
struct reply {
	uint32_t seq;
	uint16_t type;
	nl_txn_fn *fn;
	void *arg;
	bool done;
	bool intr;		/* NLM_F_DUMP_INTR seen */
	int err;		/* the kernel's answer */
	int fn_err;		/* first failure of fn */
};

/* The error code of an NLMSG_ERROR (0 for an ack) or NLMSG_DONE. */
static int reply_errno(struct nlmsghdr *h)
{
	const struct nlmsgerr *e = nlmsg_data(h);
	int done_err;

	if (h->nlmsg_type == NLMSG_DONE) {
		/* An optional int; memcpy, as nothing promises its alignment. */
		if (nlmsg_datalen(h) < (int)sizeof(done_err))
			return 0;
		memcpy(&done_err, nlmsg_data(h), sizeof(done_err));
		return done_err < 0 ? done_err : 0;
	}
	if (nlmsg_datalen(h) < (int)sizeof(*e) || e->error > 0)
		return -EPROTO;
	return e->error;
}

/* Ends the answer on an error, ack, end of dump or overrun. */
static void reply_control(struct reply *r, struct nlmsghdr *h)
{
	r->err = h->nlmsg_type == NLMSG_OVERRUN ? -EOVERFLOW : reply_errno(h);
	r->done = true;
}

static void reply_datagram(struct reply *r, uint8_t *data, int len)
{
	struct nlmsghdr *h;
	int rem = len;

	for (h = (struct nlmsghdr *)data; nlmsg_ok(h, rem); h = nlmsg_next(h, &rem)) {
		if (h->nlmsg_seq != r->seq)
			continue;
		if (h->nlmsg_flags & NLM_F_DUMP_INTR)
			r->intr = true;
		switch (h->nlmsg_type) {
		case NLMSG_NOOP:
			break;
		case NLMSG_ERROR:
		case NLMSG_DONE:
		case NLMSG_OVERRUN:
			reply_control(r, h);
			return;
		default:
			if (r->fn != NULL && r->fn_err == 0 &&
			    (r->type == 0 || h->nlmsg_type == r->type))
				r->fn_err = r->fn(h, r->arg);
			break;
		}
	}
}

int nl_txn(struct nl_sock *sk, struct nl_buf *buf, struct nl_msg *msg, uint16_t type,
	   nl_txn_fn *fn, void *arg)
{
	struct nlmsghdr *req = nlmsg_hdr(msg);
	struct reply r = { .type = type, .fn = fn, .arg = arg };
	int fd = nl_socket_get_fd(sk);
	struct sockaddr_nl from;
	ssize_t n;

	nl_complete_msg(sk, msg);
	r.seq = req->nlmsg_seq;
	if (send(fd, req, req->nlmsg_len, 0) < 0)
		return -errno;
	while (!r.done) {
		n = nl_recv_datagram(fd, buf, &from);
		if (n < 0)
			return n == -EAGAIN ? -ETIMEDOUT : (int)n;
		if (from.nl_pid != 0) {
			log_debug("netlink: dropped a reply from port %u, not the kernel",
				  from.nl_pid);
			continue;
		}
		reply_datagram(&r, buf->data, (int)n);
	}
	if (r.err != 0)
		return r.err;
	if (r.fn_err != 0)
		return r.fn_err;
	return r.intr ? -EINTR : 0;
}
