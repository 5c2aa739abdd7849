"""Text survives its encoding and its disguises (RELIABILITY rows 20, 21, 22).

Reproducers from the issue: a few bad bytes turned a UTF-8 file into cp1252 mojibake; UTF-32 with
a byte-order mark lost its text; Greek Τ, U+FE0F, U+3164 and U+180E slipped past catalog
matching; short HTML pages and feed fragments came out empty.
"""

from __future__ import annotations

import pytest
from tests.extract.helpers import extract_text

from orbat.clean import clean, decode, html_to_text, visible_text
from orbat.model import SourceDocument
from orbat.normalize import fold

FRENCH = "Le char T-72B3 est arrivé à Gao, près de la frontière, avec des véhicules blindés.\n"


def _clean(raw: bytes, content_type: str = "text/plain"):
    return clean(SourceDocument(raw=raw, content_type=content_type, origin="t"))


def test_row20_a_few_bad_bytes_keep_a_utf8_file_utf8():
    raw = FRENCH.encode() * 30 + b"Une citation \x93mal cod\xe9e\x94 ici.\n" + FRENCH.encode()
    document = _clean(raw)
    assert "arrivé à Gao, près de la frontière" in document.text
    assert "Ã" not in document.text  # no mojibake anywhere
    assert document.decoding.startswith("utf-8 with invalid bytes")
    assert any(w.startswith("decoding: utf-8 with invalid bytes") for w in document.warnings)


def test_row20_a_pasted_cp1252_line_is_read_as_cp1252_and_the_rest_as_utf8():
    raw = FRENCH.encode() * 3 + "Ligne collée depuis un vieux fichier\n".encode("cp1252")
    text, decoding = decode(raw, "t")
    assert text.endswith("Ligne collée depuis un vieux fichier\n") and text.startswith(FRENCH)
    assert "1 read as cp1252" in decoding


def test_row20_a_line_mixing_valid_and_invalid_bytes_gets_replacement_characters_only_there():
    raw = "Arrivé à Gao \x00".encode()[:-1] + b"\xff\n" + FRENCH.encode()
    text, decoding = decode(raw, "t")
    assert text.startswith("Arrivé à Gao \ufffd\n") and text.endswith(FRENCH)


def test_row20_a_real_cp1252_file_is_still_read_as_western():
    text, decoding = decode(("Le char est arrivé à Gao, près de la frontière. " * 10).encode("cp1252"), "t")
    assert "arrivé à Gao, près" in text and not decoding.startswith("utf-8")


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-le", "utf-32-be"])
def test_row20_utf32_with_a_byte_order_mark_keeps_its_text(codec):
    bom = {"utf-32": b"", "utf-32-le": b"\xff\xfe\x00\x00", "utf-32-be": b"\x00\x00\xfe\xff"}[codec]
    raw = bom + "Russia delivered 12 T-72B3 tanks to Gao, Mali, près de la frontière.".encode(codec)
    document = _clean(raw)
    assert document.text == "Russia delivered 12 T-72B3 tanks to Gao, Mali, près de la frontière."
    assert document.decoding == "utf-32"


@pytest.mark.parametrize("disguised", ["\u03a4-72B3", "T-72B3\ufe0f", "T-72\u3164B3", "T-7\u180e2B3",
                                       "\u0422-72\u0392\u0033", "T\u200d-72B3", "T-72B3\U000e0041",
                                       "T-72\u034fB3", "\u03a4-72\u0392\u0033"])
def test_row21_confusable_and_invisible_characters_do_not_hide_a_system(disguised):
    record = extract_text(f"Russia delivered 12 {disguised} tanks to Gao, Mali on 3 January 2025.")
    systems = [e for e in record["entities"] if e["kind"] == "equipment"]
    assert [e["catalog_id"] for e in systems] == ["t-72b3"]
    text = _clean(f"Russia delivered 12 {disguised} tanks.".encode()).text
    for mention in systems[0]["mentions"]:
        assert text[mention["start"]:mention["end"]] == mention["text"]  # offsets into the clean text


