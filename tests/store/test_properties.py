"""Property tests (Hypothesis, fixed seed: see the profile in tests/conftest.py) over what enters
the knowledge base: records checked by `orbat.validate`, fuzzed corpus rows through the real
pipeline into a store, and fuzzed reviews through the API.

Properties: stored dates are ISO and inside 1900-01-01 … today + 1 year, coordinates are finite
and in range, counts within 0 … 10^7, vocabularies hold, and stats, posture and timeline still
answer after the fuzzed input. Names carry the RELIABILITY.md row (`row18`, `row23`, `row27`).
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from storefactory import make_record

from orbat import validate
from orbat.model import Claim, ClaimActor, ClaimEquipment, ExtractionRecord, Quantity, SourceDocument
from orbat.observation_index import ensure_fresh
from orbat.query import posture, stats, timeline
from orbat.store import open_store

# --- strategies ------------------------------------------------------------------------------

years = st.integers(0, 9999)
iso_dates = st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", years, st.integers(0, 13), st.integers(0, 32))
date_texts = st.one_of(iso_dates, st.builds(lambda y: f"{y:04d}", years), st.sampled_from(
    ["yesterday", "banana", "", "2025-1-7", "31/01/2025", "2025-01-17T09:03:00Z", "9999-12-31", "0001-01-01"]),
    st.text(max_size=12))
counts = st.one_of(st.integers(-10, 100), st.integers(-(10**25), 10**25), st.just(2**63 - 1), st.none())
coordinates = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                        st.floats(-200, 200), st.integers(-1000, 1000))
events = st.one_of(st.sampled_from(sorted(validate.EVENTS)), st.text(max_size=20))
certainties = st.one_of(st.sampled_from(sorted(validate.CERTAINTIES)), st.text(max_size=12))
roles = st.one_of(st.sampled_from(sorted(validate.ROLES)), st.text(max_size=12))


@st.composite
def hostile_records(draw) -> ExtractionRecord:
    """The example Mali record with every checked value replaced by a drawn one."""
    record = make_record()
    record.document.published = draw(st.one_of(st.none(), date_texts))
    for entity in record.entities:
        if entity.kind == "place":
            entity.lat, entity.lon = draw(coordinates), draw(coordinates)
    sentence = record.claims[0].sentence
    extra = draw(st.lists(st.builds(
        lambda event, certainty, role, day, low, high: Claim(
            event, sentence, equipment=[ClaimEquipment("e1", Quantity(low, high))], actors=[ClaimActor("e5", role)],
            place="e3", date=day, date_precision="day", certainty=certainty),
        events, certainties, roles, st.one_of(st.none(), date_texts), counts, counts), max_size=3))
    record.claims.extend(extra)
    for claim in record.claims[:2]:
        claim.date = draw(st.one_of(st.none(), date_texts))
        for ref in claim.equipment:
            ref.quantity = Quantity(draw(counts), draw(counts))
    return record


def _assert_in_bounds(record: ExtractionRecord) -> None:
    """Every value `orbat.validate` bounds, in a record as it would be stored."""
    assert record.document.published is None or validate.date_problem(record.document.published) is None
    assert all(validate.mention_problem(d.value) is None for d in record.dates)
    for entity in record.entities:
        assert validate.coordinates_problem(entity.lat, entity.lon) is None
        assert entity.lat is None or (math.isfinite(entity.lat) and -90 <= entity.lat <= 90)
    for claim in record.claims:
        assert claim.event in validate.EVENTS and claim.certainty in validate.CERTAINTIES
        assert all(a.role in validate.ROLES for a in claim.actors)
        assert claim.date is None or validate.date_problem(claim.date) is None
        for ref in [*claim.equipment, *claim.classes]:
            for value in (ref.quantity.min, ref.quantity.max) if ref.quantity else ():
                assert value is None or 0 <= value <= validate.QUANTITY_MAX


# --- properties ------------------------------------------------------------------------------


@given(hostile_records())
def test_row18_row23_property_checked_records_hold_only_values_in_bounds(record):
    validate.check_record(record)
    _assert_in_bounds(record)
    assert validate.check_record(record) == []  # nothing left to drop


SYSTEMS = ["T-72B3", "BMP-3", "BTR-82A", "Su-24", "Mi-24P"]
PLACES = ["Bamako", "Gao", "Timbuktu", "Air Base 101"]
count_words = st.one_of(st.integers(0, 10**25).map(str), st.sampled_from(
    ["seven", "at least five", "over 50", "a dozen", "9223372036854775807", "99999999999999999999999",
     "1,000,000,000", "between 3 and 10**9"]))
text_dates = st.one_of(
    st.builds(lambda d, m, y: f"on {d} {m} {y}", st.integers(0, 40), st.sampled_from(
        ["January", "February", "March", "December"]), years),
    st.builds(lambda y: f"in {y}", years), iso_dates.map(lambda d: f"on {d}"),
    st.sampled_from(["last Tuesday", "yesterday", "last month", "early March", "on 31 February 2024", ""]))


@st.composite
def corpus_rows(draw) -> SourceDocument:
    text = (f"Russia delivered {draw(count_words)} {draw(st.sampled_from(SYSTEMS))} tanks to "
            f"{draw(st.sampled_from(PLACES))}, Mali {draw(text_dates)}. "
            f"{draw(st.text(max_size=40))}")
    return SourceDocument(raw=text.encode("utf-8", "replace"), content_type="text/plain", origin="fuzz",
                          published=draw(st.one_of(st.none(), date_texts)))


class _FuzzStore:
    """One SQLite store for all examples of a property (a fixture would be re-used silently)."""

    def __init__(self) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="orbat-fuzz-")
        self.store = open_store(str(Path(self.folder.name) / "fuzz.db"))

    def close(self) -> None:
        self.store.close()
        self.folder.cleanup()


def test_row23_property_fuzzed_corpus_rows_store_in_bounds_and_queries_answer():
    from orbat.pipeline import extract_source

    fuzz = _FuzzStore()
    saved = []

    @settings(max_examples=2000)  # the whole pipeline and a save per example: ~20 s
    @given(corpus_rows())
    def ingest_one(source):
        record = extract_source(source)
        _assert_in_bounds(record)
        saved.append(fuzz.store.save(record).status)

    try:
        ingest_one()
        assert saved.count("new") >= 100
        store = fuzz.store
        ensure_fresh(store)
        assert stats(store).documents == saved.count("new")
        assert posture(store, "ML")
        for row in timeline(store):
            assert validate.date_problem(row.first_seen) is None
        for fact in store.facts():
            assert fact.date is None or validate.date_problem(fact.date) is None
            assert all(q is None or 0 <= q <= validate.QUANTITY_MAX for q in (fact.quantity_min, fact.quantity_max))
    finally:
        fuzz.close()


review_values = st.one_of(st.none(), st.booleans(), counts, st.floats(allow_nan=False, allow_infinity=False),
                          date_texts, st.sampled_from(sorted(validate.EVENTS | validate.CERTAINTIES)),
                          st.text(max_size=30), st.lists(st.integers(), max_size=2))
review_fields = st.dictionaries(st.one_of(st.sampled_from(
    ["event", "certainty", "date", "attributed_to", "quantity_min", "quantity_max"]), st.text(max_size=10)),
    review_values, max_size=4)
review_bodies = st.fixed_dictionaries(
    {"action": st.one_of(st.sampled_from(["accept", "reject", "correct"]), st.text(max_size=10))},
    optional={"fields": review_fields, "comment": st.one_of(st.none(), st.text(max_size=50))})


def test_row27_property_fuzzed_reviews_are_201_or_422_and_stored_ones_are_in_bounds():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
    from api_factory import auth, client, token

    fuzz = _FuzzStore()
    db = str(Path(fuzz.folder.name) / "fuzz.db")
    plain = token(db, "analyst", "fuzzer")
    c = client(db)
    body = {"text": "Russia delivered 12 T-72B3 tanks to Gao, Mali on 3 January 2025.", "published": "2025-01-04"}
    assert c.post("/api/documents", json=body, headers=auth(plain)).status_code == 201
    claim_id = c.get("/api/claims", params={"limit": 1}).json()["claims"][0]["id"]
    statuses = []

    @settings(max_examples=2000)  # each accepted review merges the observations again: ~30 s
    @given(review_bodies)
    def review(payload):
        answer = c.post(f"/api/claims/{claim_id}/reviews", json=payload, headers=auth(plain))
        assert answer.status_code in (201, 422), answer.text
        statuses.append(answer.status_code)
        if answer.status_code == 201:
            fields = answer.json()["fields"]
            assert set(fields) <= {"event", "certainty", "date", "attributed_to", "quantity_min", "quantity_max"}
            assert validate.date_problem(fields.get("date") or "2025") is None
            assert all(validate.quantity_problem(fields.get(k)) is None for k in ("quantity_min", "quantity_max"))
            assert "event" not in fields or fields["event"] in validate.EVENTS  # never cleared
            assert "certainty" not in fields or fields["certainty"] in validate.CERTAINTIES
        assert c.get("/api/posture/ML").status_code == 200

    try:
        review()
        assert statuses.count(201) >= 20 and statuses.count(422) >= 100
        assert c.get("/api/timeline").status_code == 200
    finally:
        fuzz.store.close()
        fuzz.folder.cleanup()
