"""A real SMTP server for Loket's tests (aiosmtpd), storing what it accepts in a Maildir.

Usage: smtp_sink.py PORT MAILDIR [--delay-first SECONDS] [--auth USER:PASS] [--tls CERT KEY]

--delay-first holds the first DATA this long before answering, so a test can kill the client
mid-delivery. A message counts as delivered only when the server answered 250; if the client
went away first, nothing is stored (as with any real server).
"""
import argparse
import asyncio
import mailbox
import os
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, maildir, delay_first):
        self.box = mailbox.Maildir(maildir, create=True)
        self.maildir = maildir
        self.delay_first = delay_first
        self.seen = 0

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.seen == 1 and self.delay_first > 0:
            open(os.path.join(self.maildir, "data-started"), "w").write("1")
            await asyncio.sleep(self.delay_first)
            if session.transport is None or session.transport.is_closing():
                return "421 client went away"
        rcpt = ", ".join(envelope.rcpt_tos)
        head = f"X-Sink-Mail-From: {envelope.mail_from}\r\nX-Sink-Rcpt-To: {rcpt}\r\n".encode()
        self.box.add(head + envelope.original_content)
        return "250 OK stored"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("port", type=int)
    p.add_argument("maildir")
    p.add_argument("--delay-first", type=float, default=0)
    p.add_argument("--auth")
    p.add_argument("--tls", nargs=2)
    a = p.parse_args()
    kwargs = {}
    if a.auth:
        user, password = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
            # handled=False: let aiosmtpd answer 535 itself on failure.
            return AuthResult(success=ok, handled=False)

        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=bool(a.tls))
    if a.tls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tls[0], a.tls[1])
        kwargs.update(tls_context=ctx, require_starttls=True)
    controller = Controller(Sink(a.maildir, a.delay_first), hostname="127.0.0.1", port=a.port, **kwargs)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()  # runs until the test closes our stdin or kills us
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
