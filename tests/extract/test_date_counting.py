"""Days counted from the day before them in the text (`extract/dates.py`, `_counted_from_previous`):
"the following day", "the day before", "three days later", "two weeks earlier", and their French
forms. Each is a day of its own, relative, counted from the last day written before it.
"""

from __future__ import annotations

from orbat.extract.dates import find_date_expressions, find_dates


def days(text: str, published: str = "2025-03-12", language: str | None = None) -> list[tuple[str, str]]:
    return [(d.span.text, d.value) for d in find_dates(text, published, language=language) if d.precision == "day"]


def test_the_following_day_and_the_day_before_count_one_day_from_the_last_day_written():
    assert days("The convoy left Mopti on 3 March. The following day it reached Gao.") == [
        ("3 March", "2025-03-03"), ("The following day", "2025-03-04")]
    assert days("The convoy reached Gao on 3 March. The day before, it was in Mopti.") == [
        ("3 March", "2025-03-03"), ("The day before", "2025-03-02")]


def test_a_counted_day_is_relative():
    counted = [d for d in find_dates("The convoy left on 3 March. The following day it reached Gao.", "2025-03-12")
               if d.span.text == "The following day"]
    assert [d.relative for d in counted] == [True]


def test_days_and_weeks_later_or_earlier_count_in_days_or_weeks():
    assert days("The convoy left on 3 March. Three days later it reached Gao.")[-1] == (
        "Three days later", "2025-03-06")
    assert days("The convoy left on 3 March. Two weeks later it reached Gao.")[-1] == (
        "Two weeks later", "2025-03-17")
    assert days("The convoy reached Gao on 3 March. Two weeks earlier it was in Mopti.")[-1] == (
        "Two weeks earlier", "2025-02-17")


def test_a_count_in_digits_is_read_as_its_number():
    text = "The convoy left on 3 March and crossed the river. Then 4 days later it reached Gao."
    assert days(text)[-1] == ("4 days later", "2025-03-07")


def test_french_days_and_weeks_later_or_earlier():
    assert days("Le convoi est parti le 3 mars. Deux semaines plus tard, il est arrivé à Gao.", language="fr")[-1] == (
        "Deux semaines plus tard", "2025-03-17")
    assert days("Le convoi est arrivé le 3 mars. Trois jours plus tôt, il était à Mopti.", language="fr")[-1] == (
        "Trois jours plus tôt", "2025-02-28")


def test_after_a_range_later_days_count_from_its_last_day_and_earlier_ones_from_its_first():
    assert days("The exercise ran from 3 to 5 March. The following day the troops left.")[-1] == (
        "The following day", "2025-03-06")
    assert days("The exercise ran from 3 to 5 March. The day before, the troops arrived.")[-1] == (
        "The day before", "2025-03-02")


def test_a_month_is_no_day_to_count_from():
    found = find_date_expressions("The convoy left in March. The following day it reached Gao.", "2025-03-12")
    assert [d.span.text for d in found.dates] == ["March"]
    assert [(u.span.text, u.kind) for u in found.unanchored] == [("The following day", "following-day")]


def test_every_counted_day_in_a_text_is_read():
    text = "The convoy left on 3 March. The following day it reached Gao. The following day it left again."
    assert days(text) == [
        ("3 March", "2025-03-03"), ("The following day", "2025-03-04"), ("The following day", "2025-03-05")]


def test_a_counted_day_in_a_blocked_span_is_not_read_and_the_next_one_still_is():
    text = "The convoy left on 3 March. The following day it reached Gao. The following day it left again."
    start = text.index("The following")
    assert [d.value for d in find_dates(text, "2025-03-12", blocked=[(start, start + 3)])] == [
        "2025-03-03", "2025-03-04"]


def test_a_date_written_after_a_counted_day_does_not_stop_it_being_read():
    assert days("The convoy left on 3 March. The following day it reached Gao, and it left on 9 March.") == [
        ("3 March", "2025-03-03"), ("The following day", "2025-03-04"), ("9 March", "2025-03-09")]


def test_a_counted_day_with_nothing_before_it_does_not_stop_later_ones():
    text = "The following day it rained. The convoy left on 3 March. The following day it reached Gao."
    found = find_date_expressions(text, "2025-03-12")
    assert [(d.span.text, d.value) for d in found.dates] == [
        ("3 March", "2025-03-03"), ("The following day", "2025-03-04")]
    assert [u.span.text for u in found.unanchored] == ["The following day"]


def test_a_counted_day_past_the_last_accepted_date_does_not_stop_later_ones():
    text = "The treaty ends on 31 December 2100. The following day is unknown. " \
           "The convoy left on 3 March 2025. The following day it reached Gao."
    assert days(text) == [("31 December 2100", "2100-12-31"), ("3 March 2025", "2025-03-03"),
                          ("The following day", "2025-03-04")]


def test_french_days_later_across_a_line_break_and_days_after_count_forward():
    assert days("Les chars sont arrivés le 3 mars. Deux jours plus\ntard, ils ont tiré.", language="fr") == [
        ("3 mars", "2025-03-03"), ("Deux jours plus\ntard", "2025-03-05")]
    assert days("Les chars sont arrivés le 3 mars. Trois jours après, ils ont tiré.", language="fr") == [
        ("3 mars", "2025-03-03"), ("Trois jours après", "2025-03-06")]
    # "trois jours après l'attaque" counts from the attack, which no date here gives
    assert days("Les chars sont arrivés le 3 mars. Trois jours après l'attaque, ils ont tiré.",
                language="fr") == [("3 mars", "2025-03-03")]
