"""A request's page: its thread of messages as the reader may see it, and what they may do."""

from __future__ import annotations

from flask_login import current_user

from . import queries, states
from .access import can_see, is_moderator, is_owner
from .laws import law_by_code, law_name, review_body
from .mail.receiving import authority_domains, sender_domain
from .redaction import filename as redacted_name
from .redaction import redact


def thread(req, body=None) -> list[dict]:
    out = []
    sending = queries.delivery(req.messages)
    official = authority_domains(req, body, replies=False)
    for msg in req.messages:
        if not can_see(msg, req):
            out.append({"msg": msg, "hidden": True})
            continue
        personal = msg.direction == "in"
        out.append(
            {
                "msg": msg,
                "hidden": False,
                "body": redact(msg.body, req, personal=personal),
                "delivery": sending.get(msg.id, "sent"),
                # Mail from outside the authority's domains is labelled as such, not as its reply
                "outsider": sender_domain(msg)
                if personal and msg.from_addr and official and sender_domain(msg) not in official
                else None,
                "folded": redact(msg.folded, req, personal=personal),
                "attachments": [a for a in msg.attachments if can_see(a, req)],
                "names": {a.id: redacted_name(a, req) for a in msg.attachments},
                "hidden_attachments": [a for a in msg.attachments if not can_see(a, req)],
            }
        )
    return out


def request_page_context(req, body) -> dict:
    """Everything the request page shows, for the signed-in reader (or a visitor)."""
    following = current_user.is_authenticated and queries.is_following(req.id, current_user.id)
    law = law_by_code(req.law_code)
    owner, moderator = is_owner(req), is_moderator()
    shown = queries.display_state(req)
    replied = queries.has_reply(req)
    last_in = next((m for m in reversed(req.messages) if m.direction == "in" and not m.is_auto_reply), None)
    return dict(
        req=req,
        body=body,
        thread=thread(req, body),
        history=queries.history(req.id),
        states=states,
        shown_state=shown,
        days_left=queries.days_left(req),
        law=law,
        law_name=law_name(law),
        owner=owner,
        moderator=moderator,
        following=bool(following),
        choices=states.STORED if moderator else states.REQUESTER_CHOICES,
        # The status can be changed at any time by the site's team, by the requester once a reply came
        can_update=not req.awaiting_description and (moderator or (owner and replied)),
        # A review (or a complaint to an outside body) only makes sense after a reply or a delay
        can_review=owner
        and req.state != "internal_review"
        and shown in states.REVIEWABLE
        and (replied or shown.startswith("waiting_response_")),
        review_body=review_body(law),
        suggested="error_message" if last_in is not None and last_in.is_bounce else None,
        targets=queries.reply_targets(req, body) if owner else [],
        title=redact(req.title, req),
    )
