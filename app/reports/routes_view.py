"""Following a report: its page, photos, support, updates, lists, alerts and Atom feeds."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..core.htmx import render
from ..core.i18n import current_language
from ..core.mail import external_url, queue_email
from ..core.models import utcnow
from ..extensions import db, limiter
from . import alerts as A
from . import photos as P
from . import questions as Q
from . import services as svc
from . import states as S
from .forms import AlertForm, SupportForm, UpdateForm
from .models import Alert, Photo, Report, Supporter, Update
from .routes import around, bp, point_from_args
from .routing import minutes_after

PAGE = 20


def _report_or_404(report_id) -> Report:
    rid = svc.valid_id(report_id)  # ids too big for the database are simply unknown
    report = db.session.get(Report, rid) if rid else None
    if report is None:
        abort(404)
    if not report.is_public and not (current_user.is_authenticated and current_user.can_moderate):
        abort(404 if report.state == "unconfirmed" else 410)
    return report


def _is_reporter(report) -> bool:
    """The signed-in reporter, or a browser that followed the report's emailed manage link."""
    if report.id in session.get("managed_reports", []):
        return True
    return current_user.is_authenticated and (
        report.user_id == current_user.id or (report.email and report.email == current_user.email))


def remember_reporter(report) -> None:
    """This browser holds the reporter's emailed link: let it edit, hide the name, ask removal."""
    kept = [i for i in session.get("managed_reports", []) if i != report.id][-19:]
    session["managed_reports"] = kept + [report.id]


def report_context(report, **extra):
    tag = current_language().tag
    sends = [(s, minutes_after(report, s)) for s in report.sends if s.status == "sent"]
    bbox = around(report.lat, report.lon, 0.008)
    svg = svc.areas_services().map_svg(bbox, 240, 160, pins=[(report.lat, report.lon, report.title)])
    ctx = dict(report=report, tag=tag, updates=svc.public_updates(report), sends=sends, S=S,
               map=svg, is_reporter=_is_reporter(report), update_form=UpdateForm(formdata=None),
               answers=Q.answer_rows(report.category.attributes, report.attributes, tag),
               support_form=SupportForm(formdata=None), alert_form=AlertForm(formdata=None))
    ctx.update(extra)
    for key in ("support_form", "update_form", "alert_form"):  # three forms, one page: unique ids
        _prefix_ids(ctx[key], key.split("_")[0])
    return ctx


def _prefix_ids(form, prefix: str) -> None:
    """Give a form's inputs (and their labels) page-unique ids; the posted names stay the same."""
    for f in form:
        if not f.id.startswith(prefix + "-"):
            f.id = f"{prefix}-{f.id}"
            f.label.field_id = f.id


@bp.route("/reports/<int:report_id>")
def detail(report_id):
    report = _report_or_404(report_id)
    return render("reports/detail.html", **report_context(report))


@bp.route("/reports/photos/<key>/<size>.jpg")
def photo(key, size):
    if size not in ("full", "thumb"):
        abort(404)
    row = db.session.scalar(select(Photo).where(Photo.key == key))
    path = P.path_for(key, size)
    if row is None or row.hidden_at is not None or path is None or not path.exists():
        abort(404)
    report = db.session.get(Report, row.report_id)
    if report is None or not report.is_public:
        abort(404)
    if row.update_id is not None:  # an update's photo shows only once the update is public
        upd = db.session.get(Update, row.update_id)
        if upd is None or not upd.is_public:
            abort(404)
    resp = send_file(path, mimetype="image/jpeg", max_age=86400)
    return resp


