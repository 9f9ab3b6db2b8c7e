"""Send only what was previewed: a signed digest of what a preview page showed.

The preview form carries `preview_token(purpose, *shown)`; the send step checks it with
`previewed(purpose, token, *shown)`, so nothing goes out unseen or changed since the preview.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from flask import current_app


def _norm(part):
    if isinstance(part, str):
        return part.replace("\r\n", "\n").strip()
    if isinstance(part, (list, tuple)):
        return [_norm(p) for p in part]
    return "" if part is None else part


def preview_token(purpose: str, *shown) -> str:
    """HMAC (SECRET_KEY) over `purpose` and the shown values; texts compare without CRLF or
    surrounding blanks, so a browser's reformatting of a textarea still matches."""
    data = json.dumps([_norm(p) for p in shown], ensure_ascii=False, separators=(",", ":"))
    key = current_app.config["SECRET_KEY"].encode()
    msg = purpose.encode() + b"\x00" + data.encode()
    return hmac.new(key, msg, hashlib.sha256).hexdigest()


def previewed(purpose: str, token: str | None, *shown) -> bool:
    """True when `token` was issued for exactly these values."""
    return isinstance(token, str) and hmac.compare_digest(token, preview_token(purpose, *shown))
