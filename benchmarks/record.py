"""Record benchmark: import all the shared UK votes, score them, and time the record's pages.

For each database (a temporary SQLite file; PostgreSQL too with --pg URL, in a schema of its own
that is dropped afterwards): import the shared persons and parties, then every motions file
(`flask record import-votes`, which scores at the end), then the policies; time a rescoring
alone; then the median (p50) of in-process requests for a person page, a division page, a policy
page and, when the debates part is installed, a speech search after importing one debate.

    .venv/bin/python benchmarks/record.py --data /path/to/shared/data [--pg postgresql://…] [--runs 30]

The data folder is the project's shared data (its `record/` folder); PLAZA_SHARED_DATA works too.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _app(url: str):
    from app import create_app
    from app.extensions import db

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "record-benchmark",
            "RATELIMIT_ENABLED": False,
            "SERVER_BASE_URL": "http://localhost",
            "MAIL_PORT": 1,
            "PLAZA_START_WORKER": False,
        }
    )
    with app.app_context():
        db.create_all()
    return app


def _cli(app, *args) -> float:
    from app.extensions import db

    started = time.perf_counter()
    with app.app_context():
        res = app.test_cli_runner().invoke(args=[str(a) for a in args])
        db.session.remove()
    if res.exit_code != 0:
        raise SystemExit(f"{' '.join(map(str, args[:2]))} failed:\n{res.output}")
    return time.perf_counter() - started


def _p50(client, path: str, runs: int) -> tuple[float, int]:
    first = client.get(path)
    if first.status_code != 200:
        raise SystemExit(f"{path} answered {first.status_code}")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(gzip.compress(first.data, 6))


def run(label: str, url: str, data: Path, runs: int) -> None:
    from sqlalchemy import select

    from app.extensions import db

    uk = data / "record" / "uk-commons-policy-votes"
    app = _app(url)
    people = _cli(app, "directory", "import-popolo", uk / "people.json", uk / "parties.json")
    votes = _cli(app, "record", "import-votes", *sorted((uk / "motions").glob("*.json")))
    policies = _cli(app, "record", "import-policies", uk / "issues.json")
    rescore = _cli(app, "record", "rescore")
    print(f"[{label}] directory import of 1,156 persons and 15 parties: {people:.2f} s")
    print(f"[{label}] import-votes (4 files, all votes, scoring included): {votes:.2f} s")
    print(f"[{label}] import-policies (scoring included): {policies:.2f} s; rescore alone: {rescore:.2f} s")
    print(f"[{label}] votes + policies import and scoring together: {votes + policies:.2f} s")
    with app.app_context():
        from app.directory import services as directory
        from app.record.models import Policy, Vote, VoteEvent

        corbyn = directory.person_ids_by_popolo_id(["jeremy_corbyn"])["jeremy_corbyn"]
        event = db.session.scalar(select(VoteEvent.id).where(VoteEvent.source_id == "pw-2010-12-09-150"))
        policy = db.session.scalar(select(Policy.id).where(Policy.source_id == "PW-1084"))
        n_votes = db.session.query(Vote).count()
        db.session.remove()
    print(f"[{label}] votes stored: {n_votes}")
    pages = {
        "person page": f"/en/people/{corbyn}",
        "division page": f"/en/record/divisions/{event}",
        "policy page": f"/en/record/policies/{policy}",
        "person's votes": f"/en/record/people/{corbyn}/votes",
    }
    akn = data / "record" / "akn-debate-transcripts" / "za-national-assembly"
    debates = sorted(akn.glob("*.xml"))[:1] if akn.is_dir() else []
    if debates and "record.search_speeches" in app.view_functions:
        _cli(app, "record", "import-debate", debates[0])
        pages["speech search"] = "/en/record/search?q=budget"
    client = app.test_client()
    for name, path in pages.items():
        p50, size = _p50(client, path, runs)
        print(f"[{label}] p50 {name}: {p50:.1f} ms ({size / 1024:.1f} KB gzipped HTML)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.environ.get("PLAZA_SHARED_DATA"), help="the shared data folder")
    parser.add_argument("--pg", help="a PostgreSQL URL (postgresql://…) to run on as well")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if not args.data or not (Path(args.data) / "record" / "uk-commons-policy-votes").is_dir():
        raise SystemExit("Give the shared data folder with --data (or PLAZA_SHARED_DATA).")
    data = Path(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", f"sqlite:///{Path(tmp) / 'record.db'}", data, args.runs)
    if args.pg:
        from sqlalchemy import create_engine, text

        schema = f"plaza_bench_{uuid.uuid4().hex[:8]}"
        base = args.pg.replace("postgresql://", "postgresql+psycopg://", 1)
        engine = create_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            sep = "&" if "?" in base else "?"
            run("PostgreSQL", f"{base}{sep}options=-csearch_path%3D{schema}", data, args.runs)
        finally:
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            engine.dispose()


if __name__ == "__main__":
    main()
