"""Each date rule on its own: relative words, weekdays, looking back, what is not a year, limits."""

from __future__ import annotations

import pytest

from orbat.extract.dates import find_dates, parse_anchor


def values(text: str, published: str | None = "2025-01-21") -> list[tuple[str, str]]:
    return [(d.value, d.precision) for d in find_dates(text, published)]


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("It landed today.", "2025-03-01", ("2025-03-01", "day")),
    ("Il a atterri hier.", "2025-03-01", ("2025-02-28", "day")),
    ("Il est arrivé aujourd'hui.", "2025-03-01", ("2025-03-01", "day")),
    ("The convoy moved on Monday.", "2025-01-20", ("2025-01-20", "day")),  # a Monday: that very day
    ("The convoy moved on Sunday.", "2025-01-20", ("2025-01-19", "day")),
    ("Le convoi est parti mardi.", "2025-01-20", ("2025-01-14", "day")),
    ("Deliveries began last month.", "2025-03-15", ("2025-02", "month")),
    ("Deliveries began this month.", "2025-03-15", ("2025-03", "month")),
    ("Deliveries began earlier this month.", "2025-03-15", ("2025-03", "month")),
    ("Les livraisons ont commencé le mois dernier.", "2025-01-15", ("2024-12", "month")),
    ("Les livraisons ont commencé ce mois-ci.", "2025-01-15", ("2025-01", "month")),
    ("The base was built last year.", "2025-03-15", ("2024", "year")),
    ("The base was built this year.", "2025-03-15", ("2025", "year")),
    ("La base a été construite l'an dernier.", "2025-03-15", ("2024", "year")),
    ("La base a été construite l'année dernière.", "2025-03-15", ("2024", "year")),
    ("La base a été construite cette année.", "2025-03-15", ("2025", "year")),
])
def test_relative_words_resolve_against_publication(text, published, expected):
    assert values(text, published) == [expected]


def test_relative_words_need_a_publication_date():
    for text in ("It landed today.", "The convoy moved on Monday.", "Deliveries began last month.",
                 "The base was built last year.", "Seen on January 19.", "Seen in early March."):
        assert values(text, None) == [], text


def test_a_date_without_a_year_looks_back_to_the_latest_such_day():
    assert values("Seen on January 21.", "2025-01-21") == [("2025-01-21", "day")]  # publication day itself
    assert values("Seen on January 22.", "2025-01-21") == [("2024-01-22", "day")]  # a day later: last year
    assert values("Seen on December 31.", "2025-01-01") == [("2024-12-31", "day")]
    assert values("Seen in January.", "2025-01-21") == [("2025-01", "month")]  # the month of publication
    assert values("Seen in February.", "2025-01-21") == [("2024-02", "month")]
    assert values("Vu le 3 mars.", "2025-03-02") == [("2024-03-03", "day")]


@pytest.mark.parametrize("text", [
    "Some 2000 troops arrived.", "About 2024 soldiers were there.", "They fielded 1999 vehicles.",
    "The unit lost 2010 tanks.", "The 2015 km route.", "It cost $2025 each.", "It cost €1999.",
    "A batch of 1,2025 rounds.",
])
def test_numbers_that_are_counts_or_prices_are_not_years(text):
    assert values(text) == []


def test_years_are_years():
    assert values("The base opened in 2019.") == [("2019", "year")]
    assert values("Le contrat de 2022 prévoit la livraison.") == [("2022", "year")]


@pytest.mark.parametrize(("text", "expected"), [
    ("On 29 February 2024 it landed.", [("2024-02-29", "day")]),  # a leap year
    ("On 29 February 2023 it landed.", []),
    ("On 31 April 2024 it landed.", []),
    ("released 2024-13-05 by the ministry", []),
    ("released 2024-00-05 by the ministry", []),
    ("released 2024-12-31 by the ministry", [("2024-12-31", "day")]),
    ("released 2024-01-01 by the ministry", [("2024-01-01", "day")]),
    ("On January 1, 1900 it was founded.", [("1900-01-01", "day")]),
    ("On January 1, 2099 it is due.", [("2099-01-01", "day")]),
])
def test_only_real_calendar_days(text, expected):
    assert values(text) == expected


def test_short_month_words_count_only_when_capitalised():
    assert values("The jets may be back in mar 2024.") == [("2024", "year")]
    assert values("The jets were back in Mar 2024.") == [("2024-03", "month")]
    assert values("Seen on Jun. 3, 2024.") == [("2024-06-03", "day")]
    assert values("Seen on jun 3.") == [] and values("Seen on Jun 3.") == [("2024-06-03", "day")]
    assert values("Seen in September 2024.") == [("2024-09", "month")]
    assert values("seen in september 2024.") == [("2024-09", "month")]  # long names need no capital


def test_month_words_far_apart_are_each_found():
    text = "The first jets landed on 3 March 2024. " + "x " * 40 + "More followed on 9 May 2024."
    assert values(text) == [("2024-03-03", "day"), ("2024-05-09", "day")]
    assert values("Flights from 26 to 28 December 2024.")[-1] == ("2024-12-28", "day")


def test_publication_dates_in_any_iso_form():
    assert str(parse_anchor("2025-01-21T09:03:00Z")) == "2025-01-21"
    assert parse_anchor("21/01/2025") is None and parse_anchor("") is None and parse_anchor(None) is None
