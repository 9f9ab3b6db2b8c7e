"""Point lookup speed: the Welsh boundaries (~920 areas) plus 10,000 synthetic areas.

    .venv/bin/python benchmarks/areas_lookup.py [--points 20000] [--synthetic 10000]

Builds a throw-away SQLite database (or uses DATABASE_URL if given), imports the data through
the same code as `flask areas import-geojson`, then times areas.services.areas_at() for random
points (half in Wales, half in the synthetic grid) and prints lookups/s, p50 and p99 latency.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The whole Welsh files (WALES_DATA=… the folder you downloaded them to, see tests/data/SOURCE.md),
# else the small copies in tests/data/wales.
WALES = Path(os.environ.get("WALES_DATA") or ROOT / "tests" / "data" / "wales")

WELSH = [
    ("nawer.json", "SPE", "NAWER13NM", "NAWER13NMW", "NAWER13CD", None),
    ("nawc.json", "SPC", "NAWC13NM", None, "NAWC13CD", "SPE"),
    ("lad.json", "UTA", "LAD13NM", "LAD13NMW", "LAD13CD", None),
    ("wards_by_lad", "UTW", "WD13NM", "WD13NMW", "WD13CD", "UTA"),
]


def synthetic(n: int, rng: random.Random) -> list[dict]:
    """n blobby polygons (24 vertices each) on a grid of 0.1 degree cells east of Wales' longitudes."""
    side = math.ceil(math.sqrt(n))
    out = []
    for k in range(n):
        cx, cy = 20 + (k % side) * 0.1 + 0.05, 40 + (k // side) * 0.1 + 0.05
        ring = []
        for a in range(24):
            t = 2 * math.pi * a / 24
            r = 0.045 + rng.uniform(-0.008, 0.008)
            ring.append([round(cx + r * math.cos(t), 6), round(cy + r * math.sin(t), 6)])
        ring.append(ring[0])
        out.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {"name": f"Synthetic {k}", "code": f"S{k}"},
            }
        )
    return out, side


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=20000)
    parser.add_argument("--synthetic", type=int, default=10000)
    args = parser.parse_args()

    from app import create_app
    from app.areas import importer, services
    from app.extensions import db

    tmp = tempfile.TemporaryDirectory()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp.name}/bench.db"
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "bench"})
    rng = random.Random(42)
    with app.app_context():
        db.create_all()
        started = time.monotonic()
        for path, code, name, name_cy, gss, parent in WELSH:
            importer.import_features(
                importer.read_geojson(str(WALES / path)),
                type_code=code,
                name_field=name,
                name_lang="en",
                lang_fields={"cy": name_cy} if name_cy else {},
                code_field=gss,
                code_scheme="gss",
                parent_type=parent,
            )
            db.session.commit()
        welsh_s = time.monotonic() - started
        started = time.monotonic()
        feats, side = synthetic(args.synthetic, rng)
        importer.import_features(feats, type_code="SYN", name_field="name", code_field="code", code_scheme="syn")
        db.session.commit()
        synth_s = time.monotonic() - started
        services.invalidate()
        started = time.monotonic()
        services.areas_at(51.48, -3.18)  # builds the index
        build_s = time.monotonic() - started
        total = len(services._index().ids)

        points = []
        for i in range(args.points):
            if i % 2:
                points.append((rng.uniform(51.4, 53.4), rng.uniform(-5.2, -2.7)))
            else:
                points.append((rng.uniform(40, 40 + side * 0.1), rng.uniform(20, 20 + side * 0.1)))
        times, hits = [], 0
        t_all = time.perf_counter()
        for lat, lon in points:
            t0 = time.perf_counter()
            hits += len(services.areas_at(lat, lon))
            times.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - t_all
        times.sort()
        p50 = statistics.median(times) * 1000
        p99 = times[int(len(times) * 0.99) - 1] * 1000
        print(f"areas in index: {total} ({db.engine.dialect.name})")
        print(f"import: Welsh {welsh_s:.1f}s, {args.synthetic} synthetic {synth_s:.1f}s; index build {build_s:.2f}s")
        print(f"lookups: {len(points)} random points, {hits} areas found")
        print(f"lookups/s: {len(points) / elapsed:,.0f}")
        print(f"p50: {p50:.3f} ms   p99: {p99:.3f} ms")
        db.session.remove()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
