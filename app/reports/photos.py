"""Photos: decoded and re-encoded server-side (EXIF and GPS dropped, orientation applied)."""

from __future__ import annotations

import io
import os
import re
import secrets
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED = {"JPEG", "PNG", "WEBP"}
DISPLAY = 1024
THUMB = 240
MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
KEY_RE = re.compile(r"^[0-9a-f]{32}$")


class PhotoError(ValueError):
    pass


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
