"""Following a report: its page, photos, support ("me too") and citizens' updates."""

from __future__ import annotations

from flask import abort, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core.htmx import render
from ...core.i18n import current_language
from ...extensions import db, limiter
from .. import photos as P
from .. import states as S
from ..blueprint import bp
from ..forms import SupportForm, UpdateForm
from ..operations import add_support, ask_support
from ..queries import public_photo, update_by_token
from ..signing import unsign
from ..updates import Refused, post_update
from ..updates import confirm_update as publish_update
from .context import is_reporter, report_context, report_or_404

SUPPORT_LINK_DAYS = 7


@bp.route("/<int:report_id>")
def detail(report_id):
    report = report_or_404(report_id)
    return render("reports/detail.html", **report_context(report))


@bp.route("/photos/<key>/<size>.jpg")
def photo(key, size):
    if size not in ("full", "thumb"):
        abort(404)
    path = P.path_for(key, size)
    if path is None or not path.exists() or public_photo(key) is None:
        abort(404)
    return send_file(path, mimetype="image/jpeg", max_age=86400)


@bp.route("/<int:report_id>/support", methods=["POST"])
@limiter.limit("20/hour", methods=["POST"])
def support(report_id):
    """ "Me too": counted at once for a signed-in confirmed user; others confirm by emailed link."""
    report = report_or_404(report_id)
    form = SupportForm()
    email = current_user.email if current_user.is_authenticated else (form.email.data or "")
    if not form.validate() or not email:
        form.email.errors = list(form.email.errors) or [_("Please give your email address.")]
        return render("reports/detail.html", status=422, **report_context(report, support_form=form))
    signed_in = current_user.is_authenticated and current_user.is_confirmed
    done = ask_support(
        report,
        email,
        user=current_user if signed_in else None,
        is_reporter=is_reporter(report),
        language=current_language().tag,
    )
    if done == "mailed":
        db.session.commit()
        return redirect(url_for(".check_email", kind="support"), 303)
    if done == "added":
        db.session.commit()
        flash(_("Thank you: your support has been added."), "success")
    elif done == "closed":
        flash(_("This report is no longer open."), "error")
    elif done == "reporter":
        flash(_("You reported this problem: it already counts you."), "info")
    elif done == "banned":
        flash(_("Your support cannot be added."), "error")
    elif done == "already":
        flash(_("You have already supported this report."), "info")
    return redirect(url_for(".detail", report_id=report.id), 303)


@bp.route("/support/confirm/<token>")
def support_confirm(token):
    """The emailed "me too" link; a second click (or a mail scanner's) changes nothing."""
    data = unsign("support", token, max_age=SUPPORT_LINK_DAYS * 86400)
    if not (isinstance(data, list) and len(data) == 2):
        abort(404)
    report = report_or_404(data[0])
    if report.state in S.OPEN_STATES and add_support(report, str(data[1])):
        db.session.commit()
        flash(_("Thank you: your support has been added."), "success")
    return redirect(url_for(".detail", report_id=report.id), 303)


@bp.route("/<int:report_id>/update", methods=["POST"])
@limiter.limit("20/hour", methods=["POST"])
def add_update(report_id):
    report = report_or_404(report_id)
    form = UpdateForm()
    signed_in = current_user.is_authenticated
    ok = form.validate_for(signed_in)
    photo_keys, problems = P.save_uploads((form.photo.data or [])[:1], [], 1)
    if problems:
        form.photo.errors = [_("Photos must be JPEG, PNG or WebP images of 8 MB at most.")]
        ok = False
    if ok:
        try:
            upd = post_update(
                report,
                text=form.text.data,
                fixed=form.fixed.data,
                reopen=form.reopen.data,
                photo_keys=photo_keys,
                user=current_user if signed_in else None,
                name=form.name.data,
                email=form.email.data,
                show_name=form.show_name.data,
                language=current_language().tag,
                is_reporter=is_reporter(report),
            )
        except Refused as exc:
            form[exc.field].errors = [exc.message]
            ok = False
    if not ok:
        return render("reports/detail.html", status=422, **report_context(report, update_form=form))
    db.session.commit()
    if upd.confirmed_at is not None:
        flash(_("Thank you: your update is published."), "success")
        return redirect(url_for(".detail", report_id=report.id), 303)
    return redirect(url_for(".check_email", kind="update"), 303)


@bp.route("/updates/confirm/<token>")
def confirm_update(token):
    upd = update_by_token(token)
    if upd is None:
        abort(404)
    published = publish_update(upd)
    if published is None:
        abort(404)  # banned since posting: never published
    if published:
        db.session.commit()
        flash(_("Thank you: your update is published."), "success")
    return redirect(url_for(".detail", report_id=upd.report_id), 303)
