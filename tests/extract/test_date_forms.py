"""Written forms of dates and the reading each gets (`extract/dates.py`): lists of days sharing a
month, numeric dates in either order, a day or month kept without a value when nothing gives its
year, and relative words ("last night", "next month", "l'année prochaine").
"""

from __future__ import annotations

from orbat.extract.dates import find_date_expressions, find_dates

PUBLISHED = "2025-03-12"


def read(text: str, published: str | None = PUBLISHED, language: str | None = None) -> list[tuple[str, str, str]]:
    return [(d.span.text, d.value, d.precision) for d in find_dates(text, published, language=language)]


def test_a_list_of_days_takes_its_year_from_its_last_day():
    # 20 March comes after the publication day, so the whole list is the year before
    assert read("Convoys ran on 5, 6 and 20 March.") == [
        ("5", "2024-03-05", "day"), ("6", "2024-03-06", "day"), ("20 March", "2024-03-20", "day")]
    assert read("Convoys ran on 5, 6 and 8 March.") == [
        ("5", "2025-03-05", "day"), ("6", "2025-03-06", "day"), ("8 March", "2025-03-08", "day")]


def test_a_list_of_days_in_a_sentence_about_the_future_looks_ahead():
    assert read("Convoys will run on 5 and 6 March.") == [("5", "2026-03-05", "day"), ("6 March", "2026-03-06", "day")]


def test_a_list_of_days_followed_by_a_duration_is_still_a_list():
    assert read("Convoys ran on 5, 6 and 8 March, each for two days.") == [
        ("5", "2025-03-05", "day"), ("6", "2025-03-06", "day"), ("8 March", "2025-03-08", "day")]


def test_a_month_with_its_year_keeps_that_year():
    assert read("In March 2023 the brigade moved to Gao.") == [("March 2023", "2023-03", "month")]


def test_numeric_dates_follow_the_order_the_numbers_allow_else_the_language():
    assert read("On 13/03/2024 the convoy left.") == [("13/03/2024", "2024-03-13", "day")]
    assert read("On 03/02/2024 the convoy left.") == [("03/02/2024", "2024-03-02", "day")]  # English habit by default
    assert read("On 03/02/2024 the convoy left.", language="en") == [("03/02/2024", "2024-03-02", "day")]
    assert read("Le 03/02/2024, le convoi est parti.", language="fr") == [("03/02/2024", "2024-02-03", "day")]
    assert read("Le 11/12/2024, le convoi est parti.", language="fr") == [("11/12/2024", "2024-12-11", "day")]
    assert read("Le 11/13/2024, le convoi est parti.", language="fr") == [("11/13/2024", "2024-11-13", "day")]


def test_without_a_publication_date_a_day_some_year_has_is_kept_without_a_value():
    for text, kept in (("On 3 March the convoy left.", "3 March"), ("On March 3 the convoy left.", "March 3"),
                       ("On 29 February the convoy left.", "29 February"),
                       ("In early March the convoy left.", "early March")):
        found = find_date_expressions(text, None)
        assert found.dates == [], text
        assert [u.span.text for u in found.unanchored] == [kept], text


def test_without_a_publication_date_an_impossible_day_or_the_verb_may_is_not_kept():
    for text in ("On 31 February the convoy left.", "They may 4 times cross the river."):
        found = find_date_expressions(text, None)
        assert found.dates == [] and found.unanchored == [], text


def test_last_night_is_the_day_before_publication():
    assert read("Last night drones struck Gao.") == [("Last night", "2025-03-11", "day")]


def test_next_month_and_next_year_count_forward_in_english_and_french():
    assert read("Next year the base opens, and next month the runway.") == [
        ("Next year", "2026", "year"), ("next month", "2025-04", "month")]
    assert read("L'année prochaine, la base ouvrira; le mois prochain, la piste.", language="fr") == [
        ("L'année prochaine", "2026", "year"), ("le mois prochain", "2025-04", "month")]


def test_a_list_with_an_impossible_or_repeated_day_is_no_list():
    assert read("Convoys ran on 5, 6 and 31 February.") == []
    assert read("Convoys ran on 5, 6 and 6 March.") == [("6 March", "2025-03-06", "day")]


def test_a_french_count_after_a_day_and_month_is_no_year():
    assert read("Le 3 mars 1500 soldats ont rejoint la force.", language="fr") == [("3 mars", "2025-03-03", "day")]


def test_french_ranges_and_lists_of_days_take_the_story_year():
    text = "Le 23 février 2015, le porte-avions arrive. Les 3 et 4 mars, puis du 9 au 11 mars, les Rafale frappent."
    assert [(t, v) for t, v, _ in read(text, "2024-12-02", language="fr")] == [
        ("23 février 2015", "2015-02-23"), ("3", "2015-03-03"), ("4 mars", "2015-03-04"),
        ("du 9 au 11 mars", "2015-03-09"), ("11 mars", "2015-03-11")]
