/* Netlink requests answered by the kernel, shared by rtnetlink
 * (lib/nl_route.c) and generic netlink IPVS (ipvs/ipvs_nl.c).
 *
 * libnl builds the requests and owns the sockets; the answers are read here
 * rather than by libnl, so that kernel errors reach callers as real errno
 * values (libnl's translation folds ESRCH, ENOENT and others together) and
 * datagrams not sent by the kernel are dropped (BI-N04). */
#ifndef KA_NL_TXN_H
#define KA_NL_TXN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/netlink.h>

struct nl_sock;
struct nl_msg;

/* A growable array of `elem`-byte items.  Start it zeroed with `elem` set;
 * the owner frees `items`. */
struct nl_vec {
	void *items;
	size_t n, cap, elem;
};

/* Append a copy of *item.  0 or -ENOMEM (v unchanged). */
int nl_vec_push(struct nl_vec *v, const void *item);

/* The i-th item; i < v->n. */
void *nl_vec_at(const struct nl_vec *v, size_t i);

/* A receive buffer, grown to the largest datagram seen.  Start it zeroed;
 * the owner frees `data`. */
struct nl_buf {
	uint8_t *data;
	size_t size;
};

/* Receive one whole datagram from fd into b, growing b as needed, and its
 * sender into *from; from->nl_pid is 0 only for the kernel (a sender that
 * is not a netlink address reads as UINT32_MAX).  The datagram's length, or
 * -errno (-EAGAIN: nothing waiting on a non-blocking socket, or the
 * SO_RCVTIMEO timeout expired). */
ssize_t nl_recv_datagram(int fd, struct nl_buf *b, struct sockaddr_nl *from);

/* Bound how long nl_txn waits for each datagram of an answer, so that an
 * answer that never comes cannot hang the caller.  0 or -errno. */
int nl_txn_timeout(struct nl_sock *sk, int seconds);

/* Called for each data message of an answer; non-zero (-errno) is kept as
 * the first failure, and later messages are no longer passed. */
typedef int nl_txn_fn(struct nlmsghdr *h, void *arg);

/* Complete msg on sk (our port id, a fresh sequence number, NLM_F_ACK),
 * send it and read the answer into buf up to its ack, error or end of dump.
 * Each data message whose type is `type` (any type when 0) goes to fn, which
 * may be NULL.  Datagrams from anyone but the kernel and messages carrying
 * another sequence number (late answers to requests abandoned after a
 * timeout) are skipped; the whole answer is read even after fn fails, so
 * none of it stays queued for the next request.
 *
 * Returns 0; the kernel's -errno (-EOVERFLOW for NLMSG_OVERRUN); a local
 * -errno (-ETIMEDOUT when an answer stops coming, see nl_txn_timeout); fn's
 * first failure; or -EINTR when the kernel flagged a dump as interrupted
 * (the table changed while it was read: the caller reads it again). */
int nl_txn(struct nl_sock *sk, struct nl_buf *buf, struct nl_msg *msg, uint16_t type,
	   nl_txn_fn *fn, void *arg);

#endif
