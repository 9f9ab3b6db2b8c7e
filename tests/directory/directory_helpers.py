"""Constants the directory tests share (a plain module: the test folders are not packages)."""

from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
WALES = DATA / "wales"
POPOLO = WALES / "ep-popolo-v1.0.json"
CARDIFF = (51.4816, -3.1791)  # Cardiff city centre: Cardiff Central, South Wales Central
