"""Text of attachments, extracted server-side: PDF (pypdf), Word (python-docx; old .doc and RTF
with our own readers), plain text, email."""

from __future__ import annotations

import io
import logging

log = logging.getLogger(__name__)
MAX_TEXT = 500_000
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
RTF = ("application/rtf", "text/rtf")
VIEWABLE = ("application/pdf", DOCX, DOC, *RTF, "message/rfc822")


def can_view_as_text(content_type: str) -> bool:
    return content_type in VIEWABLE or content_type.startswith("text/")


def extract_text(content_type: str, data: bytes) -> str | None:
    """Readable text of an attachment, or None when there is none (never raises)."""
    try:
        if content_type == "application/pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            text = "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
        elif content_type == DOCX:
            import docx

            text = _docx_text(docx.Document(io.BytesIO(data)))
        elif content_type == DOC:
            from .msword import doc_text

            text = doc_text(data)
        elif content_type in RTF:
            from .rtf import rtf_text

            text = rtf_text(data)
        elif content_type == "message/rfc822":
            from ..core.mail.parsing import parse

            text = parse(data).text
        elif content_type.startswith("text/"):
            from ..core.mail.parsing import decode_bytes, html_to_text

            text = decode_bytes(data, None)
            if content_type == "text/html":
                text = html_to_text(text)
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
