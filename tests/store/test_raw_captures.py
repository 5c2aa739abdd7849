"""What was fetched is kept byte for byte, whatever cleaning did to read it (RELIABILITY rows 12 and 20).

Cleaning strips markup and repairs encodings so extraction can read the text; an analyst checking a
claim later must still see exactly what the source sent. Real files, real ingest, real SQLite store.
"""

from __future__ import annotations

from orbat.ingest import ingest
from orbat.settings import Settings
from orbat.store import open_store

HOSTILE_PAGE = (
    b"<html><head><script>window.pwned=1</script><style>p{x:expression(alert(1))}</style></head><body>"
    b'<article><p onclick="alert(2)">Russia delivered seven T-72B3 tanks to Bamako, Mali on 17 January '
    b'2025.</p><svg onload="alert(3)"></svg><iframe src="javascript:alert(4)"></iframe>'
    b'<p><a href="javascript:alert(5)">more</a> about the convoy, which was filmed by residents of the '
    b"capital as it crossed the river on the main bridge.</p></article></body></html>"
)
# Valid UTF-8 with one pasted cp1252 quotation and a stray byte that is nothing at all.
MIS_ENCODED = (
    "Des chars T-72B3 sont arrivés à Bamako le 17 janvier 2025.\n" * 4
).encode() + b"Une citation \x93mal cod\xe9e\x94 ici \xff.\n"


def _ingest(tmp_path, name: str, raw: bytes):
    path = tmp_path / name
    path.write_bytes(raw)
    store = open_store(str(tmp_path / "orbat.db"))
    summary = ingest([str(path)], store, Settings())
    assert (summary.new, summary.failed) == (1, 0)
    (info,) = [d for d in store.documents() if d.origin.endswith(name)]
    return store, info.id


def test_row12_hostile_html_is_stored_raw_and_its_text_has_no_markup(tmp_path):
    store, document_id = _ingest(tmp_path, "page.html", HOSTILE_PAGE)
    with store:
        assert store.capture(document_id) == HOSTILE_PAGE  # the capture is untouched
        text = store.document(document_id).text
    assert "T-72B3" in text and "Bamako" in text
    for markup in ("<", "onclick", "onload", "javascript:", "expression(", "pwned"):
        assert markup not in text, markup


def test_row20_mis_encoded_bytes_are_stored_raw_and_the_decoding_is_recorded(tmp_path):
    store, document_id = _ingest(tmp_path, "note.txt", MIS_ENCODED)
    with store:
        assert store.capture(document_id) == MIS_ENCODED
        decoding = store.record(document_id)["document"]["decoding"]
        text = store.document(document_id).text
    assert decoding != "utf-8" and "utf-8" in decoding  # read as UTF-8 with a fallback, and that is on record
    assert "arrivés à Bamako" in text  # the UTF-8 lines stay UTF-8
    assert "\ufffd" in text or "“mal codée”" in text  # the bad line is marked or repaired, never dropped
