"""JSON for requests and authorities (public data only: never emails or hidden items)."""

from __future__ import annotations

from flask import abort, jsonify, request, url_for

from ..core.pagination import current_page
from ..core.profile import current_profile
from ..directory import services as directory
from . import queries
from .blueprint import api_bp as bp
from .filters import filters
from .laws import law_for, why_not_askable
from .models import FoiRequest
from .redaction import filename as redacted_name
from .redaction import redact
from .search import search_requests
from .stats import authority_stats


def request_json(req: FoiRequest) -> dict:
    return {
        "id": req.id,
        "title": redact(req.title, req),
        "authority_id": req.authority_id,
        "law": req.law_code,
        "state": queries.display_state(req),
        "created_at": req.created_at.isoformat(),
        "due_on": req.due_on.isoformat() if req.due_on else None,
        "url": url_for("foi.request_page", request_id=req.id, lang=current_profile().default_language, _external=True),
        "messages": [
            {
                "id": m.id,
                "direction": m.direction,
                "kind": m.kind,
                "created_at": m.created_at.isoformat(),
                "is_bounce": m.is_bounce,
                "is_auto_reply": m.is_auto_reply,
                "body": redact(m.body, req, personal=m.direction == "in"),
                "attachments": [
                    {"id": a.id, "filename": redacted_name(a, req), "content_type": a.content_type, "size": a.size}
                    for a in m.attachments
                    if a.prominence == "normal"
                ],
            }
            for m in req.messages
            if m.prominence == "normal"
        ],
    }


def _summary(req: FoiRequest) -> dict:
    return {
        "id": req.id,
        "title": redact(req.title, req),
        "authority_id": req.authority_id,
        "state": queries.display_state(req),
        "created_at": req.created_at.isoformat(),
        "url": url_for("foi.request_page", request_id=req.id, lang=current_profile().default_language, _external=True),
    }


@bp.route("/requests.json")
def request_list():
    """Listed requests matching ?q=, state, authority, since, until (as the search page); ?page=."""
    found, errors = filters()
    if errors:
        return jsonify({"errors": errors}), 400
    pg = current_page()  # PLAZA_PER_PAGE (50)
    items, total = search_requests(**found, limit=pg.limit, offset=pg.offset)
    return jsonify({"total": total, "page": pg.number, "results": [_summary(r) for r in items]})


@bp.route("/authorities.json")
def authority_list():
    pg = current_page()  # PLAZA_PER_PAGE (50)
    items, total = directory.search_bodies(
        q=(request.args.get("q") or "").strip() or None,
        tag=(request.args.get("tag") or "").strip() or None,
        limit=pg.limit,
        offset=pg.offset,
    )
    return jsonify({"total": total, "page": pg.number, "results": [_authority(b) for b in items]})


@bp.route("/requests/<int:request_id>.json")
def request_detail(request_id):
    req = queries.get_request(request_id)
    if req is None or req.prominence not in ("normal", "backpage"):
        abort(404)
    return jsonify(request_json(req))


def _authority(body) -> dict:
    law = law_for(body)
    return {
        "id": body.id,
        "name": body.name,
        "tags": list(body.tags),
        "law": law.code if law else None,
        "can_request": why_not_askable(body) is None,
        "has_foi_address": bool(body.foi_email),
        "url": url_for("foi.authority", authority_id=body.id, lang=current_profile().default_language, _external=True),
    }


@bp.route("/authorities/<int:authority_id>.json")
def authority_detail(authority_id):
    body = directory.get_body(authority_id)
    if body is None:
        abort(404)
    return jsonify(_authority(body) | {"statistics": authority_stats(body.id)})
