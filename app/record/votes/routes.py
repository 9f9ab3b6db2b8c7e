"""Citizen pages of the votes part: policies, a policy, a division, a person's votes."""

from __future__ import annotations

from flask import abort, request

from ...core.htmx import render
from ..blueprint import bp
from . import options, queries, views
from .forms import PageForm, PolicyMembersForm


@bp.route("/policies/")
def policies():
    return render("record/policies.html", policies=queries.policies())


@bp.route("/policies/<int:policy_id>")
def policy(policy_id):
    found = queries.policy(policy_id)
    if found is None:
        abort(404)
    args = PolicyMembersForm(formdata=request.args).clean()
    return render("record/policy.html", block="members", **views.policy_page(found, **args))


@bp.route("/divisions/<int:event_id>")
def division(event_id):
    ctx = views.division_page(event_id)
    if ctx is None:
        abort(404)
    return render("record/division.html", **ctx)


@bp.route("/people/<int:person_id>/votes")
def person_votes(person_id):
    ctx = views.person_votes_page(person_id, PageForm(formdata=request.args).page_number())
    if ctx is None:
        abort(404)
    return render("record/votes_person.html", block="votes", **ctx)


@bp.context_processor
def _words():
    return {"option_label": options.option_label, "result_label": options.result_label}
