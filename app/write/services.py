"""Write's public door: what other components (and the person page section) ask of it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, distinct, exists, func, or_, select

from ..core.mail import OutboxMessage
from ..extensions import db
from .models import Answer, Message, Recipient


@dataclass(frozen=True)
class PersonStats:
    messages: int
    answered: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.messages if self.messages else None


def _reached():
    """SQL: the Recipient row's mail may have reached the person (not bounced, an address was
    known, and the outbox did not give up on it)."""
    gave_up = exists().where(OutboxMessage.id == Recipient.outbox_id, OutboxMessage.status == "failed")
    return and_(Recipient.failing.is_(False), Recipient.delivery_status.not_in(("no_email", "bounced")), ~gave_up)


def person_stats(person_id: int) -> PersonStats:
    """Messages that reached the person, and how many of them they answered (a published answer).
    A message that bounced or had no address to go to is no unanswered message."""
    # A published answer from the person proves the message reached them, whatever a bounce said.
    answered_by = select(Answer.message_id).where(
        Answer.person_id == person_id,
        Answer.hidden.is_(False),
        Answer.is_bounce.is_(False),
        Answer.is_auto_reply.is_(False),
    )
    reached = select(Recipient.message_id).where(
        Recipient.person_id == person_id, or_(_reached(), Recipient.message_id.in_(answered_by))
    )
    total = (
        db.session.scalar(select(func.count(Message.id)).where(Message.status == "sent", Message.id.in_(reached))) or 0
    )
    answered = (
        db.session.scalar(
            select(func.count(distinct(Answer.message_id)))
            .join(Message, Message.id == Answer.message_id)
            .where(
                and_(
                    Message.status == "sent",
                    Message.id.in_(reached),
                    Answer.person_id == person_id,
                    Answer.hidden.is_(False),
                    Answer.is_bounce.is_(False),
                    Answer.is_auto_reply.is_(False),
                )
            )
        )
        or 0
    )
    return PersonStats(total, answered)
