"""The translation log: every save (editor, upload, content, the layer switch) and upload conflicts.

Views commit; nothing here does.
"""

from __future__ import annotations

from sqlalchemy import func, select

from ..accounts import services as accounts
from ..core.pagination import Page
from ..extensions import db
from .models import TranslationLog

# "upload-conflict": a file's version that was not saved because someone had changed the entry
# here since the download; kept so the entry's page can offer it with one click.
SOURCES = ("editor", "upload", "upload-conflict", "content", "layer")
TRANSLATOR_SOURCES = ("editor", "upload", "upload-conflict")  # content and the switch are admins' own


def _where(codes, sources, user_id):
    conds = [TranslationLog.source.in_(sources)]
    if codes is not None:
        conds.append(TranslationLog.catalog.in_(codes))
    if user_id is not None:
        conds.append(TranslationLog.user_id == user_id)
    return conds


def rows(codes: set[str] | None, sources, user_id: int | None, page: Page) -> tuple[list[TranslationLog], int]:
    """One page of log rows, newest first, and how many match. codes=None: every catalog."""
    conds = _where(codes, sources, user_id)
    total = db.session.scalar(select(func.count()).select_from(TranslationLog).where(*conds)) or 0
    found = (
        db.session.execute(
            select(TranslationLog)
            .where(*conds)
            .order_by(TranslationLog.id.desc())
            .offset(page.offset)
            .limit(page.limit)
        )
        .scalars()
        .all()
    )
    return list(found), total


def user_ids(codes: set[str] | None, sources) -> list[int]:
    """Everyone who appears in the rows one may see (the choices of the user filter)."""
    return sorted(
        db.session.execute(
            select(TranslationLog.user_id)
            .where(*_where(codes, sources, None), TranslationLog.user_id.is_not(None))
            .distinct()
        ).scalars()
    )


def user_names(ids) -> dict[int, str]:
    return {u.id: u.name for u in accounts.users_info({i for i in ids if i is not None})}


def pending_conflict(catalog: str, key: str) -> TranslationLog | None:
    """The latest upload conflict of an entry, unless the entry was saved since (that settles it)."""
    last = db.session.execute(
        select(TranslationLog)
        .where(TranslationLog.catalog == catalog, TranslationLog.key == key)
        .order_by(TranslationLog.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return last if last is not None and last.source == "upload-conflict" else None
