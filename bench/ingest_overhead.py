"""What storing costs on top of extracting: ingest vs extraction alone on the same documents.

    PYTHONPATH=src .venv/bin/python bench/ingest_overhead.py [--copies 8] [--pg postgresql://…/scratch]

Takes the example reports (`examples/*.md`), makes `--copies` distinct copies of each (a line
appended and the URL made distinct, so every copy is a new document), and in one run times
(1) extraction alone, (2) extraction + `Store.save` on a fresh SQLite file, and (3) the same on
PostgreSQL when `--pg` names an empty scratch database. It prints the storage overhead as a
percentage of extraction time, and the time to bring the observation index up to date
afterwards. It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from orbat.acquire.files import read_file  # noqa: E402
from orbat.ingest import ingest_one  # noqa: E402
from orbat.observation_index import ensure_fresh  # noqa: E402
from orbat.pipeline import extract_source  # noqa: E402
from orbat.settings import Settings  # noqa: E402
from orbat.store import open_store  # noqa: E402


def sources(folder: Path, copies: int, settings: Settings) -> list:
    """Distinct copies of every example report, read the way `orbat ingest` reads files."""
    out = []
    for path in sorted((ROOT / "examples").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for n in range(copies):
            copy = folder / f"{path.stem}-{n}.md"
            body = re.sub(r"(?m)^url: (.*)$", rf"url: \1/copy-{n}", text)  # else one URL: duplicates
            copy.write_text(f"{body}\n\nCopy {n} of this report for the benchmark.\n", encoding="utf-8")
            out.append(read_file(copy, settings.max_document_bytes))
    return out


def time_extraction(items: list, settings: Settings) -> float:
    started = time.perf_counter()
    for item in items:
        extract_source(item, settings)
    return time.perf_counter() - started


def time_ingest(items: list, url: str, settings: Settings) -> tuple[float, float, int]:
    """Seconds to extract and save every item, seconds to refresh the index, claims stored."""
    with open_store(url) as store:
        if store.stats().documents:
            raise SystemExit(f"{url} already holds documents; give an empty scratch database")
        started = time.perf_counter()
        results = [ingest_one(item, store, settings, extract_source) for item in items]
        ingest_seconds = time.perf_counter() - started
        failed = [r for r in results if r.status == "failed"]
        if failed:
            raise SystemExit(f"{len(failed)} documents failed, e.g. {failed[0].origin}: {failed[0].reason}")
        started = time.perf_counter()
        ensure_fresh(store)
        return ingest_seconds, time.perf_counter() - started, sum(r.claims for r in results)


def report(label: str, extract_s: float, ingest_s: float, index_s: float, claims: int, docs: int) -> None:
    overhead = 100 * (ingest_s - extract_s) / extract_s
    print(f"{label:10} ingest {ingest_s:7.2f} s  ({docs / ingest_s:6.1f} docs/s, {claims:,} claims)  "
          f"storage overhead {overhead:+6.1f} %  index refresh {index_s:5.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=8, help="Distinct copies of each example report.")
    parser.add_argument("--pg", help="postgresql:// URL of an empty scratch database.")
    args = parser.parse_args()
    settings = Settings()
    with tempfile.TemporaryDirectory(prefix="orbat-bench-") as tmp:
        items = sources(Path(tmp), args.copies, settings)
        extract_source(items[0], settings)  # load catalogs and the gazetteer before timing
        extract_s = time_extraction(items, settings)
        print(f"{len(items)} documents; extraction alone {extract_s:.2f} s ({len(items) / extract_s:.1f} docs/s)")
        report("SQLite", extract_s, *time_ingest(items, str(Path(tmp) / "bench.db"), settings), len(items))
        if args.pg:
            report("PostgreSQL", extract_s, *time_ingest(items, args.pg, settings), len(items))


if __name__ == "__main__":
    main()
