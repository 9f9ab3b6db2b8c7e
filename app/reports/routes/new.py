"""Reporting without JavaScript: where (search, coordinates, clickable SVG map) → what → details."""

from __future__ import annotations

from flask import abort, flash, jsonify, make_response, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...areas import services as areas
from ...core.htmx import render
from ...core.i18n import current_language
from ...core.profile import current_profile
from ...extensions import db, limiter
from .. import photos as P
from .. import questions as Q
from ..blueprint import bp
from ..forms import DetailsForm
from ..geometry import (
    MAP_H,
    MAP_W,
    PRECISE_M_PER_PX,
    around,
    clamp_bbox,
    clicked_point,
    default_bbox,
    fmt_bbox,
    map_links,
    metres_per_pixel,
    parse_bbox,
    parse_float,
    place_bbox,
    point_from_args,
    zoom_towards,
)
from ..operations import confirm_report, submit_report
from ..queries import categories_at, duplicates_near, find_category, report_by_token, reports_in_box, user_is_banned
from .context import remember_reporter


def room_for_photos():
    """An app-wide before_request hook, put first so it runs before CSRF reads the form."""
    if request.method == "POST" and request.endpoint in ("reports.create", "reports.add_update"):
        request.max_content_length = P.upload_limit()


@bp.errorhandler(413)
def too_large(_exc):
    return render_template("reports/too_large.html"), 413


@bp.route("/pins.json")
def map_pins():
    """Report pins for the JavaScript map, as it pans: position, title and page."""
    b = parse_bbox(request.args.get("b"))
    if b is None:
        return jsonify({"error": _("The map area is not valid."), "code": 400}), 400
    resp = jsonify(
        [
            {"lat": r.lat, "lon": r.lon, "title": r.title, "url": url_for(".detail", report_id=r.id)}
            for r in reports_in_box(b)
        ]
    )
    resp.cache_control.max_age = 300
    return resp


@bp.route("/map.svg")
def map_image():
    b = parse_bbox(request.args.get("b")) or default_bbox()
    pins = [(r.lat, r.lon, r.title) for r in reports_in_box(b)]
    point = point_from_args(request.args)
    if point:
        pins.append((point[0], point[1], _("Your problem")))
    svg = areas.map_svg(b, MAP_W, MAP_H, pins=pins)
    resp = make_response(str(svg))
    resp.mimetype = "image/svg+xml"
    resp.cache_control.max_age = 300
    return resp


@bp.route("/new")
def new():
    """Step 1 and 2 (GET, bookmarkable): where, then what."""
    args = request.args
    b = parse_bbox(args.get("b"))
    if b and args.get("map.x") is not None:
        x, y = parse_float(args.get("map.x")), parse_float(args.get("map.y"))
        if x is not None and y is not None:
            lat, lon, moved = clicked_point(b, x, y)
            if moved:
                flash(_("That point was off the map, so the nearest point on its edge was used."), "info")
            if metres_per_pixel(b) > PRECISE_M_PER_PX:
                # A click on a wide map is only roughly where: show that spot closer first.
                flash(_("Click the map again to mark exactly where the problem is."), "info")
                return redirect(url_for(".new", b=fmt_bbox(zoom_towards(b, lat, lon))), 303)
            return redirect(url_for(".new", lat=f"{lat:.6f}", lon=f"{lon:.6f}"), 303)
    point = point_from_args(args)
    if point:
        return _what(point, args)
    q = (args.get("q") or "").strip()
    places, message = [], None
    if q:
        places = areas.search_places(q, limit=10)
        if len(places) == 1 and places[0].kind in ("coords", "postcode"):
            p = places[0]
            return redirect(url_for(".new", lat=f"{p.lat:.6f}", lon=f"{p.lon:.6f}"), 303)
        if not places:
            prof = current_profile()
            message = _(
                "No place matches “%(q)s”. Try another name, or coordinates like “%(coords)s”.",
                q=q,
                coords=f"{prof.map_lat:.2f}, {prof.map_lon:.2f}",
            )
    boxes = [place_bbox(p) for p in places]
    b = b or (boxes[0] if boxes else default_bbox())  # the map shows the first place found
    ctx = {
        "q": q,
        "places": list(zip(places, (fmt_bbox(x) for x in boxes), strict=True)),
        "message": message,
        "bbox": fmt_bbox(b),
        "links": map_links(b),
    }
    return render("reports/new_where.html", status=422 if message else 200, **ctx)


