"""Public FOI pages: authorities, composing (compose first, sign in last), request pages."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import delete, func, select

from ..core.htmx import render
from ..core.models import utcnow
from ..directory import services as directory
from ..extensions import db, limiter
from . import services, states
from .access import can_see, is_moderator, is_owner
from .models import FoiDraft, FoiRequest, FoiStateChange
from .redaction import filename as redacted_name
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


MAX_PAGE = 10_000
MAX_ID = 2**31 - 1  # larger numbers overflow the database's integers: treat them as "no such thing"


def _page() -> int:
    """The ?page= number, clamped so that a huge value is simply an empty page, never a 500."""
    try:
        return min(MAX_PAGE, max(1, int(request.args.get("page", "1"))))
    except ValueError:
        return 1


def int_arg(name: str) -> int | None:
    """An id from the query string, or None when it is missing, not a number or out of range."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else None


@bp.route("/foi/authorities")
def authorities():
    q = (request.args.get("q") or "").strip()
    tag = (request.args.get("tag") or "").strip() or None
    area = int_arg("area")
    page = _page()
    items, total = directory.search_bodies(q=q or None, tag=tag, area_id=area, limit=PER_PAGE,
                                           offset=(page - 1) * PER_PAGE)
    from ..areas import services as areas

    area_info = areas.area(area) if area else None
    return render("foi/authorities.html", block="results", items=items, total=total, q=q, tag=tag, area=area,
                  area_name=area_info.name if area_info else None, area_groups=_area_choices(),
                  page=page, has_next=page * PER_PAGE < total)


def _area_choices(limit: int = 150) -> list[tuple[str, list]]:
    """[(area type name, areas)] to browse authorities by: the profile's representative area types,
    larger ones first, as long as the list stays short (wards and the like are left out)."""
    from ..areas import services as areas

    wanted = set(services.profile().representative_types)
    groups, used = [], 0
    for code, type_name, _level, count in areas.type_counts():
        if code in wanted and count and used + count <= limit:
            groups.append((type_name, areas.areas_of_type([code])[0]))
            used += count
    return groups


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


def _draft(authority_id) -> FoiDraft | None:
    """The draft this browser kept for this authority while signing in (the session holds a token)."""
    token = session.get(DRAFT_KEY)
    if not isinstance(token, str):
        return None
    return db.session.scalar(select(FoiDraft).where(FoiDraft.token == token, FoiDraft.authority_id == authority_id))


def _keep_draft(authority_id, title: str, letter: str) -> None:
    token = session.get(DRAFT_KEY) if isinstance(session.get(DRAFT_KEY), str) else None
    draft = db.session.scalar(select(FoiDraft).where(FoiDraft.token == token)) if token else None
    if draft is None:
        draft = FoiDraft(token=secrets.token_urlsafe(32))
        db.session.add(draft)
    draft.authority_id, draft.title, draft.letter, draft.created_at = authority_id, title, letter, utcnow()
    db.session.commit()
    session[DRAFT_KEY] = draft.token


def _drop_draft() -> None:
    token = session.pop(DRAFT_KEY, None)
    if isinstance(token, str):
        db.session.execute(delete(FoiDraft).where(FoiDraft.token == token))


def _preview_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="foi-preview")


def _shown(title: str, letter: str) -> str:
    text = "\x00".join((t or "").replace("\r\n", "\n").strip() for t in (title, letter))
    return hashlib.sha256(text.encode()).hexdigest()


def preview_token(title: str, letter: str) -> str:
    """A signed hash of the title and letter a preview showed, posted back with "Send request"."""
    return _preview_serializer().dumps(_shown(title, letter))


