"""Actions on a request page: classify, write again, follow, report, attachments, feed."""

from __future__ import annotations

import html

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.feeds import feed_updated
from ..extensions import csrf, db, limiter
from . import operations, queries, states
from .access import can_see, is_moderator, is_owner
from .blueprint import bp
from .forms import ClassifyForm, FollowForm, FollowupForm, ReportForm
from .laws import law_by_code, law_name, review_body
from .mail.attachments import EMAIL, MARKUP, can_view_as_text, decode_text, extract_text, is_textual, unescape_json
from .models import FoiAttachment, FoiRequest
from .redaction import filename as redacted_name
from .redaction import redact, rules_touch
from .reminders import stop, stopped, token_matches


def _req(request_id) -> FoiRequest:
    req = queries.get_request(request_id)
    if req is None or not can_see(req, req):
        abort(404)
    return req


def _back(req, anchor=""):
    return redirect(url_for("foi.request_page", request_id=req.id) + anchor, 303)


@bp.route("/request/<int:request_id>/classify", methods=["POST"])
@login_required
def classify(request_id):
    req = _req(request_id)
    if not (is_owner(req) or is_moderator()):
        abort(403)
    form = ClassifyForm()
    try:
        operations.set_state(req, form.state.data or "", current_user)
    except operations.FoiError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _back(req, "#classify")
    db.session.commit()
    flash(_("Thank you. The request's status is now: %(state)s.", state=states.name(req.state)), "success")
    return _back(req)


@bp.route("/request/<int:request_id>/followup", methods=["GET", "POST"])
@login_required
@limiter.limit("20/hour", methods=["POST"])
def followup(request_id):
    req = _req(request_id)
    if not is_owner(req):
        abort(403)
    review = request.values.get("review") == "1"  # from the page's link (GET) or the form (POST)
    targets = queries.reply_targets(req)
    form = FollowupForm()
    errors, text, target = {}, form.text.data or "", form.target.data or ""
    if request.method == "POST":
        try:
            operations.follow_up(req, current_user, text, target, internal_review=review)
        except operations.FoiError as exc:
            db.session.rollback()
            errors[exc.field or "text"] = str(exc)
        else:
            db.session.commit()
            flash(_("Your message has been sent."), "success")
            return _back(req)
    law = law_by_code(req.law_code)
    return render_template(
        "foi/followup.html",
        req=req,
        targets=targets,
        errors=errors,
        text=text,
        target=target,
        review=review,
        law_name=law_name(law),
        review_body=review_body(law),
    ), (422 if errors else 200)


@bp.route("/request/<int:request_id>/follow", methods=["POST"])
@login_required
def follow(request_id):
    req = _req(request_id)
    stop = FollowForm().stop.data == "1"
    changed = operations.set_following(req, current_user, follow=not stop)
    if stop:
        flash(_("You no longer follow this request."), "success")
    elif changed:
        flash(_("You will get an email when this request is updated."), "success")
    db.session.commit()
    return _back(req)


@bp.route("/request/<int:request_id>/report", methods=["POST"])
@login_required
@limiter.limit("5/hour", methods=["POST"])
def report(request_id):
    req = _req(request_id)
    operations.report(req, current_user, ReportForm().clean_reason)
    db.session.commit()
    flash(_("Thank you. The site's team will look at this request."), "success")
    return _back(req)


def _attachment(request_id, attachment_id) -> tuple[FoiRequest, FoiAttachment]:
    req = _req(request_id)
    att = queries.get_attachment(attachment_id)
    if att is None or att.message.request_id != req.id or not can_see(att.message, req) or not can_see(att, req):
        abort(404)
    return req, att


def _text_of(att) -> str | None:
    """The readable text of an attachment. Text files and attached emails are read again from their
    bytes (cheap, and always with the current reader: UTF-16, entities, headers); others were
    extracted when the reply arrived."""
    if att.content_type == EMAIL or is_textual(att.content_type):
        return extract_text(att.content_type, att.data)
    return att.text


