"""Public pages: write (form, preview, send), confirm, the archive, a message, a person's messages."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..areas import services as areas
from ..core import previews
from ..core.htmx import render
from ..core.i18n import current_language
from ..core.ids import parse_id
from ..core.pagination import page_number
from ..directory import services as directory
from ..extensions import db, limiter, login_manager
from . import operations, queries, services
from .blueprint import bp
from .forms import ReasonForm, WriteForm

PREVIEW = "write-preview"  # what a preview digest is for


def _ids(values) -> list[int]:
    """Up to 50 distinct ids from a repeated form or query field; nonsense is left out."""
    return list(dict.fromkeys(n for n in map(parse_id, values) if n is not None))[:50]


def _current_reps(ids) -> list:
    """PersonInfo of the ids that are current representatives, in the order given."""
    dirs = directory
    return [p for p in dirs.persons(ids) if dirs.is_current_representative(p.id)]


def _place_reps(place: str, area_id: int | None = None):
    """(label, [PersonInfo], whether the place is a large area, [other places]) for a typed place
    or a chosen area. An area (a council) gets the representatives of every area sharing part of
    it, not of one point inside it; a postcode or coordinates get those covering that point."""
    dirs = directory
    chosen, others = None, []
    if area_id:
        info = areas.area(area_id)
        if info is None:
            return None, [], False, []
        # Translators: a place in search results: an area's name and its type, e.g. "Cardiff, Council"
        label = _("%(name)s, %(type)s", name=info.name, type=info.type_name)
        chosen = areas.Place(label, 0.0, 0.0, info.id, "area")
    elif place:
        found = areas.search_places(place, limit=10)
        if not found:
            return None, [], False, []
        chosen, others = found[0], [p for p in found[1:] if p.kind == "area" and p.area_id]
    else:
        return None, [], False, []
    # The directory's one rule for "who represents this place" (as its own page uses).
    if chosen.kind == "area" and chosen.area_id:
        found = dirs.representatives_for(area_id=chosen.area_id)
    else:
        found = dirs.representatives_for(lat=chosen.lat, lon=chosen.lon)
    if found is None:  # an area of another generation: no longer a place
        return None, [], False, []
    reps, wide = found.representatives, found.wide
    ids = list(dict.fromkeys(r.person_id for r in reps))
    return chosen.label, dirs.persons(ids), wide, others


def _signed_in() -> bool:
    return bool(current_user and current_user.is_authenticated)


def _form_page(form, chosen_ids, place="", status=200, errors=None, area_id=None):
    chosen = _current_reps(chosen_ids)
    label, found, wide, others = _place_reps(place, area_id)
    candidates = list({p.id: p for p in chosen + found}.values())
    return render(
        "write/new.html",
        block="form",
        status=status,
        form=form,
        candidates=candidates,
        chosen={p.id for p in chosen},
        place=place,
        place_label=label,
        place_missing=bool(place or area_id) and label is None,
        signed_in=_signed_in(),
        place_wide=wide,
        other_places=others,
        area_id=area_id if label else None,
        with_email=directory.persons_with_email([p.id for p in candidates]),
        max_recipients=queries.max_recipients(),
        errors=errors or {},
    )


def _prefill(form):
    if _signed_in():
        form.name.data = form.name.data or current_user.name
        form.email.data = current_user.email


@bp.route("/")
def index():
    page = page_number(request.args.get("page", 1))
    messages, has_next = queries.listing(page=page)
    return render(
        "write/index.html",
        block="list",
        messages=messages,
        has_next=has_next,
        page=page,
        to=queries.recipient_lists(messages),
        answers=queries.answer_counts(m.id for m in messages),
    )


@bp.route("/new", methods=["GET"])
def new():
    form = WriteForm(formdata=None)
    _prefill(form)
    chosen = _ids(request.args.getlist("person"))
    area_id = next(iter(_ids(request.args.getlist("area"))), None)
    return _form_page(form, chosen, place=(request.args.get("place") or "").strip()[:200], area_id=area_id)


def _shown(form, reps) -> tuple:
    """What the preview shows: its digest must come back with "Send", so every message has been
    seen with its public notice (a signed-in writer too), and unchanged since."""
    return ([p.id for p in reps], form.subject.data, form.body.data, form.name.data, (form.email.data or "").lower())


def _send_exempt() -> bool:
    return request.form.get("action") != "send"


@bp.route("/new", methods=["POST"])
@limiter.limit("10/hour", methods=["POST"], exempt_when=_send_exempt)
def create():
    form = WriteForm()
    _prefill(form)
    place = (request.form.get("place") or "").strip()[:200]
    area_id = next(iter(_ids(request.form.getlist("area"))), None)
    ids = _ids(request.form.getlist("person"))
    reps = _current_reps(ids)
    errors = {}
    if not reps:
        errors["person"] = _("Please choose at least one current representative.")
    elif len(reps) > queries.max_recipients():
        errors["person"] = ngettext(
            "You can write to at most %(num)s representative at once.",
            "You can write to at most %(num)s representatives at once.",
            queries.max_recipients(),
        )
    valid = form.validate()
    action = request.form.get("action")
    if action == "edit" or not valid or errors:
        status = 200 if action == "edit" else 422
        return _form_page(form, ids, place=place, status=status, errors=errors, area_id=area_id)
    digest = previews.preview_token(PREVIEW, *_shown(form, reps))
    if action != "send" or not previews.previewed(PREVIEW, request.form.get("checked", ""), *_shown(form, reps)):
        # Nothing is sent unless this exact message was previewed (with its public notice).
        return render(
            "write/preview.html",
            form=form,
            recipients=reps,
            place=place,
            area_id=area_id,
            checked=digest,
            with_email=directory.persons_with_email([p.id for p in reps]),
        )
    email = form.email.data.strip().lower()
    user = current_user if _signed_in() else None
    if queries.sent_today(email) >= queries.per_email_daily_limit():
        form.email.errors = [
            *form.email.errors,
            _("You have written too many messages today. Please try again tomorrow."),
        ]
        return _form_page(form, ids, place=place, status=429, errors=errors, area_id=area_id)
    if user is None and queries.unconfirmed_today(email) >= queries.per_email_daily_limit():
        # Only the confirmation emails are capped: a signed-in writer is not held up by them.
        form.email.errors = [
            *form.email.errors,
            _(
                "Several messages from this address are waiting for confirmation. Please use the links we "
                "emailed, or sign in to write."
            ),
        ]
        return _form_page(form, ids, place=place, status=429, errors=errors, area_id=area_id)
    msg = operations.create_message(
        person_ids=[p.id for p in reps],
        subject=form.subject.data,
        body=form.body.data,
        name=form.name.data,
        email=email,
        language=current_language().tag,
        user=user,
        ip=request.remote_addr,
    )
    db.session.commit()
    if msg.status == "unconfirmed":
        return redirect(url_for(".check_email"), 303)
    if msg.status == "pending_moderation":
        flash(_("Thank you. Your message will be sent once a moderator has checked it."), "success")
    else:
        flash(_("Thank you. Your message has been sent and is now public."), "success")
    return redirect(url_for(".detail", message_id=msg.id), 303)


@bp.route("/check-email")
def check_email():
    return render_template("write/check_email.html")


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token):
    """The emailed link shows the message and a button; only the button's POST (with its CSRF
    token) confirms, so mail scanners that fetch links change nothing."""
    msg = queries.by_token(token)
    if msg is None:
        abort(404)
    if msg.status != "unconfirmed":
        return redirect(url_for(".detail", message_id=msg.id, t=token if not msg.is_public else None), 303)
    if request.method == "GET":
        return render_template("write/confirm.html", message=msg, names=queries.recipient_names([msg]))
    if operations.confirm(msg):
        db.session.commit()
        if msg.status == "pending_moderation":
            flash(_("Thank you. Your message will be sent once a moderator has checked it."), "success")
        else:
            flash(_("Thank you. Your message has been sent and is now public."), "success")
    elif msg.status == "unconfirmed":
        flash(_("You have written too many messages today. Please try again tomorrow."), "error")
    return redirect(url_for(".detail", message_id=msg.id, t=token if not msg.is_public else None), 303)


def _may_see(msg, token=None) -> bool:
    if msg.status in ("sent", "hidden"):
        return True
    if token and token == msg.token:
        return True
    return _signed_in() and (current_user.can_moderate or queries.can_manage(msg, current_user))


@bp.route("/<int:message_id>")
def detail(message_id):
    msg = queries.get_message(message_id)
    if msg is None or not _may_see(msg, request.args.get("t")):
        abort(404)
    answers = queries.public_answers(msg) if msg.status != "hidden" else []
    return render_template(
        "write/detail.html",
        message=msg,
        answers=answers,
        names=queries.recipient_names([msg]),
        delivery=queries.delivery_statuses(msg),
        is_owner=queries.can_manage(msg, current_user) if _signed_in() else False,
        is_moderator=_signed_in() and current_user.can_moderate,
    )


def _hide_page(msg, form, action_url, status=200):
    return render_template("write/hide.html", message=msg, form=form, action_url=action_url), status


@bp.route("/manage/<token>", methods=["GET", "POST"])
@limiter.limit("30/hour", methods=["POST"])
def manage(token):
    """The secret link in the confirmation email: the writer may hide their message."""
    msg = queries.by_token(token)
    if msg is None:
        abort(404)
    return _hide_own(msg, url_for(".manage", token=token))


@bp.route("/<int:message_id>/hide", methods=["GET", "POST"])
def hide_own(message_id):
    msg = queries.get_message(message_id)
    if msg is None:
        abort(404)
    if not _signed_in():
        return login_manager.unauthorized()
    if not queries.can_manage(msg, current_user):
        abort(403)
    return _hide_own(msg, url_for(".hide_own", message_id=msg.id))


def _hide_own(msg, action_url):
    form = ReasonForm()
    if msg.status != "sent":
        return render_template("write/hide.html", message=msg, form=None, action_url=action_url)
    if request.method == "POST":
        if not form.validate():
            return _hide_page(msg, form, action_url, 422)
        operations.hide(msg, form.reason.data.strip(), by_writer=True)
        db.session.commit()
        flash(_("Your message is now hidden."), "success")
        return redirect(url_for(".detail", message_id=msg.id), 303)
    return _hide_page(msg, form, action_url)


@bp.route("/person/<int:person_id>")
def person(person_id):
    info = directory.get_person(person_id)
    if info is None:
        abort(404)
    page = page_number(request.args.get("page", 1))
    messages, has_next = queries.listing(person_id=person_id, page=page)
    return render(
        "write/person.html",
        block="list",
        person=info,
        stats=services.person_stats(person_id),
        messages=messages,
        has_next=has_next,
        page=page,
        to=queries.recipient_lists(messages),
        answers=queries.answer_counts(m.id for m in messages),
        can_write=directory.is_current_representative(person_id),
    )