@bp.route("/reports/<int:report_id>/support", methods=["POST"])
@limiter.limit("20/hour", methods=["POST"])
def support(report_id):
    """"Me too": counted at once for a signed-in confirmed user; others confirm by emailed link."""
    report = _report_or_404(report_id)
    form = SupportForm()
    signed_in = current_user.is_authenticated and current_user.is_confirmed
    email = current_user.email if current_user.is_authenticated else (form.email.data or "")
    if not form.validate() or not email:
        form.email.errors = list(form.email.errors) or [_("Please give your email address.")]
        return render("reports/detail.html", status=422, **report_context(report, support_form=form))
    email = email.strip().lower()
    if report.state not in S.OPEN_STATES:
        flash(_("This report is no longer open."), "error")
    elif _is_reporter(report) or email == report.email:
        flash(_("You reported this problem: it already counts you."), "info")
    elif svc.user_is_banned(email=email):
        flash(_("Your support cannot be added."), "error")
    elif db.session.scalar(select(Supporter.id).where(Supporter.report_id == report.id, Supporter.email == email)):
        flash(_("You have already supported this report."), "info")
    elif not signed_in:
        queue_email(email, "reports/email/confirm_support.txt", {
            "report": report,
            "url": external_url("reports.support_confirm", token=svc.sign("support", [report.id, email])),
        }, language=current_language().tag)
        db.session.commit()
        return redirect(url_for(".check_email", kind="support"), 303)
    elif svc.add_support(report, email, current_user):
        db.session.commit()
        flash(_("Thank you: your support has been added."), "success")
    return redirect(url_for(".detail", report_id=report.id), 303)


SUPPORT_LINK_DAYS = 7


@bp.route("/reports/support/confirm/<token>")
def support_confirm(token):
    """The emailed "me too" link; a second click (or a mail scanner's) changes nothing."""
    data = svc.unsign("support", token, max_age=SUPPORT_LINK_DAYS * 86400)
    if not (isinstance(data, list) and len(data) == 2):
        abort(404)
    report = _report_or_404(data[0])
    if report.state in S.OPEN_STATES and svc.add_support(report, str(data[1])):
        db.session.commit()
        flash(_("Thank you: your support has been added."), "success")
    return redirect(url_for(".detail", report_id=report.id), 303)


@bp.route("/reports/<int:report_id>/update", methods=["POST"])
@limiter.limit("20/hour", methods=["POST"])
def add_update(report_id):
    report = _report_or_404(report_id)
    form = UpdateForm()
    signed_in = current_user.is_authenticated
    valid = form.validate()
    if not signed_in:
        if not form.name.data:
            form.name.errors = [_("Please give your name.")]
        if not form.email.data:
            form.email.errors = [_("Please give your email address.")]
    ok = valid and not form.name.errors and not form.email.errors
    photo_keys, errors = [], []
    for f in (form.photo.data or [])[:1]:
        if getattr(f, "filename", ""):
            try:
                photo_keys.append(P.save_upload(f.read(P.MAX_PHOTO_BYTES + 1)))
            except P.PhotoError as exc:
                errors.append(str(exc))
    if errors:
        form.photo.errors = [_("Photos must be JPEG, PNG or WebP images of 8 MB at most.")]
        ok = False
    if ok and not (form.text.data or "").strip() and not form.fixed.data and not form.reopen.data and not photo_keys:
        form.text.errors = [_("Please write your update.")]
        ok = False
    if ok and form.reopen.data and not (_is_reporter(report) or (
            not signed_in and report.email and (form.email.data or "").strip().lower() == report.email)):
        # (Signed out: only with the reporter's own email, which the emailed link then proves.)
        form.reopen.errors = [_("Only the person who reported the problem can reopen it.")]
        ok = False
    if ok and svc.user_is_banned(email=current_user.email if signed_in else form.email.data):
        form.email.errors = [_("Updates from this email address are not accepted.")]
        ok = False
    if not ok:
        return render("reports/detail.html", status=422, **report_context(report, update_form=form))
    upd = Update(report_id=report.id, text=(form.text.data or "").strip(), kind="public",
                 user_id=current_user.id if signed_in else None,
                 name=current_user.name if signed_in else form.name.data.strip(),
                 email=current_user.email if signed_in else form.email.data.strip().lower(),
                 show_name=bool(form.show_name.data), language=current_language().tag)
    upd.new_state = "fixed - user" if form.fixed.data else ("confirmed" if form.reopen.data else None)
    db.session.add(upd)
    db.session.flush()
    for i, key in enumerate(photo_keys):
        w, h = P.dimensions(key)
        db.session.add(Photo(report_id=report.id, update_id=upd.id, key=key, width=w, height=h, position=i))
    if signed_in and current_user.is_confirmed:
        apply_update(report, upd)
        db.session.commit()
        flash(_("Thank you: your update is published."), "success")
        return redirect(url_for(".detail", report_id=report.id), 303)
    queue_email(upd.email, "reports/email/confirm_update.txt", {
        "report": report, "url": external_url("reports.confirm_update", token=upd.token)}, language=upd.language)
    db.session.commit()
    return redirect(url_for(".check_email", kind="update"), 303)


