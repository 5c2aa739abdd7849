"""Edges of the date rules (`extract/dates.py`): abbreviated months with a full stop, where a
sentence about the future starts, the night "du 13 au 14" in a short month, the year a day
without one takes from the story or the publication, numeric dates that read both ways, decades.
"""

from __future__ import annotations

from orbat.extract.dates import find_date_expressions, find_dates


def read(text: str, published: str | None = "2025-03-12", language: str | None = None) -> list[tuple[str, str]]:
    return [(d.span.text, d.value) for d in find_dates(text, published, language=language)]


def test_abbreviated_months_with_a_full_stop_are_read():
    assert read("On Feb. 3, 2024 the convoy left, and on Sept. 5, 2024 it came back.") == [
        ("Feb. 3, 2024", "2024-02-03"), ("Sept. 5, 2024", "2024-09-05")]


def test_a_full_stop_after_a_month_name_ends_the_sentence_but_after_an_abbreviation_it_is_kept():
    [d] = find_dates("The convoy left in early March.", "2025-03-12")
    assert (d.span.text, d.span.start, d.span.end) == ("early March", 19, 30)
    [d] = find_dates("The convoy left on 3 Feb. It came back.", "2025-03-12")
    assert (d.span.text, d.span.end, d.value) == ("3 Feb.", 25, "2025-02-03")


def test_only_the_sentence_of_a_date_says_whether_it_looks_ahead():
    assert read("Will patrols run on 3 March? The army said so.") == [("3 March", "2026-03-03")]
    assert read("Plans for Gao\nwill see patrols on 3 March.") == [("3 March", "2026-03-03")]
    assert read("Gao. Patrols will return. Patrols ran on 3 March.") == [("3 March", "2025-03-03")]
    assert read("Gao\nPatrols will return\nPatrols ran on 3 March.") == [("3 March", "2025-03-03")]


def test_a_day_or_month_ahead_is_this_year_unless_it_is_already_past():
    assert read("Patrols will run in March.") == [("March", "2025-03")]
    assert read("Patrols will run on 12 March.") == [("12 March", "2025-03-12")]
    assert read("Patrols will run on 20 March.") == [("20 March", "2025-03-20")]
    assert read("Patrols will run on 11 March.") == [("11 March", "2026-03-11")]
    assert read("The brigade moved in March.", "2025-03-01") == [("March", "2025-03")]


def test_the_night_du_13_au_14_spans_both_days():
    dates = find_dates("Dans la nuit du 13 au 14, vers 02h30, des drones ont frappé Gao.", "2025-03-12",
                       language="fr")
    assert [(d.span.text, d.span.end, d.value, d.value_end) for d in dates] == [
        ("nuit du 13 au 14", 24, "2025-02-13", "2025-02-14"), ("14", 24, "2025-02-14", None)]
    blocked = find_dates("Dans la nuit du 13 au 14, des drones ont frappé Gao.", "2025-03-12", blocked=[(8, 12)],
                         language="fr")
    assert [d.value_end for d in blocked] == [None] * len(blocked)


def test_a_night_whose_second_day_its_month_lacks_is_no_night():
    # published 1 May: the night of the 30th to the 31st is in April, which has no 31st
    assert find_dates("Dans la nuit du 30 au 31, des drones ont frappé Gao.", "2025-05-01", language="fr") == []


def test_a_range_and_a_night_in_one_text_are_both_read():
    text = "Du 3 au 5 mars, des patrouilles; dans la nuit du 8 au 9, des frappes."
    assert [(d.span.text, d.value_end) for d in find_dates(text, "2025-03-12", language="fr")] == [
        ("Du 3 au 5 mars", "2025-03-05"), ("5 mars", None), ("nuit du 8 au 9", "2025-03-09"), ("9", None)]


def test_without_a_publication_date_a_day_takes_its_year_from_the_story():
    assert read("The brigade arrived on 3 March 2024. It left on 5 April.", None) == [
        ("3 March 2024", "2024-03-03"), ("5 April", "2024-04-05")]
    found = find_date_expressions("The brigade arrived on 3 March 2022. On 29 February it left.", None)
    assert [d.span.text for d in found.dates] == ["3 March 2022"]  # 2021 to 2023 have no 29 February
    assert [u.span.text for u in found.unanchored] == ["29 February"]


