"""Merge's small rules on their own: dates at any precision, distances, the window's edge, successions."""

from __future__ import annotations

from datetime import date

import pytest
from tests.knowledge.test_merge import GAO, fact, merged

from orbat.merge import _km, merge, parse_day
from orbat.model import ClaimActorFact


@pytest.mark.parametrize(("value", "expected"), [
    ("2025", date(2025, 1, 1)), ("2024-10", date(2024, 10, 1)), ("2025-01-17", date(2025, 1, 17)),
    ("2025-01-17T09:03:00", date(2025, 1, 17)), (None, None), ("", None), ("2025-13", None),
    ("2025-02-30", None), ("soon", None),
])
def test_a_date_at_any_precision_starts_on_its_first_day(value, expected):
    assert parse_day(value) == expected


def test_distances_on_the_sphere():
    assert _km((0.0, 0.0), (0.0, 1.0)) == pytest.approx(111.19, abs=0.01)  # a degree of longitude at the equator
    assert _km((0.0, 0.0), (1.0, 0.0)) == pytest.approx(111.19, abs=0.01)  # a degree of latitude
    assert _km((60.0, 0.0), (60.0, 1.0)) == pytest.approx(55.60, abs=0.01)  # shrinks with the cosine
    assert _km((0.0, 0.0), (0.0, 180.0)) == pytest.approx(20015.09, abs=0.1)  # half the circumference
    assert _km((12.6392, -8.0029), (16.2717, -0.0447)) == pytest.approx(947.1, abs=0.5)  # Bamako-Gao, law of cosines


def test_the_window_includes_its_last_day():
    assert len(merged([fact(1, "A", "2025-01-01"), fact(2, "B", "2025-02-15")])) == 1  # 45 days apart
    assert len(merged([fact(1, "A", "2025-01-01"), fact(2, "B", "2025-02-16")])) == 2  # 46 days apart
    assert len(merge([fact(1, "A", "2025-01-01"), fact(2, "B", "2025-01-21")], window_days=19)) == 2


def test_a_vague_claim_dated_outside_the_window_stays_apart():
    located = fact(1, "A", "2025-01-01")
    country_only = fact(2, "B", "2025-03-01", place={"place_name": "Mali", "place_country": "ML",
                                                      "place_feature": "country"})
    assert len(merged([located, country_only])) == 2
    country_only.date = "2025-01-20"
    assert len(merged([located, country_only])) == 1


def test_undated_and_dated_claims_at_two_places_stay_apart():
    undated = fact(2, "B", None, published=None, place=GAO)
    assert len(merged([fact(1, "A", "2025-01-01"), undated])) == 2


def test_successions_come_from_the_catalog_by_default():
    wagner = fact(1, "A", actors=[ClaimActorFact("Wagner Group", "wagner-group", "operator")])
    (obs,) = merge([wagner])
    assert [(a.name, a.reported_as) for a in obs.actors] == [("Africa Corps", ["Wagner Group"])]
