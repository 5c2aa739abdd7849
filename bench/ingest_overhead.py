"""What storing costs on top of extracting: ingest vs extraction alone on the same documents.

    PYTHONPATH=src .venv/bin/python bench/ingest_overhead.py [--copies 8] [--pg postgresql://…/scratch]
    .venv/bin/python bench/ingest_overhead.py --src ../other-checkout/src   # an older write path

Takes the example reports (`examples/*.md`), makes `--copies` distinct copies of each (a line
appended and the URL made distinct, so every copy is a new document), extracts them all once
untimed (the parser and the catalogs load lazily on first use), and then in one run times
(1) extraction alone, (2) `orbat ingest`'s write path (extraction + storage, as
`orbat.ingest.ingest_sources` does it) on a fresh SQLite file, (3) the same on PostgreSQL when
`--pg` names an empty scratch database, and (1) again; extraction alone counts as the faster
of its two passes. It prints the storage overhead as a percentage of extraction time, in wall
time and in CPU time, and the time to bring the observation index up to date afterwards.

CPU time is this process's own (user + system) plus, for PostgreSQL, the server's: the CPU of
the server processes serving this run, read from /proc when the server runs on this machine
and can be read (else `n/a`). On a shared machine wall time stretches with other people's
work and CPU time does not, so the CPU overhead is the steadier figure. It asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sources(folder: Path, copies: int, settings) -> list:
    """Distinct copies of every example report, read the way `orbat ingest` reads files."""
    from orbat.acquire.files import read_file

    out = []
    for path in sorted((ROOT / "examples").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for n in range(copies):
            copy = folder / f"{path.stem}-{n}.md"
            body = re.sub(r"(?m)^url: (.*)$", rf"url: \1/copy-{n}", text)  # else one URL: duplicates
            copy.write_text(f"{body}\n\nCopy {n} of this report for the benchmark.\n", encoding="utf-8")
            out.append(read_file(copy, settings.max_document_bytes))
    return out


class Clock:
    """Wall and CPU seconds of a block; `server` adds a database server's CPU when it can be read."""

    def __init__(self, server: ServerCpu | None = None):
        self.server = server

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        self.server_cpu = self.server.seconds() if self.server else None
        return self

    def __exit__(self, *_exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu
        if self.server is not None and self.server_cpu is not None:
            now = self.server.seconds()
            self.server_cpu = None if now is None else now - self.server_cpu


class ServerCpu:
    """CPU seconds used so far by every process of a local PostgreSQL server (postmaster's children)."""

    def __init__(self, store):
        self.postmaster: int | None = None
        try:
            with store.engine.connect() as conn:
                data = conn.exec_driver_sql("SHOW data_directory").scalar()
            self.postmaster = int(Path(data, "postmaster.pid").read_text().split()[0])
        except Exception:  # noqa: BLE001  (a remote server, or no right to read its folder)
            self.postmaster = None

    def seconds(self) -> float | None:
        if self.postmaster is None:
            return None
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.postmaster:  # ppid
                total += int(fields[11]) + int(fields[12])  # utime + stime
        return total / tick


def time_extraction(items: list, settings) -> Clock:
    """Extraction alone, the way ingest extracts: several documents side by side, their spaCy work
    pooled (`orbat.pooled.imap`) where the measured tree has it. A plain loop here, against an
    ingest that pools, made storing look cheaper than nothing (-75 %)."""
    from orbat.pipeline import extract_source

    try:
        from orbat.pooled import imap
    except ImportError:  # an older tree: ingest extracted one document after another too
        def imap(func, values):
            return map(func, values)
    with Clock() as clock:
        for _record in imap(lambda item: extract_source(item, settings), items):
            pass
    return clock


def time_ingest(items: list, url: str, settings) -> tuple[Clock, float, int, str]:
    """The ingest clock, seconds to refresh the index, claims stored, and which write path ran."""
    from orbat.observation_index import ensure_fresh
    from orbat.pipeline import extract_source
    from orbat.store import open_store

    with open_store(url) as store:
        if store.stats().documents:
            raise SystemExit(f"{url} already holds documents; give an empty scratch database")
        server = ServerCpu(store) if store.backend == "postgresql" else None
        try:
            from orbat.ingest import ingest_sources
        except ImportError:  # a checkout from before batched writes: one document per transaction
            from orbat.ingest import ingest_one

            path = "ingest_one per document"
            with Clock(server) as clock:
                results = [ingest_one(item, store, settings, extract_source) for item in items]
        else:
            path = "ingest_sources (batched)"
            results = []
            with Clock(server) as clock:
                ingest_sources(items, store, settings, results.append, extract_source)
        failed = [r for r in results if r.status == "failed"]
        if failed:
            raise SystemExit(f"{len(failed)} documents failed, e.g. {failed[0].origin}: {failed[0].reason}")
        started = time.perf_counter()
        ensure_fresh(store)
        return clock, time.perf_counter() - started, sum(r.claims for r in results), path


def report(label: str, extract: Clock, ingest: Clock, index_s: float, claims: int, docs: int) -> None:
    wall = 100 * (ingest.wall - extract.wall) / extract.wall
    cpu_total = ingest.cpu + (ingest.server_cpu or 0.0)
    cpu = 100 * (cpu_total - extract.cpu) / extract.cpu
    server = (
        ""
        if ingest.server is None
        else (f" (server {ingest.server_cpu:.2f} s)" if ingest.server_cpu is not None else " (server CPU n/a)")
    )
    print(
        f"{label:10} ingest {ingest.wall:7.2f} s wall, {cpu_total:6.2f} s CPU{server}  "
        f"({docs / ingest.wall:6.1f} docs/s, {claims:,} claims)  "
        f"overhead {wall:+6.1f} % wall, {cpu:+6.1f} % CPU  index refresh {index_s:5.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=8, help="Distinct copies of each example report.")
    parser.add_argument("--pg", help="postgresql:// URL of an empty scratch database.")
    parser.add_argument("--src", default=str(ROOT / "src"), help="orbat sources to measure (default: this tree).")
    args = parser.parse_args()
    sys.path.insert(0, args.src)
    from orbat.pipeline import extract_source
    from orbat.settings import Settings

    settings = Settings()
    print(f"orbat from {args.src}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="orbat-bench-") as tmp:
        items = sources(Path(tmp), args.copies, settings)
        for item in items:  # untimed: load the catalogs, the gazetteer and the parser
            extract_source(item, settings)
        first = time_extraction(items, settings)
        runs = [("SQLite", time_ingest(items, str(Path(tmp) / "bench.db"), settings))]
        if args.pg:
            runs.append(("PostgreSQL", time_ingest(items, args.pg, settings)))
        second = time_extraction(items, settings)
        extract = min(first, second, key=lambda c: c.cpu)
        print(
            f"{len(items)} documents; extraction alone {extract.wall:.2f} s wall, {extract.cpu:.2f} s CPU "
            f"({len(items) / extract.wall:.1f} docs/s; passes {first.cpu:.2f} and {second.cpu:.2f} s CPU)"
        )
        for label, (clock, index_s, claims, _path) in runs:
            report(label, extract, clock, index_s, claims, len(items))
        print(f"write path: {runs[0][1][3]}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
