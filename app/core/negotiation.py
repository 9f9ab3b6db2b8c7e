"""Which language a visitor gets: the address, then the cookie, then Accept-Language, matched
against the profile's languages with script differences honoured (zh-Hant is not zh-Hans)."""

from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from flask import current_app, g, request

from .profile import current_profile

LANG_COOKIE = "plaza_lang"


def _parse_tag(tag: str):
    try:
        return Locale.parse(tag.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def _maximize(loc: Locale):
    likely = get_global("likely_subtags")
    parts = [loc.language, loc.script, loc.territory]
    key = loc.language if not loc.territory else f"{loc.language}_{loc.territory}"
    full = likely.get(key) or likely.get(loc.language)
    script = loc.script
    territory = loc.territory
    if full:
        bits = full.split("_")
        script = script or next((b for b in bits[1:] if len(b) == 4), None)
        territory = territory or next((b for b in bits[1:] if len(b) in (2, 3) and b.upper() == b), None)
    del parts
    return loc.language, script, territory


def parse_accept_language(header: str) -> list[str]:
    items = []
    for n, part in enumerate((header or "")[:2000].split(",")[:40]):
        bits = part.strip().split(";")
        tag = bits[0].strip()
        if not tag or tag == "*" or not re.fullmatch(r"[A-Za-z]{1,8}([-_][A-Za-z0-9]{1,8})*", tag):
            continue
        q = 1.0
        for b in bits[1:]:
            b = b.strip()
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if 0 < q <= 1:
            items.append((-q, n, tag))
    return [tag for _, _, tag in sorted(items)]


def best_match(requested: list[str], available: list[str]) -> str | None:
    """Match requested BCP 47 tags against the profile's, honouring script differences."""
    lower = {a.lower(): a for a in available}
    avail_max = {}
    for a in available:
        loc = _parse_tag(a)
        if loc is not None:
            avail_max[a] = _maximize(loc)
    for tag in requested:
        norm = tag.replace("_", "-").lower()
        if norm in lower:
            return lower[norm]
        if norm.split("-")[0] in ("und", "root", "mul", "zxx"):
            continue  # "undetermined" and friends: Babel would turn them into English
        loc = _parse_tag(tag)
        if loc is None:
            base = norm.split("-")[0]
            if base in lower:
                return lower[base]
            continue
        lang, script, territory = _maximize(loc)
        same_script = [a for a, m in avail_max.items() if m[0] == lang and m[1] == script]
        for a in same_script:
            if avail_max[a][2] == territory:
                return a
        if same_script:
            # prefer the plain language tag, then the first listed
            plain = [a for a in same_script if "-" not in a]
            return (plain or same_script)[0]
    return None


def negotiate(use_cookie: bool = True) -> str:
    """user preference -> language cookie -> Accept-Language -> profile default."""
    prof = current_profile()
    tags = prof.language_tags
    cookie = request.cookies.get(LANG_COOKIE) if use_cookie else None
    for chosen in (getattr(g, "user_language", None), cookie):
        if chosen and isinstance(chosen, str) and len(chosen) < 40:
            match = best_match([chosen], tags)
            if match:
                return match
    return best_match(parse_accept_language(request.headers.get("Accept-Language", "")), tags) or (
        prof.default_language
    )


def remember_language(resp):
    """A page read in a language sets the language cookie, so that / brings the visitor back
    to it. Only when it changes, and not when / would pick that language anyway (a first visit
    in the browser's language): most responses carry no Set-Cookie and stay cacheable."""
    lang = g.get("lang")
    cookie = request.cookies.get(LANG_COOKIE)
    if (
        lang
        and request.method == "GET"
        and 200 <= resp.status_code < 300
        and resp.mimetype == "text/html"
        and cookie != lang
        and (cookie or negotiate(use_cookie=False) != lang)
    ):
        resp.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
    return resp
