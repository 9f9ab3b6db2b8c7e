"""Mail: the outbox (send with retries) and the inbox (store raw, then dispatch)."""

from .addresses import address_hash, hashes_match, parse_reply_address, reply_address
from .headers import list_unsubscribe
from .models import InboxMessage, OutboxMessage
from .outbox import external_url, queue_email, render_email, send_pending

__all__ = [
    "InboxMessage",
    "OutboxMessage",
    "address_hash",
    "external_url",
    "hashes_match",
    "list_unsubscribe",
    "parse_reply_address",
    "queue_email",
    "render_email",
    "reply_address",
    "send_pending",
]
