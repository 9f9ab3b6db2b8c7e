"""What the directory adds to other pages through the registry: an area's section (its
representatives and public bodies) and the admin dashboard's panel."""

from __future__ import annotations

from flask import url_for

from . import queries, services


def area_section(area_id):
    reps = services.current_representatives([area_id])
    bodies = services.bodies_for_areas([area_id])
    if not reps and not bodies:
        return None
    links = services.person_links_extra([r.person_id for r in reps])
    return "directory/_area_section.html", {"reps": reps, "bodies": bodies, "person_links": links}


def dashboard_panel():
    return "directory/_dashboard_panel.html", {
        **queries.dashboard_counts(),
        "link": url_for("directory_admin.missing_email"),
        "failing_link": url_for("directory_admin.missing_email", _anchor="failing-people"),
    }
