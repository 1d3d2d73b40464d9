"""An HTTP server for the HTTP_GET checker tests: python3 http_server.py
PORT MODE_FILE.

Every request is answered according to the first word of MODE_FILE, read
anew for each connection, so a test changes the server's behaviour by
rewriting that file:

    ok STATUS         "HTTP/1.0 STATUS", body: the file MODE_FILE.body
    slow              a valid response, sent one byte per second
    endless-headers   a status line, then header lines forever
    garbage           bytes that are not HTTP
    huge-status-line  a status line that never ends

Each request's head (request line and headers) is appended to
MODE_FILE.requests, followed by an empty line.

Prints "listening" once it accepts connections; runs until killed."""
import sys
import time

from rs_server import serve_forever


def body(mode_file):
    with open(mode_file + ".body", "rb") as f:
        return f.read()


def response(status, data):
    head = "HTTP/1.0 %d X\r\nContent-Length: %d\r\n\r\n" % (status, len(data))
    return head.encode() + data


def hostile(conn, mode, mode_file):
    if mode == "slow":
        for b in response(200, body(mode_file)):
            conn.sendall(bytes([b]))
            time.sleep(1)
    elif mode == "endless-headers":
        conn.sendall(b"HTTP/1.0 200 OK\r\n")
        while True:
            conn.sendall(b"X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n")
            time.sleep(0.01)
    elif mode == "garbage":
        conn.sendall(b"\x00\xffGARBAGE not http at all\r\n\r\n")
    elif mode == "huge-status-line":
        conn.sendall(b"HTTP/1.0 200 ")
        while True:
            conn.sendall(b"y" * 4096)
            time.sleep(0.01)


def serve(conn, mode_file):
    with conn:
        try:
            conn.settimeout(30)
            req = b""
            while b"\r\n\r\n" not in req:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                req += chunk
            with open(mode_file + ".requests", "ab") as f:
                f.write(req.split(b"\r\n\r\n")[0] + b"\r\n\r\n")
            with open(mode_file) as f:
                words = f.read().split()
            if words[0] == "ok":
                conn.sendall(response(int(words[1]), body(mode_file)))
            else:
                hostile(conn, words[0], mode_file)
        except OSError:
            pass  # the checker gave up on us: expected in the hostile modes


def main():
    serve_forever(int(sys.argv[1]), serve, sys.argv[2])


if __name__ == "__main__":
    main()
