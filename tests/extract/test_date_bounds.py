"""Dates in text and the publication anchor stay inside the value bounds (RELIABILITY row 23).

"1 January 9999" was read as 1 January of the publication year, and "last Tuesday" in a
report "published" 9999-12-31 landed in that year; neither may happen.
"""

from __future__ import annotations

import pytest

from orbat.extract.dates import find_dates, parse_anchor


def _values(text: str, published: str | None) -> list[str]:
    return [d.value for d in find_dates(text, published)]


@pytest.mark.parametrize("text", ["It happened on 1 January 9999.", "They came on January 1, 9999, by rail.",
                                  "on 31 February 2024", "on 1 January 0001"])
def test_row23_impossible_dates_in_text_are_no_dates(text):
    assert _values(text, "2025-01-21") == []


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01", "1899-12-31", "2025-02-30", "yesterday"])
def test_row23_relative_dates_never_anchor_on_an_invalid_publication_date(published):
    assert parse_anchor(published) is None
    assert _values("The tanks arrived last Tuesday, and more came yesterday.", published) == []


def test_row23_real_dates_and_planned_years_stay():
    text = ("On 3 March 1500 soldiers arrived; the tanks came on 17 January 2025, "
            "and 64 more will follow between 2028 and 2030.")
    assert _values(text, "2025-05-01") == ["2025-03-03", "2025-01-17", "2028", "2030"]
    assert _values("The tanks arrived yesterday.", "2025-01-21") == ["2025-01-20"]
