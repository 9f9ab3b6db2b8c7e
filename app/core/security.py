"""Security headers on every response."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def register(app) -> None:
    @app.after_request
    def headers(resp):
        prof = current_app.extensions["plaza_profile"]
        img = ["'self'", "data:"]
        if prof.tile_url:
            parts = urlsplit(prof.tile_url.replace("{s}", "a"))
            host = parts.netloc.replace("a.", "*.", 1) if "{s}" in prof.tile_url else parts.netloc
            img.append(f"{parts.scheme}://{host}")
        extra_img = current_app.config.get("CSP_IMG_SOURCES") or []
        if isinstance(extra_img, str):  # a config override may give them as one string
            extra_img = extra_img.split()
        csp = (
            "default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src {' '.join(img + list(extra_img))}; connect-src 'self'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
        )
        resp.headers.setdefault("Content-Security-Policy", csp)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        return resp
