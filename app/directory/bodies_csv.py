"""Public bodies as CSV, the way partners keep their list of councils and authorities.

Columns: id, name, name:<lang> (one per other language), classification, tags (';'-separated),
area_codes (';'-separated scheme:value), email, foi_email, website, and language (optional).
Import updates by id, else by name; export writes the same columns back (a lossless round trip).
"""

from __future__ import annotations

import csv
import io

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from ..areas import services as areas_services
from ..extensions import db
from . import langtags
from .models import Organisation, OrganisationArea, OtherName
from .services import NOT_BODIES

BASE_COLUMNS = ["id", "name", "classification", "tags", "area_codes", "email", "foi_email", "website"]
INTERNAL_SCHEME = "plaza-area"  # area_codes entry for an area without any code: plaza-area:<id>


class BodiesError(ValueError):
    pass


def _email(value: str, where: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise BodiesError(f"{where}: '{value}' is not a valid email address.") from exc


def _area(code: str, where: str) -> int:
    scheme, sep, value = code.partition(":")
    if not sep or not scheme.strip() or not value.strip():
        raise BodiesError(f"{where}: area code '{code}' must look like scheme:value (e.g. gss:W06000015).")
    if scheme.strip() == INTERNAL_SCHEME and value.strip().isdigit():
        info = areas_services.area(int(value))
    else:
        info = areas_services.find_area_by_code(scheme.strip(), value.strip())
    if info is None:
        raise BodiesError(f"{where}: no area has the code '{code}'.")
    return info.id


def import_bodies(text: str) -> dict:
    """Import CSV text; returns {'created': n, 'updated': n}. Raises BodiesError; caller commits."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [h.strip() for h in (reader.fieldnames or [])]
    if "name" not in headers:
        raise BodiesError("The CSV file needs a header row with at least a 'name' column.")
    unknown = [h for h in headers if h not in BASE_COLUMNS + ["language"] and not h.startswith("name:")]
    if unknown:
        raise BodiesError(f"Unknown column(s): {', '.join(unknown)}.")
    lang_cols = {}
    for h in headers:
        if h.startswith("name:"):
            try:
                lang_cols[h] = langtags.normalise(h[5:])
            except ValueError as exc:
                raise BodiesError(f"Column '{h}': '{h[5:]}' is not a language tag.") from exc
            if lang_cols[h] is None:
                raise BodiesError(f"Column '{h}' needs a language tag after 'name:'.")
    counts = {"created": 0, "updated": 0}
    seen = set()
    for n, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        where = f"Line {n}"
        if not any(row.values()):
            continue
        name = row.get("name", "")
        if not name:
            raise BodiesError(f"{where}: the name is empty.")
        sid = row.get("id") or None
        key = sid or name.casefold()
        if key in seen:
            raise BodiesError(f"{where}: '{sid or name}' appears twice in the file.")
        seen.add(key)
        org = None
        if sid:
            org = db.session.scalar(select(Organisation).where(Organisation.source_id == sid))
        if org is None:
            org = db.session.scalar(
                select(Organisation)
                .where(
                    func.lower(Organisation.name) == name.lower(),
                    Organisation.classification.is_distinct_from(NOT_BODIES[0]),
                )
                .limit(1)
            )
            if org is not None and sid and org.source_id and org.source_id != sid:
                org = None
        created = org is None
        if created:
            org = Organisation(name=name)
            db.session.add(org)
        if sid:
            org.source_id = sid
        org.name = name
        org.classification = row.get("classification") or None
        org.tags = row.get("tags", "").split(";") if row.get("tags") else []
        org.email = _email(row.get("email", ""), f"{where}, email")
        org.foi_email = _email(row.get("foi_email", ""), f"{where}, foi_email")
        org.website = row.get("website") or None
        if "language" in row:
            try:
                org.language = langtags.normalise(row["language"])
            except ValueError as exc:
                raise BodiesError(f"{where}: '{row['language']}' is not a language tag.") from exc
        # names per language: replace those given by the file's columns, keep other names
        given = {lang: row.get(col, "") for col, lang in lang_cols.items()}
        org.other_names = [o for o in org.other_names if not (o.lang and o.lang in given)] + [
            OtherName(name=value, lang=lang, note="multilingual") for lang, value in given.items() if value
        ]
        if "area_codes" in row:
            codes = [c.strip() for c in row["area_codes"].split(";") if c.strip()]
            wanted = {}
            for code in codes:
                wanted.setdefault(_area(code, where), code)
            keep = {a.area_id: a for a in org.areas}  # reuse rows: a delete would flush after the insert
            for a, c in wanted.items():
                if a in keep:
                    keep[a].code = c
            org.areas = [keep.get(a) or OrganisationArea(area_id=a, code=c) for a, c in wanted.items()]
        counts["created" if created else "updated"] += 1
        db.session.flush()
    return counts


def export_bodies() -> str:
    orgs = db.session.scalars(
        select(Organisation)
        .where(Organisation.classification.is_distinct_from(NOT_BODIES[0]))
        .order_by(Organisation.name, Organisation.id)
    ).all()
    langs = sorted({n.lang for o in orgs for n in o.other_names if n.lang})
    with_language = any(o.language for o in orgs)
    missing = {a.area_id for o in orgs for a in o.areas if not a.code}
    infos = {a.id: a for a in areas_services.areas(sorted(missing))}
    columns = ["id", "name"] + [f"name:{lang}" for lang in langs] + BASE_COLUMNS[2:]
    if with_language:
        columns.append("language")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for o in orgs:
        names = {}
        for n in o.other_names:
            if n.lang and n.lang not in names:
                names[n.lang] = n.name
        codes = []
        for a in sorted(o.areas, key=lambda x: x.id or 0):
            if a.code:
                codes.append(a.code)
            else:
                info = infos.get(a.area_id)
                first = sorted(info.codes.items())[0] if info and info.codes else None
                codes.append(f"{first[0]}:{first[1]}" if first else f"{INTERNAL_SCHEME}:{a.area_id}")
        row = (
            [o.source_id or "", o.name]
            + [names.get(lang, "") for lang in langs]
            + [
                o.classification or "",
                ";".join(o.tags),
                ";".join(codes),
                o.email or "",
                o.foi_email or "",
                o.website or "",
            ]
        )
        if with_language:
            row.append(o.language or "")
        writer.writerow(row)
    return out.getvalue()
