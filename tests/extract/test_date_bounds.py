"""Dates in text and the publication anchor stay inside the value bounds (RELIABILITY row 23).

"1 January 9999" was read as 1 January of the publication year, and "last Tuesday" in a
report "published" 9999-12-31 landed in that year; neither may happen.
"""

from __future__ import annotations

import re

import pytest

from orbat.extract.dates import find_dates, parse_anchor


def _values(text: str, published: str | None) -> list[str]:
    return [d.value for d in find_dates(text, published)]


@pytest.mark.parametrize(
    "text",
    [
        "It happened on 1 January 9999.",
        "They came on January 1, 9999, by rail.",
        "on 31 February 2024",
        "on 1 January 0001",
    ],
)
def test_row23_impossible_dates_in_text_are_no_dates(text):
    assert _values(text, "2025-01-21") == []


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01", "1899-12-31", "2025-02-30", "yesterday"])
def test_row23_relative_dates_never_anchor_on_an_invalid_publication_date(published):
    assert parse_anchor(published) is None
    assert _values("The tanks arrived last Tuesday, and more came yesterday.", published) == []


def test_row23_real_dates_and_planned_years_stay():
    text = (
        "On 3 March 1500 soldiers arrived; the tanks came on 17 January 2025, "
        "and 64 more will follow between 2028 and 2030."
    )
    assert _values(text, "2025-05-01") == ["2025-03-03", "2025-01-17", "2028", "2030"]
    assert _values("The tanks arrived yesterday.", "2025-01-21") == ["2025-01-20"]


@pytest.mark.parametrize(
    ("text", "language", "value", "alternative"),
    [
        ("The convoy was filmed on 02-03-2024 near the base.", "en", "2024-02-03", "2024-03-02"),
        ("Le convoi a été filmé le 02-03-2024 près de la base.", "fr", "2024-03-02", "2024-02-03"),
        ("The convoy was filmed on 4/11/2023 near the base.", "en", "2023-04-11", "2023-11-04"),
        ("Le convoi a été filmé le 4.11.2023 près de la base.", "fr", "2023-11-04", "2023-04-11"),
    ],
)
def test_row23_numeric_dates_whose_day_and_month_could_swap_are_flagged(text, language, value, alternative):
    """ "02-03-2024" is 3 February to an American and 2 March to a French reader: the language's
    reading is kept, and the other one is carried with it instead of being dropped silently."""
    [mention] = find_dates(text, "2025-01-21", language=language)
    assert (mention.value, mention.precision, mention.alternative) == (value, "day", alternative)
    assert mention.to_json()["alternative"] == alternative
    assert mention.span.text == re.search(r"\d[\d./-]+\d", text).group(0)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The convoy was filmed on 26-12-2023 near the base.", "2023-12-26"),  # 26 cannot be a month
        ("The convoy was filmed on 12/26/2023 near the base.", "2023-12-26"),
        ("The convoy was filmed on 03.03.2024 near the base.", "2024-03-03"),  # both readings agree
    ],
)
def test_row23_numeric_dates_only_one_reading_allows_carry_no_flag(text, value):
    [mention] = find_dates(text, "2025-01-21", language="en")
    assert (mention.value, mention.alternative) == (value, None)
    assert "alternative" not in mention.to_json()


def test_row23_impossible_numeric_dates_are_no_dates_in_either_order():
    assert _values("The convoy was filmed on 31-31-2024 and on 00-05-2024.", "2025-01-21") == []
