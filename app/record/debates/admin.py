"""Admin › Unmatched speakers: say which person a printed speaker name stands for (moderators)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ...core import audit
from ...core.auth import moderator_required
from ...core.ids import parse_id, parse_page
from ...directory import services as directory
from ...extensions import db
from ..blueprint import admin_bp
from . import importer, queries
from .forms import MatchSpeakerForm


def _page(form=None, failed_id=None, status=200):
    page = parse_page(request.args.get("page"))
    rows, has_next = queries.unmatched_aliases(page)
    return render_template(
        "record/admin_speakers.html",
        rows=rows,
        page=page,
        has_next=has_next,
        form=form or MatchSpeakerForm(formdata=None),
        failed_id=failed_id,
    ), status


@admin_bp.route("/speakers/")
@moderator_required
def unmatched_speakers():
    return _page()


def _person_for(value: str):
    """(person, error message): a directory id, or a name exactly one person bears."""
    value = value.strip()
    if value.isdigit():
        person = directory.get_person(parse_id(value)) if parse_id(value) else None
        return (person, None) if person else (None, _("No person has the number %(id)s.", id=value))
    found = directory.persons_by_names([value]).get(value) or []
    if len(found) == 1:
        return directory.get_person(found[0].id), None
    if not found:
        return None, _("No person is called “%(name)s”. Give their number instead.", name=value)
    return None, _(
        "Several people are called “%(name)s”: give the number of the right one (%(ids)s).",
        name=value,
        ids=", ".join(str(c.id) for c in found[:10]),
    )


@admin_bp.route("/speakers/<int:alias_id>/match", methods=["POST"])
@moderator_required
def match_speaker(alias_id):
    alias = queries.get_alias(alias_id)
    if alias is None:
        abort(404)
    form = MatchSpeakerForm()
    if not form.validate():
        return _page(form, alias.id, 422)
    person, error = _person_for(form.person.data)
    if person is None:
        form.person.errors = [error]
        return _page(form, alias.id, 422)
    changed = importer.match_alias(alias, person.id)
    audit.record(
        current_user.id,
        "record.speaker_match",
        "record_speaker_alias",
        alias.id,
        {"name": alias.name, "person_id": person.id, "speeches": changed},
    )
    db.session.commit()
    flash(
        ngettext(
            "“%(alias)s” is now %(name)s, in %(num)s speech.",
            "“%(alias)s” is now %(name)s, in %(num)s speeches.",
            changed,
            alias=alias.name,
            name=person.name,
        ),
        "success",
    )
    return redirect(url_for(".unmatched_speakers"), 303)
