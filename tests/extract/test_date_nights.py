"""A night given by its two days ("dans la nuit du 13 au 14", "the night of the 13th to 14th"):
the month and year come from the publication date, and the night is never after publication."""

from __future__ import annotations

import pytest

from orbat.extract.dates import find_date_expressions


def _nights(text: str, published: str | None) -> list[tuple[str, str | None, str]]:
    return [(d.value, d.value_end, d.span.text) for d in find_date_expressions(text, published).dates]


@pytest.mark.parametrize(
    ("published", "first", "last"),
    [
        ("2025-03-20", "2025-03-13", "2025-03-14"),  # earlier this month
        ("2025-03-14", "2025-03-13", "2025-03-14"),  # the morning after
        ("2025-03-13", "2025-02-13", "2025-02-14"),  # not over yet this month: last month's
        ("2025-01-05", "2024-12-13", "2024-12-14"),  # last month is in the previous year
    ],
)
def test_a_night_takes_the_latest_month_it_can_have_happened_in(published, first, last):
    text = "Dans la nuit du 13 au 14, des drones ont frappé Gao."
    assert _nights(text, published) == [(first, last, "nuit du 13 au 14"), (last, None, "14")]
    assert all(d.relative for d in find_date_expressions(text, published).dates)


def test_the_english_night_reads_the_same():
    assert _nights("On the night of the 13th to 14th, drones struck Gao.", "2025-03-20") == [
        ("2025-03-13", "2025-03-14", "night of the 13th to 14th"),
        ("2025-03-14", None, "14th"),
    ]


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("Dans la nuit du 13 au 15, des drones ont frappé Gao.", "2025-03-20"),  # two nights: not one night
        ("Dans la nuit du 13 au 14, des drones ont frappé Gao.", None),  # nothing gives the month
    ],
)
def test_no_night_is_made_up(text, published):
    assert _nights(text, published) == []
