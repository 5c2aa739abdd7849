"""Hostile source text in briefs (RELIABILITY rows 13, 14, 17, 38): text everywhere, markup nowhere.

The hostile report is ingested through the real pipeline with the examples (conftest), so its
title, publisher and sentence reach the brief the way a scraped page would.
"""

from __future__ import annotations

import io
import re

import lxml.html
import pytest
from markdown_it import MarkdownIt
from pypdf import PdfReader

from orbat.brief.pdf import LocalOnlyFetcher, html_to_pdf
from orbat.brief.render import markdown_escape, safe_url

HOSTILE_TEXT = "<script>alert(1)</script>"


def hostile_note(mali):
    return next(n for n in mali.brief.notes if n.publisher and "Hostile" in n.publisher)


def assert_inert(tree, own_images: tuple[str, ...]) -> None:
    """No script, no event handler, no remote or javascript: URL anywhere in a parsed page."""
    assert tree.xpath("//script") == [] and tree.xpath("//iframe|//object|//embed|//link") == []
    for element in tree.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name, value)
            assert "javascript:" not in value.lower(), (element.tag, name, value)
    for image in tree.xpath("//img"):
        assert image.get("src", "").startswith(own_images), image.get("src")
    for link in tree.xpath("//a[@href]"):
        assert link.get("href").startswith(("#note-", "https://example.org/")), link.get("href")


def test_the_hostile_report_reaches_the_brief(mali):
    note = hostile_note(mali)
    assert HOSTILE_TEXT in note.sentence and "onerror" in (note.title or "")
    new = next(s for s in mali.brief.sections if s.key == "new")
    assert any(c[1] == "BM-21 Grad" for t in new.tables for c in (r.cells for r in t.rows))


def test_html_has_no_live_markup_from_sources(mali):
    tree = lxml.html.document_fromstring(mali.html)
    assert_inert(tree, ("data:image/png;base64,",))
    assert len(tree.xpath("//img")) == 2  # the map and the timeline, as data URIs
    text = tree.text_content()
    assert HOSTILE_TEXT in text and "<img src=x onerror=alert(1)>" in text and "]]>" in text
    assert "[link](javascript:alert(1))" in text and '<img src="http://example.com/x.png">' in text
    assert "default-src 'none'" in tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]


def test_markdown_has_no_raw_html_or_links_from_sources(mali):
    raw = mali.markdown
    assert "<script" not in raw and "<img" not in raw
    assert re.search(r"(?<!\\)\]\(javascript:", raw) is None  # only the escaped form, \[link\](…
    assert "http://example.com" not in raw and "www.example.com" not in raw  # defanged
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(raw)  # a renderer that allows HTML
    tree = lxml.html.document_fromstring(html)
    assert_inert(tree, ("mali-map.png", "mali-timeline.png"))
    text = tree.text_content()
    assert HOSTILE_TEXT in text and "[link](javascript:alert(1))" in text and "]]>" in text
    assert "hxxp://example.com/x.png" in text and r"$\frac{1}{0}$" in text


def test_the_hostile_documents_javascript_url_is_never_a_link(mali):
    note = hostile_note(mali)
    if note.url:
        assert safe_url(note.url) is None
    assert "javascript:alert" not in "".join(lxml.html.document_fromstring(mali.html).xpath("//a/@href"))


def test_pdf_renders_and_fetches_nothing_remote(mali):
    fetcher = mali.fetcher
    assert fetcher.served and all(url.startswith("data:image/png") for url in fetcher.served)
    assert fetcher.refused == []  # escaped text names no URL for WeasyPrint to fetch
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(mali.pdf)).pages)
    assert "alert(1)" in text and "BM-21 Grad" in text


def test_fetcher_refuses_remote_and_file_urls_and_the_pdf_still_renders():
    page = """<html><head><link rel="stylesheet" href="http://example.com/x.css">
    <style>@import url("https://example.com/y.css"); body { background: url(http://example.com/bg.png) }</style>
    </head><body><p>text</p><img src="http://example.com/x.png"><img src="file:///etc/passwd">
    <img src="//example.com/z.png"></body></html>"""
    fetcher = LocalOnlyFetcher()
    pdf = html_to_pdf(page, fetcher)
    assert pdf.startswith(b"%PDF") and "text" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert fetcher.served == []
    assert {"http://example.com/x.css", "https://example.com/y.css", "http://example.com/x.png",
            "file:///etc/passwd"} <= set(fetcher.refused)


@pytest.mark.parametrize("value, expected", [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("[link](javascript:alert(1))", r"\[link\](javascript:alert(1))"),
    ("a & b ]]> c", r"a &amp; b \]\]&gt; c"),
    ("*bold* _it_ `code` | pipe # hash ~strike~", r"\*bold\* \_it\_ \`code\` \| pipe \# hash \~strike\~"),
    ("see https://evil.example/x and www.evil.example", r"see hxxps://evil.example/x and www\[.\]evil.example"),
    ("1. not a list", r"1\. not a list"),
    ("- not a bullet", r"\- not a bullet"),
    ("line\nbreak\x07\x00 here", "line break here"),
    ("mail me@example.org", r"mail me\[@\]example.org"),
    (None, ""),
])
def test_markdown_escape(value, expected):
    assert str(markdown_escape(value)) == expected


@pytest.mark.parametrize("url, ok", [
    ("https://example.org/a?b=1&c=2", True), ("http://example.org", True), ("javascript:alert(1)", False),
    ("data:text/html,<script>", False), ("https://example.org/\"onmouseover=x", False), ("ftp://x.org/", False),
    ("https:///nohost", False), ("", False), (None, False), ("https://exa mple.org", False),
])
def test_safe_url(url, ok):
    assert (safe_url(url) is not None) is ok
