"""Exports read observations, claims and records together: as many queries for a whole knowledge
base as for a few observations, and the same answers as reading each one alone."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import event

from orbat.export import FORMATS, ExportFilters, export
from orbat.query import details, records, show, timeline
from orbat.store import open_store


def queries_run(store, fmt: str, filters: ExportFilters) -> tuple[int, int]:
    """(SQL statements executed, observations written) by one export."""
    statements = []

    def count(*_args) -> None:
        statements.append(1)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        summary = export(store, fmt, filters, io.BytesIO())
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    return len(statements), summary.observations


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_query_count_does_not_grow_with_the_observations(example_db, fmt):
    with open_store(example_db) as store:
        countries = [row.country for row in timeline(store) if row.country]
        fewest = min(set(countries), key=countries.count)
        export(store, fmt, ExportFilters(), io.BytesIO())  # the index is fresh before counting
        few, few_observations = queries_run(store, fmt, ExportFilters(country=fewest))
        every, all_observations = queries_run(store, fmt, ExportFilters())
    assert all_observations >= few_observations + 20
    # one query per observation would add at least 20 here; route lines and records add a few at most
    assert every <= few + 6, (every, few)


def test_details_of_many_are_those_of_each_alone(example_db):
    with open_store(example_db) as store:
        ids = [row.id for row in timeline(store)][::-1]
        together = details(store, [*ids, "obs-000000000000"])
        alone = [show(store, observation_id) for observation_id in ids]
    assert [d.observation.id for d in together] == ids  # in the order asked, the unknown id left out
    assert together == alone


def test_records_of_many_are_those_of_each_alone(example_db):
    with open_store(example_db) as store:
        ids = [info.id for info in store.documents()]
        together = records(store, [*ids[::-1], "sha256:unknown"])
        assert together == {document_id: store.record(document_id) for document_id in ids}  # unknown left out
