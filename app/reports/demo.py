"""Demo categories, contacts and reports for the demo bodies the directory loader made.

District councils receive street lights, rubbish and graffiti; region councils receive potholes
(by email, to the body's own address). A dozen reports at the districts' centres, in several
languages and states, with updates from the public and from the councils, make `make run` show
a living site. Sends are recorded as done without queueing mail: the demo addresses are fictional.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ..accounts import services as accounts
from ..areas import services as areas_services
from ..core.models import utcnow
from ..directory import services as directory
from ..extensions import db
from .models import Category, Contact, Report, ResponseTemplate, Send, Update
from .operations import create_report
from .queries import categories_at, contacts_for, covering_bodies, find_category

CATEGORIES = {
    # code: (default English name, other names, which councils, hint per language)
    "pothole": (
        "Pothole",
        {"es": "Bache", "fr": "Nid-de-poule", "ar": "حفرة في الطريق"},
        "region",
        {
            "en": "Holes and cracks in roads and pavements.",
            "es": "Agujeros y grietas en calles y aceras.",
            "fr": "Trous et fissures sur les routes et les trottoirs.",
            "ar": "حفر وتشققات في الطرق والأرصفة.",
        },
    ),
    "street-light": (
        "Street light",
        {"es": "Alumbrado público", "fr": "Éclairage public", "ar": "إنارة الشارع"},
        "district",
        {},
    ),
    "rubbish": (
        "Rubbish",
        {"es": "Basura", "fr": "Déchets", "ar": "نفايات"},
        "district",
        {
            "en": "Dumped rubbish, overflowing bins.",
            "es": "Basura abandonada, contenedores llenos.",
            "fr": "Dépôts sauvages, poubelles qui débordent.",
            "ar": "نفايات ملقاة وحاويات ممتلئة.",
        },
    ),
    "graffiti": ("Graffiti", {"es": "Grafiti", "fr": "Graffiti", "ar": "كتابة على الجدران"}, "district", {}),
}
NOTICES = {
    "street-light": {
        "en": "A fallen lamp post or bare wires are dangerous: call the emergency number first.",
        "es": "Una farola caída o cables al aire son peligrosos: llame primero al número de emergencias.",
        "fr": "Un lampadaire tombé ou des fils à nu sont dangereux : appelez d'abord les secours.",
        "ar": "عمود إنارة ساقط أو أسلاك مكشوفة خطر: اتصل برقم الطوارئ أولاً.",
    }
}

# (category, title, detail, language, days ago, final state, updates: (days ago, kind, text, new state))
REPORTS = [
    (
        "pothole",
        "Deep pothole outside the school",
        "About 30 cm wide, cars swerve round it.",
        "en",
        40,
        "fixed - council",
        [
            (30, "staff", "Inspected: scheduled for repair.", "action scheduled"),
            (12, "staff", "The road has been patched.", "fixed - council"),
        ],
    ),
    (
        "street-light",
        "Lamp post out on the corner",
        "The whole corner is dark at night.",
        "en",
        9,
        "investigating",
        [(6, "staff", "An electrician will check the cable.", "investigating")],
    ),
    (
        "rubbish",
        "Bache y basura junto al mercado",
        "Bolsas de basura acumuladas desde hace una semana.",
        "es",
        5,
        "confirmed",
        [(3, "public", "Sigue igual, y ahora hay ratas.", None)],
    ),
    (
        "graffiti",
        "Tags on the library wall",
        "Fresh spray paint over the mural.",
        "en",
        20,
        "fixed - user",
        [(4, "public", "Cleaned this morning, thank you!", "fixed - user")],
    ),
    (
        "street-light",
        "Lampadaire qui clignote",
        "Il clignote toute la nuit devant le numéro 12.",
        "fr",
        2,
        "confirmed",
        [],
    ),
    (
        "pothole",
        "حفرة كبيرة أمام المسجد",
        "الحفرة تتسع بعد كل مطر.",
        "ar",
        15,
        "in progress",
        [(10, "staff", "Work started on the road surface.", "in progress")],
    ),
    (
        "rubbish",
        "Fly-tipped mattress in the lane",
        "Two mattresses and a sofa.",
        "en",
        60,
        "unable to fix",
        [(50, "staff", "The lane is private land: we have written to the owner.", "unable to fix")],
    ),
    ("graffiti", "Graffiti on the bus shelter", "", "en", 1, "confirmed", []),
    (
        "pothole",
        "Broken kerb by the crossing",
        "Wheelchair users cannot get past.",
        "en",
        25,
        "confirmed",
        [(20, "public", "Still broken, it is getting worse.", None)],
    ),
]
TEMPLATES = [
    ("Scheduled for repair", "Thank you: our team has scheduled this repair.", "action scheduled"),
    ("Fixed", "This has now been fixed. Thank you for reporting it.", "fixed - council"),
]


def _councils():
    """(region councils, district councils) from the directory's demo bodies, with their areas."""
    found, _total = directory.search_bodies(tag="council", limit=500)
    regions = [b for b in found if "region" in b.tags]
    districts = [b for b in found if "district" in b.tags]
    return regions, districts


