"""Plain text of an RTF document: control words dropped, special characters and \\'hh / \\uN
escapes decoded, and groups that are not body text (font tables, pictures, \\* destinations) skipped."""

from __future__ import annotations

import re

TOKEN = re.compile(r"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S)
# Destinations whose content is not the document's text.
SKIP = {
    "fonttbl",
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "object",
    "themedata",
    "colorschememapping",
    "latentstyles",
    "datastore",
    "xmlnstbl",
    "listtable",
    "listoverridetable",
    "rsidtbl",
    "generator",
    "header",
    "footer",
    "headerl",
    "headerr",
    "headerf",
    "footerl",
    "footerr",
    "footerf",
    "fldinst",
    "filetbl",
    "revtbl",
    "pgdsctbl",
    "bkmkstart",
    "bkmkend",
    "nonshppict",
    "shpinst",
}
SPECIAL = {
    "par": "\n",
    "line": "\n",
    "sect": "\n\n",
    "page": "\n",
    "row": "\n",
    "cell": "\t",
    "tab": "\t",
    "emdash": "\u2014",
    "endash": "\u2013",
    "bullet": "\u2022",
    "lquote": "\u2018",
    "rquote": "\u2019",
    "ldblquote": "\u201c",
    "rdblquote": "\u201d",
    "emspace": " ",
    "enspace": " ",
    "qmspace": " ",
}
MAX_DEPTH = 500


def rtf_text(data: bytes) -> str | None:
    """The text of an RTF file, or None when it is not RTF."""
    source = data.decode("latin-1")
    if not source.startswith("{\\rtf"):
        return None
    codepage = "cp1252"
    found = re.search(r"\\ansicpg(\d{3,5})", source[:2000])
    if found:
        try:
            "".encode(f"cp{found.group(1)}")
            codepage = f"cp{found.group(1)}"
        except LookupError:
            pass
    out, pending = [], bytearray()  # \'hh bytes are decoded together (multi-byte code pages)
    stack, skipping, uc, to_skip = [], False, 1, 0

    def flush():
        if pending:
            out.append(pending.decode(codepage, "replace"))
            pending.clear()

    for word, arg, hexa, symbol, brace, text in (m.groups() for m in TOKEN.finditer(source)):
        if to_skip and (hexa or text or symbol):  # the ANSI stand-in after a \uN
            if text:
                text, to_skip = text[to_skip:] or None, max(0, to_skip - len(text))
            else:
                to_skip -= 1
                continue
        if brace == "{":
            if len(stack) > MAX_DEPTH:
                return None
            stack.append((skipping, uc))
        elif brace == "}":
            flush()
            if stack:
                skipping, uc = stack.pop()
        elif symbol == "*":
            skipping = True
        elif skipping:
            continue
        elif hexa:
            pending.append(int(hexa, 16))
        else:
            flush()
            if word in SKIP:
                skipping = True
            elif word == "uc" and arg:
                uc = int(arg)
            elif word == "u" and arg:
                out.append(chr(int(arg) % 65536))
                to_skip = uc
            elif word in SPECIAL:
                out.append(SPECIAL[word])
            elif symbol in ("\\", "{", "}"):
                out.append(symbol)
            elif symbol in ("\n", "\r"):
                out.append("\n")
            elif symbol == "~":
                out.append("\u00a0")
            elif symbol == "_":
                out.append("-")
            elif text:  # raw 8-bit characters are in the document's code page too
                out.append(text.encode("latin-1").decode(codepage, "replace"))
    flush()
    # \uN pairs may be UTF-16 surrogates: join them into real characters
    joined = "".join(out).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    lines = "\n".join(line.rstrip() for line in joined.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", lines).strip() or None
