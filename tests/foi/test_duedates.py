"""Due dates: working days skip weekends and holidays (start day is day 0); calendar days roll forward."""

from __future__ import annotations

import datetime as dt

from app.extensions import db
from app.foi.duedates import Calendar, due_date

from .helpers import make_request

D = dt.date


def test_working_days_skip_weekends_and_package_holidays():
    wales = Calendar((5, 6), "GB", "WLS")
    # Friday 19 Dec 2025 + 5 working days: 22, 23, 24, (25 Christmas, 26 Boxing Day), 29, 30
    assert due_date(D(2025, 12, 19), 5, "working", wales) == D(2025, 12, 30)
    # Start day is day 0: Monday + 1 working day = Tuesday
    assert due_date(D(2026, 3, 2), 1, "working", wales) == D(2026, 3, 3)
    # 20 working days from Monday 6 April 2026 (Easter Monday is a holiday; 4 May bank holiday)
    assert due_date(D(2026, 4, 6), 20, "working", wales) == D(2026, 5, 5)


def test_other_weekends_and_extra_dates():
    friday_saturday = Calendar((4, 5), "", "", extra=(D(2026, 1, 6),))
    # Thursday 1 Jan 2026 + 2: Fri/Sat weekend, Sun 4, Mon 5 -> 5 Jan
    assert due_date(D(2026, 1, 1), 2, "working", friday_saturday) == D(2026, 1, 5)
    # + 3 skips the extra holiday on Tuesday 6 Jan
    assert due_date(D(2026, 1, 1), 3, "working", friday_saturday) == D(2026, 1, 7)


def test_calendar_days_roll_forward_to_a_working_day():
    canada = Calendar((5, 6), "CA", "")
    assert due_date(D(2026, 3, 2), 30, "calendar", canada) == D(2026, 4, 1)  # a Wednesday
    # 30 days from 6 June 2026 is Monday 6 July: fine; from 5 June it is Sunday 5 July -> Monday 6 July
    assert due_date(D(2026, 6, 5), 30, "calendar", canada) == D(2026, 7, 6)
    # lands on Canada Day (Wed 1 July 2026) -> Thursday 2 July
    assert due_date(D(2026, 6, 1), 30, "calendar", canada) == D(2026, 7, 2)


def test_working_days_between_counts_both_ways():
    cal = Calendar((5, 6))
    assert cal.working_days_between(D(2026, 3, 2), D(2026, 3, 9)) == 5
    assert cal.working_days_between(D(2026, 3, 9), D(2026, 3, 2)) == -5


def test_profile_law_and_admin_holidays_and_authority_override(app, authorities):
    from app.core.profile import current_profile
    from app.foi import laws
    from app.foi.models import FoiHoliday

    prof = current_profile()
    body = authorities["Ministry of Roads"]
    law = laws.law_for(body)
    assert law.code == prof.foi_laws[0].code
    before = due_date(D(2026, 3, 2), law.reply_days, law.day_type, laws.calendar())
    db.session.add(FoiHoliday(day=D(2026, 3, 4), name="Admin day"))
    db.session.flush()
    after = due_date(D(2026, 3, 2), law.reply_days, law.day_type, laws.calendar())
    assert (after - before).days in (1, 3)  # one working day later
    # The profile's own extra holidays count (demo: 1 May 2026)
    assert not laws.calendar().is_working(D(2026, 5, 1))


def test_admin_holidays_page_moves_open_due_dates(app, client, authorities):
    from sqlalchemy import select

    from app.foi import laws
    from app.foi.models import FoiHoliday

    from .conftest import make_user, sign_in

    req = make_request(authorities["Ministry of Roads"])
    req.sent_on = D(2026, 3, 2)  # a Monday; 20 working days -> Monday 30 March
    req.due_on = due_date(req.sent_on, 20, "working", laws.calendar())
    req.very_overdue_on = due_date(req.sent_on, 40, "working", laws.calendar())
    db.session.commit()
    assert req.due_on == D(2026, 3, 30)
    sign_in(client, make_user("mod@example.org", "Mod", role="moderator", language="en").id)
    bad = client.post("/en/admin/foi/holidays", data={"day": "31/02/2026", "name": "x"})
    assert bad.status_code == 422 and 'id="day-error"' in bad.get_data(as_text=True)
    assert 'value="31/02/2026"' in bad.get_data(as_text=True)
    resp = client.post("/en/admin/foi/holidays", data={"day": "2026-03-10", "name": "Día festivo local"})
    assert resp.status_code == 303
    db.session.refresh(req)
    assert req.due_on == D(2026, 3, 31)
    assert "Día festivo local" in client.get("/en/admin/foi/holidays").get_data(as_text=True)
    assert client.post("/en/admin/foi/holidays", data={"day": "2026-03-10"}).status_code == 422  # twice
    row = db.session.scalar(select(FoiHoliday))
    client.post("/en/admin/foi/holidays", data={"delete": str(row.id)})
    db.session.refresh(req)
    assert req.due_on == D(2026, 3, 30) and db.session.scalar(select(FoiHoliday)) is None


def test_uk_wide_bank_holidays_and_canadian_interpretation_act_holidays():
    from app.foi.duedates import Calendar, due_date
    from app.profiles import load_profile

    wales = Calendar.for_profile(load_profile("gb-wls"))
    # St Patrick's Day, Battle of the Boyne, St Andrew's Day, 2 January: bank holidays elsewhere in the UK
    assert due_date(D(2025, 3, 10), 20, "working", wales) == D(2025, 4, 8)
    assert due_date(D(2025, 6, 20), 20, "working", wales) == D(2025, 7, 21)
    assert due_date(D(2025, 11, 10), 20, "working", wales) == D(2025, 12, 9)
    assert due_date(D(2025, 12, 15), 20, "working", wales) == D(2026, 1, 16)
    canada = Calendar.for_profile(load_profile("ca"))
    assert due_date(D(2025, 4, 19), 30, "calendar", canada) == D(2025, 5, 20)  # not Victoria Day
    assert due_date(D(2025, 9, 13), 30, "calendar", canada) == D(2025, 10, 14)  # not Thanksgiving
    assert due_date(D(2025, 10, 12), 30, "calendar", canada) == D(2025, 11, 12)  # not Remembrance Day
    assert due_date(D(2025, 3, 22), 30, "calendar", canada) == D(2025, 4, 22)  # not Easter Monday
    assert due_date(D(2025, 8, 31), 30, "calendar", canada) == D(2025, 10, 1)  # not Truth and Reconciliation
