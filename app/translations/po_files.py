"""Partners' .po files: the catalog merged with the database layer out, an upload checked and merged in.

Views commit; nothing here does.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po
from flask_babel import gettext as _

from ..core.profile import current_profile
from ..extensions import db
from . import catalog as cat
from .logs import pending_conflict
from .models import TranslationEntry, TranslationLog
from .po_checks import header_problems
from .services import TranslationRefused, _db_rows, _normalise, _write, bump, entries, version_token

_VERSION_RE = re.compile(r'^"X-Plaza-Version: *(\d+)\\n"$', re.M)


def export_po(lang) -> bytes:
    """The shipped catalog merged with the database layer, for Poedit, Weblate or Transifex."""
    n, expr = cat.plural_rule(lang)
    catalog = Catalog(locale=lang.catalog, project=current_profile().code, fuzzy=False, charset="utf-8")
    catalog._num_plurals, catalog._plural_expr = n, expr
    for item in entries(lang):
        e = item.entry
        if e.msgid_plural is None:
            msg_id, string = e.msgid, (item.forms[0] if item.forms else "")
        else:
            msg_id, string = (e.msgid, e.msgid_plural), tuple((list(item.forms) + [""] * n)[:n])
        # python-format lets Poedit and Weblate check the placeholders as they translate.
        flags = (("fuzzy",) if item.status == "fuzzy" else ()) + (("python-format",) if e.python_format else ())
        catalog.add(
            msg_id, string, locations=e.locations, auto_comments=e.comments, flags=flags, context=e.msgctxt or None
        )
    buf = io.BytesIO()
    write_po(buf, catalog, width=76, omit_header=False)
    text = buf.getvalue().decode("utf-8")
    extra = f'"X-Plaza-Version: {version_token()[0]}\\n"\n'
    if "Plural-Forms:" not in text:
        extra = f'"Plural-Forms: nplurals={n}; plural={expr};\\n"\n' + extra
    text = text.replace('"Content-Transfer-Encoding: 8bit\\n"\n', '"Content-Transfer-Encoding: 8bit\\n"\n' + extra, 1)
    return text.encode("utf-8")


def _keep_conflict(lang, item, here: list, theirs: list, user_id) -> None:
    """Log the file's version (not saved) so the entry's page can offer it with one click."""
    pending = pending_conflict(lang.catalog, item.entry.key)
    if pending is not None and list(pending.new) == theirs:
        return  # the same file uploaded again
    db.session.add(
        TranslationLog(
            catalog=lang.catalog,
            key=item.entry.key,
            msgid=item.entry.msgid,
            old=here,
            new=theirs,
            source="upload-conflict",
            user_id=user_id,
        )
    )


@dataclass
class UploadResult:
    applied: list = field(default_factory=list)  # EntryView of what was saved
    unchanged: int = 0
    unknown: int = 0  # entries no longer (or never) in the template: ignored
    refused: list = field(default_factory=list)  # (EntryView, problems)
    conflicts: list = field(default_factory=list)  # (EntryView, database forms, uploaded forms)


def _changed_since(row: TranslationEntry, base: int | None, user_id: int | None) -> bool:
    """Was this saved entry changed after the uploaded file was made (so the file would undo it)?

    Files we exported carry X-Plaza-Version: anything saved later is a conflict. Files from
    elsewhere (Transifex, Weblate rewrite the headers) do not: then only what someone else saved
    is protected, and people may replace their own earlier saves and uploads."""
    if base is not None:
        return row.revision > base
    return row.updated_by is None or row.updated_by != user_id


def import_po(lang, data: bytes, user_id: int | None) -> UploadResult:
    """Merge an uploaded .po into the layer: never drops entries, shows conflicts instead of overwriting."""
    if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte order mark (some Windows editors add one)
        data = data[3:]
    try:
        text = data.decode("utf-8")
        uploaded = read_po(io.BytesIO(data), abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, LookupError, ValueError, TypeError, IndexError, AttributeError):
        # LookupError: a header naming a charset Python does not know ("charset=foo")
        raise TranslationRefused([_("This file is not a valid .po file in UTF-8.")]) from None
    if not any(m.id for m in uploaded):
        raise TranslationRefused([_("This file is not a valid .po file in UTF-8.")])
    has_plurals = any(isinstance(m.id, (list, tuple)) and any(m.string or ()) for m in uploaded if m.id)
    problems = header_problems(lang, text, has_plurals)
    if problems:
        raise TranslationRefused(problems)
    m = _VERSION_RE.search(text)
    base = int(m.group(1)) if m else None
    nplurals = cat.plural_rule(lang)[0]
    current = {i.entry.key: i for i in entries(lang)}
    rows = _db_rows(lang.catalog)
    result = UploadResult()
    todo = []
    for message in uploaded:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
        item = current.get(cat.entry_key(message.context, msgid))
        if item is None:
            result.unknown += 1
            continue
        forms = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string or ""]
        forms = _normalise(item.entry, forms)
        if not any(forms):
            continue  # untranslated in the file: keep what we have
        if tuple(forms) == tuple(item.forms) and bool(message.fuzzy) == (item.status == "fuzzy"):
            result.unchanged += 1
            continue
        problems = cat.check_translation(item.entry, forms, nplurals)
        if problems:  # checked first: a broken text is refused, never offered as a choice
            result.refused.append((item, problems))
            continue
        row = rows.get(item.entry.key)
        if row is not None and list(row.forms) != forms and _changed_since(row, base, user_id):
            result.conflicts.append((item, tuple(row.forms), tuple(forms)))
            _keep_conflict(lang, item, list(row.forms), forms, user_id)
            continue
        todo.append((item, forms, bool(message.fuzzy), row))
    if todo:
        version = bump(user_id)
        for item, forms, fuzzy, row in todo:
            _write(lang, item.entry, forms, fuzzy, user_id, "upload", version, row, item.forms)
            result.applied.append(item)
    return result
