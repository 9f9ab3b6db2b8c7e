"""Core pages: the language redirect at /, the home page, and the language cookie."""

from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template, url_for

from .negotiation import negotiate

bp = Blueprint("core", __name__, template_folder="templates")


@bp.route("/")
def root():
    resp = redirect(f"/{negotiate()}/", 302)
    # Only this URL depends on the visitor's cookie and headers.
    resp.vary.add("Cookie")
    resp.vary.add("Accept-Language")
    return resp


@bp.route("/favicon.ico")
def favicon():
    # No icon: answer at once (and cacheably) instead of letting /<lang>/ try to match it.
    resp = make_response("", 204)
    resp.cache_control.max_age = 86400
    return resp


@bp.route("/robots.txt")
def robots():
    """Crawlers may read every public page; account and admin pages are of no use to them."""
    lines = ["User-agent: *", "Disallow: /*/accounts/", "Disallow: /*/admin/", "Disallow: /api/", ""]
    resp = make_response("\n".join(lines), 200)
    resp.mimetype = "text/plain"
    resp.cache_control.max_age = 86400
    return resp


@bp.route("/<lang>/")
def home():
    return render_template("core/home.html")


@bp.route("/<lang>")
def home_no_slash():
    # /en -> /en/ (an unknown first segment, like /about or /.env, is a 404 before this: the
    # language check in pull_lang), so no bounce through /about/ first.
    return redirect(url_for("core.home"), 308)
