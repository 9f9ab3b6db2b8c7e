"""Public FOI pages: authorities, composing (compose first, sign in last), request pages."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..areas import services as areas
from ..core.htmx import render
from ..core.i18n import current_language
from ..core.ids import parse_id
from ..core.mail.parsing import note_text
from ..core.pagination import current_page
from ..core.profile import current_profile
from ..directory import services as directory
from ..extensions import db, limiter
from . import operations, queries, states
from .access import can_see
from .blueprint import bp
from .filters import PER_PAGE
from .forms import RequestForm
from .labels import scope_label, tag_label
from .laws import law_for, law_name, letter_template, why_not_askable
from .redaction import redact
from .search import search_requests
from .stats import authority_stats
from .thread import request_page_context

DRAFT_KEY = "foi_draft"
PROMINENCE_NAMES = {
    "normal": _l("Normal"),
    "backpage": _l("Public, but not listed or searched"),
    "requester_only": _l("Only the requester and the site's team"),
    "hidden": _l("Hidden (the site's team only)"),
}


@bp.app_context_processor
def _foi_helpers():
    return {"note_text": note_text, "tag_label": tag_label, "scope_label": scope_label}


@bp.route("/authorities")
def authorities():
    q = (request.args.get("q") or "").strip()
    tag = (request.args.get("tag") or "").strip() or None
    area = parse_id(request.args.get("area"))
    pg = current_page(PER_PAGE)
    items, total = directory.search_bodies(q=q or None, tag=tag, area_id=area, limit=pg.limit, offset=pg.offset)
    area_info = areas.area(area) if area else None
    return render(
        "foi/authorities.html",
        block="results",
        items=items,
        total=total,
        q=q,
        tag=tag,
        area=area,
        area_name=area_info.name if area_info else None,
        area_groups=_area_choices(),
        page=pg.number,
        has_next=pg.has_next(total),
    )


def _area_choices(limit: int = 150) -> list[tuple[str, list]]:
    """[(area type name, areas)] to browse authorities by: the profile's representative area types,
    larger ones first, as long as the list stays short (wards and the like are left out)."""
    wanted = set(current_profile().representative_types)
    groups, used = [], 0
    for code, type_name, _level, count in areas.type_counts():
        if code in wanted and count and used + count <= limit:
            groups.append((type_name, areas.areas_of_type([code])[0]))
            used += count
    return groups


@bp.route("/authorities/<int:authority_id>")
def authority(authority_id):
    body = directory.get_body(authority_id)
    if body is None:
        abort(404)
    pg = current_page(PER_PAGE)
    reqs, total = search_requests(authority_id=authority_id, limit=pg.limit, offset=pg.offset)
    law = law_for(body)
    return render(
        "foi/authority.html",
        block="results",
        body=body,
        reason=why_not_askable(body),
        law=law,
        law_name=law_name(law),
        requests=reqs,
        total=total,
        page=pg.number,
        has_next=pg.has_next(total),
        stats=authority_stats(authority_id),
        titles={r.id: redact(r.title, r) for r in reqs},
        display_state=queries.display_state,
        states=states,
    )


@bp.route("/new/<int:authority_id>", methods=["GET", "POST"])
@limiter.limit("20/hour", methods=["POST"])
def new(authority_id):
    body = directory.get_body(authority_id)
    if body is None:
        abort(404)
    reason = why_not_askable(body)
    if reason:
        return render_template("foi/authority_closed.html", body=body, reason=reason), 410
    lang = current_language().tag
    token = session.get(DRAFT_KEY) if isinstance(session.get(DRAFT_KEY), str) else None
    draft = queries.draft(token, authority_id)
    form = RequestForm(
        data={"title": draft.title if draft else "", "letter": draft.letter if draft else letter_template(body, lang)}
    )
    posted = request.method == "POST"
    done = operations.compose(
        body,
        current_user if current_user.is_authenticated else None,
        lang,
        form.title.data or "",
        form.letter.data or "",
        posted=posted,
        action=form.action.data if posted else None,
        previewed=form.previewed.data,
        draft_token=token,
        draft=draft,
    )
    db.session.commit()
    if done.drop_token:
        session.pop(DRAFT_KEY, None)
    if done.signed_in_again:
        flash(_("You are signed in. Check your request and press “Send request” to send it."), "info")
    if done.kept_token:
        session[DRAFT_KEY] = done.kept_token
        flash(_("Your request is kept. Please sign in or create an account to send it."), "info")
        return redirect(url_for("accounts.signin", next=url_for("foi.new", authority_id=authority_id)), 303)
    if done.sent is not None:
        flash(_("Your request has been sent."), "success")
        return redirect(url_for("foi.request_page", request_id=done.sent.id), 303)
    return render_template(
        "foi/new.html",
        body=body,
        title=done.title,
        letter=done.letter,
        errors=done.errors,
        warnings=done.warnings,
        existing=done.existing,
        preview=done.preview,
        confirm=done.confirm,
        law_name=law_name(law_for(body), lang),
        previewed=operations.preview_token(done.title, done.letter) if done.preview else None,
    ), done.status


@bp.route("/request/<int:request_id>")
def request_page(request_id):
    req = queries.get_request(request_id)
    if req is None:
        abort(404)
    if not can_see(req, req):
        return render_template("foi/request_hidden.html", req=req), 403 if req.prominence == "requester_only" else 410
    body = directory.get_body(req.authority_id)
    return render_template("foi/request.html", prominences=PROMINENCE_NAMES.items(), **request_page_context(req, body))
