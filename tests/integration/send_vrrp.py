#!/usr/bin/python3
"""Send prepared Ethernet frames from inside a network namespace.

    ip netns exec NS /usr/bin/python3 send_vrrp.py IFACE FRAMEFILE [INTERVAL]

FRAMEFILE holds frames, each as a 2-octet big-endian length followed by the
frame (Ethernet header included), as written by vrrp_util.write_frames().
They are sent in order through an AF_PACKET socket bound to IFACE, INTERVAL
seconds apart (default 0), exactly as given: no checksum or length is fixed
up on the way, which is the point (the tests forge broken packets).
Prints the number of frames sent.  Standard library only.
"""
import socket
import struct
import sys
import time


def read_frames(path):
    with open(path, "rb") as f:
        data = f.read()
    frames, off = [], 0
    while off + 2 <= len(data):
        (n,) = struct.unpack_from("!H", data, off)
        frames.append(data[off + 2:off + 2 + n])
        off += 2 + n
    return frames


def main(argv):
    if len(argv) not in (3, 4):
        sys.stderr.write(__doc__)
        return 2
    iface, path = argv[1], argv[2]
    interval = float(argv[3]) if len(argv) == 4 else 0.0
    frames = read_frames(path)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    sent = 0
    for frame in frames:
        s.send(frame)
        sent += 1
        if interval:
            time.sleep(interval)
    s.close()
    print(sent)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
