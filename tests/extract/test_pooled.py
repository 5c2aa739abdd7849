"""Several documents' spaCy calls pooled into one (`orbat.pooled`): the same records, fewer calls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orbat import pooled
from orbat.model import SourceDocument
from orbat.pipeline import extract_source, extract_sources

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


class FakePipeline:
    """Stands in for a spaCy pipeline: each "doc" is its text upper-cased; a text with "bad" in it
    cannot be read, as spaCy sometimes cannot."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def pipe(self, texts, batch_size, disable):
        texts = list(texts)
        self.calls.append(texts)
        if any("bad" in t for t in texts):
            raise ValueError("unreadable")
        return [t.upper() for t in texts]


def _reader(nlp: FakePipeline):
    def read(texts: list[str]) -> list[str] | str:
        try:
            first = pooled.pipe(nlp, texts, disable=["ner"])
            return first + pooled.pipe(nlp, [t + "!" for t in texts], disable=["ner"])  # a second round
        except ValueError:
            return "fallback"
    return read


def test_the_requests_of_several_items_go_to_the_pipeline_together_and_come_back_to_their_owner():
    nlp = FakePipeline()
    items = [["a", "b"], ["c"], [], ["d", "e", "f"]]
    assert list(pooled.imap(_reader(nlp), items)) == [
        ["A", "B", "A!", "B!"], ["C", "C!"], [], ["D", "E", "F", "D!", "E!", "F!"]]
    assert nlp.calls == [["a", "b", "c", "d", "e", "f"], ["a!", "b!", "c!", "d!", "e!", "f!"]]


def test_a_text_the_pipeline_cannot_read_fails_only_its_own_item():
    nlp = FakePipeline()
    assert list(pooled.imap(_reader(nlp), [["a"], ["bad"], ["c"]])) == [["A", "A!"], "fallback", ["C", "C!"]]


def test_an_item_that_raises_raises_at_its_turn_after_the_earlier_results():
    def read(n: int) -> int:
        if n == 2:
            raise KeyError(n)
        return n * 10

    seen = []
    with pytest.raises(KeyError):
        for value in pooled.imap(read, [1, 2, 3], size=3):
            seen.append(value)
    assert seen == [10]


def test_outside_a_pool_a_request_is_a_plain_call():
    nlp = FakePipeline()
    assert pooled.pipe(nlp, ["x"], disable=[]) == ["X"]
    assert nlp.calls == [["x"]]


def test_pooled_extraction_gives_the_same_records_as_one_document_at_a_time():
    paths = sorted(CORPUS.glob("*.txt"))[:4]

    def sources():
        return [SourceDocument(p.read_bytes(), "text/plain", p.name, published=p.stem[-10:]) for p in paths]

    alone = [json.dumps(extract_source(s).to_json(), sort_keys=True) for s in sources()]
    together = [json.dumps(r.to_json(), sort_keys=True) for r in extract_sources(sources(), size=3)]
    assert together == alone
    assert any(json.loads(r)["claims"] for r in alone)


def test_imap_keeps_no_reference_to_a_result_once_handed_over():
    # `orbat ingest` frees a long report's record (hundreds of MB) as soon as its rows are built
    import weakref

    class Result:
        pass

    alive = []
    for result in pooled.imap(lambda n: Result(), range(3), size=3):
        alive.append(weakref.ref(result))
        del result  # no cycle in it: freed at once unless something else holds it
        assert alive[-1]() is None  # nothing but the caller held it
    assert len(alive) == 3
