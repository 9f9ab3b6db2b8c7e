"""Photos: decoded and re-encoded server-side (EXIF and GPS dropped, orientation applied)."""

from __future__ import annotations

import io
import os
import re
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED = {"JPEG", "PNG", "WEBP"}
DISPLAY = 1024
THUMB = 240
MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
KEY_RE = re.compile(r"^[0-9a-f]{32}$")


MAX_PHOTOS = 3  # on one report
PHOTO_MESSAGES = {
    "too_big": _l("A photo is too big (8 MB at most)."),
    "format": _l("Photos must be JPEG, PNG or WebP images."),
}
FORM_SLACK = 1024 * 1024  # the rest of the details form around the photos


class PhotoError(ValueError):
    pass


def upload_limit() -> int:
    """The request size the photo forms accept: REPORTS_MAX_UPLOAD when set, else enough that
    three legal photos never give a 413 even when MAX_CONTENT_LENGTH is lower."""
    explicit = current_app.config.get("REPORTS_MAX_UPLOAD")
    if explicit:
        return int(explicit)
    configured = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return max(configured, MAX_PHOTOS * MAX_PHOTO_BYTES + FORM_SLACK)


def save_uploads(files, kept: list[str], limit: int) -> tuple[list[str], list[str]]:
    """Save the uploaded files after the photos kept, up to `limit` in all: (keys, messages)."""
    kept, problems = list(kept), []
    for f in files or []:
        if not getattr(f, "filename", ""):
            continue
        if len(kept) >= limit:
            problems.append(ngettext("You can add up to %(num)s photo.", "You can add up to %(num)s photos.", limit))
            break
        try:
            kept.append(save_upload(f.read(MAX_PHOTO_BYTES + 1)))
        except PhotoError as exc:
            problems.append(str(PHOTO_MESSAGES.get(str(exc), PHOTO_MESSAGES["format"])))
    return kept, problems


def folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_for(key: str, size: str = "full") -> Path | None:
    if not KEY_RE.match(key or ""):
        return None
    return folder() / (f"{key}-t.jpg" if size == "thumb" else f"{key}.jpg")


def save_upload(data: bytes) -> str:
    """Validate and re-encode one upload; returns its key. Raises PhotoError with a message key."""
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError("too_big")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if fmt not in ALLOWED:
                raise PhotoError("format")
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoError("too_big")
        img = Image.open(io.BytesIO(data))
        img.load()
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise PhotoError("format") from exc
    img = ImageOps.exif_transpose(img)
    if img.mode not in ("RGB", "L"):
        background = Image.new("RGB", img.size, (255, 255, 255))
        rgba = img.convert("RGBA")
        background.paste(rgba, mask=rgba.split()[-1])
        img = background
    img = img.convert("RGB")
    key = secrets.token_hex(16)
    display = img.copy()
    display.thumbnail((DISPLAY, DISPLAY))
    thumb = img.copy()
    thumb.thumbnail((THUMB, THUMB))
    # Saved without exif=/icc_profile=: nothing from the original file's metadata survives.
    display.save(path_for(key), "JPEG", quality=82, optimize=True)
    thumb.save(path_for(key, "thumb"), "JPEG", quality=75, optimize=True)
    return key


def dimensions(key: str) -> tuple[int, int]:
    p = path_for(key)
    if p is None or not p.exists():
        return 0, 0
    with Image.open(p) as img:
        return img.width, img.height


def exists(key: str) -> bool:
    p = path_for(key)
    return bool(p and p.exists())


def delete(key: str) -> None:
    for size in ("full", "thumb"):
        p = path_for(key, size)
        if p and p.exists():
            os.remove(p)
