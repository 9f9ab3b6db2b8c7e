"""Citizen pages of debates: the index by date, a debate, a speech's link, a speaker, search."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...core.htmx import render
from ...core.ids import parse_page
from ...directory import services as directory
from ..blueprint import bp
from . import queries, search
from .forms import SearchForm

SPEAKER_PAGE = 20
SEARCH_PAGE = 20


@bp.route("/debates/")
def debates():
    page = parse_page(request.args.get("page"))
    rows, has_next = queries.debate_list(page)
    return render_template("record/debates.html", rows=rows, page=page, has_next=has_next)


@bp.route("/debates/<int:debate_id>")
def debate(debate_id):
    found = queries.get_debate(debate_id)
    if found is None:
        abort(404)
    content = queries.debate_page(found, parse_page(request.args.get("page")))
    return render_template("record/debate.html", debate=found, **content)


@bp.route("/speeches/<int:speech_id>")
def speech(speech_id):
    """A speech's permanent link: its debate's page, at its anchor."""
    where = queries.speech_location(speech_id)
    if where is None:
        abort(404)
    debate_id, page = where
    args = {"page": page} if page > 1 else {}
    return redirect(url_for(".debate", debate_id=debate_id, **args) + f"#s{speech_id}", 302)


@bp.route("/speakers/<int:person_id>")
def speaker(person_id):
    person = directory.get_person(person_id)
    if person is None:
        abort(404)
    page = parse_page(request.args.get("page"))
    rows = queries.speeches_by_person(person_id, SPEAKER_PAGE + 1, (page - 1) * SPEAKER_PAGE)
    return render_template(
        "record/speaker.html",
        name=person.name,
        person_url=directory.person_url(person_id),
        person_id=person_id,
        rows=rows[:SPEAKER_PAGE],
        has_next=len(rows) > SPEAKER_PAGE,
        page=page,
        total=queries.speech_count(person_id=person_id),
        page_args={"person_id": person_id},
        endpoint=".speaker",
    )


@bp.route("/speakers/printed/<int:alias_id>")
def alias_speaker(alias_id):
    """Speeches under a printed name that is not matched to a person (yet)."""
    alias = queries.get_alias(alias_id)
    if alias is None:
        abort(404)
    if alias.person_id is not None:
        return redirect(url_for(".speaker", person_id=alias.person_id), 302)
    page = parse_page(request.args.get("page"))
    rows = queries.speeches_by_alias(alias_id, SPEAKER_PAGE + 1, (page - 1) * SPEAKER_PAGE)
    return render_template(
        "record/speaker.html",
        name=alias.name,
        person_url=None,
        person_id=None,
        rows=rows[:SPEAKER_PAGE],
        has_next=len(rows) > SPEAKER_PAGE,
        page=page,
        total=queries.speech_count(alias_id=alias_id),
        page_args={"alias_id": alias_id},
        endpoint=".alias_speaker",
    )


@bp.route("/search")
def search_speeches():
    form = SearchForm(request.args)
    page = parse_page(request.args.get("page"))
    hits, total, speaker_name, status = [], 0, None, 200
    if request.args and not form.validate():
        status = 422
    elif form.q.data:
        hits, total = search.search(
            form.q.data,
            person_id=form.speaker.data,
            since=form.since.data,
            until=form.until.data,
            limit=SEARCH_PAGE,
            offset=(page - 1) * SEARCH_PAGE,
        )
    if form.speaker.data and not form.speaker.errors:
        person = directory.get_person(form.speaker.data)
        speaker_name = person.name if person else None
    rows = queries.speeches([h.speech_id for h in hits])
    args = {
        k: v
        for k, v in (
            ("q", form.q.data),
            ("speaker", form.speaker.data if speaker_name else None),
            ("since", request.args.get("since")),
            ("until", request.args.get("until")),
        )
        if v
    }
    title = _("Search speeches for “%(q)s”", q=form.q.data) if form.q.data else _("Search speeches")
    return render(
        "record/search.html",
        block="results",
        status=status,
        form=form,
        rows=rows,
        labels=queries.speaker_labels(rows),
        snippet=search.snippet,
        total=total,
        cap=search.MAX_COUNT,
        page=page,
        has_next=page * SEARCH_PAGE < min(total, search.MAX_COUNT),
        args=args,
        speaker_name=speaker_name,
        title=title,
    )
