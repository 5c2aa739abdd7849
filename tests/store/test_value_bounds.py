"""Issue 11, data-integrity half: value bounds at the store, database-level immutability, and
databases written before the bounds existed, on SQLite and PostgreSQL.

Test names carry the RELIABILITY.md row they cover (`row18`, `row23`, `row28`, `row30`) or
`issue11` for reproducers that have no row of their own (quantities).
"""

from __future__ import annotations

import logging
import math
from datetime import date

import pytest
from sqlalchemy import func, select, text
from storefactory import TEXT, make_record, simple_record

from orbat import validate
from orbat.model import Claim, ClaimActor, ClaimEquipment, Entity, Quantity, Span
from orbat.observation_index import ensure_fresh
from orbat.query import posture, stats, timeline
from orbat.store import migrate, open_store
from orbat.store.database import _save_rows, _WriteTransaction
from orbat.store.rows import record_rows
from orbat.store.schema import claim_equipment, claims, documents, entities, ingest_errors

TODAY = date(2026, 12, 2)


@pytest.fixture
def store(db_url):
    with open_store(db_url) as opened:
        yield opened


def _queries_answer(store) -> None:
    """What the issue found broken for good: stats, posture and timeline after the bad input."""
    ensure_fresh(store)
    assert stats(store).documents >= 1
    assert posture(store, "ML") is not None
    for row in timeline(store):
        assert row.first_seen is None or validate.parse_iso(row.first_seen) is not None


# --- the rules themselves ---------------------------------------------------------------------


@pytest.mark.parametrize("value, ok", [
    ("2025-01-17", True), ("2025-01", True), ("2025", True), ("1900-01-01", True), ("2027-12-02", True),
    ("2025-01-17T09:03:00+00:00", True), ("2027-12-03", False), ("1899-12-31", False),
    ("9999-12-31", False), ("0001-01-01", False), ("2025-02-30", False), ("yesterday", False),
    ("banana", False), ("", False), ("2025-1-7", False)])
def test_row23_dates_are_bounded_to_1900_and_a_year_ahead(value, ok):
    assert (validate.date_problem(value, TODAY) is None) is ok


@pytest.mark.parametrize("value, ok", [(0, True), (7, True), (10**7, True), (10**7 + 1, False), (-1, False),
                                       (2**63 - 1, False), (10**23, False), (1e30, False), (True, False)])
def test_issue11_quantities_are_bounded_to_ten_million(value, ok):
    assert (validate.quantity_problem(value) is None) is ok


@pytest.mark.parametrize("lat, lon, reason", [
    (12.6, -8.0, None), (None, None, None), (math.nan, 3.0, "finite"), (12.0, math.inf, "finite"),
    (95.0, 12.0, "swapped"), (12.0, 190.0, "outside"), (12.0, None, "only one")])
def test_row18_coordinates_must_be_finite_and_in_range(lat, lon, reason):
    problem = validate.coordinates_problem(lat, lon)
    assert (problem is None) if reason is None else (reason in problem)


# --- records reaching the store ---------------------------------------------------------------


def test_row23_out_of_bounds_dates_are_dropped_with_a_warning_and_queries_answer(store):
    record = make_record()
    record.document.published = record.document.source.published = "9999-12-31"
    record.claims[0].date = "0001-01-01"
    record.claims[1].date = "2025-02-30"
    assert store.save(record).status == "new"
    stored = store.document(record.document.id)
    assert stored.info.published is None
    assert any("9999-12-31" in w and "dropped" in w for w in stored.warnings)
    assert {f.date for f in store.facts()} == {None}
    _queries_answer(store)


def test_issue11_huge_quantities_are_dropped_and_the_document_kept(store):
    record = make_record()
    record.claims[0].equipment[0].quantity = Quantity(10**23, 10**23, False, "99999999999999999999999")
    record.claims[0].equipment[1].quantity = Quantity(2**63 - 1, 2**63 - 1, False, "9223372036854775807")
    result = store.save(record)
    assert (result.status, result.claims) == ("new", 2)
    with store.engine.connect() as conn:
        counts = conn.execute(select(claim_equipment.c.quantity_min, claim_equipment.c.quantity_max)).all()
    assert all(low is None and high is None for low, high in counts)
    assert sum("quantity" in w for w in store.document(record.document.id).warnings) == 2
    _queries_answer(store)


