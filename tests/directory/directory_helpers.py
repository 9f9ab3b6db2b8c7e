"""Constants and helpers the directory tests share (a plain module: the test folders are not packages)."""

import json
import os
from pathlib import Path

# The same root as the `shared_data` fixture (tests/conftest.py): PLAZA_SHARED_DATA, else beside the project.
DATA = Path(os.environ.get("PLAZA_SHARED_DATA") or Path(__file__).resolve().parents[2] / ".." / "shared" / "data")
WALES = DATA / "wales"
POPOLO = WALES / "ep-popolo-v1.0.json"
CARDIFF = (51.4816, -3.1791)  # Cardiff city centre: Cardiff Central, South Wales Central


def popolo_validators() -> dict:
    """Draft-03 validators for the Popolo schemas, by name ("person", "organization" ...)."""
    from jsonschema import Draft3Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT3

    schemas = {path.stem: json.loads(path.read_text(encoding="utf-8"))
               for path in (DATA / "popolo-schemas").glob("*.json")}
    registry = Registry().with_resources(
        (s["id"], Resource.from_contents(s, default_specification=DRAFT3)) for s in schemas.values())
    return {name: Draft3Validator(s, registry=registry, format_checker=FormatChecker()) for name, s in schemas.items()}
