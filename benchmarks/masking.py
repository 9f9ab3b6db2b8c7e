"""Time of masking personal data (app/core/privacy.py) on hostile text of growing length.

Prints seconds per input kind for 1k, 10k, 100k and 1M characters: the figures should grow ten
times per row (linear), never a hundred (the square). Run: .venv/bin/python benchmarks/masking.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.privacy import mask_personal  # noqa: E402

KINDS = {
    "one long word": lambda n: "a" * n,
    "word then @": lambda n: "a" * (n - 1) + "@",
    "many addresses": lambda n: ("someone@example.org " * (n // 20 + 1))[:n],
    "digits and spaces": lambda n: ("1 " * (n // 2 + 1))[:n] + "x",
    "dotted digits": lambda n: ("12." * (n // 3 + 1))[:n],
    "letter": lambda n: ("Dear sir, please call me on 07700 900123 or write to a.b@example.org. " * (n // 70 + 1))[:n],
}


def main() -> None:
    sizes = [1_000, 10_000, 100_000, 1_000_000]
    print(f"{'input':<20}" + "".join(f"{n:>12,}" for n in sizes))
    for name, make in KINDS.items():
        row = []
        for n in sizes:
            text = make(n)
            start = time.perf_counter()
            mask_personal(text)
            row.append(time.perf_counter() - start)
        print(f"{name:<20}" + "".join(f"{t:>11.4f}s" for t in row))


if __name__ == "__main__":
    main()
