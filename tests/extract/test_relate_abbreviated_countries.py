"""An abbreviated country name before a noun ("U.S. Forces", "the U.S. commitment") modifies that
noun and is not where the fact happened (issue 8, kind 1); after a preposition with a function
or time word next ("in the U.S. last week", "to the UK and France") it is still a place. Texts
written for the test."""

from __future__ import annotations

from tests.extract.helpers import claims_about, extract_text


def _country(record: dict, entity_id: str | None) -> str | None:
    return next((e.get("country") for e in record["entities"] if e["id"] == entity_id), None)


def test_an_abbreviated_country_that_modifies_a_noun_is_not_the_place():
    record = extract_text(
        "The last American troops left Niger on Sunday after two C-17 flights from Niamey. The plan "
        "includes a small team of U.S. personnel to ensure the withdrawal of the remaining equipment.",
        "2024-06-20",
    )
    withdrawals = [c for c in record["claims"] if c["event"] == "withdrawal"]
    assert withdrawals
    assert {_country(record, c["place"]) for c in withdrawals} == {"NE"}


def test_an_abbreviated_country_before_a_function_or_time_word_is_still_a_place():
    record = extract_text("Romania sent its old MiG-21 fighters to the U.S. last year. Bulgaria "
                          "flew Su-25 jets to the UK and France in May.", "2024-06-20")
    assert {_country(record, c["place"]) for c in claims_about(record, "MiG-21")} == {"US"}
    assert "GB" in {_country(record, c["place"]) for c in claims_about(record, "Su-25")}