def _what(point, args):
    lat, lon = point
    bbox = fmt_bbox(clamp_bbox(around(lat, lon, 0.01)))
    categories = categories_at(lat, lon)
    tag = current_language().tag
    if not categories:
        message = _("Nobody receives reports for this place. Please choose a point inside an area we cover.")
        b = around(lat, lon, 0.05)
        return render(
            "reports/new_where.html",
            status=422,
            q="",
            places=[],
            message=message,
            bbox=fmt_bbox(b),
            links=map_links(b),
            point=point,
        )
    chosen = find_category(args.get("category", "")) if args.get("category") else None
    if chosen and chosen.id not in {c.id for c in categories}:
        chosen = None
    if chosen is None:
        return render(
            "reports/new_what.html",
            lat=lat,
            lon=lon,
            categories=categories,
            tag=tag,
            bbox=bbox,
            error=_("Please choose a category.") if "category" in args else None,
            status=422 if "category" in args else 200,
        )
    if not args.get("new"):
        dups = duplicates_near(lat, lon, chosen.id)
        if dups:
            return render("reports/new_duplicates.html", lat=lat, lon=lon, category=chosen, tag=tag, dups=dups)
    form = DetailsForm(formdata=None, lat=f"{lat:.6f}", lon=f"{lon:.6f}", category=chosen.code)
    _prefill(form)
    return _details(form, chosen, lat, lon)


def _prefill(form):
    if current_user.is_authenticated:
        form.name.data = form.name.data or current_user.name
        form.email.data = current_user.email


def _details(form, category, lat, lon, status=200, photo_errors=(), question_errors=None):
    keys = [k for k in session.get("report_photos", []) if P.exists(k)]
    given = {q["code"]: request.form.getlist(f"attribute[{q['code']}]") for q in category.attributes or []}
    return render(
        "reports/new_details.html",
        status=status,
        form=form,
        category=category,
        lat=lat,
        lon=lon,
        tag=current_language().tag,
        photo_keys=keys,
        photo_errors=photo_errors,
        bbox=fmt_bbox(around(lat, lon, 0.01)),
        given=given,
        question_errors=question_errors or {},
        question_text=Q.description,
        choice_name=Q.choice_name,
    )


@bp.route("/new", methods=["POST"])
@limiter.limit("20/hour", methods=["POST"])
def create():
    form = DetailsForm()
    _prefill(form)
    point = point_from_args(request.form)
    category = find_category(form.category.data or "")
    if point is None or category is None or category.id not in {c.id for c in categories_at(*point)}:
        flash(_("Please choose the place and the category again."), "error")
        return redirect(url_for(".new"), 303)
    lat, lon = point
    kept = [k for k in session.get("report_photos", []) if P.exists(k)]
    removed = set(request.form.getlist("remove_photo"))
    kept, photo_errors = P.save_uploads(form.photos.data, [k for k in kept if k not in removed], P.MAX_PHOTOS)
    session["report_photos"] = kept
    answers, question_errors = Q.check_answers(category.attributes, request.form.getlist)
    if not form.validate() or photo_errors or question_errors:
        return _details(
            form, category, lat, lon, status=422, photo_errors=photo_errors, question_errors=question_errors
        )
    user = current_user if current_user.is_authenticated else None
    if user_is_banned(getattr(user, "id", None), user.email if user else form.email.data):
        form.email.errors = [_("Reports from this email address are not accepted.")]
        return _details(form, category, lat, lon, status=422)
    report = submit_report(
        category=category,
        title=form.title.data,
        detail=form.detail.data,
        lat=lat,
        lon=lon,
        name=form.name.data,
        email=user.email if user else form.email.data,
        show_name=form.show_name.data,
        language=current_language().tag,
        user=user,
        photo_keys=kept,
        attributes=answers,
    )
    db.session.commit()
    session.pop("report_photos", None)
    if report.state == "unconfirmed":
        return redirect(url_for(".check_email", kind="report"), 303)
    flash(_("Thank you: your report is now public and has been sent on."), "success")
    return redirect(url_for(".detail", report_id=report.id), 303)


@bp.route("/check-email")
def check_email():
    return render_template("reports/check_email.html", kind=request.args.get("kind", "report"))


@bp.route("/confirm/<token>")
def confirm(token):
    """The emailed link: confirms once; a second click (or a mail scanner's) just shows the report."""
    report = report_by_token(token)
    if report is None:
        abort(404)
    if confirm_report(report):
        remember_reporter(report)  # the confirming browser is the reporter's
        db.session.commit()
        flash(_("Thank you: your report is confirmed and has been sent on."), "success")
    if not report.is_public:
        abort(404)
    return redirect(url_for(".detail", report_id=report.id), 303)


@bp.route("/new/photos/<key>.jpg")
def pending_photo(key):
    """A photo uploaded in this session's unfinished report (only its uploader sees it)."""
    if key not in session.get("report_photos", []) or not P.exists(key):
        abort(404)
    return send_file(P.path_for(key, "thumb"), mimetype="image/jpeg", max_age=0)
