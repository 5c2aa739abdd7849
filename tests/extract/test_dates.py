"""Dates are anchored on the publication date and keep the precision the text gives."""

from orbat.extract.dates import find_dates


def values(text: str, published: str | None = "2025-01-21") -> list[tuple[str, str]]:
    return [(d.value, d.precision) for d in find_dates(text, published)]


def test_day_without_year_looks_back_from_publication():
    assert values("In his address on January 19, the colonel spoke.") == [("2025-01-19", "day")]
    assert values("Images from December 30 showed the convoy.") == [("2024-12-30", "day")]


def test_month_and_year_stay_month_precision():
    assert values("Satellite images taken in October 2024 revealed it.") == [("2024-10", "month")]
    assert values("The base grew in early March.", "2025-06-02") == [("2025-03", "month")]


def test_full_dates_in_several_spellings():
    assert values("On January 17, 2025, images were broadcast.") == [("2025-01-17", "day")]
    assert values("21 Jan, 2025 - 9:03") == [("2025-01-21", "day")]
    assert values("le 17 janvier 2025 à Bamako") == [("2025-01-17", "day")]
    assert values("released 2024-11-05 by the ministry") == [("2024-11-05", "day")]


def test_designations_times_and_markings_are_not_dates():
    assert values("T-72 tanks, Kamaz 4385 trucks and the inscription H2200 at 9:03") == []


def test_impossible_and_unanchored_dates_are_dropped():
    assert values("on 31 February 2024") == []
    assert values("It happened yesterday.", None) == []


def test_relative_dates_resolve_against_publication_not_today():
    assert values("The ministry said on Tuesday that the jets had landed.", "2025-01-23") == [("2025-01-21", "day")]
    assert values("It arrived yesterday.", "2025-03-01") == [("2025-02-28", "day")]
    assert values("Deliveries began last month.", "2025-01-10") == [("2024-12", "month")]


def test_may_the_verb_is_not_may_the_month():
    assert values("The vehicles may have come from Syria.") == []
    assert values("They arrived in May 2024.") == [("2024-05", "month")]


def test_the_past_day_of_a_strike_report_is_the_day_it_was_issued():
    assert values("In the past 24 hours, forces destroyed two radars.", "2024-09-06") == [("2024-09-06", "day")]
    assert values("Au cours des 24 dernières heures, deux radars ont été détruits.", "2024-09-06") == [
        ("2024-09-06", "day")
    ]
    assert values("Over the past 24 hours of fighting", None) == []
