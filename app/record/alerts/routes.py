"""Alert pages: the form, "check your email", the confirmation link, unsubscribing."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from ...core.i18n import current_language
from ...directory import services as directory
from ...extensions import csrf, db, limiter
from ..blueprint import bp
from ..debates.search import words
from . import operations
from .forms import AlertForm


def _target(form: AlertForm):
    """(values for the alert, a description) or None when the target does not exist."""
    kind = form.kind.data
    if kind == "person":
        person = directory.get_person(form.person.data) if form.person.data else None
        return ({"person_id": person.id}, person.name) if person else None
    if kind == "place":
        if not form.area.data:
            return None
        found = directory.representatives_for(area_id=form.area.data)
        if found is None:
            return None
        names = [r.area_name for r in found.representatives if r.area_id == form.area.data and r.area_name]
        label = names[0] if names else str(form.area.data)
        return {"area_id": form.area.data, "place_label": label[:300]}, label
    if kind == "keyword" and words(form.keyword.data):
        keyword = " ".join((form.keyword.data or "").split())[:200]
        return {"keyword": keyword}, keyword
    return None


def _form_page(form: AlertForm, status: int = 200):
    target = _target(form) if form.kind.data in ("person", "place") else None
    return render_template("record/alert_new.html", form=form, target=target[1] if target else None), status


@bp.route("/alerts/new")
def alert_new():
    """?person=<id> | ?area=<id> | ?keyword=<words>: the form to follow it."""
    form = AlertForm(formdata=None)
    if request.args.get("person"):
        form.kind.data, form.person.data = "person", _int(request.args.get("person"))
    elif request.args.get("area"):
        form.kind.data, form.area.data = "place", _int(request.args.get("area"))
    else:
        form.kind.data, form.keyword.data = "keyword", (request.args.get("keyword") or "")[:200]
    if form.kind.data != "keyword" and _target(form) is None:
        abort(404)
    if current_user.is_authenticated:
        form.email.data = current_user.email
    return _form_page(form)


def _int(value):
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**31 else None


@bp.route("/alerts", methods=["POST"])
@limiter.limit("20/hour", methods=["POST"])
def alert_subscribe():
    form = AlertForm()
    if not form.validate():
        return _form_page(form, 422)
    target = _target(form)
    if target is None:
        abort(404)
    values, _label = target
    email = form.email.data.strip().lower()
    confirmed = bool(current_user.is_authenticated and current_user.is_confirmed and email == current_user.email)
    operations.subscribe(
        form.kind.data,
        email,
        current_language().tag,
        user_id=current_user.id if current_user.is_authenticated else None,
        confirmed=confirmed,
        **values,
    )
    db.session.commit()
    return redirect(url_for(".alert_done", state="confirmed" if confirmed else "check"), 303)


@bp.route("/alerts/done")
def alert_done():
    state = request.args.get("state")
    if state not in ("check", "confirmed"):
        abort(404)
    return render_template("record/alert_done.html", state=state, what=None)


@bp.route("/alerts/confirm/<token>")
def alert_confirm(token):
    alerts = operations.from_token("confirm", token, max_age=operations.CONFIRM_MAX_AGE)
    if not alerts:
        abort(404)
    if operations.confirm(alerts[0]):
        db.session.commit()
    return render_template("record/alert_done.html", state="confirmed", what=operations.describe(alerts[0]))


@bp.route("/alerts/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # one-click unsubscribe (RFC 8058): mail programs post without a form; the signed token is the key
def alert_unsubscribe(token):
    alerts = operations.from_token("unsubscribe", token)
    if alerts is None:
        abort(404)
    if request.method == "POST":
        operations.unsubscribe(alerts)
        db.session.commit()
        return render_template("record/alert_done.html", state="unsubscribed", what=None)
    active = [a for a in alerts if a.unsubscribed_at is None]
    return render_template(
        "record/alert_done.html", state="ask" if active else "unsubscribed", what=None, count=len(active)
    )
