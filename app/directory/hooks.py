"""URLs of directory pages and the hooks other components use to add to them (sections on a
person's or an organisation's page, links beside each representative in lists). Re-exported by
services.py, the public door."""

from __future__ import annotations

from flask import current_app, url_for


def person_url(person_id) -> str:
    return url_for("directory.person", person_id=person_id)


def body_url(org_id) -> str:
    return url_for("directory.organisation", org_id=org_id)


# Sections other components add to a person's page ("messages written to them" ...):
# func(person_id) -> (template_name, context dict) or None. Either append here, or call
# register_person_section(app, func, order) from init_app (kept per app).
person_sections: list = []


def register_person_section(app, func, order: int = 50) -> None:
    app.extensions.setdefault("directory_person_sections", []).append((order, func))


def register_organisation_section(app, func, order: int = 50) -> None:
    """Sections other components add to an organisation's page (a body's problem reports ...):
    func(org_id) -> (template_name, context dict) or None."""
    app.extensions.setdefault("directory_organisation_sections", []).append((order, func))


def organisation_section_funcs() -> list:
    return [f for _, f in sorted(current_app.extensions.get("directory_organisation_sections", []), key=lambda x: x[0])]


def person_section_funcs() -> list:
    registered = [f for _, f in sorted(current_app.extensions.get("directory_person_sections", []), key=lambda x: x[0])]
    return list(dict.fromkeys(registered + list(person_sections)))


# Links other components add beside each representative in directory lists (record's "voting
# record"): func(person_ids: list[int]) -> {person id: [(label, url), ...]}, called once per
# page with every person shown (so it can answer with one query); labels already translated.
def register_person_link(app, func, order: int = 50) -> None:
    app.extensions.setdefault("directory_person_links", []).append((order, func))


def person_links_extra(person_ids) -> dict[int, list[tuple[str, str]]]:
    """{person id: [(label, url)]} from every registered link function, in their order."""
    ids = list(dict.fromkeys(person_ids))
    out: dict[int, list[tuple[str, str]]] = {i: [] for i in ids}
    if not ids:
        return out
    for _, func in sorted(current_app.extensions.get("directory_person_links", []), key=lambda x: x[0]):
        for pid, links in (func(ids) or {}).items():
            if pid in out:
                out[pid].extend(links)
    return out
