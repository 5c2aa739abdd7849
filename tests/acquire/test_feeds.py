"""Feeds and OPML: the XML pre-screen, entries, dates, dedup, caps."""

from __future__ import annotations

import tracemalloc

import feedparser
import pytest

from orbat.acquire import SourceError
from orbat.acquire.feeds import decode_xml, read_feed, read_opml, screen_xml, sniff_xml_kind
from orbat.settings import Settings

from .conftest import ATOM, RSS, local_settings

ENTITIES = "rejected:xml-entities"

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>x</title></item></channel></rss>"""

QUADRATIC = ('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "' + "a" * 50_000 + '">]>\n'
             '<rss version="2.0"><channel><title>t</title><item><description>'
             + "&a;" * 20_000 + "</description></item></channel></rss>")

EXTERNAL_FILE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title><item><description>&xxe;</description></item></channel></rss>"""

EXTERNAL_METADATA = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://169.254.169.254/latest/meta-data/"> %remote;]>
<rss version="2.0"><channel><title>t</title></channel></rss>"""


@pytest.fixture
def feedparser_forbidden(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("feedparser.parse must not see this feed")
    monkeypatch.setattr(feedparser, "parse", forbidden)


@pytest.mark.parametrize("feed", [BILLION_LAUGHS, QUADRATIC, EXTERNAL_FILE, EXTERNAL_METADATA],
                         ids=["billion-laughs", "quadratic-blowup", "external-file", "external-metadata"])
def test_entity_feeds_rejected_before_feedparser(feed, feedparser_forbidden):
    tracemalloc.start()
    try:
        with pytest.raises(SourceError) as caught:
            read_feed(feed.encode(), "evil.xml", Settings())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.code == ENTITIES
    assert caught.value.origin == "evil.xml"
    assert peak < 20 * len(feed) + 1_000_000  # memory stays flat: no expansion happened


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_entities_found_in_utf16_and_utf32(encoding, feedparser_forbidden):
    raw = BILLION_LAUGHS.replace('<?xml version="1.0"?>', "").encode(encoding)
    with pytest.raises(SourceError) as caught:
        read_feed(raw, "evil.xml", Settings())
    assert caught.value.code == ENTITIES


def test_entities_found_behind_a_utf7_declaration(feedparser_forbidden):
    body = '<!DOCTYPE rss [<!ENTITY a "x">]><rss version="2.0"><channel><title>&a;</title></channel></rss>'
    raw = b'<?xml version="1.0" encoding="utf-7"?>' + body.encode("utf-7").replace(b"<", b"+ADw-")
    assert b"<!ENTITY" not in raw
    with pytest.raises(SourceError) as caught:
        read_feed(raw, "evil.xml", Settings())
    assert caught.value.code == ENTITIES


@pytest.mark.parametrize("text", [
    '<!doctype rss [ <!attlist rss version CDATA "2.0"> ]><rss/>',
    '<!DOCTYPE rss SYSTEM "a>b" [ ]><rss/>',
    '<!DOCTYPE rss SYSTEM "unterminated><rss/>',
    '<!DOCTYPE rss><!DOCTYPE feed><rss/>',
    "<rss><!ELEMENT x ANY></rss>",
])
def test_other_dtd_declarations_rejected(text):
    with pytest.raises(SourceError) as caught:
        screen_xml(text.encode(), "x.xml")
    assert caught.value.code == ENTITIES


def test_external_dtd_is_never_fetched(web_server):
    """A DOCTYPE naming an external DTD is allowed, but removed: no parser may load it."""
    feed = RSS.replace("<rss ", f'<!DOCTYPE rss SYSTEM "{web_server.url("/evil.dtd")}">\n<rss ', 1)
    documents = read_feed(feed.encode(), "feed.xml", local_settings())
    assert len(documents) == 2
    assert web_server.hits["/evil.dtd"] == 0


def test_rss_feed_entries():
    first, second = read_feed(RSS.encode(), "http://news.test/rss", Settings(), retrieved="2025-01-22T00:00:00+00:00")
    assert first.title == "T-72B3 tanks in Bamako"
    assert first.publisher == "Sahel Monitor"
    assert first.url == "http://news.test/a?id=1"  # tracking parameter stripped
    assert first.external_id == "urn:sahel:1"
    assert first.published == "2025-01-21"  # the source's local day, not UTC's 20 January
    assert first.retrieved == "2025-01-22T00:00:00+00:00"
    assert first.origin == "http://news.test/rss#item-1"
    assert first.content_type == "text/html"
    assert b"T-72B3" in first.raw and b"<script" not in first.raw  # feedparser sanitized the HTML
    assert second.published == "2025-01-20"
    assert second.external_id == "urn:sahel:2"


def test_atom_feed_entries_and_plain_text_stays_text():
    html_entry, text_entry = read_feed(ATOM.encode(), "notes.atom", Settings())
    assert html_entry.title == "Trucks & Spartak"  # an HTML title becomes plain text
    assert html_entry.content_type == "text/html"
    assert html_entry.published == "2025-01-22"
    assert html_entry.url == "http://notes.test/1"  # fragment dropped
    assert html_entry.publisher == "Defense Notes"
    assert text_entry.content_type == "text/plain"
    assert text_entry.raw.startswith(b"<img src=x onerror=alert(1)>")  # shown as text, never markup
    assert text_entry.published == "2025-01-23"  # local day, although UTC is already the 24th


def test_duplicate_guids_duplicate_content_and_missing_dates():
    items = [
        ("g1", "First report of a convoy.", "<pubDate>Tue, 21 Jan 2025 10:00:00 GMT</pubDate>"),
        ("g1", "Same GUID, edited text.", ""),
        ("g2", "First report of a convoy.", ""),  # same content, new GUID
        ("g3", "An undated report.", ""),
        ("", "No GUID at all.", "<pubDate>not a date</pubDate>"),
    ]
    body = "".join(f"<item><title>t{n}</title>{f'<guid>{g}</guid>' if g else ''}<description>{d}</description>{p}"
                   "</item>" for n, (g, d, p) in enumerate(items))
    feed = f'<rss version="2.0"><channel><title>Dupes</title>{body}</channel></rss>'
    documents = read_feed(feed.encode(), "dupes.xml", Settings())
    assert [d.raw for d in documents] == [b"First report of a convoy.", b"An undated report.", b"No GUID at all."]
    assert [d.published for d in documents] == ["2025-01-21", None, None]
    assert [d.external_id for d in documents] == ["g1", "g3", None]


def test_item_cap():
    body = "".join(f"<item><guid>g{n}</guid><description>item {n}</description></item>" for n in range(20_000))
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{body}</channel></rss>'
    documents = read_feed(feed.encode(), "big.xml", Settings(feed_max_items=7))
    assert [d.raw for d in documents] == [f"item {n}".encode() for n in range(7)]


def test_item_cap_on_atom_keeps_the_feed_title():
    body = "".join(f"<entry><id>e{n}</id><title>entry {n}</title></entry>" for n in range(50))
    feed = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Many</title>{body}</feed>'
    documents = read_feed(feed.encode(), "many.atom", Settings(feed_max_items=3))
    assert [d.title for d in documents] == ["entry 0", "entry 1", "entry 2"]
    assert {d.publisher for d in documents} == {"Many"}
    assert documents[0].raw == b"entry 0"  # no body: the title is the text


def test_not_a_feed():
    with pytest.raises(SourceError) as caught:
        read_feed(b"just some words", "words.xml", Settings())
    assert caught.value.code == "bad-feed"


def test_windows_1251_feed():
    feed = ('<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>Вести</title>'
            "<item><title>Танки Т-72Б3</title><description>Танки в Бамако</description></item></channel></rss>")
    (document,) = read_feed(feed.encode("windows-1251"), "ru.xml", Settings())
    assert document.title == "Танки Т-72Б3"
    assert document.raw.decode("utf-8") == "Танки в Бамако"
    assert document.publisher == "Вести"


def test_decode_xml_falls_back_on_mislabelled_bytes():
    assert decode_xml('<?xml version="1.0" encoding="utf-8"?><a>café</a>'.encode("latin-1")).endswith("café</a>")
    assert decode_xml(b'<?xml version="1.0" encoding="no-such-codec"?><a/>').endswith("<a/>")


def test_opml_lists_feed_urls():
    opml = b"""<?xml version="1.0"?><opml version="2.0"><body>
      <outline text="group"><outline xmlUrl="http://a.test/rss"/><outline xmlurl="http://b.test/atom"/></outline>
      <outline xmlUrl="http://a.test/rss"/><outline text="no url"/></body></opml>"""
    assert read_opml(opml, "feeds.opml") == ["http://a.test/rss", "http://b.test/atom"]


def test_opml_entities_rejected():
    opml = b'<!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]><opml><body><outline xmlUrl="&x;"/></body></opml>'
    with pytest.raises(SourceError) as caught:
        read_opml(opml, "evil.opml")
    assert caught.value.code == ENTITIES


@pytest.mark.parametrize("raw", [b"<rss/>", b"<opml><body><outline", b"not xml"])
def test_bad_opml(raw):
    with pytest.raises(SourceError) as caught:
        read_opml(raw, "bad.opml")
    assert caught.value.code == "bad-opml"


@pytest.mark.parametrize(("raw", "kind"), [
    (RSS.encode(), "feed"), (ATOM.encode(), "feed"),
    (b'<?xml version="1.0"?>\n<!-- c --><rdf:RDF xmlns:rdf="x"></rdf:RDF>', "feed"),
    (b"<opml version='2.0'/>", "opml"),
    (BILLION_LAUGHS.encode(), "feed"),
    (b"<html><body>rss</body></html>", None),
    (b"The <rss> element is XML.", None),
    (b"", None),
])
def test_sniff_xml_kind(raw, kind):
    assert sniff_xml_kind(raw) == kind
