"""Extraction time grows with the text, never with its square (RELIABILITY row 22).

The issue's reproducer: a 40,000-character capitalised word took 50 s, because a few patterns
tried a match from every capital letter of it and each try ran to the word's end.
"""

from __future__ import annotations

import gc
import importlib.util
import time
from pathlib import Path

import pytest
from tests.extract.helpers import extract_text

from orbat import chunks
from orbat.model import SourceDocument
from orbat.pipeline import DocumentTooSlow, extract_source
from orbat.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
LONG_WORDS = {"capitals": "A" * 40_000, "capitalised": "A" + "b" * 40_000, "camel": "Ab" * 20_000,
              "hyphenated": "A-" * 20_000, "apostrophes": "A'" * 20_000, "dots": "." * 40_000,
              "spaced capitals": "A " * 20_000, "digits": "T-" + "7" * 40_000}


@pytest.mark.parametrize("shape", sorted(LONG_WORDS))
def test_row22_a_40000_character_word_extracts_in_seconds(shape):
    started = time.process_time()  # CPU seconds: a shared CI core's waits are not the extractor's
    record = extract_text(f"Russia delivered 12 T-72B3 tanks to Gao, Mali. {LONG_WORDS[shape]} went north.")
    assert time.process_time() - started < 5  # 50 s before the fix; 0.05-1 s after
    assert any(e["name"] == "T-72B3" for e in record["entities"])


