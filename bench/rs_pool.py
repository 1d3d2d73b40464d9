#!/usr/bin/python3
"""Many real servers in one process, for the checker benchmark: a listening
TCP socket on ADDR:PORT for every PORT in FIRST..FIRST+COUNT-1; every
connection is accepted and closed at once (a TCP_CHECK only connects).
Commands on stdin, one a line, each answered "ok": "down PORT" closes that
listener (connections are then refused), "up PORT" opens it again.  Prints
"listening" once every socket listens."""
import resource
import selectors
import socket
import sys


def listen(addr, port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(128)
    s.setblocking(False)
    return s


def enough_descriptors(count):
    """One descriptor per listener plus a few: 1,000 x 10 real servers need
    10,000, beyond the usual limit of 1,024 (root may raise it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = count + 64
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, max(hard, want)))


def main():
    addr, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    enough_descriptors(count)
    sel = selectors.DefaultSelector()
    socks = {}

    def up(port):
        socks[port] = listen(addr, port)
        sel.register(socks[port], selectors.EVENT_READ, port)

    for port in range(first, first + count):
        up(port)
    sel.register(sys.stdin, selectors.EVENT_READ, None)
    print("listening", flush=True)
    while True:
        for key, _ in sel.select():
            if key.data is not None:
                try:
                    conn, _ = key.fileobj.accept()
                    conn.close()
                except BlockingIOError:
                    pass
                continue
            line = sys.stdin.readline()
            if not line:
                return
            cmd, port = line.split()
            port = int(port)
            if cmd == "down" and port in socks:
                sel.unregister(socks[port])
                socks.pop(port).close()
            elif cmd == "up" and port not in socks:
                up(port)
            print("ok", flush=True)


if __name__ == "__main__":
    main()
