"""Security headers on every response."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, g, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from . import errors
from .i18n import canonical_tag
from .negotiation import negotiate


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
        # HTTPS only from now on, once a production site has been reached over HTTPS (behind
        # nginx, PLAZA_PROXY_FIX makes request.is_secure follow X-Forwarded-Proto).
        max_age = current_app.config.get("PLAZA_HSTS_MAX_AGE", 0)
        if max_age and request.is_secure and current_app.config.get("PLAZA_ENV") == "production":
            resp.headers.setdefault("Strict-Transport-Security", f"max-age={max_age}; includeSubDomains")
        return resp

    @app.errorhandler(CSRFError)
    def form_expired(exc):
        """A form whose token no longer matches (the session ended, e.g. signed out in another tab,
        or the page was open too long): say so, and offer the form again."""
        if errors.wants_json() or any(
            request.path.startswith(p) for p in current_app.extensions.get("plaza_error_renderers", {})
        ):
            return errors.render_error(400, _("The form expired. Please reload the page and try again."))
        errors._rollback()
        if not g.get("lang"):
            g.lang = canonical_tag(request.path.lstrip("/").split("/", 1)[0]) or negotiate()
        # The page that posted (same site only), else the URL the form was sent to.
        back = request.path
        referrer = urlsplit(request.referrer or "")
        if referrer.netloc == request.host and referrer.path.startswith("/") and not referrer.path.startswith("//"):
            back = referrer.path + (f"?{referrer.query}" if referrer.query else "")
        return render_template("core/form_expired.html", back=back), 400
