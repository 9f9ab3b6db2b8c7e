"""Speech search benchmark: many synthetic speeches, then the median time of searches for a rare
word, a common word (in every speech) and a common word filtered by speaker and dates.

The speeches are made-up sentences from a small vocabulary (no real transcript). Prints figures;
asserts nothing.

    .venv/bin/python benchmarks/record_search.py [--speeches 50000] [--pg postgresql://…] [--runs 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (
    "harbour budget ferry school water road clinic market tax bridge river council rail bus farm "
    "forest police court energy housing price wage pension border tourism fishing mine port"
).split()


def _fill(app, count: int) -> None:
    from sqlalchemy import insert

    from app.extensions import db
    from app.record.debates.importer import fold
    from app.record.debates.models import Debate, Speech
    from app.record.debates.search import ensure_sqlite_index

    rnd = random.Random(7)
    with app.app_context():
        ensure_sqlite_index()
        per_debate = 100
        day = dt.date(2020, 1, 1)
        for start in range(0, count, per_debate * 10):
            debates = []
            for n in range(10):
                d = Debate(source_key=f"bench/{start}/{n}", title=f"Sitting {start + n}", date=day)
                db.session.add(d)
                debates.append(d)
                day += dt.timedelta(days=1)
            db.session.flush()
            rows = []
            for d in debates:
                for pos in range(1, per_debate + 1):
                    text = "The " + " ".join(rnd.choice(WORDS) for _ in range(40)) + "."
                    if rnd.random() < 0.001:
                        text += " A quokka was seen."
                    rows.append(
                        {
                            "debate_id": d.id,
                            "position": pos,
                            "kind": "speech",
                            "date": d.date,
                            "person_id": rnd.randint(1, 300),
                            "attribution": "",
                            "text": text,
                            "search_text": fold(text),
                        }
                    )
            db.session.execute(insert(Speech), rows)
            db.session.commit()


def _time(app, runs: int, **query) -> float:
    from app.record.debates.search import search

    with app.app_context():
        search(**query)  # warm
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            search(**query)
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def run(label: str, url: str, count: int, runs: int) -> None:
    from app import create_app
    from app.extensions import db

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "MAIL_PORT": 1, "PLAZA_START_WORKER": False})
    with app.app_context():
        db.create_all()
    started = time.perf_counter()
    _fill(app, count)
    print(f"{label}: {count} speeches stored in {time.perf_counter() - started:.1f} s")
    for name, query in (
        ("rare word", {"q": "quokka"}),
        ("word in every speech", {"q": "the"}),
        ("two common words", {"q": "harbour budget"}),
        (
            "common word, one speaker, one year",
            {"q": "ferry", "person_id": 7, "since": dt.date(2021, 1, 1), "until": dt.date(2021, 12, 31)},
        ),
    ):
        print(f"  p50 search, {name}: {_time(app, runs, **query):.1f} ms")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speeches", type=int, default=50_000)
    parser.add_argument("--pg", help="PostgreSQL URL (a schema of its own is made and dropped)")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", f"sqlite:///{tmp}/search.db", args.speeches, args.runs)
    if args.pg:
        from sqlalchemy import create_engine, text

        schema = f"bench_{uuid.uuid4().hex[:8]}"
        base = args.pg.replace("postgresql://", "postgresql+psycopg://", 1)
        engine = create_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            sep = "&" if "?" in base else "?"
            run("PostgreSQL", f"{base}{sep}options=-csearch_path%3D{schema}", args.speeches, args.runs)
        finally:
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            engine.dispose()


if __name__ == "__main__":
    main()
