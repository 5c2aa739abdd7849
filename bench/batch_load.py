"""`orbat batch load` into PostgreSQL, phase by phase: wall time, client CPU and server CPU.

    .venv/bin/python bench/batch_load.py OUT --server postgresql://postgres@127.0.0.1:PORT/postgres \
        --pgdata /path/to/data [--writers N]

OUT is a `orbat batch extract` output folder (e.g. of `batch_speed.py`'s corpus). A database
`batch_load_bench` is dropped and created on the server each run. Phases: the load itself (no
index refresh), the observation index refresh (first build), and a reload of the same folder
(every document a duplicate). The server's CPU is read from `/proc` for the children of the
postmaster named in `PGDATA/postmaster.pid`, so the server must run on this machine. On a
shared machine compare CPU seconds; wall time only when the load average is low (printed).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def server_cpu(postmaster: int) -> float:
    """CPU seconds of the postmaster and its children, including children that ended."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(entry.name) == postmaster or int(fields[1]) == postmaster:
            total += sum(int(f) for f in fields[11:15]) / TICKS
    return total


class Phase:
    def __init__(self, name: str, postmaster: int):
        self.name, self.postmaster = name, postmaster

    def __enter__(self) -> Phase:
        self.wall, self.cpu, self.server = time.monotonic(), time.process_time(), server_cpu(self.postmaster)
        return self

    def __exit__(self, *_exc: object) -> None:
        wall = time.monotonic() - self.wall
        cpu, server = time.process_time() - self.cpu, server_cpu(self.postmaster) - self.server
        print(f"{self.name:20s} wall {wall:6.2f} s  client CPU {cpu:5.2f} s  server CPU {server:5.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--server", required=True, help="URL of a database on the server (to create ours)")
    parser.add_argument("--pgdata", required=True, type=Path, help="the server's data folder (for its CPU)")
    parser.add_argument("--writers", type=int, default=None)
    args = parser.parse_args()
    import psycopg

    import orbat.observation_index as index
    from orbat.batch.load import load
    from orbat.store import open_store

    postmaster = int((args.pgdata / "postmaster.pid").read_text().split()[0])
    with psycopg.connect(args.server, autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "batch_load_bench" WITH (FORCE)')
        conn.execute('CREATE DATABASE "batch_load_bench"')
    url = args.server.rsplit("/", 1)[0] + "/batch_load_bench"
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    store = open_store(url)
    refresh, index.ensure_fresh = index.ensure_fresh, lambda _store, **_options: None  # timed apart below
    try:
        with Phase("load", postmaster):
            summary = load(args.out, store, writers=args.writers, log=lambda _line: None)
    finally:
        index.ensure_fresh = refresh
    print(f"  {summary.new} new, {summary.duplicate} duplicate, {summary.failed} failed, {summary.claims} claims")
    with Phase("observation refresh", postmaster):
        refresh(store)
    with Phase("reload", postmaster):
        again = load(args.out, store, writers=args.writers, log=lambda _line: None)
    print(f"  {again.new} new, {again.duplicate} duplicate, {again.failed} failed")
    store.close()
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
