"""Reporting without JavaScript: where (search, coordinates, clickable SVG map) → what → details."""

from __future__ import annotations

import math

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..core.htmx import render
from ..core.i18n import current_language
from ..core.mail import external_url, queue_email
from ..extensions import db, limiter
from . import photos as P
from . import questions as Q
from . import services as svc
from .forms import DetailsForm

bp = Blueprint("reports", __name__, template_folder="templates")
MAP_W, MAP_H = 320, 240
MAX_PHOTOS = 3
PHOTO_MESSAGES = {
    "too_big": _l("A photo is too big (8 MB at most)."),
    "format": _l("Photos must be JPEG, PNG or WebP images."),
}
FORM_SLACK = 1024 * 1024  # the rest of the details form around the photos


def upload_limit() -> int:
    """The request size the photo forms accept: REPORTS_MAX_UPLOAD when set, else enough that
    three legal photos never give a 413 even when MAX_CONTENT_LENGTH is lower."""
    explicit = current_app.config.get("REPORTS_MAX_UPLOAD")
    if explicit:
        return int(explicit)
    configured = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return max(configured, MAX_PHOTOS * P.MAX_PHOTO_BYTES + FORM_SLACK)


def room_for_photos():
    """An app-wide before_request hook, put first so it runs before CSRF reads the form."""
    if request.method == "POST" and request.endpoint in ("reports.create", "reports.add_update"):
        request.max_content_length = upload_limit()


@bp.errorhandler(413)
def too_large(_exc):
    return render_template("reports/too_large.html"), 413


