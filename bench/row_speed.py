"""Knowledge-base rows built per second from extracted records, without a database or Spark.

    PYTHONPATH=src .venv/bin/python bench/row_speed.py [--repeat 20] [--records /tmp/records.pickle]
    .venv/bin/python bench/row_speed.py --src ../other-checkout/src --records /tmp/records.pickle

Extracts `tests/corpus`, `tests/realworld` and `examples` once (the records `orbat extract`
prints; kept in `--records` when given, so two checkouts time the very same records), then
times, `--repeat` times over all records, the two ways rows are built:

* ingest: `store.rows.record_rows` with every entity and claim row read once, as
  `store.bulk.insert_fresh` reads them (the rows `orbat ingest` writes);
* batch: `batch.rows._record_tables`, the table rows of one document a Spark task writes.

CPU time of this process (the machine is shared: wall time stretches with others' work). It
prints rows per CPU second and microseconds per record, and a digest of every row built, so two
checkouts can be compared (same digest: the same rows). It asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ("tests/corpus", "tests/realworld", "examples")


def extract_records(path: Path | None) -> list:
    if path is not None and path.exists():
        return pickle.loads(path.read_bytes())
    from orbat.acquire.sources import iter_sources
    from orbat.pipeline import extract_source
    from orbat.settings import Settings

    settings = Settings()
    items = [item for item in iter_sources([str(ROOT / t) for t in TARGETS], settings) if hasattr(item, "raw")]
    records = [extract_source(item, settings) for item in items]
    if path is not None:
        path.write_bytes(pickle.dumps(records))
    return records


def ingest_rows(records: list) -> int:
    from orbat.store.rows import record_rows

    count = 0
    for record in records:
        rows = record_rows(record, created="2026-01-01T00:00:00.000000+00:00")
        count += 4 + sum(1 for _ in rows.entities)
        for parts in rows.claims:
            count += 1 + len(parts.equipment) + len(parts.actors)
    return count


def batch_rows(records: list) -> int:
    from orbat.batch.rows import _record_tables

    return sum(len(_record_tables(record, "bench")) for record in records)


def digest(records: list) -> str:
    """A hash of every row both ways build (the batch rows hold the ingest rows' values)."""
    from orbat.batch.rows import _record_tables
    from orbat.store import rows as store_rows
    from orbat.store.rows import record_rows

    store_rows.now = lambda: "2026-01-01T00:00:00.000000+00:00"  # the batch rows' `created` stamp
    h = hashlib.sha256()
    for record in records:
        rows = record_rows(record, created="2026-01-01T00:00:00.000000+00:00")
        for row in [rows.document, rows.capture, rows.sighting, rows.run, *rows.entities]:
            h.update(repr(sorted(row.items())).encode("utf-8", "surrogatepass"))
        for parts in rows.claims:
            for row in [parts.claim, *parts.equipment, *parts.actors]:
                h.update(repr(sorted(row.items())).encode("utf-8", "surrogatepass"))
        for table, row in _record_tables(record, "bench"):
            h.update(table.encode() + repr(sorted(row.items())).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]


def timed(work, records: list, repeat: int) -> tuple[float, int]:
    work(records)  # warm: imports, caches
    started = time.process_time()
    rows = sum(work(records) for _ in range(repeat))
    return time.process_time() - started, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="Passes over all records per figure.")
    parser.add_argument("--records", type=Path, help="Pickle of the extracted records (made when missing).")
    parser.add_argument("--src", default=str(ROOT / "src"), help="orbat sources to measure (default: this tree).")
    args = parser.parse_args()
    sys.path.insert(0, args.src)
    records = extract_records(args.records)
    print(
        f"orbat from {args.src}; {len(records)} records; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    for label, work in (("ingest", ingest_rows), ("batch", batch_rows)):
        cpu, rows = timed(work, records, args.repeat)
        print(
            f"{label:7} {rows / cpu:10,.0f} rows/CPU s  {1e6 * cpu / (len(records) * args.repeat):8.1f} µs/record"
            f"  ({rows:,} rows in {cpu:.2f} s CPU)"
        )
    print(f"rows digest {digest(records)}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
