"""Demo data: two requests by the demo citizen to demo authorities (directory), each with a reply.

Nothing goes through the outbox: the demo must not mail the invented authorities.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from ..accounts import services as accounts
from ..core.models import utcnow
from ..core.profile import current_profile
from ..directory import services as directory
from ..extensions import db
from . import operations
from .duedates import due_date
from .laws import calendar, law_for, local_today, why_not_askable
from .letters import text_key
from .models import FoiAttachment, FoiMessage, FoiRequest, FoiStateChange

DEMO_CITIZEN = "citizen@example.org"


def _request(user, body, title: str, letter: str, days_ago: int) -> FoiRequest:
    law = law_for(body)
    sent = local_today() - dt.timedelta(days=days_ago)
    when = utcnow() - dt.timedelta(days=days_ago)
    cal = calendar()
    req = FoiRequest(
        title=title,
        title_key=text_key(title),
        authority_id=body.id,
        user_id=user.id,
        law_code=law.code,
        language=current_profile().default_language,
        state="waiting_response",
        sent_on=sent,
        due_on=due_date(sent, law.reply_days, law.day_type, cal),
        very_overdue_on=due_date(sent, law.very_overdue_days, law.day_type, cal),
        created_at=when,
        last_event_at=when,
    )
    req.messages.append(
        FoiMessage(
            direction="out",
            kind="initial",
            from_name=user.name,
            to_addr=body.foi_email,
            subject=title,
            body=letter,
            created_at=when,
        )
    )
    db.session.add(req)
    db.session.flush()
    db.session.add(FoiStateChange(request_id=req.id, state="waiting_response", user_id=user.id, created_at=when))
    return req


def _reply(req: FoiRequest, body, text: str, days_ago: int, attachment: tuple[str, str] | None = None) -> None:
    when = utcnow() - dt.timedelta(days=days_ago)
    msg = FoiMessage(
        direction="in",
        kind="reply",
        from_name=_("Information officer"),
        from_addr=body.foi_email,
        subject=req.title,
        body=text,
        created_at=when,
    )
    if attachment:
        name, content = attachment
        data = content.encode("utf-8")
        msg.attachments.append(
            FoiAttachment(position=1, filename=name, content_type="text/plain", size=len(data), data=data, text=content)
        )
    req.messages.append(msg)
    req.last_event_at = when


def load_demo(*_args, **_kwargs) -> str | None:
    user = accounts.by_email(DEMO_CITIZEN)
    bodies, _total = directory.search_bodies(has_foi_email=True, limit=50)
    bodies = [b for b in bodies if why_not_askable(b) is None]
    if user is None or not bodies:
        return None
    ministry = next((b for b in bodies if "ministry" in (b.classification or "")), bodies[0])
    council = next((b for b in bodies if b.id != ministry.id), ministry)

    first = _request(
        user,
        ministry,
        _("Road repairs carried out last year"),
        _(
            "Dear %(authority)s,\n\nPlease send me the list of roads repaired last year, with the length of each "
            "repair and its cost.\n\nYours faithfully,\n\n%(name)s",
            authority=ministry.name,
            name=user.name,
        ),
        30,
    )
    _reply(
        first,
        ministry,
        _(
            "Dear %(name)s,\n\nPlease find attached the list of roads repaired last year.\n\n"
            "Kind regards,\nInformation officer",
            name=user.name,
        ),
        12,
        (_("road-repairs.txt"), _("Road\tLength (km)\tCost\nNorth road\t12\t340,000\nRiver road\t4\t95,000\n")),
    )
    operations.set_state(first, "successful", user)

    second = _request(
        user,
        council,
        _("Budget for street lighting"),
        _(
            "Dear %(authority)s,\n\nHow much did you spend on street lighting this year, and how many lamps were "
            "replaced?\n\nYours faithfully,\n\n%(name)s",
            authority=council.name,
            name=user.name,
        ),
        6,
    )
    _reply(
        second,
        council,
        _(
            "Dear %(name)s,\n\nWe have received your request and will answer within the time "
            "the law allows.\n\nInformation officer",
            name=user.name,
        ),
        5,
    )
    second.awaiting_description = True
    db.session.flush()
    return "foi: 2 demo requests"
