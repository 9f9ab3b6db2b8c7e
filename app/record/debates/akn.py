"""Reading an Akoma Ntoso debate record into plain data (no database here).

Works with the 2.0 namespace, the 3.0 drafts and no namespace at all: the namespace is read
from the root element and every element in it is known by its local name. Elements of other
namespaces are ignored. Parsing goes through defusedxml with DTDs refused, so no entity is
ever expanded and nothing outside the file is read (no XXE, no "billion laughs").
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

MAX_BYTES = 50 * 1024 * 1024

# Containers that hold a part of the sitting (they may nest); each becomes a section.
SECTIONS = frozenset(
    {
        "debateSection",
        "administrationOfOath",
        "rollCall",
        "prayers",
        "oralStatements",
        "writtenStatements",
        "personalStatements",
        "ministerialStatements",
        "resolutions",
        "nationalInterest",
        "declarationOfVote",
        "communication",
        "petitions",
        "papers",
        "noticesOfMotion",
        "questions",
        "address",
        "proceduralMotions",
        "pointOfOrder",
        "adjournment",
    }
)
SPOKEN = frozenset({"speech", "question", "answer"})
STAGE = frozenset({"narrative", "scene", "summary", "other"})
LISTS = frozenset({"ul", "ol", "blockList", "list"})
_TIME = re.compile(r"(?:T|^)(\d{1,2}):(\d{2})(?::(\d{2}))?")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class AknError(ValueError):
    """The file is not a debate record we can read (the message says why, for the summary)."""


@dataclass
class ParsedSection:
    position: int
    parent: int | None  # the parent's position
    depth: int
    kind: str
    before_speech: int = 1  # the position of the first speech after its start
    num: str = ""
    heading: str = ""
    subheading: str = ""


@dataclass
class ParsedSpeech:
    position: int
    section: int | None  # the section's position
    kind: str
    speaker_ref: str = ""
    speaker_href: str = ""
    speaker_name: str = ""  # the TLCPerson's showAs
    attribution: str = ""  # the printed `from`
    role: str = ""
    start_time: str | None = None
    end_time: str | None = None
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(p for p in self.paragraphs if p)


@dataclass
class ParsedDebate:
    key: str
    title: str = ""
    name: str = ""
    date: dt.date | None = None
    language: str | None = None
    number: str | None = None
    legislature: str | None = None
    session: str | None = None
    source_url: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    sections: list[ParsedSection] = field(default_factory=list)
    speeches: list[ParsedSpeech] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)  # element names we did not understand


def clean(text: str | None) -> str:
    return " ".join((text or "").split())


def wall_time(value: str | None) -> str | None:
    """'19:01:00', '1995-10-31T14:30:00' or '…T14:30+02:00' -> '14:30' (as recorded, no zone shift)."""
    m = _TIME.search(value or "")
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        return None
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def iso_date(value: str | None) -> dt.date | None:
    m = _DATE.search(value or "")
    if not m:
        return None
    try:
        day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return day if 1000 <= day.year < 2900 else None  # "3000-01-01" is a placeholder in real files


class _Reader:
    def __init__(self, root, filename: str):
        self.ns = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
        self.filename = filename
        self.people: dict[str, tuple[str, str]] = {}  # ref id -> (href, showAs)
        self.roles: dict[str, str] = {}
        self.pending_time: str | None = None

    def local(self, el) -> str | None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag.startswith("{"):
            ns, _, name = tag[1:].partition("}")
            return name if ns == self.ns else None
        return tag or None  # no namespace: comments and processing instructions have no str tag

    def children(self, el, name: str | None = None):
        for child in el:
            local = self.local(child)
            if local is not None and (name is None or local == name):
                yield local, child

    def find(self, el, *path):
        """The first descendant along `path` (local names), or None."""
        for step in path:
            el = next((c for n, c in self.children(el) if n == step), None) if el is not None else None
        return el

    def iter(self, el, name: str):
        for node in el.iter():
            if self.local(node) == name:
                yield node

    # -- meta and preface ---------------------------------------------------------------------
    def read(self, root) -> ParsedDebate:
        debate = self.find(root, "debate")
        if debate is None:
            if self.local(root) == "debate":
                debate = root
            else:
                raise AknError("no <debate> element under the root")
        meta = self.find(debate, "meta")
        work = self.find(meta, "identification", "FRBRWork") if meta is not None else None
        work_this = self._value(work, "FRBRthis")
        work_uri = self._value(work, "FRBRuri")
        key = work_this or work_uri or f"file:{os.path.basename(self.filename)}"
        out = ParsedDebate(key=key[:500], name=clean(debate.get("name")))
        if meta is not None:
            self._references(meta)
            lang = self.find(meta, "identification", "FRBRExpression", "FRBRlanguage")
            if lang is not None:
                out.language = clean(lang.get("language"))[:35] or None
        for container in ("preface", "coverPage"):
            part = self.find(debate, container)
            if part is not None:
                self._preface(part, out)
        if out.date is None:
            out.date = iso_date(work_this) or iso_date(work_uri)
        body = self.find(debate, "debateBody")
        if body is not None:
            self._walk(body, out, section=None, depth=0)
        for node in self.iter(debate, "recordedTime"):
            if node.get("type") == "endEvent" and wall_time(node.get("time")):
                out.end_time = wall_time(node.get("time"))
        if not out.start_time:  # no time in the preface: the first one recorded in the body
            first = next(
                (
                    n
                    for n in self.iter(debate, "recordedTime")
                    if n.get("type", "startEvent") == "startEvent" and wall_time(n.get("time"))
                ),
                None,
            )
            out.start_time = wall_time(first.get("time")) if first is not None else None
        out.title = (out.title or out.name)[:500]
        return out

    def _value(self, el, name):
        node = self.find(el, name) if el is not None else None
        return clean(node.get("value")) if node is not None else ""

    def _references(self, meta) -> None:
        refs = self.find(meta, "references")
        if refs is None:
            return
        for name, node in self.children(refs):
            ref = node.get("eId") or node.get("id") or ""
            if name == "TLCPerson" and ref:
                self.people[ref] = (clean(node.get("href")), clean(node.get("showAs")))
            elif name == "TLCRole" and ref:
                self.roles[ref] = clean(node.get("showAs"))

    def _preface(self, part, out: ParsedDebate) -> None:
        for node in part.iter():
            name = self.local(node)
            if name == "docTitle" and not out.title:
                out.title = clean("".join(node.itertext()))
            elif name == "docDate" and out.date is None:
                out.date = iso_date(node.get("date"))
            elif name == "docNumber" and not out.number:
                out.number = clean("".join(node.itertext()))[:100] or None
            elif name == "legislature" and not out.legislature:
                out.legislature = clean(node.get("value") or "".join(node.itertext()))[:200] or None
            elif name == "session" and not out.session:
                out.session = clean(node.get("value") or "".join(node.itertext()))[:200] or None
            elif name == "link" and not out.source_url:
                href = clean(node.get("href"))
                out.source_url = href[:1000] if href.startswith(("http://", "https://")) else None
            elif name == "recordedTime" and node.get("type", "startEvent") == "startEvent" and not out.start_time:
                out.start_time = wall_time(node.get("time"))

    # -- the body -------------------------------------------------------------------------------
    def _walk(self, el, out: ParsedDebate, section: ParsedSection | None, depth: int) -> None:
        for name, child in self.children(el):
            if name in SECTIONS:
                sec = ParsedSection(
                    position=len(out.sections) + 1,
                    parent=section.position if section else None,
                    depth=depth,
                    kind=name,
                    before_speech=len(out.speeches) + 1,
                )
                out.sections.append(sec)
                self._walk(child, out, sec, depth + 1)
            elif name in ("num", "heading", "subheading") and section is not None:
                text = clean("".join(child.itertext()))
                current = getattr(section, name)
                setattr(section, name, (current + " " + text).strip() if current else text)
            elif name in SPOKEN or name in STAGE:
                self._speech(name, child, out, section)
            elif name == "recordedTime":
                self.pending_time = wall_time(child.get("time")) or self.pending_time
            elif name in ("p", *LISTS):  # loose text between contributions: keep it as stage text
                self._speech("other", child, out, section, loose=True)
            elif len(child):
                out.skipped.add(name)
                self._walk(child, out, section, depth)  # an unknown wrapper: read what it holds
            else:
                out.skipped.add(name)

    def _speech(self, kind: str, el, out: ParsedDebate, section: ParsedSection | None, loose=False) -> None:
        sp = ParsedSpeech(position=len(out.speeches) + 1, section=section.position if section else None, kind=kind)
        if kind in SPOKEN or el.get("by"):
            ref = (el.get("by") or "").strip().lstrip("#").strip()
            sp.speaker_ref = ref[:300]
            href, show_as = self.people.get(ref, ("", ""))
            sp.speaker_href, sp.speaker_name = href[:1000], show_as[:300]
        role = (el.get("as") or "").strip().lstrip("#").strip()
        sp.role = self.roles.get(role, "")[:300]
        sp.start_time = wall_time(el.get("startTime")) or None
        sp.end_time = wall_time(el.get("endTime")) or None
        if loose:
            sp.paragraphs = self._paragraphs_of(el)
        else:
            self._content(el, sp)
        if not sp.start_time:
            first = next(self.iter(el, "recordedTime"), None)
            sp.start_time = wall_time(first.get("time")) if first is not None else self.pending_time
        self.pending_time = None
        out.speeches.append(sp)

    def _content(self, el, sp: ParsedSpeech) -> None:
        paragraphs = []
        if clean(el.text):
            paragraphs.append(clean(el.text))
        for child in el:
            name = self.local(child)
            if name == "from":
                sp.attribution = clean("".join(child.itertext()))[:500]
            elif name is not None:
                paragraphs += self._paragraphs_of(child)
            if clean(child.tail):
                paragraphs.append(clean(child.tail))
        sp.paragraphs = [p for p in paragraphs if p]

    def _paragraphs_of(self, el) -> list[str]:
        name = self.local(el)
        if name in LISTS:
            out = []
            for _n, item in self.children(el):
                out += self._paragraphs_of(item)
            return out
        if name in ("num", "heading", "subheading", "p", "li", "item", "blockContainer") and any(
            self.local(c) in LISTS for c in el
        ):
            out = [clean(el.text)] if clean(el.text) else []
            for child in el:
                out += self._paragraphs_of(child) if self.local(child) else []
                if clean(child.tail):
                    out.append(clean(child.tail))
            return [p for p in out if p]
        text = clean("".join(el.itertext()))
        return [text] if text else []


def parse(data: bytes, filename: str = "") -> ParsedDebate:
    """A debate record from the bytes of a file; AknError when it cannot be read."""
    if len(data) > MAX_BYTES:
        raise AknError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise AknError(f"refused: {type(exc).__name__} (DTDs and entities are not accepted)") from exc
    except SafeET.ParseError as exc:
        raise AknError(f"not well-formed XML: {exc}") from exc
    reader = _Reader(root, filename)
    if reader.local(root) not in ("akomaNtoso", "debate"):
        raise AknError(f"the root element is <{root.tag}>, not <akomaNtoso>")
    return reader.read(root)
