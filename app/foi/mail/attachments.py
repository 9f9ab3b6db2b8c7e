"""Text of attachments, extracted server-side: PDF (pypdf), Word (python-docx; old .doc and RTF
with our own readers), plain text in any encoding (UTF-16 and UTF-32 too), HTML, JSON, XML, email."""

from __future__ import annotations

import codecs
import html
import io
import json
import logging
import re
from email import message_from_bytes, policy

import docx
from pypdf import PdfReader

from ...core.mail.parsing import decode_bytes, decode_header_value, html_to_text, parse
from .msword import doc_text
from .rtf import rtf_text

log = logging.getLogger(__name__)
MAX_TEXT = 500_000
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
RTF = ("application/rtf", "text/rtf")
EMAIL = "message/rfc822"
VIEWABLE = ("application/pdf", DOCX, DOC, *RTF, EMAIL)
# Data files that are text underneath: redacted and masked like text/* (never served as they came).
TEXTUAL = (
    "application/json",
    "application/xml",
    "application/csv",
    "application/x-csv",
    "application/x-yaml",
    "application/yaml",
    "application/javascript",
    "application/x-ndjson",
    "application/sql",
)
MARKUP = ("text/html", "application/xhtml+xml")
MAX_DEPTH = 3


def is_textual(content_type: str) -> bool:
    """Text files and text data formats (JSON, XML, CSV …): their bytes are text a rule can reach."""
    ctype = (content_type or "").lower()
    return (ctype.startswith("text/") or ctype in TEXTUAL or ctype.endswith(("+xml", "+json"))) and ctype not in RTF


def can_view_as_text(content_type: str) -> bool:
    return content_type in VIEWABLE or is_textual(content_type)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(data: bytes) -> str:
    """The text of a text file: a byte-order mark (UTF-8, UTF-16, UTF-32) or UTF-16 without one
    (every other byte NUL) is honoured; otherwise UTF-8, else Windows-1252. Never raises."""
    data = data or b""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    head = data[:4096]
    if len(head) >= 4:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > len(odd) * 0.4 and even.count(0) < len(even) * 0.1:
            return data.decode("utf-16-le", errors="replace")
        if even.count(0) > len(even) * 0.4 and odd.count(0) < len(odd) * 0.1:
            return data.decode("utf-16-be", errors="replace")
    return decode_bytes(data, None)


def _json_text(text: str) -> str:
    """JSON with its escapes ("P\\u00e9rez") written out, so that what a reader sees is what is redacted."""
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, indent=1)
    except ValueError:
        return unescape_json(text)


def unescape_json(text: str) -> str:
    def one(m):
        try:
            return json.loads(f'"{m.group(0)}"')
        except ValueError:
            return m.group(0)

    return re.sub(r"(?:\\u[0-9a-fA-F]{4})+|\\[/\\\"bfnrt]", one, text)


def readable_text(content_type: str, data: bytes) -> str:
    """The text of a textual attachment as a reader sees it: markup turned into text, entities and
    JSON escapes resolved (this is what redaction rules and masking must be applied to)."""
    ctype = (content_type or "").lower()
    text = decode_text(data)
    if ctype in MARKUP:
        text = html_to_text(text)
    elif ctype.endswith("json") or ctype == "application/x-ndjson":
        text = _json_text(text)
    elif ctype.endswith("xml"):
        text = html.unescape(text)
    return text.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate from an escape


def email_text(data: bytes, depth: int = 0) -> str:
    """An attached email as text: its headers (From, To, Date, Subject), its body, and the text of
    what it carries."""
    msg = message_from_bytes(data or b"", policy=policy.compat32)
    lines = []
    for name in ("From", "To", "Cc", "Date", "Subject"):
        value = decode_header_value(msg.get(name))
        if value:
            lines.append(f"{name}: {value}")
    parsed = parse(msg)
    parts = ["\n".join(lines), parsed.text]
    for inner in parsed.attachments:
        inner_text = extract_text(inner.content_type, inner.data, depth + 1) if depth < MAX_DEPTH else None
        parts.append(f"[{inner.filename}]" + (f"\n{inner_text}" if inner_text else ""))
    return "\n\n".join(p.strip("\n") for p in parts if p and p.strip())


def inner_attachments(content_type: str, data: bytes, depth: int = 0) -> list:
    """The files inside an attached email (and inside emails attached to it), in order."""
    if content_type != EMAIL or depth >= MAX_DEPTH:
        return []
    try:
        found = parse(data).attachments
    except Exception:  # noqa: BLE001 - an unreadable email simply has nothing inside
        return []
    out = []
    for att in found:
        out.append(att)
        out.extend(inner_attachments(att.content_type, att.data, depth + 1))
    return out


def extract_text(content_type: str, data: bytes, depth: int = 0) -> str | None:
    """Readable text of an attachment, or None when there is none (never raises)."""
    try:
        if content_type == "application/pdf":
            reader = PdfReader(io.BytesIO(data))
            text = "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
        elif content_type == DOCX:
            text = _docx_text(docx.Document(io.BytesIO(data)))
        elif content_type == DOC:
            text = doc_text(data)
        elif content_type in RTF:
            text = rtf_text(data)
        elif content_type == EMAIL:
            text = email_text(data, depth)
        elif is_textual(content_type):
            text = readable_text(content_type, data)
        else:
            return None
    except Exception:  # noqa: BLE001 - a broken file simply has no text view
        log.info("no text from a %s attachment", content_type, exc_info=True)
        return None
    text = (text or "").replace("\x00", "").strip()
    return text[:MAX_TEXT] or None


def _docx_text(document) -> str:
    """Paragraphs and tables in document order (a table row per line, cells separated by tabs)."""
    lines = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                cells = []
                for cell in row.cells:
                    if not cells or cells[-1] is not cell:  # merged cells repeat
                        cells.append(cell)
                lines.append("\t".join(c.text.strip() for c in cells))
        else:
            lines.append(block.text)
    return "\n".join(lines)