def test_row18_nan_and_out_of_range_coordinates_are_dropped_and_swapped_ones_flagged(store):
    record = make_record()
    bamako, base = (e for e in record.entities if e.kind == "place")
    bamako.lat = math.nan
    base.lat, base.lon = -7.9499 * -1 + 100, 12.5335  # 107.9 is no latitude: the pair looks swapped
    store.save(record)
    with store.engine.connect() as conn:
        points = conn.execute(select(entities.c.lat, entities.c.lon).where(entities.c.kind == "place")).all()
        claim_points = conn.execute(select(claims.c.place_lat, claims.c.place_lon)).all()
    assert set(points) == {(None, None)} and set(claim_points) == {(None, None)}
    warnings = store.document(record.document.id).warnings
    assert any("swapped" in w for w in warnings) and any("finite" in w for w in warnings)


def test_row23_claims_outside_the_vocabularies_are_dropped_with_the_reason(store):
    record = make_record()
    sentence = record.claims[0].sentence
    record.claims.append(Claim("<script>alert(1)</script>", sentence, certainty="reported"))
    record.claims.append(Claim("delivery", sentence, certainty="certain-ish"))
    record.claims.append(Claim("delivery", sentence, actors=[ClaimActor("e5", "overlord")]))
    assert store.save(record).claims == 2
    warnings = store.document(record.document.id).warnings
    assert sum(w.startswith(("claim 3 dropped", "claim 4 dropped", "claim 5 dropped")) for w in warnings) == 3
    with store.engine.connect() as conn:
        assert set(conn.execute(select(claims.c.event)).scalars()) == {"delivery", "construction"}


def test_issue11_checking_a_record_twice_changes_nothing_more():
    record = make_record()
    record.document.published = "yesterday"
    record.claims[0].equipment[0].quantity = Quantity(-3, 5, False, "-3 to 5")
    first = validate.check_record(record)
    assert len(first) == 2 and validate.check_record(record) == []
    assert record.document.warnings.count(first[0]) == 1


# --- database-level immutability (row 28) -----------------------------------------------------

_KEYS = {"claims": "id", "captures": "document_id", "reviews": "id", "extraction_runs": "id",
         "documents": "id", "sightings": "id", "entities": "run_id, id", "claim_equipment": "claim_id, position"}
_CHANGED = {"claims": "certainty", "captures": "content_type", "reviews": "action", "extraction_runs": "catalog",
            "documents": "title", "sightings": "origin", "entities": "name", "claim_equipment": "name"}


def _add_review(store) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO reviews (claim_id, action, fields, reviewer, created) "
                          "SELECT id, 'accept', '{}', 'test', '2026-01-01' FROM claims LIMIT 1"))


@pytest.mark.parametrize("table", list(_KEYS))
def test_row28_insert_or_replace_cannot_rewrite_a_stored_row(store, table):
    store.save(make_record())
    _add_review(store)
    column, keys = _CHANGED[table], _KEYS[table]
    with store.engine.connect() as conn:
        before = conn.execute(text(f"SELECT {column} FROM {table} ORDER BY {keys}")).all()
        names = list(conn.execute(text(f"SELECT * FROM {table} LIMIT 1")).keys())
    values = ", ".join(f"'x' AS {c}" if c == column else c for c in names)
    if store.backend == "sqlite":
        statement = f"INSERT OR REPLACE INTO {table} ({', '.join(names)}) SELECT {values} FROM {table}"
    else:
        statement = (f"INSERT INTO {table} ({', '.join(names)}) SELECT {values} FROM {table} "
                     f"ON CONFLICT ({keys}) DO UPDATE SET {column} = EXCLUDED.{column}")
    with pytest.raises(Exception, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(statement))
    with store.engine.connect() as conn:
        assert conn.execute(text(f"SELECT {column} FROM {table} ORDER BY {keys}")).all() == before


def test_row28_sqlite_upsert_and_replace_by_unique_url_are_refused(tmp_path):
    with open_store(str(tmp_path / "orbat.db")) as store:
        store.save(make_record())
        for statement in (
                "INSERT INTO documents SELECT * FROM documents WHERE true ON CONFLICT (id) DO UPDATE SET title = 'x'",
                "INSERT OR REPLACE INTO documents (id, canonical_url, origin, text, decoding, warnings, created) "
                "SELECT 'sha256:other', canonical_url, origin, 'rewritten', decoding, warnings, created FROM documents",
                "REPLACE INTO claims SELECT * FROM claims"):
            with pytest.raises(Exception, match="append-only"), store.engine.begin() as conn:
                conn.execute(text(statement))
        with store.engine.connect() as conn:
            assert conn.execute(select(documents.c.text)).scalars().all() == [TEXT]