def _public_file(req, att) -> tuple[bytes, str] | None:
    """What the public may download of a text file or an attached email, with its content type:
    redaction rules applied and emails and phones masked. None when that cannot be done safely
    (hidden text would still show through an HTML entity or a JSON escape)."""
    ctype = att.content_type
    if ctype == EMAIL or ctype in MARKUP:
        # Markup and emails are served as the text a reader sees: entities, tags and encoded
        # parts cannot hide a name from the rules that way.
        return redact(_text_of(att) or "", req, personal=True).encode("utf-8"), "text/plain"
    served = redact(decode_text(att.data), req, personal=True)
    for seen in (html.unescape(served), unescape_json(served)):
        if seen != served and redact(seen, req, personal=True) != seen:
            return None
    return served.encode("utf-8"), ctype


def _withheld(req, att) -> bool:
    """A file a redaction rule (or masking, for text) cannot be applied inside is not served as it
    is: a binary whose text or name a rule touches, or a text file that hides a name in escapes.
    Its redacted text view stays available."""
    if att.content_type == EMAIL or is_textual(att.content_type):
        return _public_file(req, att) is None
    return rules_touch(att.text, req) or rules_touch(att.filename, req)


@bp.route("/request/<int:request_id>/attachments/<int:attachment_id>/<path:filename>")
def attachment(request_id, attachment_id, filename):
    req, att = _attachment(request_id, attachment_id)
    textual = att.content_type == EMAIL or is_textual(att.content_type)
    public = _public_file(req, att) if textual else None
    if (public is None if textual else _withheld(req, att)) and not is_moderator():
        return render_template(
            "foi/attachment_withheld.html",
            req=req,
            att=att,
            name=redacted_name(att, req),
            title=redact(req.title, req),
            has_text=bool(_text_of(att)),
        ), 403
    if public is not None:
        # Text is served as the public sees it: redaction rules applied, emails and phones masked.
        data, ctype = public
        resp = Response(data, content_type=f"{ctype}; charset=utf-8")
    elif textual:  # a moderator, when hidden text shows through an escape: the bytes as they came
        resp = Response(att.data, mimetype="text/plain")
    else:
        resp = Response(att.data, mimetype=att.content_type)
    resp.headers["Content-Disposition"] = "attachment"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "sandbox"
    return resp


@bp.route("/request/<int:request_id>/attachments/<int:attachment_id>/text")
def attachment_text(request_id, attachment_id):
    req, att = _attachment(request_id, attachment_id)
    text = _text_of(att) if can_view_as_text(att.content_type) else None
    if text is None:
        abort(404)
    return render_template(
        "foi/attachment_text.html",
        req=req,
        att=att,
        name=redacted_name(att, req),
        text=redact(text, req, personal=True),
        title=redact(req.title, req),
        withheld=_withheld(req, att) and not is_moderator(),
    )


@bp.route("/request/<int:request_id>/feed.atom")
def request_feed(request_id):
    req = _req(request_id)
    entries = [m for m in req.messages if can_see(m, req)]
    xml = render_template(
        "foi/feed.atom",
        feed_title=redact(req.title, req),
        updated=feed_updated([req.last_event_at, *(m.created_at for m in entries)]),
        entries=[
            {
                "id": m.id,
                "title": redact(m.subject, req, personal=m.direction == "in"),
                "updated": m.created_at,
                "text": redact(m.body, req, personal=m.direction == "in"),
                "url": url_for("foi.request_page", request_id=req.id, _external=True) + f"#m{m.id}",
            }
            for m in entries
        ],
    )
    return Response(xml, mimetype="application/atom+xml")


@bp.route("/request/<int:request_id>/reminders/stop/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: mail programs POST with no form; the signed token is the proof
def stop_reminders(request_id, token):
    """The stop link of the "tell us what the reply said" reminders. A GET only asks (mail
    scanners follow links); the POST stops them."""
    req = queries.get_request(request_id)
    if req is None or not token_matches(req, token):
        abort(404)
    if request.method == "POST" and stop(req):
        db.session.commit()
    return render_template("foi/reminders_stop.html", req=req, title=redact(req.title, req), stopped=stopped(req))