def apply_update(report: Report, upd: Update) -> None:
    """Publish a confirmed update: state change rules, forward to the body, tell followers."""
    upd.confirmed_at = utcnow()
    wanted, upd.new_state = upd.new_state, None
    if wanted == "fixed - user" and report.state in S.OPEN_STATES:
        upd.old_state = svc.set_state(report, "fixed - user")
        upd.new_state = "fixed - user"
    elif wanted == "confirmed" and report.state in S.FIXED_STATES + S.CLOSED_STATES:
        is_reporter = (upd.user_id and upd.user_id == report.user_id) or (upd.email and upd.email == report.email)
        if is_reporter:
            upd.old_state = svc.set_state(report, "confirmed")
            upd.new_state = "confirmed"
    report.lastupdate_at = utcnow()
    forward_update(report, upd)
    A.notify_update(report, upd)


def forward_update(report: Report, upd: Update) -> None:
    from ..core.mail import reply_address
    from .models import Contact
    from .routing import body_language, forward_update_open311

    forward_update_open311(report, upd)  # bodies reached by Open311: the send job POSTs it
    for send in report.sends:
        if send.status not in ("sent", "queued") or send.method != "email" or not send.contact_id:
            continue
        contact = db.session.get(Contact, send.contact_id)
        body = svc.directory().get_body(send.body_id)
        to = (contact.email if contact else None) or (body.email if body else None)
        if not to or (upd.body_id and upd.body_id == send.body_id):
            continue
        queue_email(to, "reports/email/update_body.txt", {
            "report": report, "update": upd,
            "url": external_url("reports.detail", report_id=report.id, lang=svc.mail_language(body_language(body))),
        }, language=body_language(body), reply_to=reply_address("report", report.id))


@bp.route("/reports/updates/confirm/<token>")
def confirm_update(token):
    upd = db.session.scalar(select(Update).where(Update.token == token))
    if upd is None:
        abort(404)
    report = db.session.get(Report, upd.report_id)
    if upd.confirmed_at is None and svc.user_is_banned(upd.user_id, upd.email):
        abort(404)  # banned since posting: never published
    if upd.confirmed_at is None and report is not None:
        apply_update(report, upd)
        db.session.commit()
        flash(_("Thank you: your update is published."), "success")
    return redirect(url_for(".detail", report_id=upd.report_id), 303)


# -- lists ---------------------------------------------------------------------------
def _list_args():
    args = request.args
    offset = svc.parse_offset(args.get("offset"))
    status = args.get("status") or None
    cat = svc.find_category(args.get("category", "")) if args.get("category") else None
    return offset, status, cat


def _categories():
    tag = current_language().tag
    return sorted(db.session.scalars(select(svc.Category)), key=lambda c: c.label(tag).casefold())


@bp.route("/reports/")
def index():
    offset, status, cat = _list_args()
    q = (request.args.get("q") or "").strip()
    point, message = None, None
    if q:  # a typed place wins over the lat/lon kept from an earlier search
        places = svc.areas_services().search_places(q, limit=1)
        if places:
            point = (places[0].lat, places[0].lon)
        else:
            message = _("No place matches “%(q)s”.", q=q)
    else:
        point = point_from_args(request.args)
    states = svc.status_filter(status)
    cid = cat.id if cat else None
    if point:
        rows, more = svc.near(point[0], point[1], states=states, category_id=cid, offset=offset, limit=PAGE)
    else:
        reports, more = svc.recent(states=states, category_id=cid, offset=offset, limit=PAGE)
        rows = [(r, None) for r in reports]
    params = {k: v for k, v in request.args.items() if k not in ("offset", "lat", "lon") and v}
    if point:
        params.update(lat=f"{point[0]:.6f}", lon=f"{point[1]:.6f}")
    next_url = url_for(".index", offset=offset + PAGE, **params) if more else None
    return render(
        "reports/index.html", block="items" if offset else None, rows=rows, next_url=next_url, q=q,
        point=point, status_value=status, category=cat, categories=_categories(), message=message,
        tag=current_language().tag, S=S, feed_url=url_for(".feed", **params), title=None,
        alert_distance=svc.alert_distance_m(), status=422 if message else 200)


@bp.route("/reports/body/<int:body_id>")
def body_list(body_id):
    body = svc.directory().get_body(body_id) if svc.valid_id(body_id) else None
    if body is None:
        abort(404)
    return _simple_list(_("Reports sent to %(body)s", body=body.name), body_id=body_id,
                        alert=("body", body_id), feed_key="body")