def _category(code, spec) -> Category:
    name, names, _level, hints = spec
    cat = db.session.scalar(select(Category).where(Category.code == code))
    if cat is None:
        cat = Category(code=code, name=name, attributes=[])
        db.session.add(cat)
    cat.name, cat.names, cat.hints, cat.notices = name, dict(names), dict(hints), dict(NOTICES.get(code, {}))
    return cat


def _contact(body, cat) -> None:
    if db.session.scalar(select(Contact.id).where(Contact.body_id == body.id, Contact.category_id == cat.id)):
        return
    db.session.add(
        Contact(body_id=body.id, category_id=cat.id, category=cat, email=body.email, send_method="email", active=True)
    )


def _report(spec, point, reporter_id, n) -> Report | None:
    code, title, detail, lang, days, state, updates = spec
    lat, lon = point
    category = find_category(code)
    if category is None or category.id not in {c.id for c in categories_at(lat, lon)}:
        return None
    when = utcnow() - dt.timedelta(days=days, hours=n)
    report = create_report(
        category=category,
        title=title,
        detail=detail,
        lat=lat,
        lon=lon,
        name="Chen Citizen" if reporter_id else "Demo Reporter",
        email="citizen@example.org" if reporter_id else f"reporter{n}@example.org",
        show_name=bool(n % 2),
        language=lang,
    )
    report.user_id = reporter_id
    report.created_at = report.confirmed_at = when
    report.state = "confirmed"
    bodies = {b.id: b for b in covering_bodies(lat, lon)}
    contacts = {c.body_id: c for c in contacts_for(list(bodies), category.id)}
    report.body_ids = sorted(contacts)
    sent = when + dt.timedelta(minutes=5 + n)
    for body_id, contact in contacts.items():
        report.sends.append(
            Send(
                body_id=body_id,
                body_name=bodies[body_id].name,
                contact_id=contact.id,
                method="email",
                status="sent",
                attempts=1,
                sent_at=sent,
                created_at=when,
            )
        )
    report.sent_at = sent
    report.questionnaire_due_at = sent + dt.timedelta(weeks=4)
    last = when
    for u_days, kind, text, new_state in updates:
        at = utcnow() - dt.timedelta(days=u_days, hours=n)
        old = report.state if new_state and new_state != report.state else None
        db.session.add(
            Update(
                report_id=report.id,
                kind=kind,
                text=text,
                created_at=at,
                confirmed_at=at,
                name="" if kind == "staff" else "Sam Neighbour",
                email=None,
                language="en",
                body_id=report.body_ids[0] if kind == "staff" and report.body_ids else None,
                new_state=new_state if old else None,
                old_state=old,
            )
        )
        if old:
            report.state = new_state
        last = at
    report.state = state
    report.lastupdate_at = last
    if state in ("fixed", "fixed - council", "fixed - user"):
        report.fixed_at = last
    return report


def load() -> str | None:
    regions, districts = _councils()
    if not districts and not regions:
        return None
    cats = {code: _category(code, spec) for code, spec in CATEGORIES.items()}
    db.session.flush()
    for code, spec in CATEGORIES.items():
        for body in regions if spec[2] == "region" else districts:
            if body.email:
                _contact(body, cats[code])
    for title, text, state in TEMPLATES:
        db.session.add(ResponseTemplate(title=title, text=text, state=state, body_id=None))
    db.session.flush()
    citizen = accounts.by_email("citizen@example.org")
    reporter_id = citizen.id if citizen is not None else None
    areas = areas_services
    points = [areas.centroid(aid) for b in districts for aid in b.area_ids[:1]]
    points = [p for p in points if p is not None]
    made = 0
    for n, spec in enumerate(REPORTS):
        if not points:
            break
        lat, lon = points[n % len(points)]
        # Spread reports sharing a district a little apart (a few hundred metres).
        lat, lon = lat + 0.003 * (n // len(points)), lon + 0.004 * (n // len(points))
        if _report(spec, (lat, lon), reporter_id if n % 3 == 0 else None, n) is not None:
            made += 1
    db.session.flush()
    return f"reports: {len(cats)} categories, {made} reports"
