"""Moderation under /<lang>/admin/write/: approve or reject messages, hide messages and answers."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..core.auth import moderator_required
from ..extensions import db
from . import operations, queries
from .blueprint import admin_bp
from .forms import ReasonForm


def _message_or_404(message_id):
    msg = queries.get_message(message_id)
    if msg is None:
        abort(404)
    return msg


@admin_bp.route("/")
@moderator_required
def queue():
    if request.args.get("show") == "unanswered":  # the dashboard's "no answer yet" figure
        messages = queries.unanswered_this_week_list()
        return render_template("write/admin/unanswered.html", messages=messages, to=queries.recipient_lists(messages))
    messages = queries.awaiting_moderation()
    return render_template(
        "write/admin/queue.html",
        messages=messages,
        to=queries.recipient_lists(messages),
        form=ReasonForm(formdata=None),
    )


@admin_bp.route("/<int:message_id>/approve", methods=["POST"])
@moderator_required
def approve(message_id):
    msg = _message_or_404(message_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if operations.approve(msg, moderator=current_user):
        db.session.commit()
        flash(_("The message has been approved and sent."), "success")
    return redirect(url_for(".queue"), 303)


@admin_bp.route("/<int:message_id>/reject", methods=["POST"])
@moderator_required
def reject(message_id):
    msg = _message_or_404(message_id)
    form = ReasonForm()
    if not form.validate():
        messages = queries.awaiting_moderation()
        return render_template(
            "write/admin/queue.html",
            messages=messages,
            to=queries.recipient_lists(messages),
            form=form,
            failed_id=msg.id,
        ), 422
    if operations.reject(msg, form.reason.data.strip(), moderator=current_user):
        db.session.commit()
        flash(_("The message has been rejected; its writer has been told why."), "success")
    return redirect(url_for(".queue"), 303)


@admin_bp.route("/messages/<int:message_id>/hide", methods=["GET", "POST"])
@moderator_required
def hide_message(message_id):
    msg = _message_or_404(message_id)
    form = ReasonForm()
    action = url_for(".hide_message", message_id=msg.id)
    if form.validate_on_submit():
        if operations.hide(msg, form.reason.data.strip(), moderator=current_user):
            db.session.commit()
            flash(_("The message is now hidden."), "success")
        return redirect(url_for("write.detail", message_id=msg.id), 303)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "write/hide.html", message=msg, form=form if msg.status == "sent" else None, action_url=action, moderator=True
    ), status


@admin_bp.route("/answers/<int:answer_id>/hide", methods=["GET", "POST"])
@moderator_required
def hide_answer(answer_id):
    answer = queries.get_answer(answer_id)
    if answer is None:
        abort(404)
    form = ReasonForm()
    action = url_for(".hide_answer", answer_id=answer.id)
    if form.validate_on_submit():
        operations.hide_answer(answer, form.reason.data.strip(), current_user)
        db.session.commit()
        flash(_("The answer is now hidden."), "success")
        return redirect(url_for("write.detail", message_id=answer.message_id), 303)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "write/hide.html", message=answer.message, answer=answer, form=form, action_url=action, moderator=True
    ), status


def dashboard_panel():
    return "write/_dashboard.html", {
        "pending": len(queries.awaiting_moderation()),
        "unanswered": queries.unanswered_this_week(),
    }
