"""`flask areas import-postcodes`: postcode centroids from a CSV file, checked against the
profile's postcode pattern; all or nothing."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from ..core.profile import current_profile
from ..extensions import db
from .importer import ImportProblem, Summary
from .models import Postcode


def import_postcodes(path: str, code_column="code", lat_column="lat", lon_column="lon") -> Summary:
    p = Path(path)
    if not p.is_file():
        raise ImportProblem(f"File not found: {path}")
    prof = current_profile()
    if not prof.postcodes:
        raise ImportProblem(
            f"The profile '{prof.code}' has no postcodes ([postcodes] enabled = false), so nobody could look "
            "them up. Enable postcodes and set their pattern in the profile first."
        )
    summary = Summary()
    try:
        with p.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in (code_column, lat_column, lon_column) if c not in (reader.fieldnames or [])]
            if missing:
                raise ImportProblem(
                    f"{path} has no column {', '.join(repr(m) for m in missing)} "
                    f"(columns: {', '.join(reader.fieldnames or []) or 'none'})."
                )
            rows = {}
            for line, row in enumerate(reader, start=2):
                raw = " ".join((row.get(code_column) or "").split())
                code = prof.normalise_postcode(raw)
                if not code:
                    summary.skipped += 1
                    continue
                # the lookup checks what people type against the pattern, then the normalised form
                if not (prof.postcode_valid(raw) or prof.postcode_valid(code)):
                    summary.failed += 1
                    summary.notes.append(f"Failed line {line}: '{raw}' is not a postcode of this country.")
                    continue
                try:
                    lat, lon = float(row[lat_column]), float(row[lon_column])
                except (TypeError, ValueError):
                    raise ImportProblem(f"Line {line}: latitude/longitude are not numbers.") from None
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ImportProblem(f"Line {line}: latitude/longitude are out of range.")
                rows[code] = (lat, lon)
    except UnicodeDecodeError as exc:
        raise ImportProblem(f"{path} is not UTF-8 text: {exc}") from exc
    except csv.Error as exc:
        raise ImportProblem(f"{path} is not a valid CSV file: {exc}") from exc
    if summary.failed:
        summary.notes.insert(
            0,  # first, so the 50-note cut never hides it
            f"{summary.failed} row(s) not saved: their codes do not match the profile's postcode pattern "
            f"{prof.postcode_pattern} (for example {prof.postcode_example or 'none given'}).",
        )
    existing = {}
    codes = list(rows)
    for i in range(0, len(codes), 500):
        existing.update(
            {pc.code: pc for pc in db.session.scalars(select(Postcode).where(Postcode.code.in_(codes[i : i + 500])))}
        )
    for code, (lat, lon) in rows.items():
        pc = existing.get(code)
        if pc is None:
            db.session.add(Postcode(code=code, lat=lat, lon=lon))
            summary.created += 1
        else:
            pc.lat, pc.lon = lat, lon
            summary.updated += 1
    return summary