@bp.route("/reports/area/<int:area_id>")
def area_list(area_id):
    area = svc.areas_services().area(area_id) if svc.valid_id(area_id) else None
    if area is None:
        abort(404)
    return _simple_list(_("Reports in %(area)s", area=area.name), area_id=area_id,
                        alert=("area", area_id), feed_key="area")


def _simple_list(title, alert, feed_key, **where):
    """A body's or an area's reports, with the same state and category filters as the main list."""
    offset, status, cat = _list_args()
    reports, more = svc.recent(states=svc.status_filter(status), category_id=cat.id if cat else None,
                               offset=offset, limit=PAGE, **where)
    params = {k: v for k, v in request.args.items() if k in ("status", "category") and v}
    next_url = url_for(request.endpoint, offset=offset + PAGE, **params, **request.view_args) if more else None
    feed = url_for(".feed", **{feed_key: alert[1]}, **params)
    return render("reports/index.html", block="items" if offset else None, rows=[(r, None) for r in reports],
                  next_url=next_url, title=title, alert=alert, feed_url=feed, tag=current_language().tag, S=S,
                  q="", point=None, status_value=status, category=cat, categories=_categories(), message=None,
                  list_url=url_for(request.endpoint, **request.view_args))


# -- alerts ---------------------------------------------------------------------------
@bp.route("/reports/alerts", methods=["POST"])
@limiter.limit("20/hour", methods=["POST"])
def alert_subscribe():
    form = AlertForm()
    if current_user.is_authenticated and not form.email.data:
        form.email.data = current_user.email
    kind, target = form.kind.data, form.target.data or ""
    values = {}
    if kind in ("report", "area", "body"):
        number = svc.valid_id(target)  # ids too big for the database are simply unknown
        if number is None:
            abort(404)
        if kind == "report":  # never a hidden or unconfirmed report: its title would be mailed
            found = db.session.get(Report, number)
            if found is None or not found.is_public:
                abort(404)
        elif kind == "area" and svc.areas_services().area(number) is None:
            abort(404)
        elif kind == "body" and svc.directory().get_body(number) is None:
            abort(404)
        values[f"{kind}_id"] = number
    elif kind == "nearby":
        try:
            lat, lon, radius = (float(x) for x in target.split(","))
        except ValueError:
            abort(400)
        if not svc.finite_point(lat, lon) or radius != radius:  # NaN, infinity, off the globe
            abort(400)
        values.update(lat=lat, lon=lon, radius_m=int(min(max(radius, 100), 20000)))
    else:
        abort(400)
    if not form.validate():
        if kind == "report":
            report = _report_or_404(values["report_id"])
            return render("reports/detail.html", status=422, **report_context(report, alert_form=form))
        return render_template("reports/alert_form.html", form=form), 422
    confirmed = current_user.is_authenticated and current_user.is_confirmed and \
        form.email.data.lower() == current_user.email
    A.subscribe(kind, form.email.data, current_language().tag,
                user=current_user if current_user.is_authenticated else None, confirmed=confirmed, **values)
    db.session.commit()
    if confirmed:
        flash(_("Your alert is set up."), "success")
        return redirect(request.referrer or url_for(".index"), 303)
    return redirect(url_for(".check_email", kind="alert"), 303)


@bp.route("/reports/alerts/confirm/<token>")
def alert_confirm(token):
    alert = db.session.scalar(select(Alert).where(Alert.token == token))
    if alert is None:
        abort(404)
    if A.confirm(alert):
        db.session.commit()
    return render_template("reports/alert_done.html", alert=alert, what=A.describe(alert), done="confirmed")


@bp.route("/reports/alerts/unsubscribe/<token>", methods=["GET", "POST"])
def alert_unsubscribe(token):
    alert = db.session.scalar(select(Alert).where(Alert.token == token))
    if alert is None:
        abort(404)
    if request.method == "POST" and alert.unsubscribed_at is None:
        alert.unsubscribed_at = utcnow()
        db.session.commit()
    done = "unsubscribed" if alert.unsubscribed_at else "ask"
    return render_template("reports/alert_done.html", alert=alert, what=A.describe(alert), done=done)


from . import feeds, reporter  # noqa: E402,F401
