"""A real server for the checker tests: listens on PORT, greets every
connection with its NAME, then echoes lines until the client closes.
Runs until killed."""
import socket
import sys
import threading


def serve(conn, name):
    with conn:
        conn.sendall(("%s\n" % name).encode())
        f = conn.makefile("rb")
        for line in f:
            conn.sendall(line)


def serve_forever(port, handler, *args):
    """Accept connections on `port` forever, each handled by
    handler(conn, *args) in its own thread; "listening" tells the test it
    may connect."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(64)
    print("listening", flush=True)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=handler, args=(conn,) + args, daemon=True).start()


def main():
    name, port = sys.argv[1], int(sys.argv[2])
    serve_forever(port, serve, name)


if __name__ == "__main__":
    main()
