"""The deployment's translation layer: overlay hooks, entries with their status, saving, .po files.

Views commit; nothing here does.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g
from sqlalchemy import select, update

from ..core.i18n import OVERLAY_PLURAL_KEY
from ..core.models import utcnow
from ..core.profile import current_profile
from ..extensions import db
from . import catalog as cat
from .models import TranslationCatalog, TranslationEntry, TranslationLog, TranslationState

PAGE_SIZE = 50
_MISSING = object()


class TranslationRefused(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


# -- the version row every worker checks -------------------------------------------------
def get_state() -> TranslationState:
    st = db.session.get(TranslationState, 1)
    if st is None:
        st = TranslationState(id=1, version=0, layer_enabled=True)
        db.session.add(st)
        db.session.flush()
    return st


def version_token():
    """Changes whenever the layer changes; one query per request (cached on flask.g)."""
    tok = g.get("_translations_token", _MISSING)
    if tok is _MISSING:
        row = db.session.execute(
            select(TranslationState.version, TranslationState.layer_enabled).where(TranslationState.id == 1)
        ).first()
        tok = (row[0], bool(row[1])) if row else (0, True)
        g._translations_token = tok
    return tok


def layer_enabled() -> bool:
    tok = version_token()
    return tok is None or tok[1]


def bump(user_id: int | None = None) -> int:
    """Add one to the version (atomically, so two workers never hand out the same number)."""
    get_state()
    db.session.execute(
        update(TranslationState)
        .where(TranslationState.id == 1)
        .values(version=TranslationState.version + 1, updated_at=utcnow(), updated_by=user_id)
    )
    st = db.session.get(TranslationState, 1)
    db.session.refresh(st)
    g._translations_token = (st.version, bool(st.layer_enabled))
    return st.version


def set_layer_enabled(enabled: bool, user_id: int | None) -> None:
    st = get_state()
    st.layer_enabled = bool(enabled)
    db.session.add(
        TranslationLog(
            catalog="*",
            key="layer",
            msgid="",
            old=[],
            new=["on" if enabled else "off"],
            source="layer",
            user_id=user_id,
        )
    )
    bump(user_id)


def language_for_catalog(code: str):
    for lang in current_profile().languages:
        if lang.catalog == code:
            return lang
    return None


def overlay_messages(catalog_code: str) -> dict:
    """The hook PlazaDomain calls when it builds a catalog chain for a new version."""
    if not layer_enabled():
        return {}
    rows = db.session.execute(
        select(TranslationEntry).where(TranslationEntry.catalog == catalog_code, TranslationEntry.fuzzy.is_(False))
    ).scalars()
    messages: dict = {}
    for row in rows:
        forms = list(row.forms or [])
        if not forms or not all(forms):
            continue
        key = f"{row.msgctxt}\x04{row.msgid}" if row.msgctxt else row.msgid
        if row.msgid_plural is not None:
            messages[(key, "plural")] = forms
        else:
            messages[key] = forms[0]
    lang = language_for_catalog(catalog_code)
    if messages and lang is not None:
        messages[OVERLAY_PLURAL_KEY] = cat.plural_function(lang)
    return messages


# -- locales -------------------------------------------------------------------------------
def added_catalogs() -> set[str]:
    return set(db.session.execute(select(TranslationCatalog.code)).scalars())


def editor_languages() -> list:
    """Profile languages that have a catalog: shipped with the code or added in the admin."""
    have = cat.shipped_catalogs() | added_catalogs()
    return [lang for lang in current_profile().languages if lang.catalog in have]


def addable_languages() -> list:
    have = cat.shipped_catalogs() | added_catalogs()
    return [lang for lang in current_profile().languages if lang.catalog not in have]


def add_catalog(lang, user_id: int | None) -> TranslationCatalog:
    row = TranslationCatalog(code=lang.catalog, created_by=user_id)
    db.session.add(row)
    db.session.flush()
    bump(user_id)
    return row


# -- entries -----------------------------------------------------------------------------
@dataclass(frozen=True)
class EntryView:
    entry: cat.TemplateEntry
    forms: tuple[str, ...]
    status: str  # "translated", "fuzzy" or "untranslated"
    in_layer: bool  # saved in this deployment's database layer
    shipped_forms: tuple[str, ...] = ()


def _db_rows(code: str) -> dict[str, TranslationEntry]:
    rows = db.session.execute(select(TranslationEntry).where(TranslationEntry.catalog == code)).scalars()
    return {r.key: r for r in rows}


def _status(entry, forms, fuzzy, nplurals) -> str:
    needed = 1 if entry.msgid_plural is None else nplurals
    if len(forms) < needed or not all(forms[:needed]):
        return "untranslated"
    return "fuzzy" if fuzzy else "translated"


def entries(lang) -> list[EntryView]:
    nplurals = cat.plural_rule(lang)[0]
    shipped = cat.shipped_translations(lang.catalog)
    rows = _db_rows(lang.catalog)
    out = []
    for e in cat.template_entries():
        s = shipped.get(e.key)
        row = rows.get(e.key)
        if row is not None and any(row.forms or []):
            forms, fuzzy = tuple(row.forms), row.fuzzy
        elif s is not None:
            forms, fuzzy = s.forms, s.fuzzy
        else:
            forms, fuzzy = (), False
        out.append(EntryView(e, forms, _status(e, forms, fuzzy, nplurals), row is not None, s.forms if s else ()))
    return out


def coverage(items: list[EntryView]) -> dict:
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for item in items:
        counts[item.status] += 1
    total = len(items)
    counts["total"] = total
    counts["percent"] = round(100 * counts["translated"] / total) if total else 100
    return counts


def filter_entries(items: list[EntryView], show: str, q: str) -> list[EntryView]:
    if show in ("untranslated", "fuzzy"):
        items = [i for i in items if i.status == show]
    q = (q or "").strip().casefold()
    if q:

        def hit(i):
            texts = [i.entry.msgid, i.entry.msgid_plural or "", i.entry.msgctxt, *i.forms]
            return any(q in t.casefold() for t in texts)

        items = [i for i in items if hit(i)]
    return items


def find_entry(lang, key: str) -> EntryView | None:
    return next((i for i in entries(lang) if i.entry.key == key), None)


def next_untranslated(lang, after_key: str) -> EntryView | None:
    items = entries(lang)
    keys = [i.entry.key for i in items]
    start = keys.index(after_key) + 1 if after_key in keys else 0
    for item in items[start:] + items[:start]:
        if item.status == "untranslated" and item.entry.key != after_key:
            return item
    return None


def _normalise(entry, forms) -> list[str]:
    forms = [(f or "").replace("\r\n", "\n") for f in forms]
    return forms[:1] if entry.msgid_plural is None else forms


def _write(lang, entry, forms, fuzzy, user_id, source, version, row=None, old=()) -> TranslationEntry:
    if row is None:
        row = TranslationEntry(
            catalog=lang.catalog,
            key=entry.key,
            msgctxt=entry.msgctxt,
            msgid=entry.msgid,
            msgid_plural=entry.msgid_plural,
        )
        db.session.add(row)
    row.forms, row.fuzzy, row.revision = list(forms), bool(fuzzy), version
    row.updated_by, row.updated_at = user_id, utcnow()
    db.session.add(
        TranslationLog(
            catalog=lang.catalog,
            key=entry.key,
            msgid=entry.msgid,
            old=list(old),
            new=list(forms),
            source=source,
            user_id=user_id,
        )
    )
    return row


def save_entry(
    lang, item: EntryView, forms: list[str], user_id: int | None, source: str = "editor"
) -> TranslationEntry | None:
    """Check and store one translation; saving clears the fuzzy flag. Raises TranslationRefused.
    Returns None when the text is what the entry already says (nothing is stored or logged)."""
    forms = _normalise(item.entry, forms)
    problems = cat.check_translation(item.entry, forms, cat.plural_rule(lang)[0])
    if problems:
        raise TranslationRefused(problems)
    row = _db_rows(lang.catalog).get(item.entry.key)
    if tuple(forms) == tuple(_normalise(item.entry, item.forms)) and item.status != "fuzzy":
        return None  # nothing changed: no log line, no new version for every worker to load
    version = bump(user_id)
    return _write(lang, item.entry, forms, False, user_id, source, version, row, item.forms)


def history(lang, key: str, limit: int = 20) -> list[TranslationLog]:
    return list(
        db.session.execute(
            select(TranslationLog)
            .where(TranslationLog.catalog == lang.catalog, TranslationLog.key == key)
            .order_by(TranslationLog.id.desc())
            .limit(limit)
        ).scalars()
    )
