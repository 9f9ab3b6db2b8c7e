"""Folding quoted text: earlier messages quoted in a reply (in several languages and mail programs)
and long signature/disclaimer blocks are split off, to be shown behind "show quoted text".

Only the quoted tail is folded: an answer written between the quoted questions keeps them in view.
`html_links_text` writes the address of each web link of an HTML reply after the link's words, so
that what is published from the text keeps them.
"""

from __future__ import annotations

import html as htmllib
import re

from .charsets import html_to_text

_QUOTE_START = [
    re.compile(
        r"^-{2,}\s*(Original Message|Forwarded message|Mensaje original|Message d'origine"
        r"|Ursprüngliche Nachricht|Neges wreiddiol)\s*-{2,}",
        re.I,
    ),
    re.compile(r"^_{10,}\s*$"),
    # "On <date>, <name> wrote:" and the like; Welsh puts the verb before the name:
    # "Ar <date>, ysgrifennodd <name>:".
    re.compile(
        r"^(On|El|Le|Am|Ar)\s.{0,200}(wrote|escribió|a écrit|schrieb|ysgrifennodd)\s*:\s*$"
        r"|^Ar\s.{0,200}\bysgrifennodd\b.{0,200}:\s*$",
        re.I,
    ),
    re.compile(r"^>"),
    re.compile(r"^\S.{0,100}<[^>\s@]+@[^>\s]+>\s*$"),  # Lotus Notes: "Name <addr>" then date, To, cc
]
_HEADER_LINE = re.compile(r"^\*?(From|De|Von|Oddi wrth|Sent|Enviado|Date|Fecha|To|Para|Subject|Asunto)\*?\s*:", re.I)
# Header blocks of a quoted message in French and Arabic mail programs ("De :", "Envoyé :", "À :",
# "Objet :"; "من:", "إلى:", "الموضوع:"); three of them in five lines make a block.
_FR_AR_HEADER = re.compile(
    r"^\*?(De|Envoy[ée]( le)?|[ÀA]|Objet|Cc|Date|من|المرسل|إلى|الى|الموضوع|التاريخ"
    r"|تاريخ الإرسال|أرسل|نسخة)\*?\s*:",
    re.I,
)
_DISCLAIMER = re.compile(
    r"(this (e-?mail|message)( and any)?.{0,40}(confidential|intended)|intended recipient"
    r"|scanned for viruses|disclaimer|privileged|aviso legal|confidencial)",
    re.I,
)
_ATTRIBUTION = re.compile(r"^(On|El|Le|Am|Ar)\s.{0,200}(wrote|escribió|a écrit|schrieb|ysgrifennodd)\s*:\s*$", re.I)
_MARK = "\ue000"  # put before a quoted line that is part of the answer, so that it is not folded
# Opening tags, each paired with the next closing tag (both lists read once, see _anchors): one regex
# `<a…>(.*?)</a>` rescans to the end from every unclosed "<a>".
_ANCHOR_OPEN = re.compile(r"<a\b([^<>]*)>", re.I)
_ANCHOR_CLOSE = re.compile(r"</a\s*>", re.I)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def fold_quoted(text: str) -> tuple[str, str]:
    """Split `text` into (main, folded): the quoted earlier message at its end, a French or Arabic
    quoted header block, and long trailing disclaimers."""
    main, folded = _fold_tail(text)
    if folded:
        return main, folded
    lines = main.split("\n")
    cut = _header_block(lines)
    if cut is None:
        return main, folded
    return "\n".join(lines[:cut]).rstrip(), "\n".join(lines[cut:]).strip("\n")


