"""iter_sources: dispatch by target, and a failing source never stops the batch."""

from __future__ import annotations

import io
import json
import sys

import pyarrow as pa
import pyarrow.parquet as pq

from orbat.acquire import SourceError
from orbat.acquire.sources import iter_sources
from orbat.model import SourceDocument
from orbat.settings import Settings

from .conftest import ATOM, PAGE, RSS, local_settings, opml


def test_folder_walk_sorted_recursive_hidden_skipped(tmp_path):
    for name, text in [("b.md", "# B"), ("a.txt", "A"), ("sub/c.html", "<p>C</p>"), ("sub/z/d.htm", "<p>D</p>"),
                       (".hidden.txt", "no"), (".git/x.txt", "no"), ("image.png", "no"), ("corpus.csv", "text\nno"),
                       ("notes.markdown", "N")]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    items = list(iter_sources([str(tmp_path)], Settings()))
    assert [i.origin for i in items] == [str(tmp_path / n) for n in
                                          ("a.txt", "b.md", "notes.markdown", "sub/c.html", "sub/z/d.htm")]
    assert [i.content_type for i in items] == ["text/plain", "text/markdown", "text/markdown", "text/html",
                                               "text/html"]


def test_folder_with_a_file_over_the_cap_goes_on(tmp_path):
    (tmp_path / "a.txt").write_text("x" * 200)
    (tmp_path / "b.txt").write_text("small")
    first, second = iter_sources([str(tmp_path)], Settings(max_document_bytes=100))
    assert isinstance(first, SourceError) and first.code == "too-large"
    assert isinstance(second, SourceDocument) and second.raw == b"small"


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"<html><body>From stdin</body></html>")))
    (document,) = iter_sources(["-"], Settings())
    assert document.origin == "-" and document.content_type == "text/html"


def test_files_by_suffix(tmp_path):
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "j1", "text": "From JSONL"}) + "\nnot json\n")
    (tmp_path / "c.csv").write_text("id,text\nc1,From CSV\n")
    pq.write_table(pa.table({"id": ["p1"], "text": ["From Parquet"]}), tmp_path / "c.parquet")
    (tmp_path / "f.rss").write_text(RSS)
    (tmp_path / "f.xml").write_text(ATOM)
    (tmp_path / "note.md").write_text("---\ntitle: A note\n---\nFrom Markdown")
    targets = [str(tmp_path / n) for n in ("c.jsonl", "c.csv", "c.parquet", "f.rss", "f.xml", "note.md")]
    items = list(iter_sources(targets, Settings()))
    kinds = [(type(i).__name__, i.external_id if isinstance(i, SourceDocument) else i.code) for i in items]
    assert kinds == [("SourceDocument", "j1"), ("SourceError", "bad-json"), ("SourceDocument", "c1"),
                     ("SourceDocument", "p1"), ("SourceDocument", "urn:sahel:1"), ("SourceDocument", "urn:sahel:2"),
                     ("SourceDocument", "urn:notes:1"), ("SourceDocument", "urn:notes:2"), ("SourceDocument", None)]
    assert items[-1].title == "A note"


def test_failures_are_reported_and_the_batch_goes_on(tmp_path, web_server):
    (tmp_path / "ok.txt").write_text("fine")
    evil = tmp_path / "evil.rss"
    evil.write_text('<!DOCTYPE rss [<!ENTITY a "b">]><rss><channel><title>&a;</title></channel></rss>')
    targets = [str(tmp_path / "missing.txt"), "file:///etc/passwd", web_server.url("/missing"), str(evil),
               web_server.url("/image.png"), "http://10.0.0.1/", "gopher://x/", str(tmp_path / "ok.txt"),
               web_server.url("/page.html")]
    items = list(iter_sources(targets, local_settings()))
    assert [i.code if isinstance(i, SourceError) else "ok" for i in items] == [
        "not-found", "refused:scheme", "http-status", "rejected:xml-entities", "unsupported-type",
        "refused:private-address", "refused:scheme", "ok", "ok"]
    for item, target in zip(items, targets, strict=True):
        if isinstance(item, SourceError):
            assert str(item).startswith(target) and "\n" not in str(item)


def test_url_page(web_server):
    (document,) = iter_sources([web_server.url("/page.html")], local_settings())
    assert document.raw == PAGE and document.content_type == "text/html"


def test_untyped_url_is_sniffed(web_server):
    (document,) = iter_sources([web_server.url("/untyped")], local_settings())
    assert document.content_type == "text/html"


def test_url_feed_gives_entries(web_server):
    items = list(iter_sources([web_server.url("/rss.xml"), web_server.url("/rss-as-xml")], local_settings()))
    assert [i.external_id for i in items] == ["urn:sahel:1", "urn:sahel:2"] * 2
    assert all(i.retrieved for i in items)
    assert items[0].origin == web_server.url("/rss.xml") + "#item-1"
    assert items[0].url == "http://news.test/a?id=1"


def test_url_opml_gives_each_feeds_entries(web_server):
    items = list(iter_sources([web_server.url("/feeds.opml")], local_settings()))
    assert [i.external_id for i in items] == ["urn:sahel:1", "urn:sahel:2", "urn:notes:1", "urn:notes:2"]


def test_opml_entry_that_is_not_a_feed_is_an_error_and_others_go_on(web_server):
    error, *entries = iter_sources([web_server.url("/bad.opml")], local_settings())
    assert isinstance(error, SourceError) and error.code == "bad-feed"
    assert error.origin == web_server.url("/page.html")
    assert [e.external_id for e in entries] == ["urn:notes:1", "urn:notes:2"]


def test_local_opml_file(tmp_path, web_server):
    path = tmp_path / "feeds.opml"
    path.write_text(opml(web_server.port))
    items = list(iter_sources([str(path)], local_settings()))
    assert len(items) == 4 and all(isinstance(i, SourceDocument) for i in items)


def test_opml_feeds_obey_the_address_rules(tmp_path, web_server):
    path = tmp_path / "feeds.opml"
    path.write_text(opml(web_server.port))
    items = list(iter_sources([str(path)], Settings(allow_hosts=())))
    assert [i.code for i in items] == ["refused:private-address"] * 2


def test_a_reader_that_breaks_costs_only_its_target(tmp_path, monkeypatch):
    import orbat.acquire.sources as sources

    def broken(path, cap):
        raise ValueError("reader bug")
        yield  # pragma: no cover

    monkeypatch.setattr(sources, "iter_csv", broken)
    (tmp_path / "a.csv").write_text("text\nx\n")
    (tmp_path / "b.txt").write_text("fine")
    error, document = iter_sources([str(tmp_path / "a.csv"), str(tmp_path / "b.txt")], Settings())
    assert error.code == "error" and "ValueError: reader bug" in str(error)
    assert document.raw == b"fine"