def test_row21_folding_keeps_the_length_and_maps_greek_lookalikes():
    for text in ["Τ-72Β3 ΜiG-29 ΚamAZ", "αβγδεζηθικλμνξοπρστυφχψω", "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"]:
        assert len(fold(text)) == len(text)
    assert fold("Τ-72Β3 ΜiG-29 ΚamAZ") == "t-72b3 mig-29 kamaz"


def test_row21_rtl_override_in_a_title_is_removed_at_clean():
    document = clean(SourceDocument(raw=b"Russia delivered 12 T-72B3 tanks.", content_type="text/plain",
                                    origin="t", title="Tanks \u202ekaerb\u202c in Gao"))
    assert document.title == "Tanks kaerb in Gao"


@pytest.mark.parametrize("page", [
    "<p>Russia delivered 12 T-72B3 tanks to Gao, Mali.</p>",
    "Russia delivered 12 <b>T-72B3</b> tanks to Gao, Mali.",
    "<html><head><title>x</title><script>var t = 'T-90';</script></head><body><div>Russia delivered 12 "
    "T-72B3 tanks to Gao, Mali.</div><style>p{}</style></body></html>",
])
def test_row22_short_pages_fall_back_to_their_visible_text(page):
    record = extract_text(page, content_type="text/html")
    assert any(e["name"] == "T-72B3" for e in record["entities"])
    assert not any(e["name"] == "T-90" for e in record["entities"])  # script text is never text
    assert "Russia delivered 12 T-72B3 tanks to Gao, Mali." in _clean(page.encode(), "text/html").text


def test_row22_visible_text_drops_hidden_elements_and_survives_deep_nesting():
    text = visible_text("<div>Seen<script>alert(1)</script> here<noscript>x</noscript><p>next</p>"
                        "<svg><text>svg</text></svg><!-- note --> end</div>")
    assert text == "Seen here\nnext\nend"
    deep = "<div>" * 50_000 + "deep" + "</div>" * 50_000
    assert html_to_text(deep)[0] in ("", "deep")


def test_row12_fallback_text_has_no_markup_from_handlers_or_scripts():
    page = ('<p onclick="alert(1)">Russia delivered 12 T-72B3 tanks.<img src=x onerror=alert(1)>'
            '<a href="javascript:alert(1)">link</a><iframe src="http://e.x">framed</iframe></p>')
    text = _clean(page.encode(), "text/html").text
    assert "alert" not in text and "<" not in text and "framed" not in text
    assert "Russia delivered 12 T-72B3 tanks." in text


def test_row12_raw_text_inside_an_iframe_never_reaches_the_text():
    """Found by the HTML property test: the parser keeps an <iframe>'s content as raw text, so
    "<script>" inside one came out of trafilatura as literal text of the report."""
    body = "<script>alert(1)</script> Russia delivered 12 T-72B3 to Gao on 3 January 2025."
    page = f"<p onclick='alert(1)'>{body}<iframe src='http://x'>{body}</iframe> tail</p>"
    text = _clean(page.encode(), "text/html").text
    assert "<script" not in text and "alert" not in text
    assert text.count("Russia delivered 12 T-72B3") == 1 and text.endswith("tail")


def test_row22_a_feed_entry_that_trafilatura_empties_keeps_its_visible_text():
    from orbat.acquire.feeds import read_feed
    from orbat.settings import Settings

    feed = (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
            b"<item><title>Tanks</title><guid>1</guid><description>&lt;p&gt;Russia delivered 12 "
            b"&lt;b&gt;T-72B3&lt;/b&gt; tanks to Gao, Mali.&lt;/p&gt;</description></item></channel></rss>")
    entries = [d for d in read_feed(feed, "feed.xml", Settings()) if isinstance(d, SourceDocument)]
    assert len(entries) == 1 and entries[0].content_type == "text/html"
    document = clean(entries[0])
    assert document.text == "Russia delivered 12 T-72B3 tanks to Gao, Mali."
