"""What `find_date_expressions` hands back besides plain dates (`extract/dates.py`): spans other
mentions already hold are never read again, times, durations and period words keep their own
spans, an impossible date is no date (and no year either), and relative days are marked relative.
"""

from __future__ import annotations

from orbat.extract.dates import find_date_expressions, find_dates

PUBLISHED = "2025-03-12"


def spans(text: str, **kw) -> list[str]:
    return [d.span.text for d in find_dates(text, PUBLISHED, **kw)]


def test_a_blocked_span_is_not_read_as_a_date_and_the_next_date_still_is():
    text = "On 3 March 2024 and on 5 April 2024 convoys left Gao."
    assert spans(text) == ["3 March 2024", "5 April 2024"]
    assert spans(text, blocked=[(3, 15)]) == ["5 April 2024"]
    text = "On 2024-03-03 and on 2024-04-05 convoys left Gao."
    assert spans(text, blocked=[(3, 13)]) == ["2024-04-05"]


def test_times_durations_and_periods_are_kept_whatever_is_blocked_elsewhere():
    text = "Gao: at 0600 hours the convoy left for two days, as it has over the past week."
    whole = find_date_expressions(text, PUBLISHED)
    assert [t.text for t in whole.times] == ["0600 hours"]
    assert [d.text for d in whole.durations] == ["for two days"]
    assert [(u.span.text, u.kind) for u in whole.unanchored] == [("the past week", "period")]
    for blocked in ([(0, 3)], [(len(text) - 1, len(text))]):
        found = find_date_expressions(text, PUBLISHED, blocked=blocked)
        assert [t.text for t in found.times] == ["0600 hours"]
        assert [d.text for d in found.durations] == ["for two days"]
        assert [(u.span.text, u.kind) for u in found.unanchored] == [("the past week", "period")]


def test_a_blocked_time_or_duration_is_not_kept():
    text = "At 0600 hours the convoy left for two days."
    found = find_date_expressions(text, PUBLISHED, blocked=[(3, 13), (30, 42)])
    assert found.times == [] and found.durations == []


def test_a_period_at_the_start_of_a_sentence_keeps_only_its_time_words():
    found = find_date_expressions("Over the past week, drones struck Gao.", PUBLISHED)
    [period] = found.unanchored
    assert (period.span.text, period.span.start, period.span.end, period.kind) == ("the past week", 5, 18, "period")


def test_a_weekday_mention_starts_at_the_weekday():
    [d] = find_dates("The convoy left on Tuesday.", PUBLISHED)
    assert (d.span.text, d.value, d.relative) == ("Tuesday", "2025-03-11", True)


def test_relative_days_are_marked_relative_and_dated_ones_are_not():
    assert [(d.span.text, d.relative) for d in find_dates("Yesterday the convoy left; on 3 March 2024 it came.",
                                                          PUBLISHED)] == [("Yesterday", True), ("3 March 2024", False)]
    assert [(d.span.text, d.relative) for d in find_dates("Hier, le convoi est parti.", PUBLISHED, language="fr")] == [
        ("Hier", True)]


def test_yesterday_before_the_earliest_date_orbat_accepts_is_left_without_a_value():
    found = find_date_expressions("Yesterday the convoy left.", "1900-01-01")
    assert found.dates == []
    assert [(u.span.text, u.kind) for u in found.unanchored] == [("Yesterday", "relative-day")]


def test_an_impossible_written_date_is_no_date_and_its_year_is_not_read_alone():
    for text in ("On 2024-02-31 the convoy left.", "On 31/02/2024 the convoy left.",
                 "On 31 February 2024 the convoy left.", "On February 31, 2024 the convoy left."):
        assert find_dates(text, PUBLISHED) == [], text
    assert spans("On 2024-02-31 and 2024-03-02 convoys left.") == ["2024-03-02"]
    assert spans("On 31/02/2024 and 02/03/2024 convoys left.") == ["02/03/2024"]


def test_a_date_before_the_accepted_years_is_no_date():
    assert find_dates("On 3 March 1850 a fort was built.", PUBLISHED) == []


def test_an_impossible_day_without_a_year_is_not_kept_as_a_day_without_a_year():
    found = find_date_expressions("On 31 February the convoy left.", PUBLISHED)
    assert found.dates == [] and found.unanchored == []


def test_a_month_followed_by_a_count_does_not_stop_later_days_being_read():
    assert spans("In October 12 tanks arrived; on November 5 they left.") == ["October", "November 5"]


def test_four_digits_after_a_day_that_count_soldiers_are_no_year():
    assert [(d.span.text, d.value) for d in find_dates("On March 3 1500 soldiers arrived.", PUBLISHED)] == [
        ("March 3", "2025-03-03")]


def test_a_number_that_is_no_year_does_not_stop_later_years_being_read():
    assert [(d.span.text, d.value) for d in find_dates("Some 2000 troops reached Gao in 2024.", PUBLISHED)] == [
        ("2024", "2024")]
