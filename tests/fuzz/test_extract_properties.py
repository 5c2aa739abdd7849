"""Property tests (Hypothesis, fixed seed: the `orbat` profile in tests/conftest.py) over what
`orbat extract` does with hostile text, HTML and JSONL corpus lines: it never crashes, every
offset points into the text it read, and dates, counts and coordinates are within bounds
(RELIABILITY rows 18, 20–23). Each property runs about 2,000 examples in under a minute.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from tests.fuzz.checks import record_problems
from tests.fuzz.strategies import html_pages, jsonl_lines, published, texts

from orbat.acquire import SourceError
from orbat.acquire.files import from_corpus_item
from orbat.errors import InputError
from orbat.model import SourceDocument
from orbat.pipeline import extract_source


def _extract(raw: bytes, content_type: str, date: str | None) -> tuple[dict, str] | None:
    """The record and the text its offsets point into; None when the input is refused with a clear error."""
    source = SourceDocument(raw=raw, content_type=content_type, origin="fuzz", published=date or None)
    try:
        record = extract_source(source)
    except InputError as exc:  # binary-looking input: refused, one line
        assert "\n" not in str(exc)
        return None
    return record.to_json(), record.document.text


@settings(max_examples=2000)
@given(text=texts, date=published)
def test_row23_fuzzed_text_extracts_within_bounds(text, date):
    result = _extract(text.encode("utf-8", "surrogatepass"), "text/plain", date)
    if result is not None:
        assert record_problems(*result) == []


@settings(max_examples=1500)
@given(page=html_pages, date=published)
def test_row22_fuzzed_html_extracts_within_bounds(page, date):
    result = _extract(page.encode("utf-8", "surrogatepass"), "text/html", date)
    if result is not None:
        record, text = result
        assert record_problems(record, text) == []
        assert "<script" not in text.lower() and "onerror=" not in text.lower()


@settings(max_examples=1500)
@given(line=jsonl_lines())
def test_row20_fuzzed_jsonl_lines_are_records_or_one_line_errors(line):
    try:
        item = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return  # the corpus reader reports it as a bad line (tests/extract/test_bad_input.py)
    source = from_corpus_item(item, "fuzz:1") if isinstance(item, dict) else SourceError("fuzz:1", "not an object")
    if isinstance(source, SourceError):
        assert "\n" not in str(source)
        return
    try:
        record = extract_source(source)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert record_problems(record.to_json(), record.document.text) == []
    json.dumps(record.to_json(), ensure_ascii=False).encode("utf-8")  # printable as JSONL: no lone surrogate


@pytest.mark.parametrize("text", [
    "Russia delivered 99999999999999999999999 T-72B3 tanks to Gao, Mali on 3 January 2025.",
    "Russia delivered 12 T-72B3 tanks to Gao, Mali on 1 January 9999.",
    "Russia delivered 12 T-72B3 tanks to Gao, Mali last Tuesday.",
])
@pytest.mark.parametrize("date", ["2025-01-21", "9999-12-31", "0001-01-01"])
def test_row23_issue_reproducers_stay_within_bounds(text, date):
    result = _extract(text.encode(), "text/plain", date)
    assert result is not None and record_problems(*result) == []