def _audit():
    spec = importlib.util.spec_from_file_location("regex_audit", ROOT / "bench" / "regex_audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_row22_no_pattern_in_orbat_grows_faster_than_the_text():
    audit = _audit()
    assert sum(1 for _ in audit.patterns()) > 50  # the audit really sees the extractor's patterns
    assert audit.superlinear(short=1000, long=8000, floor=0.05) == []


def test_row22_the_audit_catches_a_quadratic_pattern(monkeypatch):
    """The audit itself must be able to fail: plant the old DEFINED_ACRONYM shape and look."""
    import re

    import orbat.normalize as target

    monkeypatch.setattr(target, "PLANTED", re.compile(r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){1,7}\s+\("), raising=False)
    found = _audit().superlinear(short=1000, long=8000, floor=0.05)
    assert [name for name, *_ in found] == ["orbat.normalize.PLANTED"]


def test_row22_long_text_is_read_in_pieces_with_offsets_into_the_whole():
    # distinct sentences: a sentence repeated word for word is page noise and gives one claim
    sentence = "On 3 January 2025, Russia delivered {n} T-72B3 tanks to Gao, Mali. "
    count = 2 * chunks.CHUNK_CHARS // len(sentence) + 5
    text = "".join(sentence.format(n=n + 10) + f"Report {n}. " for n in range(count))
    record = extract_source(SourceDocument(raw=text.encode(), content_type="text/plain", origin="long"))
    assert any("read in 3 pieces" in w for w in record.document.warnings)
    assert len(record.claims) == count  # one claim per sentence, none lost or doubled at the cuts
    ids = [e.id for e in record.entities]
    assert len(ids) == len(set(ids)) and sum(e.name == "T-72B3" for e in record.entities) == 1
    for claim in record.claims:
        assert text[claim.sentence.start:claim.sentence.end] == claim.sentence.text
        for ref in [e.entity for e in claim.equipment] + [claim.place]:
            assert record.entity(ref) is not None
    for entity in record.entities:
        assert all(text[m.start:m.end] == m.text for m in entity.mentions)
    assert all(text[d.span.start:d.span.end] == d.span.text for d in record.dates)
    assert gc.get_freeze_count() == 0  # what the pieces froze is back under the collector's care


def test_split_never_cuts_a_sentence_when_there_are_breaks():
    text = "".join(f"Sentence number {i} is here. " for i in range(20_000))
    pieces = list(chunks.split(text, 10_000))
    assert "".join(p for _, p in pieces) == text
    assert all(p.endswith(". ") for _, p in pieces[:-1]) and all(len(p) <= 10_000 for _, p in pieces)
    assert [o for o, _ in pieces] == [sum(len(p) for _, p in pieces[:i]) for i in range(len(pieces))]


def test_row22_document_over_its_time_budget_fails_with_one_clear_line():
    text = "Russia delivered 12 T-72B3 tanks to Gao, Mali. " * 5000
    settings = Settings()
    settings.document_seconds = 0
    with pytest.raises(DocumentTooSlow) as failure:
        extract_source(SourceDocument(raw=text.encode(), content_type="text/plain", origin="big.txt"), settings)
    message = str(failure.value)
    assert message.startswith("big.txt: extraction took longer than the 0 s CPU budget") and "\n" not in message
    assert "ORBAT_DOC_SECONDS" in message


def test_row22_candidates_over_the_parse_budget_take_the_fast_path_with_a_warning(monkeypatch):
    """Parsing is the dearest step; past the budget a sentence still gets its claims, unparsed."""
    from orbat.relate import syntax

    text = ("On 3 January 2025, Russia delivered 12 T-72B3 tanks from Tartus, Syria to Gao, Mali. "
            "On 5 January 2025, Turkey delivered 4 Bayraktar TB2 drones from Ankara to Niamey, Niger.")

    def run() -> tuple[list, list[str], int]:
        parser = syntax.parser("en")
        before = parser.parsed
        record = extract_source(SourceDocument(raw=text.encode(), content_type="text/plain", origin="two.txt"))
        return record.claims, record.document.warnings, parser.parsed - before

    claims, warnings, parsed = run()
    assert parsed == 2 and syntax.OVER_BUDGET not in warnings
    monkeypatch.setattr(syntax, "PARSE_BUDGET", 1)
    budget_claims, budget_warnings, budget_parsed = run()
    assert budget_parsed == 1 and syntax.OVER_BUDGET in budget_warnings
    assert {c.sentence.start for c in budget_claims} == {c.sentence.start for c in claims}
    assert len({c.sentence.start for c in claims}) == 2


def test_row22_one_allowance_of_parses_and_name_windows_per_document_not_per_piece(monkeypatch):
    """A huge text read in pieces must not buy spaCy work per piece: past the document's allowance
    its sentences keep their claims from the fast path, and the name recogniser reads no more
    windows, each with one warning."""
    from orbat import budget
    from orbat.relate import syntax

    real_split = chunks.split
    monkeypatch.setattr(chunks, "split", lambda text: real_split(text, 200))  # one sentence a piece
    towns = [("Tartus", "Gao"), ("Latakia", "Niamey"), ("Homs", "Bamako"), ("Tripoli", "Agadez")]
    text = "\n\n".join(f"On {n + 3} January 2025, Russia delivered {n + 10} T-72B3 tanks from {a}, Syria to {b}, "
                       f"the spokesman Ahmed Diallo said." for n, (a, b) in enumerate(towns))
    windows: list[int] = []
    real_loader = syntax.load_pipeline

    class Counting:  # the recogniser's pipeline, counting the windows it is given
        def __init__(self, nlp):
            self.nlp = nlp

        def pipe(self, texts, **kwargs):
            texts = list(texts)
            windows.append(len(texts))
            return self.nlp.pipe(texts, **kwargs)

    monkeypatch.setattr(syntax, "load_pipeline", lambda language: Counting(real_loader(language)))

    def run() -> tuple[set[int], list[str], int]:
        windows.clear()
        parser = syntax.parser("en")
        before = parser.parsed
        record = extract_source(SourceDocument(raw=text.encode(), content_type="text/plain", origin="long.txt"))
        return {c.sentence.start for c in record.claims}, record.document.warnings, parser.parsed - before

    sentences, warnings, parsed = run()
    assert len(sentences) == 4 and parsed == 4 and sum(windows) == 4
    assert syntax.OVER_BUDGET not in warnings and budget.WINDOWS_SPENT not in warnings
    monkeypatch.setattr(budget, "PARSED_SENTENCES", 2)
    monkeypatch.setattr(budget, "NAME_WINDOWS", 1)
    budget_sentences, budget_warnings, budget_parsed = run()
    assert budget_parsed == 2 and sum(windows) == 1
    assert budget_sentences == sentences  # every sentence still has its claim
    assert budget_warnings.count(syntax.OVER_BUDGET) == 1 and budget_warnings.count(budget.WINDOWS_SPENT) == 1
