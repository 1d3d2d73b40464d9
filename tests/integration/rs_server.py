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


def main():
    name, port = sys.argv[1], int(sys.argv[2])
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(64)
    print("listening", flush=True)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn, name), daemon=True).start()


if __name__ == "__main__":
    main()
