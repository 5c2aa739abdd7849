"""Bad input for the actor recogniser: a 1 MB list of ten thousand names, in mixed scripts and
with zero-width characters, through the extract and resolve stages.

    .venv/bin/python bench/name_lists.py [--names 10000]

Prints the size, the time for the list and for half of it (the ratio shows whether the cost
grows linearly: about 2 for linear, about 4 for quadratic) and the number of actors found. It
asserts nothing; tests/extract/test_bad_input.py checks that the same list completes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from orbat.catalog import load_catalogs  # noqa: E402
from orbat.extract import extract  # noqa: E402
from orbat.model import CleanDocument, SourceDocument  # noqa: E402
from orbat.resolve import resolve  # noqa: E402

FIRST = (
    "Anna",
    "Boris",
    "Chloé",
    "Dmitri",
    "Élodie",
    "Farid",
    "Grete",
    "Hamid",
    "Ілля",
    "Jean-Luc",
    "Karim",
    "Lena",
    "Mustafa",
    "Nadia",
    "Олег",
    "Pierre",
    "Rania",
    "Sergei",
    "Tomás",
    "Yusuf",
)
LAST = (
    "Abadi",
    "Brenner",
    "Коваленко",
    "Dupont",
    "Ekström",
    "al-Farsi",
    "Garcia",
    "Haddad",
    "Ivanov",
    "Jansen",
    "Kowalski",
    "Lefèvre",
    "Moreau",
    "Nowak",
    "O'Brien",
    "Petrov",
    "Quispe",
    "Rossi",
    "Sánchez",
    "Tanaka",
)
UNITS = ("Battalion", "Brigade", "Regiment", "Squadron")


def name_list(count: int) -> str:
    """`count` lines of about 100 characters: a name (some with zero-width joiners or spaces,
    some mixing Latin and Cyrillic letters), a rank and a unit."""
    lines = []
    for i in range(count):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
        if i % 5 == 0:
            last = last[:2] + "\u200b" + last[2:]
        if i % 7 == 0:
            first = first + "\u200d" + "Мария"
        unit = f"{i % 900 + 1}th Signal {UNITS[i % len(UNITS)]}"
        lines.append(f"{i + 1}. Captain {first} {last}, {unit}, Directorate of Logistics Planning, reserve list")
    return "\n".join(lines) + "\n"


def run(text: str) -> tuple[float, int]:
    source = SourceDocument(raw=text.encode("utf-8"), content_type="text/plain", origin="bench")
    document = CleanDocument("sha256:bench", text, source, language="en")
    start = time.perf_counter()
    extraction = extract(document)
    resolution = resolve(extraction, load_catalogs(), None)
    return time.perf_counter() - start, sum(e.kind == "actor" for e in resolution.entities)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--names", type=int, default=10_000)
    args = parser.parse_args()
    run(name_list(50))  # warm up: catalogs, lexicon, spaCy pipeline
    half_seconds, _ = run(name_list(args.names // 2))
    text = name_list(args.names)
    seconds, actors = run(text)
    print(
        f"names={args.names} bytes={len(text.encode('utf-8')):,} seconds={seconds:.2f} "
        f"half_seconds={half_seconds:.2f} ratio={seconds / half_seconds:.2f} actors={actors}"
    )


if __name__ == "__main__":
    main()
