"""Minimal generic netlink helpers for the IPVS integration tests.

Standard library only: the tests also run inside the throwaway VM of
tests/vm/run.sh, where nothing beyond the host's python3 is guaranteed.

Generic netlink families (IPVS registers one named "IPVS") get their
numeric ids at registration time; the controller family (fixed id 0x10)
maps names to ids.  We ask it with CTRL_CMD_GETFAMILY.
"""

import errno
import os
import socket
import struct
import subprocess

NETLINK_GENERIC = 16

# netlink message header flags and types (linux/netlink.h)
NLM_F_REQUEST = 0x1
NLMSG_ERROR = 0x2
NLMSG_DONE = 0x3

# generic netlink controller (linux/genetlink.h)
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2

IPVS_GENL_NAME = "IPVS"

# Family names are at most GENL_NAMSIZ - 1 bytes; the kernel answers a
# longer one with EINVAL, though no family can be registered under it.
GENL_NAMSIZ = 16

_NLMSGHDR = struct.Struct("=IHHII")  # len, type, flags, seq, pid
_GENLMSGHDR = struct.Struct("=BBH")  # cmd, version, reserved
_NLATTR = struct.Struct("=HH")  # len, type


def _align4(n):
    return (n + 3) & ~3


def _nlattr(atype, payload):
    attr = _NLATTR.pack(_NLATTR.size + len(payload), atype) + payload
    return attr + b"\0" * (_align4(len(attr)) - len(attr))


def _parse_attrs(data):
    """Yield (type, payload) for each netlink attribute in data."""
    off = 0
    while off + _NLATTR.size <= len(data):
        alen, atype = _NLATTR.unpack_from(data, off)
        if alen < _NLATTR.size or off + alen > len(data):
            break
        # Strip NLA_F_NESTED / NLA_F_NET_BYTEORDER from the type.
        yield atype & 0x3FFF, data[off + _NLATTR.size:off + alen]
        off += _align4(alen)


def genl_family_id(name, timeout=5.0):
    """Return the generic netlink family id registered as `name`.

    Returns None when the kernel has no such family (ENOENT); other
    netlink errors raise OSError.
    """
    if len(name.encode()) >= GENL_NAMSIZ:
        return None
    payload = _GENLMSGHDR.pack(CTRL_CMD_GETFAMILY, 1, 0)
    payload += _nlattr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0")
    seq = 1
    msg = _NLMSGHDR.pack(_NLMSGHDR.size + len(payload), GENL_ID_CTRL,
                         NLM_F_REQUEST, seq, 0) + payload

    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                       NETLINK_GENERIC) as sock:
        sock.settimeout(timeout)
        sock.bind((0, 0))
        sock.send(msg)
        while True:
            data = sock.recv(65536)
            off = 0
            while off + _NLMSGHDR.size <= len(data):
                mlen, mtype, _flags, mseq, _pid = _NLMSGHDR.unpack_from(
                    data, off)
                if mlen < _NLMSGHDR.size or off + mlen > len(data):
                    raise OSError(errno.EBADMSG,
                                  "truncated netlink message from kernel")
                body = data[off + _NLMSGHDR.size:off + mlen]
                off += _align4(mlen)
                if mseq != seq:
                    continue  # not an answer to our request
                if mtype == NLMSG_ERROR:
                    (err,) = struct.unpack_from("=i", body)
                    if err == 0:
                        continue  # an ack; the answer proper comes apart
                    if -err == errno.ENOENT:
                        return None
                    raise OSError(-err, "CTRL_CMD_GETFAMILY %r: %s"
                                  % (name, os.strerror(-err)))
                if mtype == NLMSG_DONE:
                    return None
                if mtype != GENL_ID_CTRL:
                    continue
                for atype, value in _parse_attrs(body[_GENLMSGHDR.size:]):
                    if atype == CTRL_ATTR_FAMILY_ID:
                        return struct.unpack_from("=H", value)[0]
                raise OSError(errno.EBADMSG,
                              "controller reply for %r has no family id"
                              % name)


def load_ipvs():
    """Load the ip_vs module and return the IPVS generic netlink family id.

    Raises RuntimeError with an explanation when the kernel has no IPVS.
    """
    kernel = os.uname().release
    try:
        proc = subprocess.run(["modprobe", "ip_vs"], capture_output=True,
                              text=True, check=False)
    except FileNotFoundError:
        proc = None
    if proc is not None and proc.returncode != 0 \
            and not os.path.exists("/proc/net/ip_vs"):
        raise RuntimeError(
            "modprobe ip_vs failed on kernel %s: %s -- this kernel lacks "
            "IPVS; run the tests through tests/vm/run.sh"
            % (kernel, (proc.stderr or proc.stdout).strip() or
               "exit %d" % proc.returncode))
    family = genl_family_id(IPVS_GENL_NAME)
    if family is None:
        raise RuntimeError(
            "generic netlink family %r not registered on kernel %s although "
            "modprobe ip_vs %s -- this kernel lacks IPVS; run the tests "
            "through tests/vm/run.sh"
            % (IPVS_GENL_NAME, kernel,
               "was not found" if proc is None else "succeeded"))
    return family
