"""Header values written out by hand, because the standard library gets them wrong.

Its folding of long RFC 2047 encoded words loses the spaces between them (a Welsh or Arabic
subject arrives with words run together), and it encodes a long ASCII value such as a
List-Unsubscribe URL, which mail programs then cannot use. So the outbox stores these values
ready to send: ASCII, folded only where RFC 5322 allows, encoded words of whole characters."""

from __future__ import annotations

import base64

# RFC 5322: lines SHOULD stay within 78 characters, MUST within 998; RFC 2047: an encoded word
# is at most 75 characters.
LINE = 78
HARD_LIMIT = 998
WORD = 75
_PREFIX, _SUFFIX = "=?utf-8?b?", "?="


def list_unsubscribe(url: str) -> dict:
    """The headers of a mail with a stop link: RFC 2369's raw <URL>, and RFC 8058's one-click
    POST (the signed token in the URL is the proof, so the view takes that POST without CSRF)."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _encoded_words(text: str, first_room: int):
    """Base64 encoded words of whole characters (a word never splits a UTF-8 sequence)."""
    room, chunk = first_room, b""
    for char in text:
        data = char.encode("utf-8")
        if chunk and len(_PREFIX) + 4 * -(-len(chunk + data) // 3) + len(_SUFFIX) > room:
            yield _PREFIX + base64.b64encode(chunk).decode("ascii") + _SUFFIX
            room, chunk = WORD, b""
        chunk += data
    if chunk:
        yield _PREFIX + base64.b64encode(chunk).decode("ascii") + _SUFFIX


def _fold_ascii(name: str, value: str) -> str:
    """Fold at spaces (a fold is a CRLF before existing whitespace, so unfolding restores it)."""
    lines, line = [], ""
    used = len(name) + 2
    for word in value.split(" "):
        if line and used + len(line) + 1 + len(word) > LINE:
            lines.append(line)
            line, used = word, 1
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\r\n ".join(lines)


def encode_unstructured(name: str, value: str) -> str:
    """A header value (one line of text, e.g. Subject) ready to send as it is: ASCII text folded
    at spaces, or, with any non-ASCII character (or an accidental encoded word, or a line too
    long to fold), all of it as encoded words, one per line. The spaces are inside the encoded
    words: whitespace between encoded words is dropped when they are decoded (RFC 2047, 6.2)."""
    if value.isascii() and "=?" not in value:
        folded = _fold_ascii(name, value)
        if all(len(line) <= HARD_LIMIT for line in folded.split("\r\n")):
            return folded
    return "\r\n ".join(_encoded_words(value, min(WORD, LINE - len(name) - 2)))


def raw_ascii(value: str) -> bool:
    """Can this value go out as it is (ASCII, no encoded-word look-alike, within the limit)?"""
    return value.isascii() and "=?" not in value and len(value) <= HARD_LIMIT - 80
