"""How a reply's text is shown: the links of an HTML reply kept as text, and only the quoted tail
folded away (an authority that answers between the quoted questions keeps its answers in view).

Both wrap core.mail's readers (which turn HTML into text without its links, and fold from the
first quoted line): the FOI thread needs more than other mail does.
"""

from __future__ import annotations

import html as htmllib
import re

from ..core.mail.parsing import fold_quoted, html_to_text

_MARK = "\ue000"  # put before a quoted line that is part of the answer, so that it is not folded
_ATTRIBUTION = re.compile(r"^(On|El|Le|Am|Ar)\s.{0,200}(wrote|escribió|a écrit|schrieb|ysgrifennodd)\s*:\s*$", re.I)
_ANCHOR = re.compile(r"<a\b([^>]*)>(.*?)</a\s*>", re.I | re.S)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def _quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


# Header blocks of a quoted message in French and Arabic mail programs ("De :", "Envoyé :", "À :",
# "Objet :"; "من:", "إلى:", "الموضوع:"), which core.mail does not know.
_HEADER = re.compile(r"^\*?(De|Envoy[ée]( le)?|[ÀA]|Objet|Cc|Date|من|المرسل|إلى|الى|الموضوع|التاريخ"
                     r"|تاريخ الإرسال|أرسل|نسخة)\*?\s*:", re.I)


def _header_cut(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if i == 0 or not _HEADER.match(line.strip()):
            continue
        if sum(bool(_HEADER.match(x.strip())) for x in lines[i:i + 5]) >= 3 and \
                any(x.strip() for x in lines[:i]):
            return i
    return None


def fold_reply(text: str) -> tuple[str, str]:
    main, folded = _fold_reply(text)
    if folded:
        return main, folded
    lines = main.split("\n")
    cut = _header_cut(lines)
    if cut is None:
        return main, folded
    return "\n".join(lines[:cut]).rstrip(), "\n".join(lines[cut:]).strip("\n")


def _fold_reply(text: str) -> tuple[str, str]:
    """(main, folded). Quoted lines are folded only where they are the tail of the message (the
    earlier message quoted below the answer); quoted lines followed by the sender's own text are
    inline answers, or a line that merely starts with ">", and stay in view."""
    text = (text or "").replace(_MARK, "")
    lines = text.split("\n")
    own = [i for i, line in enumerate(lines) if line.strip() and not _quoted(line)]
    if not own or not any(_quoted(line) for line in lines):
        return fold_quoted(text)
    last_own = own[-1]
    marked = list(lines)
    for i in range(last_own):
        line = lines[i]
        if _quoted(line):
            marked[i] = _MARK + line
        elif _ATTRIBUTION.match(line.strip()):
            following = next((x for x in lines[i + 1:] if x.strip()), "")
            if _quoted(following):  # "On … wrote:" above inline answers
                marked[i] = _MARK + line
    main, folded = fold_quoted("\n".join(marked))

    def clean(part: str) -> str:
        return part.replace(_MARK, "")

    return clean(main), clean(folded)


def _anchors(html: str) -> list[tuple[str, str]]:
    """[(label text, URL)] of the web links in an HTML message, in order."""
    out = []
    for attrs, inner in _ANCHOR.findall(html or ""):
        m = _HREF.search(attrs)
        if not m:
            continue
        url = htmllib.unescape(next(g for g in m.groups() if g is not None)).strip()
        if not re.match(r"(?i)^(https?|ftp)://[^\s<>\"]+$", url):
            continue  # mailto: would publish an address; javascript: and relative links mean nothing here
        label = html_to_text(inner).strip()
        out.append((label, url))
    return out


def html_links_text(text: str, html: str | None) -> str:
    """The text of a reply with the address of each web link of its HTML written after the link's
    words ("Ver documento (http://ejemplo.es/doc)"), so that the page, feeds, API and search keep it."""
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
        if url in label or text[end:end + len(url) + 3].lstrip(" (<").startswith(url):
            pos = end
            continue
        addition = f" ({url})"
        text = text[:end] + addition + text[end:]
        pos = end + len(addition)
    return text
