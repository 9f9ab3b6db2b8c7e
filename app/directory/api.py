"""Popolo JSON: the whole directory, one person, one organisation. No private contact details.
Every answer here, errors included, carries Access-Control-Allow-Origin: * (see __init__.py)."""

from __future__ import annotations

from flask import abort, jsonify

from . import popolo_export
from .blueprint import api_bp as bp


@bp.route("/popolo.json")
def popolo():
    return jsonify(popolo_export.full_export())


@bp.route("/persons/<int:person_id>.json")
def person(person_id):
    data = popolo_export.person_export(person_id)
    if data is None:
        abort(404)
    return jsonify(data)


@bp.route("/organizations/<int:org_id>.json")
def organization(org_id):
    data = popolo_export.organisation_export(org_id)
    if data is None:
        abort(404)
    return jsonify(data)
