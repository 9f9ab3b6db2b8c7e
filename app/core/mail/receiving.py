"""One incoming message from the MTA, by pipe or LMTP: store the bytes, then process them.

Whatever happens after the commit of the raw bytes, the message is safe: a failure to process it
leaves it `new` (a redelivery or the jobs worker processes it) or puts it in the holding pen."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ...extensions import db
from . import inbox

log = logging.getLogger(__name__)

EX_DATAERR = 65  # sysexits.h: the input is wrong; the MTA bounces it instead of retrying
EX_TEMPFAIL = 75  # sysexits.h: the MTA keeps the message and tries again


@dataclass(frozen=True)
class Outcome:
    code: int  # 0 stored (processed or held), EX_DATAERR or EX_TEMPFAIL
    message: str  # for the MTA's log (not shown to anyone else)
    inbox_id: int | None = None


def receive_one(raw: bytes, recipients: list[str] | None = None) -> Outcome:
    """Store and process one message; commits."""
    if not raw or not raw.strip():
        return Outcome(EX_DATAERR, "Empty message: nothing to store.")
    try:
        row, created = inbox.store_raw(raw, recipients)
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 - tell the MTA to retry rather than lose it
        db.session.rollback()
        log.exception("storing incoming mail failed")
        return Outcome(EX_TEMPFAIL, f"Could not store the message: {exc}")
    inbox_id = row.id
    if not created and row.status != "new":
        return Outcome(0, f"Already stored as {inbox_id}; nothing to do.", inbox_id)
    # New, or stored by a delivery that was interrupted before it was processed.
    try:
        status = inbox.dispatch(row)
    except Exception:  # noqa: BLE001 - stored; left `new` for the jobs worker
        db.session.rollback()
        log.exception("processing incoming mail %s failed", inbox_id)
        return Outcome(0, f"Stored as {inbox_id}; it will be processed later.", inbox_id)
    return Outcome(0, f"Stored as {inbox_id}: {status}.", inbox_id)