def _float(value):
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def point_from_args(args):
    lat, lon = _float(args.get("lat")), _float(args.get("lon"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def default_bbox():
    prof = svc.profile()
    span = 360 / 2 ** max(prof.map_zoom, 1) * 1.25
    return around(prof.map_lat, prof.map_lon, span)


def around(lat, lon, span_lon):
    span_lat = span_lon * MAP_H / MAP_W * math.cos(math.radians(lat))
    return (lon - span_lon / 2, lat - span_lat / 2, lon + span_lon / 2, lat + span_lat / 2)


def parse_bbox(text):
    try:
        parts = [float(x) for x in (text or "").split(",")]
    except ValueError:
        return None
    if len(parts) != 4 or not all(math.isfinite(p) for p in parts):
        return None
    a, b, c, d = parts
    if not (-180 <= a < c <= 180 and -90 <= b < d <= 90) or c - a < 1e-4:
        return None
    return a, b, c, d


def fmt_bbox(b):
    return ",".join(f"{x:.5f}" for x in b)


def map_links(b):
    """Pan and zoom: the same map moved or scaled, as plain links."""
    a, s, c, n = b
    w, h = c - a, n - s
    cx, cy = (a + c) / 2, (s + n) / 2

    def box(x0, y0, x1, y1):
        return fmt_bbox((x0, y0, x1, y1))

    return {
        "north": box(a, s + h / 2, c, n + h / 2), "south": box(a, s - h / 2, c, n - h / 2),
        "west": box(a - w / 2, s, c - w / 2, n), "east": box(a + w / 2, s, c + w / 2, n),
        "zoom_in": box(cx - w / 4, cy - h / 4, cx + w / 4, cy + h / 4),
        "zoom_out": box(cx - w, cy - h, cx + w, cy + h),
    }


def _reports_in(b):
    """The newest 100 public reports in view, at any zoom (an indexed, bounded query)."""
    a, s, c, n = b
    return db.session.scalars(svc.public_reports().where(
        svc.Report.lat.between(s, n), svc.Report.lon.between(a, c))
        .order_by(svc.Report.created_at.desc()).limit(100)).all()


@bp.route("/reports/pins.json")
def map_pins():
    """Report pins for the JavaScript map, as it pans: position, title and page."""
    b = parse_bbox(request.args.get("b"))
    if b is None:
        return jsonify({"error": _("The map area is not valid."), "code": 400}), 400
    resp = jsonify([{"lat": r.lat, "lon": r.lon, "title": r.title, "url": url_for(".detail", report_id=r.id)}
                    for r in _reports_in(b)])
    resp.cache_control.max_age = 300
    return resp


@bp.route("/reports/map.svg")
def map_image():
    b = parse_bbox(request.args.get("b")) or default_bbox()
    pins = [(r.lat, r.lon, r.title) for r in _reports_in(b)]
    point = point_from_args(request.args)
    if point:
        pins.append((point[0], point[1], _("Your problem")))
    svg = svc.areas_services().map_svg(b, MAP_W, MAP_H, pins=pins)
    resp = make_response(str(svg))
    resp.mimetype = "image/svg+xml"
    resp.cache_control.max_age = 300
    return resp


@bp.route("/reports/new")
def new():
    """Step 1 and 2 (GET, bookmarkable): where, then what."""
    args = request.args
    b = parse_bbox(args.get("b"))
    if b and args.get("map.x") is not None:
        x, y = _float(args.get("map.x")), _float(args.get("map.y"))
        if x is not None and y is not None:
            lat, lon = _clicked_point(b, x, y)
            if metres_per_pixel(b) > PRECISE_M_PER_PX:
                # A click on a wide map is only roughly where: show that spot closer first.
                flash(_("Click the map again to mark exactly where the problem is."), "info")
                span = max((b[2] - b[0]) / ZOOM_STEP, 0.98 * PRECISE_M_PER_PX * MAP_W / _m_per_deg_lon(lat))
                centre = min(max(lat, -85), 85)  # (the map has no height at the poles)
                return redirect(url_for(".new", b=fmt_bbox(clamp_bbox(around(centre, lon, span)))), 303)
            return redirect(url_for(".new", lat=f"{lat:.6f}", lon=f"{lon:.6f}"), 303)
    point = point_from_args(args)
    if point:
        return _what(point, args)
    q = (args.get("q") or "").strip()
    places, message = [], None
    if q:
        places = svc.areas_services().search_places(q, limit=10)
        if len(places) == 1 and places[0].kind in ("coords", "postcode"):
            p = places[0]
            return redirect(url_for(".new", lat=f"{p.lat:.6f}", lon=f"{p.lon:.6f}"), 303)
        if not places:
            prof = svc.profile()
            message = _("No place matches “%(q)s”. Try another name, or coordinates like “%(coords)s”.", q=q,
                        coords=f"{prof.map_lat:.2f}, {prof.map_lon:.2f}")
    boxes = [place_bbox(p) for p in places]
    b = b or (boxes[0] if boxes else default_bbox())  # the map shows the first place found
    ctx = {"q": q, "places": list(zip(places, (fmt_bbox(x) for x in boxes), strict=True)), "message": message,
           "bbox": fmt_bbox(b), "links": map_links(b)}
    return render("reports/new_where.html", status=422 if message else 200, **ctx)


# A map click is taken as the problem's place only when a pixel is at most this many metres;
# on a wider map it zooms in (ZOOM_STEP times, down to that scale) around the click first.
PRECISE_M_PER_PX = 25
ZOOM_STEP = 4


def _m_per_deg_lon(lat) -> float:
    return 111_320 * max(0.01, math.cos(math.radians(lat)))


def metres_per_pixel(b) -> float:
    return (b[2] - b[0]) * _m_per_deg_lon((b[1] + b[3]) / 2) / MAP_W


def clamp_bbox(b):
    """A map box moved (not shrunk) to stay on the globe."""
    a, s, c, n = b
    if a < -180:
        a, c = -180, c - a - 180
    if c > 180:
        a, c = a - (c - 180), 180
    if s < -90:
        s, n = -90, n - s - 90
    if n > 90:
        s, n = s - (n - 90), 90
    return max(a, -180), max(s, -90), min(c, 180), min(n, 90)


def place_bbox(place):
    """The map of a place found by name: its area's extent (a little margin, the map's shape),
    else the streets around its point."""
    box = svc.areas_services().bbox(place.area_id) if place.area_id else None
    lat, lon = place.lat, place.lon
    span = 0.01
    if box:
        a, s, c, n = box
        lat, lon = (s + n) / 2, (a + c) / 2
        span = max(c - a, (n - s) / (MAP_H / MAP_W * max(0.01, math.cos(math.radians(lat))))) * 1.1
        span = min(max(span, 0.005), 300)
    return clamp_bbox(around(lat, lon, span))


def _clicked_point(b, x, y):
    """The map click as lat/lon, kept inside the map shown (and the globe): a click (or a
    hand-made URL) off the picture lands on its nearest edge, with a message saying so."""
    cx, cy = min(max(x, 0), MAP_W), min(max(y, 0), MAP_H)
    lat, lon = svc.areas_services().unproject(b, MAP_W, MAP_H, cx, cy)
    a, s, c, n = b
    lat2, lon2 = min(max(lat, s, -90), n, 90), min(max(lon, a, -180), c, 180)
    if (cx, cy) != (x, y) or (lat2, lon2) != (lat, lon):
        flash(_("That point was off the map, so the nearest point on its edge was used."), "info")
    return lat2, lon2


def _what(point, args):
    lat, lon = point
    bbox = fmt_bbox(clamp_bbox(around(lat, lon, 0.01)))
    categories = svc.categories_at(lat, lon)
    tag = current_language().tag
    if not categories:
        message = _("Nobody receives reports for this place. Please choose a point inside an area we cover.")
        b = around(lat, lon, 0.05)
        return render("reports/new_where.html", status=422, q="", places=[], message=message,
                      bbox=fmt_bbox(b), links=map_links(b), point=point)
    chosen = svc.find_category(args.get("category", "")) if args.get("category") else None
    if chosen and chosen.id not in {c.id for c in categories}:
        chosen = None
    if chosen is None:
        return render("reports/new_what.html", lat=lat, lon=lon, categories=categories, tag=tag,
                      bbox=bbox, error=_("Please choose a category.") if "category" in args else None,
                      status=422 if "category" in args else 200)
    if not args.get("new"):
        dups = svc.duplicates_near(lat, lon, chosen.id)
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
    return render("reports/new_details.html", status=status, form=form, category=category, lat=lat, lon=lon,
                  tag=current_language().tag, photo_keys=keys, photo_errors=photo_errors,
                  bbox=fmt_bbox(around(lat, lon, 0.01)), given=given, question_errors=question_errors or {},
                  question_text=Q.description, choice_name=Q.choice_name)


@bp.route("/reports/new", methods=["POST"])
@limiter.limit("20/hour", methods=["POST"])
def create():
    form = DetailsForm()
    _prefill(form)
    point = point_from_args(request.form)
    category = svc.find_category(form.category.data or "")
    if point is None or category is None or category.id not in {c.id for c in svc.categories_at(*point)}:
        flash(_("Please choose the place and the category again."), "error")
        return redirect(url_for(".new"), 303)
    lat, lon = point
    kept = [k for k in session.get("report_photos", []) if P.exists(k)]
    removed = set(request.form.getlist("remove_photo"))
    kept = [k for k in kept if k not in removed]
    photo_errors = []
    for f in form.photos.data or []:
        if not getattr(f, "filename", ""):
            continue
        if len(kept) >= MAX_PHOTOS:
            photo_errors.append(_("You can add up to %(num)s photos.", num=MAX_PHOTOS))
            break
        try:
            kept.append(P.save_upload(f.read(P.MAX_PHOTO_BYTES + 1)))
        except P.PhotoError as exc:
            photo_errors.append(str(PHOTO_MESSAGES.get(str(exc), PHOTO_MESSAGES["format"])))
    session["report_photos"] = kept
    answers, question_errors = Q.check_answers(category.attributes, request.form.getlist)
    if not form.validate() or photo_errors or question_errors:
        return _details(form, category, lat, lon, status=422, photo_errors=photo_errors,
                        question_errors=question_errors)
    user = current_user if current_user.is_authenticated else None
    if svc.user_is_banned(getattr(user, "id", None), user.email if user else form.email.data):
        form.email.errors = [_("Reports from this email address are not accepted.")]
        return _details(form, category, lat, lon, status=422)
    report = svc.create_report(
        category=category, title=form.title.data, detail=form.detail.data, lat=lat, lon=lon,
        name=form.name.data, email=user.email if user else form.email.data, show_name=form.show_name.data,
        language=current_language().tag, user=user, photo_keys=kept, attributes=answers,
    )
    if report.state == "unconfirmed":
        queue_email(report.email, "reports/email/confirm.txt", {
            "report": report, "url": external_url("reports.confirm", token=report.token),
            "manage": external_url("reports.manage", token=svc.sign("manage", [report.id, report.email])),
        }, language=report.language)
    db.session.commit()
    session.pop("report_photos", None)
    if report.state == "unconfirmed":
        return redirect(url_for(".check_email", kind="report"), 303)
    flash(_("Thank you: your report is now public and has been sent on."), "success")
    return redirect(url_for(".detail", report_id=report.id), 303)


@bp.route("/reports/check-email")
def check_email():
    return render_template("reports/check_email.html", kind=request.args.get("kind", "report"))


@bp.route("/reports/confirm/<token>")
def confirm(token):
    """The emailed link: confirms once; a second click (or a mail scanner's) just shows the report."""
    report = db.session.scalar(svc.select(svc.Report).where(svc.Report.token == token))
    if report is None:
        abort(404)
    if svc.confirm_report(report):
        from .routes_view import remember_reporter

        remember_reporter(report)  # the confirming browser is the reporter's
        db.session.commit()
        flash(_("Thank you: your report is confirmed and has been sent on."), "success")
    if not report.is_public:
        abort(404)
    return redirect(url_for(".detail", report_id=report.id), 303)



@bp.route("/reports/new/photos/<key>.jpg")
def pending_photo(key):
    """A photo uploaded in this session's unfinished report (only its uploader sees it)."""
    from flask import send_file

    if key not in session.get("report_photos", []) or not P.exists(key):
        abort(404)
    return send_file(P.path_for(key, "thumb"), mimetype="image/jpeg", max_age=0)


from . import routes_view  # noqa: E402,F401 - the rest of the pages, on the same blueprint
