"""Demo bodies and representatives for the Demo Republic's regions and districts (areas demo).

A national ministry, a council per region and per district (with contact and FOI emails), a
national assembly with a member per region, district councillors, and one former member.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from sqlalchemy import select

from ..areas import services as areas_services
from ..extensions import db
from .models import LegislativePeriod, Membership, Organisation, OrganisationArea, OtherName, Person

COUNCIL_NAMES = {"en": "{} Council", "es": "Consejo de {}", "fr": "Conseil de {}", "ar": "مجلس {}"}
PEOPLE = [
    "Amara Okafor",
    "Lucía Fernández",
    "Yusuf Haddad",
    "Marie Dubois",
    "Chen Wei",
    "Ingrid Larsen",
    "Tomás Ruiz",
    "Fatima Zahra",
    "Olu Adeyemi",
]


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "body"


def _org(sid, names: dict, classification, tags, area_ids, email=True) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.source_id == sid))
    if org is None:
        org = Organisation(source_id=sid, name=names["en"])
        db.session.add(org)
    slug = _slug(names["en"])
    org.name, org.classification, org.tags = names["en"], classification, tags
    org.other_names = [OtherName(name=v, lang=k, note="multilingual") for k, v in names.items() if k != "en"]
    org.email = f"info@{slug}.example" if email else None
    org.foi_email = f"foi@{slug}.example" if email else None
    org.website = f"https://{slug}.example/"
    org.areas = [OrganisationArea(area_id=a) for a in area_ids]
    return org


def load_demo(*_args, **_kwargs) -> str | None:
    regions, _ = areas_services.areas_of_type(["REG"])
    districts, _ = areas_services.areas_of_type(["DIS"])
    if not regions:
        return None
    _org(
        "demo:ministry",
        {
            "en": "Ministry of Public Works",
            "es": "Ministerio de Obras Públicas",
            "fr": "Ministère des Travaux publics",
            "ar": "وزارة الأشغال العامة",
        },
        "ministry",
        ["national", "roads"],
        [r.id for r in regions],
    )
    assembly = _org(
        "demo:assembly",
        {"en": "National Assembly", "es": "Asamblea Nacional", "fr": "Assemblée nationale", "ar": "الجمعية الوطنية"},
        "legislature",
        ["national"],
        [],
    )
    parties = [
        _org(f"demo:party:{i}", names, "party", [], [], email=False)
        for i, names in enumerate(
            [
                {"en": "Green Alliance", "es": "Alianza Verde", "fr": "Alliance verte", "ar": "التحالف الأخضر"},
                {"en": "Civic Party", "es": "Partido Cívico", "fr": "Parti civique", "ar": "الحزب المدني"},
            ]
        )
    ]
    councils = []
    for level, items in (("region", regions), ("district", districts)):
        for a in items:
            names = areas_services.all_names(a.id)
            local = {k: tpl.format(names.get(k) or a.name) for k, tpl in COUNCIL_NAMES.items()}
            councils.append((a, _org(f"demo:council:{a.id}", local, "council", ["council", level], [a.id])))
    db.session.flush()
    today = dt.date.today()
    term = _period(
        "demo:term:current", "2024–2028", dt.date(today.year - 1, 1, 1), dt.date(today.year + 3, 12, 31), assembly
    )
    old = _period(
        "demo:term:previous", "2019–2023", dt.date(today.year - 6, 1, 1), dt.date(today.year - 2, 12, 31), assembly
    )
    names = iter(PEOPLE)
    for n, region in enumerate(regions):
        _member(f"demo:rep:{region.id}", next(names), assembly, parties[n % 2], region.id, "member", term)
    for n, (area, council) in enumerate(c for c in councils if c[0].type == "DIS"):
        if n < 5:
            _member(f"demo:cllr:{area.id}", next(names), council, parties[n % 2], area.id, "councillor", None)
    _member(f"demo:former:{regions[0].id}", next(names), assembly, parties[1], regions[0].id, "member", old)
    return f"directory: {len(councils) + 2} bodies, {len(PEOPLE)} people"


def _period(sid, name, start, end, org):
    lp = db.session.scalar(select(LegislativePeriod).where(LegislativePeriod.source_id == sid))
    if lp is None:
        lp = LegislativePeriod(source_id=sid, name=name)
        db.session.add(lp)
    lp.name, lp.start_date, lp.end_date, lp.organisation_id = name, start, end, org.id
    return lp


def _member(sid, name, org, party, area_id, role, period):
    person = db.session.scalar(select(Person).where(Person.source_id == sid))
    if person is None:
        person = Person(source_id=sid, name=name)
        db.session.add(person)
    person.name = name
    person.email = f"{_slug(name)}@representatives.example"
    db.session.flush()
    m = db.session.scalar(select(Membership).where(Membership.source_id == sid))
    if m is None:
        m = Membership(source_id=sid, person_id=person.id)
        db.session.add(m)
    m.organisation, m.on_behalf_of, m.area_id, m.role, m.legislative_period = org, party, area_id, role, period
