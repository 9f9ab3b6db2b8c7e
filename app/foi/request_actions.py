"""Actions on a request page: classify, write again, follow, report, attachments, feed."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..core.mail import queue_email
from ..extensions import db, limiter
from . import services
from .access import can_see, is_moderator, is_owner
from .attachments import can_view_as_text
from .models import FoiAttachment, FoiFollow, FoiRequest, FoiStateChange
from .redaction import filename as redacted_name
from .redaction import redact, rules_touch
from .routes import bp


def _req(request_id) -> FoiRequest:
    req = db.session.get(FoiRequest, request_id)
    if req is None or not can_see(req, req):
        abort(404)
    return req


def _back(req, anchor=""):
    return redirect(url_for("foi.request_page", request_id=req.id) + anchor, 303)


@bp.route("/foi/request/<int:request_id>/classify", methods=["POST"])
@login_required
def classify(request_id):
    req = _req(request_id)
    if not (is_owner(req) or is_moderator()):
        abort(403)
    try:
        services.set_state(req, request.form.get("state", ""), current_user)
    except services.FoiError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _back(req, "#classify")
    db.session.commit()
    flash(_("Thank you. The request's status is now: %(state)s.", state=services.states.name(req.state)), "success")
    return _back(req)


@bp.route("/foi/request/<int:request_id>/followup", methods=["GET", "POST"])
@login_required
@limiter.limit("20/hour", methods=["POST"])
def followup(request_id):
    req = _req(request_id)
    if not is_owner(req):
        abort(403)
    review = request.values.get("review") == "1"
    targets = services.reply_targets(req)
    errors, text, target = {}, request.form.get("text", ""), request.form.get("target", "authority")
    if request.method == "POST":
        try:
            services.follow_up(req, current_user, text, target, internal_review=review)
        except services.FoiError as exc:
            db.session.rollback()
            errors[exc.field or "text"] = str(exc)
        else:
            db.session.commit()
            flash(_("Your message has been sent."), "success")
            return _back(req)
    law = services.law_by_code(req.law_code)
    return render_template("foi/followup.html", req=req, targets=targets, errors=errors, text=text, target=target,
                           review=review, law_name=services.law_name(law), review_body=services.review_body(law)), (
        422 if errors else 200)


@bp.route("/foi/request/<int:request_id>/follow", methods=["POST"])
@login_required
def follow(request_id):
    req = _req(request_id)
    row = db.session.scalar(select(FoiFollow).where(FoiFollow.request_id == req.id,
                                                    FoiFollow.user_id == current_user.id))
    if request.form.get("stop") == "1":
        if row is not None:
            db.session.delete(row)
        flash(_("You no longer follow this request."), "success")
    elif row is None:
        db.session.add(FoiFollow(request_id=req.id, user_id=current_user.id))
        flash(_("You will get an email when this request is updated."), "success")
    db.session.commit()
    return _back(req)


@bp.route("/foi/request/<int:request_id>/report", methods=["POST"])
@login_required
@limiter.limit("5/hour", methods=["POST"])
def report(request_id):
    from ..accounts import services as accounts

    req = _req(request_id)
    reason = (request.form.get("reason") or "").strip()[:2000]
    if req.state != "attention_requested":
        req.state = "attention_requested"
        req.attention_reason = reason or None
        db.session.add(FoiStateChange(request_id=req.id, state="attention_requested",
                                               user_id=current_user.id))
        for admin in accounts.moderators_info():
            queue_email(admin.email, "foi/email/reported.txt", {"req": req, "reason": reason,
                                                                "title": redact(req.title, req)},
                        language=admin.language)
    db.session.commit()
    flash(_("Thank you. The site's team will look at this request."), "success")
    return _back(req)


def _attachment(request_id, attachment_id) -> tuple[FoiRequest, FoiAttachment]:
    req = _req(request_id)
    att = db.session.get(FoiAttachment, attachment_id)
    if att is None or att.message.request_id != req.id or not can_see(att.message, req) or not can_see(att, req):
        abort(404)
    return req, att


def _withheld(req, att) -> bool:
    """A binary file whose text (or name) a redaction rule touches cannot be served as it is: the
    rule could not be applied inside it. Its redacted text view stays available."""
    return not att.content_type.startswith("text/") and (
        rules_touch(att.text, req) or rules_touch(att.filename, req))


@bp.route("/foi/request/<int:request_id>/attachments/<int:attachment_id>/<path:filename>")
def attachment(request_id, attachment_id, filename):
    req, att = _attachment(request_id, attachment_id)
    if _withheld(req, att) and not is_moderator():
        return render_template("foi/attachment_withheld.html", req=req, att=att, name=redacted_name(att, req),
                               title=redact(req.title, req)), 403
    if att.content_type.startswith("text/"):
        # Text files are served as the public sees them: redaction rules applied, emails and phones masked.
        from ..core.mail.parsing import decode_bytes

        data = redact(decode_bytes(att.data, None), req, personal=True).encode("utf-8")
        ctype = "text/plain" if att.content_type == "text/html" else att.content_type
        resp = Response(data, content_type=f"{ctype}; charset=utf-8")
    else:
        resp = Response(att.data, mimetype=att.content_type)
    resp.headers["Content-Disposition"] = "attachment"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "sandbox"
    return resp


@bp.route("/foi/request/<int:request_id>/attachments/<int:attachment_id>/text")
def attachment_text(request_id, attachment_id):
    req, att = _attachment(request_id, attachment_id)
    if not can_view_as_text(att.content_type) or att.text is None:
        abort(404)
    return render_template("foi/attachment_text.html", req=req, att=att, name=redacted_name(att, req),
                           text=redact(att.text, req, personal=True), title=redact(req.title, req),
                           withheld=_withheld(req, att) and not is_moderator())


@bp.route("/foi/request/<int:request_id>/feed.atom")
def request_feed(request_id):
    req = _req(request_id)
    entries = [m for m in req.messages if can_see(m, req)]
    xml = render_template("foi/feed.atom", feed_title=redact(req.title, req), updated=req.last_event_at, entries=[
        {"id": m.id, "title": redact(m.subject, req, personal=m.direction == "in"), "updated": m.created_at,
         "text": redact(m.body, req, personal=m.direction == "in"),
         "url": url_for("foi.request_page", request_id=req.id, _external=True) + f"#m{m.id}"} for m in entries])
    return Response(xml, mimetype="application/atom+xml")
