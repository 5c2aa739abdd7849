"""Bad input gets one clear line and a non-zero exit, or a valid empty record; never a traceback.

RELIABILITY rows 12 and 20–24: empty, binary, mis-encoded, huge, hostile HTML, bad JSONL lines.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def orbat(*args: str, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orbat", *args], input=stdin, capture_output=True,
                          env={**os.environ, **(env or {})})


def record_of(run: subprocess.CompletedProcess) -> dict:
    assert run.returncode == 0, run.stderr.decode()
    return json.loads(run.stdout)


def one_line_error(run: subprocess.CompletedProcess, code: int = 2) -> str:
    err = run.stderr.decode().strip()
    assert run.returncode == code, err
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


def test_empty_file_gives_a_valid_empty_record(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    record = record_of(orbat("extract", str(tmp_path / "empty.txt"), "--format", "json"))
    assert record["entities"] == [] and record["claims"] == []
    assert "document has no text" in record["document"]["warnings"]


def test_binary_file_is_refused_naming_the_input(tmp_path: Path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(bytes(range(256)) * 40)
    assert str(path) in one_line_error(orbat("extract", str(path)))


def test_missing_file_and_bad_date(tmp_path: Path):
    assert "no such file" in one_line_error(orbat("extract", str(tmp_path / "nope.txt")))
    assert "not a date" in one_line_error(orbat("extract", "-", "--published", "21/01/2025"), 2)


def test_file_over_the_cap_is_refused_not_truncated(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"T-72B3 tanks arrived in Bamako. " * 2000)
    err = one_line_error(orbat("extract", str(path), env={"ORBAT_MAX_BYTES": "10000"}))
    assert "cap" in err and "ORBAT_MAX_BYTES" in err


def test_mis_encoded_text_is_decoded_and_the_decision_recorded(tmp_path: Path):
    latin = tmp_path / "fr.txt"
    latin.write_bytes("Des chars T-72B3 sont arrivés à Bamako.".encode("cp1252"))
    record = record_of(orbat("extract", str(latin), "--format", "json"))
    assert "cp1252" in record["document"]["decoding"]
    assert "arrivés à" in record["claims"][0]["sentence"]["text"]
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes("Seven T-72B3 tanks arrived in Bamako.".encode("utf-16-le"))
    record = record_of(orbat("extract", str(utf16), "--format", "json"))
    assert record["document"]["decoding"].startswith("utf-16-le")
    assert any(e["name"] == "T-72B3" for e in record["entities"])


def test_hostile_html_yields_text_without_markup(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Convoy</title><script>alert('x')</script><style>p{}</style></head><body>"
                    "<article><p>Seven T-72B3 tanks <b onclick=\"steal()\">arrived</b> in Bamako on January 17, "
                    "2025, local television footage showed.</p><iframe src=\"javascript:alert(1)\"></iframe>"
                    "<svg onload=\"alert(2)\"></svg><p>A second paragraph about BMP-3 vehicles in Gao, Mali, "
                    "seen by residents.</p></article></body></html>", encoding="utf-8")
    run = orbat("extract", str(page), "--format", "json")
    record = record_of(run)
    assert "<" not in run.stdout.decode().replace("\\u003c", "<").split('"entities"')[1]
    assert record["document"]["title"] == "Convoy"
    assert {"T-72B3", "BMP-3"} <= {e["name"] for e in record["entities"]}


def test_deeply_nested_html_gives_no_text_gracefully(tmp_path: Path):
    page = tmp_path / "nested.html"
    page.write_text("<html><body>" + "<div>" * 50_000 + "T-72B3" + "</div>" * 50_000 + "</body></html>")
    run = orbat("extract", str(page), "--format", "json")
    assert run.returncode in (0, 2) and b"Traceback" not in run.stderr


def test_stdin_and_long_line_without_sentence_breaks():
    text = ("T-72B3 tanks were seen in Bamako and " * 5000).encode()
    record = record_of(orbat("extract", "-", "--published", "2025-01-21", "--format", "json", stdin=text))
    assert any(e["name"] == "T-72B3" for e in record["entities"])


def test_jsonl_corpus_keeps_order_and_reports_bad_lines(tmp_path: Path):
    corpus = tmp_path / "docs.jsonl"
    corpus.write_text('{"id": "a", "text": "Seven T-72B3 tanks arrived in Bamako.", "published": "2025-01-20"}\n'
                      "[1, 2]\n"
                      "not json\n"
                      '{"id": "b", "html": "<p>BMP-3 vehicles were seen in Gao, Mali.</p>"}\n'
                      '{"id": "c", "title": "no body"}\n', encoding="utf-8")
    run = orbat("extract", str(corpus), "--format", "jsonl")
    assert run.returncode == 0 and b"3 of 5 lines failed" in run.stderr  # a warning, and the run goes on
    lines = [json.loads(line) for line in run.stdout.decode().splitlines()]
    assert len(lines) == 5
    assert lines[0]["document"]["external_id"] == "a" and lines[3]["document"]["external_id"] == "b"
    assert [("error" in line) for line in lines] == [False, True, True, False, True]
    assert "not a JSON object" in lines[1]["error"] and lines[4]["id"] == "c"
    assert orbat("extract", str(corpus), "--format", "jsonl", "--strict").returncode == 1
    assert "Traceback" not in run.stderr.decode()


def test_zero_width_and_bidi_controls_do_not_hide_a_designation():
    text = "Seven T\u200b-72\u200dB3 tanks arrived in \u202eBamako\u202c.".encode()
    record = record_of(orbat("extract", "-", "--format", "json", stdin=text))
    assert "T-72B3" in {e["name"] for e in record["entities"]}


def test_archives_are_refused_unopened(tmp_path: Path):
    """RELIABILITY row 6: a zip bomb with `../` members is never unpacked; nothing is written."""
    import zipfile

    bomb = tmp_path / "reports.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("../../escaped.txt", b"A" * 20_000_000)
    run = orbat("ingest", str(bomb), "--db", str(tmp_path / "orbat.db"))
    assert run.returncode == 1 and b"archives are not read" in run.stdout + run.stderr
    assert not (tmp_path.parent / "escaped.txt").exists() and not (tmp_path / "escaped.txt").exists()


def test_undated_documents_are_kept_and_flagged(tmp_path: Path):
    """RELIABILITY row 26: an item without a date is kept, marked date_unknown, never dated "now"."""
    note = tmp_path / "note.txt"
    note.write_text("Seven T-72B3 tanks arrived in Bamako yesterday.", encoding="utf-8")
    record = record_of(orbat("extract", str(note), "--format", "json"))
    assert any(w.startswith("date_unknown") for w in record["document"]["warnings"])
    assert record["dates"] == [] and record["claims"]


def test_a_megabyte_list_of_names_in_mixed_scripts_completes():
    """Ten thousand names with zero-width characters and mixed Latin/Cyrillic letters: the actor
    recogniser reads them without a traceback (its time is in bench/name_lists.py)."""
    from orbat.catalog import load_catalogs
    from orbat.extract import extract
    from orbat.model import CleanDocument, SourceDocument
    from orbat.resolve import resolve

    firsts, lasts = ("Anna", "Ілля", "Jean-Luc", "Karim"), ("Ko\u200bvalenko", "al-Farsi", "Dupont", "Pet\u200dров")
    lines = [f"{i}. Captain {firsts[i % 4]} {lasts[i // 4 % 4]}, {i % 900 + 1}th Signal Battalion, "
             f"Directorate of Logistics Planning, reserve list of the year" for i in range(10_000)]
    text = "\n".join(lines)
    assert len(text.encode("utf-8")) > 1_000_000
    source = SourceDocument(raw=text.encode("utf-8"), content_type="text/plain", origin="test")
    extraction = extract(CleanDocument("sha256:names", text, source, language="en"))
    resolution = resolve(extraction, load_catalogs(), None)
    units = {e.name for e in resolution.entities if e.kind == "actor" and e.actor_type == "unit"}
    assert "17th Signal Battalion" in units
    assert all(m.span.text == text[m.span.start:m.span.end] for m in extraction.mentions)
def test_row6_every_kind_of_hostile_archive_is_refused_unopened_and_the_run_goes_on(tmp_path: Path):
    """A KMZ with an absolute path, a zip of thousands of members and a zip renamed .txt: none is
    unpacked, nothing is written beside or outside the folder, and the plain report after them is stored."""
    import zipfile

    folder = tmp_path / "inbox"
    folder.mkdir()
    with zipfile.ZipFile(folder / "sites.kmz", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(str(tmp_path / "absolute.txt"), b"<kml/>" + b" " * 5_000_000)
    with zipfile.ZipFile(folder / "many.zip", "w", zipfile.ZIP_STORED) as archive:
        for n in range(3000):
            archive.writestr(f"member-{n}.txt", b"T-72B3")
    with zipfile.ZipFile(folder / "renamed.txt", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("../renamed-escaped.txt", b"A" * 5_000_000)
    (folder / "report.txt").write_text("Seven T-72B3 tanks arrived in Bamako on 17 January 2025.", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    names = ["sites.kmz", "many.zip", "renamed.txt", "report.txt"]
    run = orbat("ingest", *(str(folder / n) for n in names), "--db", str(tmp_path / "orbat.db"), "--format", "json")
    assert run.returncode == 1 and "3 of 4 sources failed" in run.stderr.decode()  # targets named that failed
    results = {Path(r["origin"]).name: r for r in json.loads(run.stdout)["results"]}
    assert results["report.txt"]["status"] == "new"
    assert {name for name, r in results.items() if r["status"] == "failed"} == {"sites.kmz", "many.zip", "renamed.txt"}
    after = sorted(p.name for p in tmp_path.rglob("*") if not p.name.startswith("orbat.db"))
    assert after == before  # no member was written anywhere
