"""A download that breaks its limits costs its own source, stores nothing and the run goes on
(RELIABILITY rows 4 and 10), checked end to end: real HTTP server on loopback, real ingest, real
SQLite knowledge base.

The fetch tests (`test_web.py`) show each limit fires; these show what a user relies on after it
fires: no partial document in the store, an `ingest_errors` row naming the reason, and the next
source of the same run still stored.
"""

from __future__ import annotations

from orbat.ingest import ingest
from orbat.store import open_store

from .conftest import local_settings


def _run(tmp_path, targets, **settings):
    with open_store(str(tmp_path / "orbat.db")) as store:
        summary = ingest(targets, store, local_settings(**settings))
        return summary, store.documents(), store.ingest_errors()


def test_row4_capped_and_endless_downloads_store_nothing_and_the_run_goes_on(tmp_path, web_server):
    targets = [
        web_server.url("/endless"),
        web_server.url("/big"),
        web_server.url("/gzip-bomb"),
        web_server.url("/page.html"),
    ]
    summary, documents, errors = _run(tmp_path, targets, max_document_bytes=200_000)
    assert (summary.failed, summary.new) == (3, 1)
    assert [d.url for d in documents] == [web_server.url("/page.html")]  # only the page under the cap
    assert sorted(e["origin"] for e in errors) == sorted(targets[:3])
    assert all(e["error"].startswith("too-large") and "200,000-byte cap" in e["error"] for e in errors)


def test_row10_a_server_that_stalls_or_trickles_costs_its_own_source_only(tmp_path, web_server):
    targets = [web_server.url("/stall"), web_server.url("/trickle"), web_server.url("/page.html")]
    summary, documents, errors = _run(tmp_path, targets, fetch_read_timeout=0.5, fetch_total_timeout=1.0)
    assert (summary.failed, summary.new) == (2, 1)
    assert [d.url for d in documents] == [web_server.url("/page.html")]
    assert [e["error"].split(":")[0] for e in sorted(errors, key=lambda e: e["origin"])] == ["timeout", "timeout"]
