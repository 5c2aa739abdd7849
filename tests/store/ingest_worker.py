"""Run one ingest in a child process so a test can SIGKILL it part-way (see test_crash.py).

    python ingest_worker.py DB CORPUS {real,fake} [HOLD_AT MARKER]

With HOLD_AT = n, the batch holding the n-th new document stops inside its transaction, after
the rows of all its new documents have been written but before the commit; the worker then
writes that document's id to MARKER and waits to be killed. Prints the summary as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def main() -> None:
    db, corpus, mode = sys.argv[1:4]
    from orbat.ingest import ingest
    from orbat.settings import Settings
    from orbat.store import database, open_store

    if len(sys.argv) > 5:
        hold_in_transaction(database, int(sys.argv[4]), Path(sys.argv[5]))
    extract = None
    if mode == "fake":
        from storefactory import fake_extract as extract
    with open_store(db) as store:
        summary = ingest([corpus], store, Settings(), extract=extract)
    print(json.dumps({"new": summary.new, "duplicate": summary.duplicate, "failed": summary.failed,
                      "reasons": [f.reason for f in summary.failures][:5]}))


def hold_in_transaction(database, hold_at: int, marker: Path) -> None:
    """Patch the bulk write of new documents (`orbat.store.bulk.insert_fresh`) to hang at HOLD_AT."""
    bulk = database.bulk
    original = bulk.insert_fresh
    written = 0

    def insert_then_hold(conn, backend, batch):
        nonlocal written
        original(conn, backend, batch)
        if written < hold_at <= written + len(batch):
            marker.write_text(batch[hold_at - written - 1].document["id"])
            time.sleep(600)
        written += len(batch)

    bulk.insert_fresh = insert_then_hold


if __name__ == "__main__":
    main()
