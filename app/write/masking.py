"""What is published of a message: without email addresses and phone numbers (the stored text and
the mail to the representative keep them), with the platform's one masker, as FOI replies use."""

from __future__ import annotations

from ..core.privacy import mask_personal as _mask
from .blueprint import bp


def mask_personal(text: str) -> str:
    return _mask(text or "")


@bp.app_template_filter("write_mask")
def _write_mask(text):
    return mask_personal(text)