def _quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def _header_block(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if i == 0 or not _FR_AR_HEADER.match(line.strip()):
            continue
        if sum(bool(_FR_AR_HEADER.match(x.strip())) for x in lines[i : i + 5]) >= 3 and any(
            x.strip() for x in lines[:i]
        ):
            return i
    return None


def _fold_tail(text: str) -> tuple[str, str]:
    """Quoted lines are folded only where they are the tail of the message (the earlier message
    quoted below the answer); quoted lines followed by the sender's own text are inline answers,
    or a line that merely starts with ">", and stay in view."""
    text = (text or "").replace(_MARK, "")
    lines = text.split("\n")
    own = [i for i, line in enumerate(lines) if line.strip() and not _quoted(line)]
    if not own or not any(_quoted(line) for line in lines):
        return _fold_from_first_quote(text)
    last_own = own[-1]
    marked = list(lines)
    for i in range(last_own):
        line = lines[i]
        if _quoted(line):
            marked[i] = _MARK + line
        elif _ATTRIBUTION.match(line.strip()):
            following = next((x for x in lines[i + 1 :] if x.strip()), "")
            if _quoted(following):  # "On … wrote:" above inline answers
                marked[i] = _MARK + line
    main, folded = _fold_from_first_quote("\n".join(marked))
    return main.replace(_MARK, ""), folded.replace(_MARK, "")


def _fold_from_first_quote(text: str) -> tuple[str, str]:
    lines = (text or "").split("\n")
    cut = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if i == 0 or not stripped:
            continue
        if any(p.match(stripped) for p in _QUOTE_START[:4]):
            cut = i
        elif _HEADER_LINE.match(stripped) and sum(bool(_HEADER_LINE.match(x.strip())) for x in lines[i : i + 5]) >= 2:
            cut = i
        elif _QUOTE_START[4].match(stripped) and any(x.strip() in ("To", "cc") for x in lines[i + 1 : i + 8]):
            cut = i
        if cut is not None:
            break
    if cut is not None and not any(x.strip() and not x.lstrip().startswith(">") for x in lines[:cut]):
        cut = None
    main_lines = lines if cut is None else lines[:cut]
    # A long disclaimer/signature at the end of what is left: fold from its paragraph.
    body = "\n".join(main_lines)
    paragraphs = re.split(r"(\n\s*\n)", body)
    for idx in range(len(paragraphs)):
        rest = "".join(paragraphs[idx:])
        if (idx > 0 and _DISCLAIMER.search(paragraphs[idx]) and len(rest) > 200) or (
            paragraphs[idx].strip().startswith("-- ") and idx > 0 and len(rest) > 300
        ):
            main_part = "".join(paragraphs[:idx]).rstrip()
            if main_part.strip():
                folded_tail = rest.strip("\n")
                extra = "\n".join(lines[cut:]) if cut is not None else ""
                return main_part, (folded_tail + ("\n\n" + extra if extra else "")).strip("\n")
            break
    main = body.rstrip()
    if cut is None or not main.strip():
        return (text or "").rstrip(), ""
    return main, "\n".join(lines[cut:]).strip("\n")


def _anchors(html: str) -> list[tuple[str, str]]:
    """[(label text, URL)] of the web links in an HTML message, in order."""
    out, html = [], html or ""
    closes = iter(_ANCHOR_CLOSE.finditer(html))
    close, pos = next(closes, None), 0
    for opening in _ANCHOR_OPEN.finditer(html):
        if opening.start() < pos:
            continue  # inside the previous link
        while close is not None and close.start() < opening.end():
            close = next(closes, None)
        if close is None:
            break
        attrs, inner, pos = opening.group(1), html[opening.end() : close.start()], close.end()
        m = _HREF.search(attrs)
        if not m:
            continue
        url = htmllib.unescape(next(g for g in m.groups() if g is not None)).strip()
        if not re.match(r"(?i)^(https?|ftp)://[^\s<>\"]+$", url):
            continue  # mailto: would publish an address; javascript: and relative links mean nothing here
        out.append((html_to_text(inner).strip(), url))
    return out


def html_links_text(text: str, html: str | None) -> str:
    """The text of a message with the address of each web link of its HTML written after the link's
    words ("Ver documento (http://ejemplo.es/doc)"), so that pages, feeds, APIs and search keep it."""
    if not html or not text:
        return text or ""
    pos = 0
    for label, url in _anchors(html):
        if not label:
            continue
        at = text.find(label, pos)
        if at < 0:
            continue
        end = at + len(label)
        if url in label or text[end : end + len(url) + 3].lstrip(" (<").startswith(url):
            pos = end
            continue
        addition = f" ({url})"
        text = text[:end] + addition + text[end:]
        pos = end + len(addition)
    return text
