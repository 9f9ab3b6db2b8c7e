"""Demo data: public messages from the demo citizen to current representatives, one answered.

Nothing goes through the outbox (the demo must not mail invented people). The answer arrives the
way a real one does: a raw email stored in the inbox and handled by this component's handler.
"""

from __future__ import annotations

import datetime as dt
import secrets
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from ..accounts import services as accounts
from ..areas import services as areas
from ..core.mail import OutboxMessage, reply_address
from ..core.mail.inbox import Incoming, store_raw
from ..core.models import utcnow
from ..core.profile import current_profile
from ..directory import services as directory
from ..extensions import db
from .inbox import handle
from .models import Message, Recipient

DEMO_CITIZEN = "citizen@example.org"


def _representatives() -> list:
    codes = [code for code, _name, _level, count in areas.type_counts() if count]
    area_ids = [a.id for a in areas.areas_of_type(codes)[0]] if codes else []
    seen, reps = set(), []
    for rep in directory.current_representatives(area_ids):
        if rep.person_id not in seen:
            seen.add(rep.person_id)
            reps.append(rep)
    return reps


def _message(user, person_ids, subject: str, body: str, days_ago: int) -> Message:
    when = utcnow() - dt.timedelta(days=days_ago)
    msg = Message(
        subject=subject,
        body=body,
        writer_name=user.name,
        writer_email=user.email,
        writer_user_id=user.id,
        language=current_profile().default_language,
        status="sent",
        created_at=when,
        confirmed_at=when,
        sent_at=when,
        token=secrets.token_urlsafe(24),
    )
    for pid in person_ids:
        # "queued" with no outbox row: shown as sent, and nothing is really mailed.
        msg.recipients.append(Recipient(person_id=pid, delivery_status="queued"))
    db.session.add(msg)
    db.session.flush()
    return msg


def _answer(msg: Message, rep, text: str, days_ago: int) -> None:
    email = EmailMessage()
    email["From"] = formataddr((rep.person_name, directory.person_email(rep.person_id) or "rep@example.org"))
    email["To"] = reply_address("write", msg.id)
    email["Subject"] = "Re: " + msg.subject
    email["Date"] = format_datetime(utcnow() - dt.timedelta(days=days_ago))
    email["Message-ID"] = make_msgid(domain="demo.example")
    email.set_content(text)
    row, _created = store_raw(email.as_bytes())
    before = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
    claimed = handle(Incoming(row))
    # The handler tells the writer an answer came; the demo mails nobody.
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id > before))
    row.status, row.handled_by, row.processed_at = (
        ("processed", claimed, utcnow()) if claimed else ("holding", None, None)
    )
    for answer in msg.answers:
        answer.received_at = utcnow() - dt.timedelta(days=days_ago)


def load(*_args, **_kwargs) -> str | None:
    user = accounts.by_email(DEMO_CITIZEN)
    reps = _representatives()
    if user is None or not reps:
        return None
    first = _message(
        user,
        [reps[0].person_id],
        _("Safe crossing outside the primary school"),
        _(
            "Dear %(person)s,\n\nChildren cross the main road outside the primary school every morning and there "
            "is no crossing. Will you ask for one to be built before the next school year?\n\nThank you,\n%(name)s",
            person=reps[0].person_name,
            name=user.name,
        ),
        20,
    )
    _answer(
        first,
        reps[0],
        _(
            "Dear %(name)s,\n\nThank you for writing. I have raised the crossing with the roads department and "
            "asked for a survey this term. I will write again when I have their answer.\n\nBest wishes,\n%(person)s",
            name=user.name,
            person=reps[0].person_name,
        ),
        15,
    )
    made = 1
    if len(reps) > 1:
        others = [r.person_id for r in reps[1:3]]
        _message(
            user,
            others,
            _("Opening hours of the public library"),
            _(
                "Dear representatives,\n\nThe library now closes at five, before most people finish work. Could "
                "it stay open until eight on at least two evenings a week?\n\nRegards,\n%(name)s",
                name=user.name,
            ),
            4,
        )
        made += 1
    db.session.flush()
    return f"write: {made} demo messages"
