"""Headers of sent mail as other software reads them: subjects intact, raw unsubscribe, Auto-Submitted."""

from __future__ import annotations

import random
from email import message_from_bytes, policy
from pathlib import Path

from app.core.mail import queue_email, send_pending
from app.core.mail.headers import list_unsubscribe
from app.extensions import db

TEMPLATES = Path(__file__).parent / "templates"

WORDS = [
    "Cais:",
    "ffyrdd",
    "a",
    "phalmentydd",
    "—",
    "طلب",
    "معلومات",
    "road",
    "repairs",
    "in",
    "the",
    "Ŵyl",
    "Dewi",
    "ŷd",
    "llwybr",
    "troed",
    "cyngor",
    "الطرق",
    "والأرصفة",
    "مجلس",
    "المدينة",
    "بلدية",
    "«quoted»",
    "(2024)",
    "über",
    "naïve",
    "🚲",
    "x" * 30,
    "=?utf-8?q?not_a_word?=",
    "Re:",
]


def _subjects(count: int, seed: int = 16):
    rng = random.Random(seed)
    for _ in range(count):
        yield " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 40)))


def test_mixed_script_subjects_arrive_intact(mail_app, smtp):
    mail_app.jinja_loader.searchpath.append(str(TEMPLATES))
    subjects = list(_subjects(300))
    for subject in subjects:
        queue_email("ana@example.org", "email_test.txt", {"name": subject})
    db.session.commit()
    assert send_pending(limit=1000) == (300, 0)
    got = [m["message"]["Subject"] for m in smtp.messages]
    assert got == [f"Hello {s}" for s in subjects]
    for m in smtp.messages:  # every line within RFC 5322's limit, the header in 7-bit ASCII
        raw_header = m["raw"].split(b"\r\n\r\n", 1)[0]
        assert all(len(line) <= 998 for line in raw_header.split(b"\r\n"))
        assert raw_header.isascii()


def test_list_unsubscribe_is_raw_and_one_click(mail_app, smtp):
    mail_app.jinja_loader.searchpath.append(str(TEMPLATES))
    url = "https://plaza.example.org/cy/reports/alerts/unsubscribe/" + "A1b2-_" * 40
    queue_email("ana@example.org", "email_test.txt", {"name": "Ana"}, headers=list_unsubscribe(url))
    db.session.commit()
    assert send_pending() == (1, 0)
    raw = smtp.messages[0]["raw"]
    assert f"\r\nList-Unsubscribe: <{url}>\r\n".encode() in raw
    assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw
    msg = message_from_bytes(raw, policy=policy.default)
    assert msg["List-Unsubscribe"] == f"<{url}>"


def test_generated_mail_is_auto_submitted_relayed_mail_is_not(mail_app, smtp):
    mail_app.jinja_loader.searchpath.append(str(TEMPLATES))
    queue_email("ana@example.org", "email_test.txt", {"name": "Ana"})
    queue_email("body@example.org", "email_test.txt", {"name": "Ben"}, automatic=False)
    db.session.commit()
    assert send_pending() == (2, 0)
    assert smtp.messages[0]["message"]["Auto-Submitted"] == "auto-generated"
    assert smtp.messages[1]["message"]["Auto-Submitted"] is None
