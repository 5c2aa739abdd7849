"""Ingest: acquire → extract → save per source, reporting each, never stopping the batch."""

from __future__ import annotations

import json

from storefactory import corpus_text, fake_extract

from orbat.ingest import IngestResult, ingest
from orbat.model import SourceDocument
from orbat.settings import Settings
from orbat.store import open_store


def _write_corpus(path, lines) -> str:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return str(path)


def _flaky_extract(source, settings):
    if b"Report 3:" in source.raw:
        raise RuntimeError("extractor bug on report 3")
    return fake_extract(source, settings)


def test_ingest_reports_every_source_and_goes_on(db_url, tmp_path):
    lines = [{"id": n, "url": f"https://example.org/r/{n}", "publisher": "Example", "text": corpus_text(n)}
             for n in range(6)]
    lines += ["{not json", {"id": "no-text"},
              {"id": "dup", "url": "https://example.org/r/0?utm_source=feed", "text": corpus_text(0)}]
    corpus = _write_corpus(tmp_path / "corpus.jsonl", lines)
    seen: list[IngestResult] = []
    with open_store(db_url) as store:
        summary = ingest([corpus, str(tmp_path / "missing.txt")], store, Settings(), on_result=seen.append,
                         extract=_flaky_extract)
        assert (summary.new, summary.duplicate, summary.failed, summary.total) == (5, 1, 4, 10)
        assert len(seen) == 10 and summary.claims == 10
        reasons = {r.origin: r.reason for r in summary.failures}
        assert reasons[f"{corpus}:4"] == "RuntimeError: extractor bug on report 3"
        assert "bad-json" in reasons[f"{corpus}:7"] and "text" in reasons[f"{corpus}:8"]
        assert "not-found" in reasons[str(tmp_path / "missing.txt")]
        assert store.stats().documents == 5

        again = ingest([corpus], store, Settings(), extract=fake_extract)  # report 3 now extracts
        assert (again.new, again.duplicate, again.failed) == (1, 6, 2)
        stats = store.stats()
        assert (stats.documents, stats.claims, stats.sightings) == (6, 12, 7)


def test_ingest_uses_the_local_readers_for_plain_files(tmp_path):
    note = tmp_path / "note.md"
    front = "---\ntitle: Field note\nurl: https://example.org/note?utm_medium=x\n---\n"
    note.write_text(front + corpus_text(1))
    with open_store(str(tmp_path / "orbat.db")) as store:
        summary = ingest([str(note)], store, Settings(), extract=fake_extract)
        assert (summary.new, summary.failed) == (1, 0)
        [doc] = store.documents()
        assert (doc.title, doc.canonical_url) == ("Field note", "https://example.org/note")


_REFUSE_REPORT_3 = {
    "sqlite": ["CREATE TRIGGER refuse_report_3 BEFORE INSERT ON claims WHEN NEW.sentence LIKE '%Report 3:%' "
               "BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END"],
    "postgresql": ["CREATE FUNCTION refuse_report_3() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   "IF NEW.sentence LIKE '%Report 3:%' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF; "
                   "RETURN NEW; END $$",
                   "CREATE TRIGGER refuse_report_3 BEFORE INSERT ON claims FOR EACH ROW "
                   "EXECUTE FUNCTION refuse_report_3()"],
}


def test_a_document_the_database_refuses_fails_alone_and_the_rest_of_its_batch_is_stored(db_url, tmp_path):
    """Documents share a transaction; a refused claim must take back its own document only."""
    from sqlalchemy import text

    lines = [{"id": n, "url": f"https://example.org/r/{n}", "publisher": "Example", "text": corpus_text(n)}
             for n in range(6)]
    corpus = _write_corpus(tmp_path / "corpus.jsonl", lines)
    with open_store(db_url) as store:
        with store.engine.begin() as conn:
            for statement in _REFUSE_REPORT_3[store.backend]:
                conn.execute(text(statement))
        summary = ingest([corpus], store, Settings(), extract=fake_extract)
        assert (summary.new, summary.failed) == (5, 1)
        [failure] = summary.failures
        assert failure.origin == f"{corpus}:4" and "refused by the test trigger" in (failure.reason or "")
        assert [e["origin"] for e in store.ingest_errors()] == [f"{corpus}:4"]
        stats = store.stats()
        # report 3's document row went in before its claim was refused: it must be gone too
        assert (stats.documents, stats.runs, stats.claims, stats.sightings) == (5, 5, 10, 5)

        with store.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER refuse_report_3" + (" ON claims" if store.backend == "postgresql" else "")))
        again = ingest([corpus], store, Settings(), extract=fake_extract)
        assert (again.new, again.duplicate, again.failed) == (1, 5, 0)
        assert (store.stats().documents, store.stats().claims) == (6, 12)


def test_a_batch_larger_than_one_insert_is_stored_whole_and_in_order(tmp_path, monkeypatch):
    # SQLite inserts a batch's rows in slices (a 5 MB report's 43,000 claims in one executemany held
    # every encoded row at once); slices of 2 rows here, so every table spans several
    from orbat.store import bulk

    monkeypatch.setattr(bulk, "EXECUTEMANY_ROWS", 2)
    lines = [{"id": n, "url": f"https://example.org/s/{n}", "text": corpus_text(n)} for n in range(5)]
    corpus = _write_corpus(tmp_path / "corpus.jsonl", lines)
    with open_store(str(tmp_path / "orbat.db")) as store:
        summary = ingest([corpus], store, Settings(), extract=fake_extract)
        assert (summary.new, summary.failed) == (5, 0)
        stats = store.stats()
        assert (stats.documents, stats.claims) == (5, summary.claims) and summary.claims >= 5
        # each document's claims read back as extracted, in their order
        for document in store.documents():
            source = SourceDocument(raw=store.capture(document.id), content_type="text/plain", origin="again")
            assert store.record(document.id)["claims"] == [c.to_json() for c in fake_extract(source).claims]
