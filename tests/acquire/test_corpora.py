"""CSV and Parquet corpora: one document per row, bad rows reported, the corpus goes on."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orbat.acquire import SourceError
from orbat.acquire.corpora import iter_csv, iter_parquet
from orbat.model import SourceDocument


def split(items):
    items = list(items)
    return ([i for i in items if isinstance(i, SourceDocument)], [i for i in items if isinstance(i, SourceError)])


def test_csv_corpus(tmp_path):
    path = tmp_path / "corpus.csv"
    path.write_bytes("\ufeffid,text,html,url,title,publisher,published,language,extra\n"
                     "1,Seven T-72B3 tanks in Bamako.,,https://a.test/1,Tanks,Sahel Monitor,2025-01-21,en,x\n"
                     '2,,"<p>Cinq BMP-3, vus à Bamako.</p>",,Blindés,,2025-01-22,fr,\n'
                     "3,,,,no text,,,,\n"
                     ',"Multi-line\ntext, with ""quotes"".",,,,,,,\n'
                     "\n".encode())
    documents, errors = split(iter_csv(path, 1_000_000))
    assert [d.raw for d in documents] == [b"Seven T-72B3 tanks in Bamako.", "<p>Cinq BMP-3, vus à Bamako.</p>".encode(),
                                          b'Multi-line\ntext, with "quotes".']
    first, second, third = documents
    assert (first.external_id, first.url, first.title, first.publisher, first.published, first.language) == (
        "1", "https://a.test/1", "Tanks", "Sahel Monitor", "2025-01-21", "en")
    assert first.content_type == "text/plain" and second.content_type == "text/html"
    assert second.language == "fr" and second.url is None
    assert third.external_id is None
    assert first.origin == f"{path}:1"
    assert [(e.origin, e.code) for e in errors] == [(f"{path}:3", "bad-item")]


def test_csv_too_large_cell_and_bad_bytes(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"text\n" + b"x" * 5000 + b"\nsmall \xff row\nlast\n")
    documents, errors = split(iter_csv(path, 1000))
    assert [e.code for e in errors] == ["too-large"]
    assert [d.raw.decode() for d in documents] == ["small \ufffd row", "last"]


def test_csv_cell_over_the_csv_module_limit_is_accepted_under_the_cap(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("text\n" + "y" * 200_000 + "\n")
    documents, errors = split(iter_csv(path, 1_000_000))
    assert not errors and len(documents[0].raw) == 200_000


@pytest.mark.parametrize("content", ["id,title\n1,x\n", ""])
def test_csv_without_text_column(tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    (error,) = iter_csv(path, 1000)
    assert isinstance(error, SourceError) and error.code == "bad-corpus"


def test_csv_missing_file(tmp_path):
    (error,) = iter_csv(tmp_path / "nope.csv", 1000)
    assert error.code == "unreadable"


def test_parquet_corpus_in_batches(tmp_path):
    rows = 2500
    table = pa.table({
        "id": list(range(rows)),
        "text": [None if n == 5 else f"Report {n}: T-72B3 seen." for n in range(rows)],
        "published": [dt.date(2025, 1, 21)] * rows,
        "url": ["https://a.test/x"] * rows,
        "embedding": [[0.1, 0.2]] * rows,  # an unrelated column, never read
    })
    path = tmp_path / "corpus.parquet"
    pq.write_table(table, path, row_group_size=1000)
    documents, errors = split(iter_parquet(path, 1_000_000))
    assert len(documents) == rows - 1
    assert [(e.origin, e.code) for e in errors] == [(f"{path}:6", "bad-item")]
    assert documents[0].raw == b"Report 0: T-72B3 seen."
    assert documents[0].published == "2025-01-21" and documents[0].external_id == "0"
    assert documents[-1].origin == f"{path}:{rows}"


def test_parquet_html_column_and_size_cap(tmp_path):
    path = tmp_path / "html.parquet"
    pq.write_table(pa.table({"HTML": ["<p>ok</p>", "<p>" + "x" * 2000 + "</p>"]}), path)
    documents, errors = split(iter_parquet(path, 1000))
    assert [d.content_type for d in documents] == ["text/html"]
    assert [e.code for e in errors] == ["too-large"]


def test_parquet_without_text_column(tmp_path):
    path = tmp_path / "no-text.parquet"
    pq.write_table(pa.table({"title": ["x"]}), path)
    (error,) = iter_parquet(path, 1000)
    assert error.code == "bad-corpus"


def test_not_a_parquet_file(tmp_path):
    path = tmp_path / "fake.parquet"
    path.write_bytes(b"this is not parquet")
    (error,) = iter_parquet(path, 1000)
    assert error.code == "bad-corpus"
    assert str(path) in str(error)
