"""`flask mail lmtp`: a long-running LMTP server the MTA delivers to (Postfix: lmtp:inet:host:port).

Each message is stored, then processed, as by `flask mail receive`, in the one app started for
the server. LMTP answers once per recipient: 250 stored, 451 not stored (the MTA retries), 554 no
message (it bounces). One message is one row whatever its recipients, so they all get one answer."""

from __future__ import annotations

import asyncio

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP

from .receiving import EX_DATAERR, receive_one

REPLIES = {0: "250 2.0.0 Stored", EX_DATAERR: "554 5.6.0 Empty message"}
TEMPORARY = "451 4.3.0 Could not store the message, try again later"
MAX_SIZE = 50 * 1024 * 1024


class InboxHandler:
    def __init__(self, app):
        self.app = app

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or b""
        recipients = list(envelope.rcpt_tos)
        try:
            with self.app.app_context():
                outcome = receive_one(raw, recipients)
        except Exception:  # noqa: BLE001 - nothing stored for sure: the MTA keeps it
            self.app.logger.exception("LMTP delivery failed")
            reply = TEMPORARY
        else:
            reply = REPLIES.get(outcome.code, TEMPORARY)
        return "\r\n".join([reply] * max(1, len(recipients)))


class LMTPController(Controller):
    def factory(self):
        return LMTP(self.handler, data_size_limit=MAX_SIZE, enable_SMTPUTF8=True)


def controller(app, host: str, port: int) -> LMTPController:
    """A server not yet started (start() / stop()): for tests and `serve`."""
    return LMTPController(InboxHandler(app), hostname=host, port=port)


def serve(app, host: str, port: int) -> None:
    """Run until interrupted."""
    server = controller(app, host, port)
    server.start()
    try:
        asyncio.run(_forever())
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


async def _forever() -> None:
    await asyncio.Event().wait()
