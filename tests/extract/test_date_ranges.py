"""Ranges and lists of days as written in reports, read without a parse (`extract/dates.py`).

A range gives its first day with the last as `value_end`, and the last day again on its own
span; days without a year take it from the publication (and are marked relative); a range that
crosses New Year starts in the year before; a list of days gives each day once.
"""

from __future__ import annotations

from orbat.extract.dates import find_dates


def found(text: str, published: str | None) -> list[tuple[str, str | None, str, bool]]:
    return [(d.value, d.value_end, d.span.text, d.relative) for d in find_dates(text, published)]


def test_a_range_without_a_year_takes_the_year_of_the_publication():
    assert found("Drills ran from 3 to 5 February near Gao.", "2025-02-10") == [
        ("2025-02-03", "2025-02-05", "from 3 to 5 February", True),
        ("2025-02-05", None, "5 February", True),
    ]


def test_a_range_with_its_year_is_not_relative():
    assert found("Drills ran from 3 to 5 February 2024 near Gao.", "2025-02-10") == [
        ("2024-02-03", "2024-02-05", "from 3 to 5 February 2024", False),
        ("2024-02-05", None, "5 February 2024", False),
    ]


def test_a_range_over_new_year_starts_in_the_year_before():
    assert found("Patrols ran from 28 December to 3 January.", "2025-01-10") == [
        ("2024-12-28", "2025-01-03", "from 28 December to 3 January", True),
        ("2025-01-03", None, "3 January", True),
    ]
    assert found("Patrols ran from 28 December 2024 to 3 January 2025.", "2025-06-10")[0][:2] == (
        "2024-12-28", "2025-01-03")


def test_a_range_in_a_sentence_about_the_future_looks_ahead():
    assert found("Patrols will run from 3 to 5 March.", "2025-02-21")[0][:2] == ("2025-03-03", "2025-03-05")
    assert found("Patrols ran from 3 to 5 March.", "2025-02-21")[0][:2] == ("2024-03-03", "2024-03-05")


def test_between_two_days_is_a_range_and_two_days_joined_by_and_are_a_list():
    assert found("Patrols ran between 7 and 8 January.", "2025-01-21") == [
        ("2025-01-07", "2025-01-08", "between 7 and 8 January", True),
        ("2025-01-08", None, "8 January", True),
    ]
    assert found("Patrols ran on 5, 6 and 8 January.", "2025-01-21") == [
        ("2025-01-05", None, "5", True), ("2025-01-06", None, "6", True), ("2025-01-08", None, "8 January", True),
    ]
    assert found("Patrols ran on 7 and 8 January 2024.", "2025-01-21") == [
        ("2024-01-07", None, "7", False), ("2024-01-08", None, "8 January 2024", False),
    ]


def test_a_range_that_ends_before_it_starts_is_no_range():
    """"from 12 to 10 February" is a slip, not a year-long range: no day is given a year it does not have."""
    assert all(value_end is None for _, value_end, _, _ in found("Patrols ran from 12 to 10 February.", "2025-02-21"))


def test_a_list_with_a_day_the_month_lacks_gives_no_day():
    assert found("Patrols ran on 30 and 31 February.", "2025-03-21") == []


def test_a_range_keeps_each_year_it_writes():
    dates = find_dates("Patrols ran from 3 March 2023 to 5 April 2025.", "2025-03-12")
    assert [(d.value, d.value_end, d.precision, d.relative) for d in dates] == [
        ("2023-03-03", "2025-04-05", "day", False), ("2025-04-05", None, "day", False)]


def test_a_year_written_only_after_the_first_day_is_the_year_of_both():
    assert found("Patrols ran from 3 March 2023 to 5 April.", "2025-03-12") == [
        ("2023-03-03", "2023-04-05", "from 3 March 2023 to 5 April", False),
        ("2023-04-05", None, "5 April", False),
    ]


def test_the_last_day_of_a_month_first_range_starts_at_its_month():
    assert found("Patrols ran from March 3 to April 5, 2024.", "2025-03-12") == [
        ("2024-03-03", "2024-04-05", "from March 3 to April 5, 2024", False),
        ("2024-04-05", None, "April 5, 2024", False),
    ]


def test_a_range_without_from_starts_at_its_first_day():
    assert found("Drills ran 3-5 February near Gao.", "2025-03-12") == [
        ("2025-02-03", "2025-02-05", "3-5 February", True), ("2025-02-05", None, "5 February", True)]


def test_a_range_takes_its_year_from_its_last_day():
    # 14 March is after the publication day: the range is the year before
    assert found("Drills ran 3 to 14 March near Gao.", "2025-03-12")[0][:2] == ("2024-03-03", "2024-03-14")


def test_no_range_from_an_impossible_day_a_day_to_itself_or_the_verb_may():
    assert found("Patrols ran from 29 February to 3 March 2025.", "2025-03-12") == [
        ("2025-03-03", None, "3 March 2025", False)]
    assert found("Patrols ran from 3 to 3 March.", "2025-03-12") == [("2025-03-03", None, "3 March", True)]
    assert found("Patrols ran from 3 to 5 may.", "2025-03-12") == []
