"""Public FOI pages: authorities, composing (compose first, sign in last), request pages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from ..core.htmx import render
from ..directory import services as directory
from ..extensions import db, limiter
from . import services, states
from .access import can_see, is_moderator, is_owner
from .models import FoiRequest, FoiStateChange
from .redaction import redact

bp = Blueprint("foi", __name__, template_folder="templates")
PER_PAGE = 30
DRAFT_KEY = "foi_draft"
PROMINENCE_NAMES = {
    "normal": _l("Normal"),
    "backpage": _l("Public, but not listed or searched"),
    "requester_only": _l("Only the requester and the site's team"),
    "hidden": _l("Hidden (the site's team only)"),
}


def _see_other(url):
    return redirect(url, 303)


def _page() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


@bp.route("/foi/authorities")
def authorities():
    q = (request.args.get("q") or "").strip()
    tag = (request.args.get("tag") or "").strip() or None
    area = request.args.get("area", type=int)
    page = _page()
    items, total = directory.search_bodies(q=q or None, tag=tag, area_id=area, limit=PER_PAGE,
                                           offset=(page - 1) * PER_PAGE)
    return render("foi/authorities.html", block="results", items=items, total=total, q=q, tag=tag, area=area,
                  page=page, has_next=page * PER_PAGE < total)


@bp.route("/foi/authorities/<int:authority_id>")
def authority(authority_id):
    from .search import search_requests
    from .stats import authority_stats

    body = directory.get_body(authority_id)
    if body is None:
        abort(404)
    page = _page()
    reqs, total = search_requests(authority_id=authority_id, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    law = services.law_for(body)
    return render("foi/authority.html", block="results", body=body, reason=services.why_not_askable(body), law=law,
                  law_name=services.law_name(law), requests=reqs, total=total, page=page,
                  has_next=page * PER_PAGE < total, stats=authority_stats(authority_id),
                  titles={r.id: redact(r.title, r) for r in reqs}, display_state=services.display_state, states=states)


def _draft(authority_id):
    draft = session.get(DRAFT_KEY) or {}
    return draft if draft.get("authority_id") == authority_id else None


@bp.route("/foi/new/<int:authority_id>", methods=["GET", "POST"])
@limiter.limit("20/hour", methods=["POST"])
def new(authority_id):
    body = directory.get_body(authority_id)
    if body is None:
        abort(404)
    reason = services.why_not_askable(body)
    if reason:
        return render_template("foi/authority_closed.html", body=body, reason=reason), 410
    from ..core.i18n import current_language

    lang = current_language().tag
    template = services.letter_template(body, lang)
    draft = _draft(authority_id)
    title = request.form.get("title", draft["title"] if draft else "")
    letter = request.form.get("letter", draft["letter"] if draft else template)
    errors, warnings, existing, preview = {}, [], None, False
    status = 200
    # Nothing is ever sent by a GET: a draft kept while signing in comes back as a preview whose
    # "Send request" button POSTs it.
    action = request.form.get("action") if request.method == "POST" else None
    returning = request.method == "GET" and bool(draft and draft.get("ready")) and current_user.is_authenticated
    if request.method == "POST" or returning:
        errors = services.validate_draft(body, title, letter, lang)
        warnings = services.personal_data_warnings(letter)
        if returning and not errors:
            flash(_("You are signed in. Check your request and press “Send request” to send it."), "info")
        if not errors and action == "send":
            if not current_user.is_authenticated:
                session[DRAFT_KEY] = {"authority_id": authority_id, "title": title, "letter": letter, "ready": True}
                flash(_("Your request is kept. Please sign in or create an account to send it."), "info")
                return _see_other(url_for("accounts.signin", next=url_for("foi.new", authority_id=authority_id)))
            try:
                req = services.create_request(current_user, body, title, letter, lang)
            except services.FoiError as exc:
                db.session.rollback()
                session.pop(DRAFT_KEY, None)
                if exc.existing is not None:
                    existing = exc.existing
                elif exc.field:
                    errors[exc.field] = str(exc)
                else:
                    errors["form"] = str(exc)
                status = 422
            else:
                db.session.commit()
                session.pop(DRAFT_KEY, None)
                flash(_("Your request has been sent."), "success")
                return _see_other(url_for("foi.request_page", request_id=req.id))
        elif errors:
            status = 422 if request.method == "POST" else 200
        else:
            preview = True
    law = services.law_for(body)
    return render_template("foi/new.html", body=body, title=title, letter=letter, errors=errors, warnings=warnings,
                           existing=existing, preview=preview, law_name=services.law_name(law, lang)), status


def _thread(req):
    out = []
    for msg in req.messages:
        if not can_see(msg, req):
            out.append({"msg": msg, "hidden": True})
            continue
        personal = msg.direction == "in"
        out.append({
            "msg": msg, "hidden": False, "body": redact(msg.body, req, personal=personal),
            "folded": redact(msg.folded, req, personal=personal),
            "attachments": [a for a in msg.attachments if can_see(a, req)],
            "hidden_attachments": [a for a in msg.attachments if not can_see(a, req)],
        })
    return out


@bp.route("/foi/request/<int:request_id>")
def request_page(request_id):
    req = db.session.get(FoiRequest, request_id)
    if req is None:
        abort(404)
    if not can_see(req, req):
        return render_template("foi/request_hidden.html", req=req), 403 if req.prominence == "requester_only" else 410
    body = directory.get_body(req.authority_id)
    history = db.session.scalars(select(FoiStateChange).where(FoiStateChange.request_id == req.id)
                                 .order_by(FoiStateChange.id)).all()
    following = False
    if current_user.is_authenticated:
        from .models import FoiFollow

        following = bool(db.session.scalar(select(func.count(FoiFollow.id)).where(
            FoiFollow.request_id == req.id, FoiFollow.user_id == current_user.id)))
    law = services.law_by_code(req.law_code)
    owner = is_owner(req)
    return render_template(
        "foi/request.html", req=req, body=body, thread=_thread(req), history=history, states=states,
        shown_state=services.display_state(req), days_left=services.days_left(req), law=law,
        law_name=services.law_name(law), owner=owner, moderator=is_moderator(), following=following,
        choices=states.STORED if is_moderator() else states.REQUESTER_CHOICES,
        targets=services.reply_targets(req, body) if owner else [], title=redact(req.title, req),
        prominences=PROMINENCE_NAMES.items(),
    )


from . import lists, request_actions  # noqa: E402,F401  (more routes on the same blueprint)


@bp.app_context_processor
def _foi_helpers():
    from ..core.mail.parsing import note_text

    return {"note_text": note_text}
