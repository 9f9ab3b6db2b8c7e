"""Decoding email text: charsets (mislabelled Latin-1 is cp1252, UTF-7, broken bytes), encoded
headers, double-encoded UTF-8 ("mojibake"), and HTML to plain text. Never raises on bad input."""

from __future__ import annotations

import re
from email.header import decode_header
from html.parser import HTMLParser

_CHARSET_ALIASES = {
    "unicode-1-1-utf-7": "utf-7",
    "utf7": "utf-7",
    "x-unknown": "",
    "unknown-8bit": "",
    "ansi_x3.4-1968": "ascii",
    "us-ascii": "ascii",
    "iso-8859-1": "latin-1",
    "iso8859-1": "latin-1",
    "latin1": "latin-1",
    "windows-1252": "cp1252",
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}


def decode_bytes(data: bytes, charset: str | None, state=None) -> str:
    """Decode with the declared charset, treating Latin-1/ASCII as cp1252 and never failing."""
    cs = (charset or "").strip().strip('"').lower()
    cs = _CHARSET_ALIASES.get(cs, cs)
    if cs in ("latin-1", "ascii", "cp1252", ""):
        try:
            return data.decode("utf-8") if cs in ("", "ascii") else data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    try:
        return data.decode(cs)
    except LookupError:
        return decode_bytes(data, "", state)
    except UnicodeDecodeError:
        if state is not None:
            state.note("undecodable")
        return data.decode(cs, errors="replace")


_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u2122]")


def _unmojibake_once(text: str) -> str | None:
    out = bytearray()
    for ch in text:
        if ord(ch) < 256:
            out.append(ord(ch))
        else:
            try:
                out += ch.encode("cp1252")
            except UnicodeEncodeError:
                return None
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # A no-break space (0xA0) inside a character is often turned into a plain space on the way.
    fixed = re.sub(rb"([\xc2-\xdf]) ", b"\\1\xa0", bytes(out)).decode("utf-8", errors="replace")
    return fixed if fixed.count("\ufffd") <= len(fixed) // 100 else None


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Latin-1/cp1252 (once or twice) when that is clearly the case."""
    for _ in range(3):
        if len(_MOJIBAKE.findall(text)) < max(3, len(text) // 50):
            break
        fixed = _unmojibake_once(text)
        if fixed is None or len(fixed) >= len(text):
            break
        text = fixed
    return text


def decode_header_value(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        try:
            value = str(value)
        except Exception:  # noqa: BLE001
            return ""
    try:
        parts = decode_header(value)
    except Exception:  # noqa: BLE001
        return value
    out = []
    for chunk, cs in parts:
        out.append(decode_bytes(chunk, cs) if isinstance(chunk, bytes) else chunk)
    text = "".join(out) if any(cs for _, cs in parts) else " ".join(out)
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------- HTML to text


class _HtmlText(HTMLParser):
    BLOCK = {
        "p",
        "div",
        "br",
        "tr",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "hr",
        "section",
        "article",
        "header",
        "footer",
    }
    SKIP = {"script", "style", "head", "title", "object"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.out.append("\n")
            if tag == "li":
                self.out.append("• ")
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK and tag != "br":
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001
        return re.sub(r"<[^<>]+>", " ", html)  # not [^>]: "<<<<…" would be rescanned from each "<"
    lines = [line.strip() for line in "".join(parser.out).replace("\xa0", " ").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