def test_a_story_date_close_to_publication_leaves_the_year_to_the_publication():
    # 1 September 2024 is within 200 days of publication: 10 March is the last one before it
    assert read("On 1 September 2024 the brigade arrived. On 10 March it left.")[-1] == ("10 March", "2025-03-10")


def test_a_story_date_far_from_publication_gives_the_nearest_year_by_the_day():
    # 31 January 2022 is 160 days before 10 July 2022; 31 January 2023 is 205 days after
    assert read("On 10 July 2022 the brigade arrived. On 31 January it left.")[-1] == ("31 January", "2022-01-31")


def test_a_numeric_date_that_reads_both_ways_says_so():
    dates = find_dates("On 03/12/2024 the convoy left. On 03/13/2024 it came back.", "2025-03-12")
    assert [(d.value, d.alternative) for d in dates] == [("2024-03-12", "2024-12-03"), ("2024-03-13", None)]


def test_a_decade_or_a_rounded_count_is_no_year():
    assert read("Dans les années 1980, la base a été construite.", language="fr") == []
    assert read("Some 2000 were deployed to Gao.") == []


def test_four_digits_after_a_day_are_a_year_from_1900_to_2099_even_before_a_count_noun():
    assert read("On 3 March 1900 soldiers arrived. On 3 March 2099 soldiers arrived.") == [
        ("3 March 1900", "1900-03-03"), ("3 March 2099", "2099-03-03")]
    assert read("On 3 March 2100 soldiers arrived.") == [("3 March", "2025-03-03")]


def test_a_weekday_before_a_date_names_that_date_and_is_no_day_of_its_own():
    assert read("In February the unit moved; on Tuesday, 11 March, drones struck Gao.") == [
        ("February", "2025-02"), ("Tuesday, 11 March", "2025-03-11")]
    assert read("On Tuesday the 11 March drones struck Gao.") == [("Tuesday the 11 March", "2025-03-11")]
    assert read("Le mardi 11 mars, des drones ont frappé Gao.", language="fr") == [("mardi 11 mars", "2025-03-11")]


def test_a_date_in_the_last_year_orbat_accepts_is_read():
    assert read("The treaty runs until 31 December 2100.") == [("31 December 2100", "2100-12-31")]


def test_a_lower_case_abbreviation_that_is_also_a_word_is_no_month():
    assert read("They met on 5 mar. and left.") == []
    assert read("They met on 5 Mar. and left.") == [("5 Mar.", "2025-03-05")]


def test_a_story_date_counts_from_200_days_before_publication():
    # 24 August 2024 is exactly 200 days before 12 March 2025: still close, the publication decides
    assert read("On 24 August 2024 the brigade arrived. On 10 March it left.")[-1] == ("10 March", "2025-03-10")
    assert read("On 23 August 2024 the brigade arrived. On 10 March it left.")[-1] == ("10 March", "2024-03-10")


def test_only_a_day_with_its_year_sets_the_story_year():
    assert read("In March 2020 the brigade formed. On 5 April it moved.") == [
        ("March 2020", "2020-03"), ("5 April", "2024-04-05")]


def test_weekdays_in_a_row_are_each_a_day():
    assert read("Drones struck Gao on Monday, Tuesday and Wednesday.", "2025-03-13") == [
        ("Monday", "2025-03-10"), ("Tuesday", "2025-03-11"), ("Wednesday", "2025-03-12")]


def test_a_day_without_a_year_is_never_after_publication_but_may_be_the_publication_day():
    # The story is dated to June 2023, more than 200 days before publication, so "29 February" takes
    # the year nearest the story: 2022 and 2023 have no 29 February, which leaves 2024 only.
    text = "The brigade reached Gao on 1 June 2023. It left Kidal on 29 February."
    assert read(text, "2024-01-10") == [("1 June 2023", "2023-06-01")]  # 29 February 2024 was still ahead
    assert read(text, "2024-02-29") == [("1 June 2023", "2023-06-01"), ("29 February", "2024-02-29")]
