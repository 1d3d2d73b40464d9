"""A TLS server for the SSL_GET tests: python3 tls_server.py PORT MODE_FILE
CERT KEY [CLIENT_CA].

Each connection's behaviour is the first word of MODE_FILE, as for
http_server.py (ok STATUS, slow, garbage, ...), over TLS; one more mode,
"silent", accepts the TCP connection and never answers the handshake.
With CLIENT_CA the client must present a certificate it signed.  The
server name (SNI) of every handshake is appended to MODE_FILE.sni ("-"
when the client sent none).  Prints "listening"; runs until killed."""
import ssl
import sys
import time

from http_server import serve
from rs_server import serve_forever


def handle(conn, mode_file, ctx):
    with open(mode_file) as f:
        if f.read().split()[0] == "silent":
            time.sleep(60)
            conn.close()
            return
    try:
        conn.settimeout(30)
        tls = ctx.wrap_socket(conn, server_side=True)
    except (OSError, ssl.SSLError):
        conn.close()
        return  # a refused client (no certificate, bad protocol): expected
    serve(tls, mode_file)


def main():
    port, mode_file, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    if len(sys.argv) > 5:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(sys.argv[5])

    def note_sni(sock, name, context):
        with open(mode_file + ".sni", "a") as f:
            f.write((name or "-") + "\n")

    ctx.sni_callback = note_sni
    serve_forever(port, handle, mode_file, ctx)


if __name__ == "__main__":
    main()
