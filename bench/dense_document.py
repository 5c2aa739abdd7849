"""A dense report just under the 5 MB byte cap, and what ingesting it costs (time, peak memory).

Why: every sentence of a hostile or merely huge report names systems, counts, places, dates,
people and acronyms, so each stage has as much to do per byte as it ever will. The issue this
answers measured 10.5 minutes and 1.1 GB for such a file; the target is ≤ 60 s and ≤ 500 MB.

    .venv/bin/python bench/dense_document.py --out /tmp/dense.txt            # write it (4.9 MB)
    .venv/bin/python bench/dense_document.py --out /tmp/dense.txt --ingest   # and time `orbat ingest`
    .venv/bin/python bench/dense_document.py --out /tmp/dense.txt --one-line # no line breaks at all
    .venv/bin/python bench/dense_document.py --out /tmp/dense.txt --ingest --db postgresql://…/scratch

With `--db` the knowledge base is that URL (an empty PostgreSQL database you made for this);
the CPU figure is then orbat's process only, and the server's CPU is printed beside it when the
server runs on this machine as a `postgres` process.

The sentences are generated from our own templates and the catalogs' names, with a fixed seed,
so two runs write the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = ROOT / "src" / "orbat" / "catalogs"
TEMPLATES = [
    "On {day} {month} {year}, {country} delivered {n} {system} to {town}, {country2}, according to the "
    "{org} ({acr}).",
    "{title} {person} said that {n} {system} had been deployed near {town} in {month} {year}.",
    "Satellite imagery from {day} {month} {year} shows at least {n} {system} at {base}.",
    "The {org} ({acr}) reported that {country} may have ordered {n} {system} and {m} {system2}.",
    "{country} lost {n} {system} near {town} last Tuesday, the {outlet} news agency reported.",
    "Footage published by {person} shows {system} and {system2} moving through {town} towards {town2}.",
]
MONTHS = "January February March April May June July August September October November December".split()
FIRST = "Ahmed Olena Pierre Ivan Fatima Grant Sergei Amina Jean Mariam".split()
LAST = "Diallo Kovalenko Martin Petrov Traore Shapps Ivanov Keita Dupont Haidara".split()
TITLES = ["General", "Colonel", "Minister", "President", "Spokesman", "Defence Minister"]
ORGS = ["International Institute for Strategic Studies", "Ministry of Defence of Mali", "Armed Forces General Staff",
        "Stockholm Peace Research Institute", "Conflict Armament Research Group"]
OUTLETS = ["Tasnim", "Anadolu", "Interfax", "Reuters", "Xinhua"]


def _column(path: Path, name: str, limit: int | None = None) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        values = [row[name] for row in csv.DictReader(handle) if row.get(name)]
    return values[:limit] if limit else values


def generate(size: int, *, one_line: bool = False, seed: int = 7) -> str:
    """Sentences from TEMPLATES until the UTF-8 text reaches `size` bytes; paragraphs of five."""
    rng = random.Random(seed)
    systems = [n for f in sorted((CATALOGS / "equipment").glob("*.csv")) for n in _column(f, "name")]
    countries = _column(CATALOGS / "countries.csv", "name")
    bases = _column(CATALOGS / "installations.csv", "name")
    towns = ["Gao", "Bamako", "Timbuktu", "Kidal", "Niamey", "Agadez", "Tripoli", "Benghazi", "Sirte", "Khartoum",
             "Omdurman", "Kherson", "Izium", "Odesa", "Latakia", "Tartus", "Homs", "Goma", "Bangui", "Mopti"]
    parts: list[str] = []
    total = 0
    while total < size:
        template = TEMPLATES[rng.randrange(len(TEMPLATES))]
        acr_org = rng.choice(ORGS)
        sentence = template.format(
            day=rng.randint(1, 28), month=rng.choice(MONTHS), year=rng.randint(2015, 2025),
            country=rng.choice(countries), country2=rng.choice(countries), n=rng.randint(2, 400),
            m=rng.randint(2, 60), system=rng.choice(systems), system2=rng.choice(systems), town=rng.choice(towns),
            town2=rng.choice(towns), base=rng.choice(bases), org=acr_org,
            acr="".join(w[0] for w in acr_org.split() if w[0].isupper()), title=rng.choice(TITLES),
            person=f"{rng.choice(FIRST)} {rng.choice(LAST)}", outlet=rng.choice(OUTLETS))
        separator = " " if one_line or len(parts) % 5 else "\n\n"
        parts.append(separator + sentence)
        total += len(sentence.encode("utf-8")) + len(separator)
    text = "".join(parts).lstrip()
    while len(text.encode("utf-8")) > size:
        text = text[: len(text) - 200]
    return text


def _server_cpu() -> float:
    """CPU seconds used so far by every process named `postgres` on this machine (0 when none).

    Each process's own time plus that of its reaped children, so a backend that has ended is
    still counted, in the postmaster that waited for it.
    """
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
            if fields[0].endswith("(postgres"):
                parts = fields[1].split()
                total += sum(int(value) for value in parts[11:15]) / ticks
        except (OSError, ValueError, IndexError):
            continue
    return total


def ingest(path: Path, url: str | None = None) -> tuple[float, float, float, str]:
    """`orbat ingest FILE` in a child process: wall seconds, CPU seconds, peak RSS in MB, its summary.

    CPU seconds (user + system) say what the wall time would be on an idle core; on a shared
    machine the wall time also counts the waits for one.
    """
    with tempfile.TemporaryDirectory() as tmp:
        db = url or os.path.join(tmp, "orbat.db")
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "orbat", "ingest", str(path), "--db", db],
                              capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    if peak <= before:
        print("note: peak RSS not above an earlier child's; the figure is a lower bound", file=sys.stderr)
    summary = [line for line in (done.stdout + done.stderr).splitlines() if "claims" in line or "orbat:" in line]
    return seconds, cpu, peak / 1024, f"exit {done.returncode}: " + (summary[-1] if summary else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--size", type=int, default=4_900_000, help="bytes (default 4,900,000)")
    parser.add_argument("--one-line", action="store_true", help="no line breaks at all")
    parser.add_argument("--ingest", action="store_true", help="also time `orbat ingest` on it")
    parser.add_argument("--db", help="knowledge base URL for --ingest (default: a new SQLite file)")
    args = parser.parse_args()
    text = generate(args.size, one_line=args.one_line)
    args.out.write_text(text, encoding="utf-8")
    sentences = text.count(". ") + text.count(".\n") + 1
    size = len(text.encode("utf-8"))
    print(f"wrote {args.out}: {size:,} bytes, {len(text.split()):,} words, ~{sentences:,} sentences")
    if args.ingest:
        server_before = _server_cpu()
        seconds, cpu, peak, summary = ingest(args.out, args.db)
        server = f", server {_server_cpu() - server_before:.1f} s CPU" if args.db else ""
        print(f"orbat ingest: {seconds:.1f} s wall, {cpu:.1f} s CPU{server}, peak RSS {peak:.0f} MB ({summary})")


if __name__ == "__main__":
    main()
