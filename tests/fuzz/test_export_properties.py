"""Property test (Hypothesis, fixed seed): fuzzed reports ingested into a real SQLite knowledge
base export in every format (csv, geojson, kml, stix, jsonl) as files their readers re-parse,
with positions in range, and the queries still answer (RELIABILITY rows 16–19).

Each example builds its own knowledge base (ingest, observation index, five exports), so this
property runs 100 examples rather than 2,000 to stay under a minute.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.fuzz.checks import EXPORT_FORMATS, export_problems
from tests.fuzz.strategies import html_pages, published, texts

from orbat.export import ExportFilters, export
from orbat.ingest import ingest_one
from orbat.model import SourceDocument
from orbat.pipeline import extract_source
from orbat.query import stats
from orbat.settings import Settings
from orbat.store import open_store

DOCUMENT = st.tuples(st.one_of(texts, html_pages), st.sampled_from(["text/plain", "text/html"]), published)
ANCHOR = ("Russia delivered 12 T-72B3 tanks to Gao, Mali on 3 January 2025 <b>&amp;</b> ]]> =cmd|'/C calc'!A0.",
          "text/plain", "2025-01-21")


@settings(max_examples=100)
@given(documents=st.lists(DOCUMENT, min_size=1, max_size=3))
def test_row17_every_export_of_fuzzed_reports_reparses(documents):
    with tempfile.TemporaryDirectory() as folder, open_store(str(Path(folder) / "orbat.db")) as store:
        for number, (body, content_type, date) in enumerate([ANCHOR, *documents]):
            source = SourceDocument(raw=body.encode("utf-8", "surrogatepass"), content_type=content_type,
                                    origin=f"fuzz-{number}", published=date or None)
            ingest_one(source, store, Settings(), extract_source)  # a failure is a result, never an exception
        for fmt in EXPORT_FORMATS:
            out = io.BytesIO()
            export(store, fmt, ExportFilters(), out)
            assert export_problems(fmt, out.getvalue()) == [], fmt
        assert stats(store).documents >= 1
