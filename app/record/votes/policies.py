"""Read and store policies: the Stancer `issues.json` layout and a CSV a partner writes by hand.

JSON: [{"id", "text" (title), "html" (the phrase, tags stripped), "aspects": [{"motion_id",
"direction" ("… (strong)" = strong), "weights" {option: points}}]}]; the agreeing option is the
one with the most points. Optional "titles"/"texts" ({lang: …}) and "rule" ("classic" or
"simplified").
CSV: policy_id,title,motion_id,agree_option,strength — plus optional text, rule and
title:<lang> / text:<lang> columns; one row per linked division.
With `lang`, the file's titles and texts are that language's translations of existing wording.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from ...extensions import db
from ..models import Policy, PolicyDivision
from . import options
from .parse import VoteFileError

RULES = ("classic", "simplified")
_TAG = re.compile(r"<[^>]+>")
# Public Whip's weights give the non-agreeing passive options points too; they never agree.
_PASSIVE = options.ABSENT | options.ABSTAIN


@dataclass
class PolicyRow:
    source_id: str
    title: str
    text: str
    rule: str | None
    titles: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)
    categories: list = field(default_factory=list)
    links: dict = field(default_factory=dict)  # motion source id -> (agree option, strong)


def _plain(value) -> str:
    return " ".join(html.unescape(_TAG.sub("", str(value or ""))).split())


def _rule(value, where) -> str | None:
    if value in (None, ""):
        return None
    word = str(value).strip().lower()
    if word not in RULES:
        raise VoteFileError(f"{where}: rule '{value}' is neither 'classic' nor 'simplified'.")
    return word


def _strong(value, where) -> bool:
    word = str(value or "").strip().lower()
    if word in ("strong", "1", "true", "yes", "s"):
        return True
    if word in ("weak", "0", "false", "no", "w", ""):
        return False
    raise VoteFileError(f"{where}: strength '{value}' is neither 'strong' nor 'weak'.")


def parse_json(data) -> list[PolicyRow]:
    items = data.get("policies") or data.get("issues") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise VoteFileError("The file holds no policies (expected a JSON array like issues.json).")
    out = []
    for item in items:
        if not isinstance(item, dict) or not str(item.get("id") or "").strip():
            raise VoteFileError("A policy has no id.")
        pid = str(item["id"]).strip()[:200]
        title = _plain(item.get("title") or item.get("text"))
        if not title:
            raise VoteFileError(f"Policy {pid} has no title.")
        row = PolicyRow(
            pid,
            title[:500],
            _plain(item.get("html") or item.get("description") or title),
            _rule(item.get("rule") or item.get("strength_meaning"), f"policy {pid}"),
            categories=[str(c) for c in item.get("categories") or []][:20],
        )
        for lang, value in (item.get("titles") or {}).items():
            row.titles[str(lang)] = _plain(value)[:500]
        for lang, value in (item.get("texts") or {}).items():
            row.texts[str(lang)] = _plain(value)
        for a in item.get("aspects") or []:
            where = f"policy {pid}, motion {a.get('motion_id')}"
            motion = str(a.get("motion_id") or "").strip()[:200]
            weights = a.get("weights") or {}
            if not motion:
                raise VoteFileError(f"Policy {pid}: an aspect has no motion_id.")
            agree = a.get("agree_option")
            if not agree:
                active = {
                    k: v for k, v in weights.items() if options.key(k) not in _PASSIVE and isinstance(v, (int, float))
                }
                if not active:
                    raise VoteFileError(f"{where}: no weights say which option agrees.")
                agree = max(active, key=active.get)
            direction = str(a.get("direction") or "").lower()
            strong = (
                "(strong)" in direction
                or a.get("strength") == "strong"
                or max([v for v in weights.values() if isinstance(v, (int, float))], default=0) >= 50
            )
            row.links[motion] = (str(agree)[:100], bool(strong))
        out.append(row)
    return out


def parse_csv(text: str) -> list[PolicyRow]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    need = {"policy_id", "title", "motion_id", "agree_option", "strength"}
    if not reader.fieldnames or not need <= {f.strip() for f in reader.fieldnames}:
        raise VoteFileError("The CSV needs the columns policy_id, title, motion_id, agree_option, strength.")
    rows: dict[str, PolicyRow] = {}
    for n, raw in enumerate(reader, start=2):
        r = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        where = f"line {n}"
        if not r["policy_id"] or not r["motion_id"] or not r["agree_option"]:
            raise VoteFileError(f"{where}: policy_id, motion_id and agree_option are required.")
        row = rows.get(r["policy_id"])
        if row is None:
            if not r["title"]:
                raise VoteFileError(f"{where}: policy {r['policy_id']} has no title.")
            row = rows[r["policy_id"]] = PolicyRow(
                r["policy_id"][:200], r["title"][:500], r.get("text") or r["title"], _rule(r.get("rule"), where)
            )
        for k, v in r.items():
            if k.startswith("title:") and v:
                row.titles[k[6:]] = v[:500]
            elif k.startswith("text:") and v:
                row.texts[k[5:]] = v
        row.links[r["motion_id"][:200]] = (r["agree_option"][:100], _strong(r["strength"], where))
    return list(rows.values())


def store(rows: list[PolicyRow], lang: str | None = None, default_lang: str | None = None) -> tuple[int, int]:
    """Upsert policies and their linked divisions; (created, updated). `lang` other than the
    default language: the titles and texts are translations (stored per language)."""
    existing = (
        {
            p.source_id: p
            for p in db.session.scalars(select(Policy).where(Policy.source_id.in_([r.source_id for r in rows])))
        }
        if rows
        else {}
    )
    created = updated = 0
    translation = lang and lang != default_lang
    for r in rows:
        p = existing.get(r.source_id)
        if p is None:
            if translation:
                raise VoteFileError(
                    f"Policy {r.source_id} does not exist yet: import it in the default language first."
                )
            p = Policy(source_id=r.source_id, title=r.title, text=r.text, titles={}, texts={})
            db.session.add(p)
            created += 1
        else:
            updated += 1
        if translation:
            p.titles = {**(p.titles or {}), lang: r.title}
            p.texts = {**(p.texts or {}), lang: r.text}
        else:
            p.title, p.text = r.title, r.text
        if r.titles:
            p.titles = {**(p.titles or {}), **r.titles}
        if r.texts:
            p.texts = {**(p.texts or {}), **r.texts}
        if r.rule:
            p.rule = r.rule
        if r.categories:
            p.categories = r.categories
        if translation:
            continue  # a translation file does not relink divisions
        links = {d.motion_source: d for d in p.divisions}
        for motion, (agree, strong) in r.links.items():
            d = links.pop(motion, None)
            if d is None:
                p.divisions.append(PolicyDivision(motion_source=motion, agree_option=agree, strong=strong))
            else:
                d.agree_option, d.strong = agree, strong
        for d in links.values():
            p.divisions.remove(d)
    db.session.flush()
    return created, updated
