"""Which year a day or month written without one gets (`extract/dates.py`, `_YearSource`).

From the publication: the latest such day on or before it, or on or after it when the sentence
looks ahead. From the story: when the text's own dated days lie more than 200 days before the
publication, the year that puts the day nearest to them. The night "du 13 au 14" is the latest
such night up to the publication.
"""

from __future__ import annotations

import pytest

from orbat.extract.dates import find_dates


def values(text: str, published: str) -> list[str]:
    return [d.value for d in find_dates(text, published)]


@pytest.mark.parametrize(("text", "value"), [
    ("The convoy arrived on 21 January.", "2025-01-21"),  # the day of publication itself
    ("The convoy arrived on 22 January.", "2024-01-22"),
    ("The convoy arrived in January.", "2025-01"),
    ("The convoy will arrive on 21 January.", "2025-01-21"),
    ("The convoy will arrive on 20 January.", "2026-01-20"),
    ("The convoy will arrive in January.", "2025-01"),
])
def test_a_day_without_a_year_is_the_nearest_one_on_the_side_its_sentence_looks_to(text, value):
    assert values(text, "2025-01-21") == [value]


@pytest.mark.parametrize(("text", "later"), [
    ("On 28 December 2022 troops took the port. On 3 January they left.", "2023-01-03"),
    ("On 2 January 2023 troops took the port. On 30 December they had landed.", "2022-12-30"),
    ("On 20 June 2023 troops took the port. On 30 July they left.", "2023-07-30"),
    ("On 20 June 2023 troops took the port. In July they left.", "2023-07"),
    ("On 20 June 2023 troops took the port. On 29 February they left.", "2024-02-29"),  # no 29 February in 2023
])
def test_a_story_told_long_after_gives_its_days_the_year_nearest_its_own_dates(text, later):
    assert values(text, "2024-07-25")[1:] == [later]


@pytest.mark.parametrize(("published", "night"), [("2025-03-20", "2025-03-13"), ("2025-03-13", "2025-02-13")])
def test_a_night_without_a_month_is_the_latest_up_to_the_publication(published, night):
    text = "Dans la nuit du 13 au 14, des drones ont frappé Gao."
    [first, last] = find_dates(text, published)
    assert (first.value, first.value_end, first.precision, first.span.text) == (
        night, night[:8] + "14", "day", "nuit du 13 au 14")
    assert (last.value, last.precision, last.span.text) == (night[:8] + "14", "day", "14")
