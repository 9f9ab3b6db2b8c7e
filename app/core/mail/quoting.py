"""Folding quoted text: earlier messages quoted in a reply (in several languages and mail programs)
and long signature/disclaimer blocks are split off, to be shown behind "show quoted text"."""

from __future__ import annotations

import re

_QUOTE_START = [
    re.compile(r"^-{2,}\s*(Original Message|Forwarded message|Mensaje original|Message d'origine"
               r"|Ursprüngliche Nachricht|Neges wreiddiol)\s*-{2,}", re.I),
    re.compile(r"^_{10,}\s*$"),
    # "On <date>, <name> wrote:" and the like; Welsh puts the verb before the name:
    # "Ar <date>, ysgrifennodd <name>:".
    re.compile(r"^(On|El|Le|Am|Ar)\s.{0,200}(wrote|escribió|a écrit|schrieb|ysgrifennodd)\s*:\s*$"
               r"|^Ar\s.{0,200}\bysgrifennodd\b.{0,200}:\s*$", re.I),
    re.compile(r"^>"),
    re.compile(r"^\S.{0,100}<[^>\s]+@[^>\s]+>\s*$"),  # Lotus Notes: "Name <addr>" then date, To, cc
]
_HEADER_LINE = re.compile(r"^\*?(From|De|Von|Oddi wrth|Sent|Enviado|Date|Fecha|To|Para|Subject|Asunto)\*?\s*:", re.I)
_DISCLAIMER = re.compile(r"(this (e-?mail|message)( and any)?.{0,40}(confidential|intended)|intended recipient"
                         r"|scanned for viruses|disclaimer|privileged|aviso legal|confidencial)", re.I)


def fold_quoted(text: str) -> tuple[str, str]:
    """Split `text` into (main, folded): quoted earlier messages and long trailing disclaimers."""
    lines = (text or "").split("\n")
    cut = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if i == 0 or not stripped:
            continue
        if any(p.match(stripped) for p in _QUOTE_START[:4]):
            cut = i
        elif _HEADER_LINE.match(stripped) and sum(bool(_HEADER_LINE.match(x.strip())) for x in lines[i:i + 5]) >= 2:
            cut = i
        elif _QUOTE_START[4].match(stripped) and any(x.strip() in ("To", "cc") for x in lines[i + 1:i + 8]):
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
        if (idx > 0 and _DISCLAIMER.search(paragraphs[idx]) and len(rest) > 200) or \
                (paragraphs[idx].strip().startswith("-- ") and idx > 0 and len(rest) > 300):
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
