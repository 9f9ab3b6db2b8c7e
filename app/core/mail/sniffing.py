"""What an attachment really is: its first bytes, then its declared type, then its name."""

from __future__ import annotations

import mimetypes
import re

_TYPE_ALIASES = {
    "application/x-pdf": "application/pdf",
    "application/acrobat": "application/pdf",
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/x-png": "image/png",
    "application/vnd.ms-word": "application/msword",
    "application/doc": "application/msword",
    "application/x-msexcel": "application/vnd.ms-excel",
    "application/excel": "application/vnd.ms-excel",
    "application/x-zip-compressed": "application/zip",
    "text/rtf": "application/rtf",
    "application/x-rtf": "application/rtf",
    "application/x-msword": "application/msword",
}
_OOXML = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
_OLE = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".msg": "application/vnd.ms-outlook",
}
_GENERIC = {
    "",
    "application/octet-stream",
    "application/unknown",
    "application/x-unknown",
    "binary/octet-stream",
    "application/binary",
    "application/force-download",
}


def sniff_content_type(data: bytes, declared: str | None, filename: str | None) -> str:
    declared = _TYPE_ALIASES.get((declared or "").lower().strip(), (declared or "").lower().strip())
    ext = ("." + filename.rsplit(".", 1)[-1].lower()) if filename and "." in filename else ""
    head = data[:16]
    if head.startswith(b"%PDF"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        return _OOXML.get(ext) or (declared if declared not in _GENERIC else "application/zip")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _OLE.get(ext) or (declared if declared not in _GENERIC else "application/msword")
    for magic, ctype in (
        (b"\x89PNG", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF8", "image/gif"),
        (b"{\\rtf", "application/rtf"),
        (b'x\x9f>"', "application/ms-tnef"),
    ):
        if head.startswith(magic):
            return ctype
    if declared not in _GENERIC:
        return declared
    guessed = mimetypes.guess_type(filename or "")[0]
    if guessed:
        return _TYPE_ALIASES.get(guessed, guessed)
    if re.match(rb"(?:From|Received|Return-Path|Message-ID|To|Subject): ", data[:200], re.I):
        return "message/rfc822"
    try:
        data[:4096].decode("utf-8")
        if b"\x00" not in data[:4096]:
            return "text/plain"
    except UnicodeDecodeError:
        pass
    return "application/octet-stream"
