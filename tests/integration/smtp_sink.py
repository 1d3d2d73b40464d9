"""An SMTP server for the e-mail alert tests, run inside a test namespace.

    smtp_sink.py serve DIR HOST PORT   aiosmtpd (Debian's python3-aiosmtpd):
        every message accepted is written to DIR/NNNN.json as
        {"peer", "helo", "esmtp", "mail_from", "rcpt_tos", "data"};
        recipients whose local part is "refused" get a 550, to test a
        partly refused envelope.
    smtp_sink.py old DIR HOST PORT     the same, but EHLO gets a 502, as
        from a server that only knows HELO.
    smtp_sink.py hang DIR HOST PORT    accepts TCP connections and never
        says a word; each accepted peer address is appended to DIR/hung.

Prints "listening" once ready; runs until killed."""
import json
import os
import socket
import sys
import threading
import time


class Recorder:
    def __init__(self, directory, refuse_ehlo):
        self.directory = directory
        self.refuse_ehlo = refuse_ehlo
        self.count = 0
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        if self.refuse_ehlo:
            return ["502 5.5.1 EHLO not implemented"]
        session.host_name = hostname  # this hook's job in aiosmtpd's API
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0] == "refused":
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            name = os.path.join(self.directory, "%04d.json" % self.count)
        record = {"peer": session.peer[0], "helo": session.host_name,
                  "esmtp": session.extended_smtp, "mail_from": envelope.mail_from,
                  "rcpt_tos": envelope.rcpt_tos,
                  "data": envelope.original_content.decode("utf-8", "replace")}
        # Written aside then renamed: a reader never sees half a message.
        with open(name + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(name + ".tmp", name)
        return "250 2.0.0 stored"


def serve(directory, host, port, refuse_ehlo=False):
    from aiosmtpd.controller import Controller

    controller = Controller(Recorder(directory, refuse_ehlo), hostname=host, port=port)
    controller.start()
    print("listening", flush=True)
    while True:
        time.sleep(3600)


def hang(directory, host, port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(64)
    held = []
    print("listening", flush=True)
    while True:
        conn, peer = s.accept()
        held.append(conn)  # kept open, silent, until we are killed
        with open(os.path.join(directory, "hung"), "a") as f:
            f.write(peer[0] + "\n")


if __name__ == "__main__":
    mode, directory, host, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    if mode == "old":
        serve(directory, host, port, refuse_ehlo=True)
    else:
        {"serve": serve, "hang": hang}[mode](directory, host, port)
