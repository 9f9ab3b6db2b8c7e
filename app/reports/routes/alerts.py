"""Email alerts from the pages: subscribe (a report, an area, a body, near a point), confirm,
unsubscribe."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...areas import services as areas
from ...core.htmx import render
from ...core.i18n import current_language
from ...directory import services as directory
from ...extensions import csrf, db, limiter
from .. import alerts as A
from ..blueprint import bp
from ..forms import AlertForm
from ..geometry import finite_point
from ..operations import unsubscribe_alert
from ..queries import alert_by_token, get_report, valid_id
from .context import report_context, report_or_404


def _target(kind: str, target: str) -> dict:
    """What the alert follows, from the form's hidden fields (404 or 400 when it is not real)."""
    if kind in ("report", "area", "body"):
        number = valid_id(target)  # ids too big for the database are simply unknown
        if number is None:
            abort(404)
        if kind == "report":  # never a hidden or unconfirmed report: its title would be mailed
            found = get_report(number)
            if found is None or not found.is_public:
                abort(404)
        elif kind == "area" and areas.area(number) is None:
            abort(404)
        elif kind == "body" and directory.get_body(number) is None:
            abort(404)
        return {f"{kind}_id": number}
    if kind == "nearby":
        try:
            lat, lon, radius = (float(x) for x in target.split(","))
        except ValueError:
            abort(400)
        if not finite_point(lat, lon) or radius != radius:  # NaN, infinity, off the globe
            abort(400)
        return {"lat": lat, "lon": lon, "radius_m": int(min(max(radius, 100), 20000))}
    abort(400)


@bp.route("/alerts", methods=["POST"])
@limiter.limit("20/hour", methods=["POST"])
def alert_subscribe():
    form = AlertForm()
    if current_user.is_authenticated and not form.email.data:
        form.email.data = current_user.email
    kind = form.kind.data
    values = _target(kind, form.target.data or "")
    if not form.validate():
        if kind == "report":
            report = report_or_404(values["report_id"])
            return render("reports/detail.html", status=422, **report_context(report, alert_form=form))
        return render_template("reports/alert_form.html", form=form), 422
    confirmed = (
        current_user.is_authenticated and current_user.is_confirmed and form.email.data.lower() == current_user.email
    )
    A.subscribe(
        kind,
        form.email.data,
        current_language().tag,
        user=current_user if current_user.is_authenticated else None,
        confirmed=confirmed,
        **values,
    )
    db.session.commit()
    if confirmed:
        flash(_("Your alert is set up."), "success")
        return redirect(request.referrer or url_for(".index"), 303)
    return redirect(url_for(".check_email", kind="alert"), 303)


@bp.route("/alerts/confirm/<token>")
def alert_confirm(token):
    alert = alert_by_token(token)
    if alert is None:
        abort(404)
    if A.confirm(alert):
        db.session.commit()
    return render_template("reports/alert_done.html", alert=alert, what=A.describe(alert), done="confirmed")


@bp.route("/alerts/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: mail programs POST with no form; the signed token is the proof
def alert_unsubscribe(token):
    alert = alert_by_token(token)
    if alert is None:
        abort(404)
    if request.method == "POST" and unsubscribe_alert(alert):
        db.session.commit()
    done = "unsubscribed" if alert.unsubscribed_at else "ask"
    return render_template("reports/alert_done.html", alert=alert, what=A.describe(alert), done=done)