def test_row28_ingest_errors_are_kept_and_cannot_be_rewritten(store):
    assert store.record_error("corpus.jsonl:2", "row-2", "bad-text: unpaired surrogate")
    assert store.ingest_errors()[0]["origin"] == "corpus.jsonl:2"
    with pytest.raises(Exception, match="append-only"), store.engine.begin() as conn:
        conn.execute(text("UPDATE ingest_errors SET error = 'fine'"))
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ingest_errors)).scalar_one() == 1


# --- databases written before the bounds (row 30) --------------------------------------------


def _write_unchecked(engine, record) -> None:
    """What orbat wrote before 0003: the rows of a record, with no bounds applied."""
    with _WriteTransaction(engine) as conn:
        _save_rows(conn, record_rows(record))


def _bricking_records(big: int):
    dated = make_record()  # published 9999-12-31; its claims have no date of their own
    dated.document.published = "9999-12-31"
    for claim in dated.claims:
        claim.date = claim.date_precision = None
    huge = [simple_record(n) for n in (1, 2)]  # two counts near the column's limit in one observation
    for record in huge:
        record.claims[0].equipment[0].quantity = Quantity(big, big)
    undated = simple_record(3)
    undated.document.published = "0001-01-01"
    undated.claims = [Claim("deployment", undated.claims[0].sentence,  # no place: a vague fact
                            equipment=[ClaimEquipment("e1", Quantity(4, 4))])]
    vague_text = "T-72 tanks were seen in Mali."
    vague = make_record(vague_text, url="https://example.org/r/vague",  # family and country only
                        claims=[Claim("deployment", Span(0, len(vague_text), vague_text), place="e2",
                                      equipment=[ClaimEquipment("e1")])])
    vague.entities = [Entity("e1", "equipment", "T-72", [Span(0, 4, "T-72")], catalog_id="t-72",
                             equipment_class="main battle tank", family="T-72"),
                      Entity("e2", "place", "Mali", [Span(23, 27, "Mali")], country="ML", feature="country")]
    vague.document.published = "9999-12-31"
    return [dated, *huge, undated, vague]


def test_row30_upgrading_a_database_with_out_of_range_rows_makes_it_queryable(db_url, caplog):
    with open_store(db_url) as store:
        migrate.downgrade(store.engine, "0002")
        big = 2**63 - 2 if store.backend == "sqlite" else 2**31 - 2  # PostgreSQL INTEGER is 32-bit
        for record in _bricking_records(big):
            _write_unchecked(store.engine, record)
        with store.engine.begin() as conn:  # a review stored before reviews were bounded
            conn.execute(text("INSERT INTO reviews (claim_id, action, fields, reviewer, created) SELECT id, "
                              "'correct', '{\"quantity_min\": 1000000000000000000000000000000, \"date\": \"banana\"}',"
                              " 'old', '2026-01-01' FROM claims WHERE event = 'delivery' LIMIT 1"))
    with caplog.at_level(logging.WARNING), open_store(db_url) as store:
        with store.engine.connect() as conn:
            assert migrate.current_revision(conn) == "0003"
            published = set(conn.execute(select(documents.c.published)).scalars())
            assert {"9999-12-31", "0001-01-01"} <= published  # nothing rewritten
        _queries_answer(store)
        rows = posture(store, "ML")
        assert all(r.quantity_max is None or r.quantity_max <= validate.QUANTITY_MAX for r in rows)
        assert {"T-72B3", "BMP-3"} <= {r.equipment for r in rows}
    assert any("out of bounds" in r.getMessage() for r in caplog.records)
    assert any("stored correction is ignored" in r.getMessage() for r in caplog.records)


def test_row27_a_correction_cannot_clear_a_claims_event_or_certainty():
    """Merge needs both on every claim: a null here once broke every observation refresh."""
    from orbat.errors import InputError
    from orbat.reviews import check_review

    for name in ("event", "certainty"):
        with pytest.raises(InputError, match="cannot be cleared"):
            check_review("correct", {name: None}, None)
    assert check_review("correct", {"date": None}, None) == {"date": None}  # a wrong date may be cleared