def _previewed(token: str | None, title: str, letter: str) -> bool:
    """True when this exact title and letter were shown in a preview (with its warnings)."""
    try:
        seen = _preview_serializer().loads(token or "")
    except BadData:
        return False
    return isinstance(seen, str) and hmac.compare_digest(seen, _shown(title, letter))


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
    title = request.form.get("title", draft.title if draft else "")
    letter = request.form.get("letter", draft.letter if draft else template)
    errors, warnings, existing, preview, confirm = {}, [], None, False, False
    status = 200
    # Nothing is ever sent by a GET: a draft kept while signing in comes back as a preview whose
    # "Send request" button POSTs it.
    action = request.form.get("action") if request.method == "POST" else None
    returning = request.method == "GET" and draft is not None and current_user.is_authenticated
    if request.method == "POST" or returning:
        errors = services.validate_draft(body, title, letter, lang)
        warnings = services.personal_data_warnings(letter)
        if returning and not errors:
            flash(_("You are signed in. Check your request and press “Send request” to send it."), "info")
        if not errors and action == "send" and warnings and not _previewed(request.form.get("previewed"), title, letter):
            # A letter that would warn (an email address, a phone number) is only sent once its
            # preview, warnings included, has been shown: pressing "Send" first shows that preview.
            action, confirm = "preview", True
        if not errors and action == "send":
            if not current_user.is_authenticated:
                _keep_draft(authority_id, title, letter)
                flash(_("Your request is kept. Please sign in or create an account to send it."), "info")
                return _see_other(url_for("accounts.signin", next=url_for("foi.new", authority_id=authority_id)))
            try:
                req = services.create_request(current_user, body, title, letter, lang)
            except services.FoiError as exc:
                db.session.rollback()
                _drop_draft()
                db.session.commit()
                if exc.existing is not None:
                    existing = exc.existing
                elif exc.field:
                    errors[exc.field] = str(exc)
                else:
                    errors["form"] = str(exc)
                status = 422
            else:
                _drop_draft()
                db.session.commit()
                flash(_("Your request has been sent."), "success")
                return _see_other(url_for("foi.request_page", request_id=req.id))
        elif errors:
            status = 422 if request.method == "POST" else 200
        else:
            preview = True
    law = services.law_for(body)
    return render_template("foi/new.html", body=body, title=title, letter=letter, errors=errors, warnings=warnings,
                           existing=existing, preview=preview, confirm=confirm, law_name=services.law_name(law, lang),
                           previewed=preview_token(title, letter) if preview else None), status


def _thread(req, body=None):
    from .receiving import authority_domains, sender_domain

    out = []
    sending = services.delivery(req.messages)
    official = authority_domains(req, body, replies=False)
    for msg in req.messages:
        if not can_see(msg, req):
            out.append({"msg": msg, "hidden": True})
            continue
        personal = msg.direction == "in"
        out.append({
            "msg": msg, "hidden": False, "body": redact(msg.body, req, personal=personal),
            "delivery": sending.get(msg.id, "sent"),
            # Mail from outside the authority's domains is labelled as such, not as its reply
            "outsider": sender_domain(msg) if personal and msg.from_addr and official
            and sender_domain(msg) not in official else None,
            "folded": redact(msg.folded, req, personal=personal),
            "attachments": [a for a in msg.attachments if can_see(a, req)],
            "names": {a.id: redacted_name(a, req) for a in msg.attachments},
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
    owner, moderator = is_owner(req), is_moderator()
    shown = services.display_state(req)
    replied = services.has_reply(req)
    last_in = next((m for m in reversed(req.messages) if m.direction == "in" and not m.is_auto_reply), None)
    return render_template(
        "foi/request.html", req=req, body=body, thread=_thread(req, body), history=history, states=states,
        shown_state=shown, days_left=services.days_left(req), law=law,
        law_name=services.law_name(law), owner=owner, moderator=moderator, following=following,
        choices=states.STORED if moderator else states.REQUESTER_CHOICES,
        # The status can be changed at any time by the site's team, by the requester once a reply came
        can_update=not req.awaiting_description and (moderator or (owner and replied)),
        # A review (or a complaint to an outside body) only makes sense after a reply or a delay
        can_review=owner and req.state != "internal_review" and shown in states.REVIEWABLE
        and (replied or shown.startswith("waiting_response_")),
        review_body=services.review_body(law),
        suggested="error_message" if last_in is not None and last_in.is_bounce else None,
        targets=services.reply_targets(req, body) if owner else [], title=redact(req.title, req),
        prominences=PROMINENCE_NAMES.items(),
    )


from . import lists, request_actions  # noqa: E402,F401  (more routes on the same blueprint)


@bp.app_context_processor
def _foi_helpers():
    from ..core.mail.parsing import note_text
    from .labels import scope_label, tag_label

    return {"note_text": note_text, "tag_label": tag_label, "scope_label": scope_label}
