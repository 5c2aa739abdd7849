"""Error kinds found on reports written by others (issue 8), each on a short text written for the
test, in English and French: infobox-style lists, period lines, kinds of things named like events."""

from __future__ import annotations

from tests.extract.helpers import claims_about, extract_text

from orbat.extract.quantities import quantity_before


def _country(record: dict, entity_id: str | None) -> str | None:
    return next((e.get("country") for e in record["entities"] if e["id"] == entity_id), None)


def _count(claim: dict) -> tuple[int | None, int | None] | None:
    quantity = claim["equipment"][0].get("quantity") or {}
    return (quantity.get("min"), quantity.get("max")) if quantity else None


def test_a_french_count_before_the_category_noun_counts_the_designation():
    for text, name, count in (
        ("12 avions Rafale", "Rafale", 12),
        ("quatre chars Leclerc", "Leclerc", 4),
        ("2 hélicoptères de type Caracal", "Caracal", 2),
    ):
        quantity = quantity_before(text, text.index(name))
        assert quantity is not None and quantity.min == quantity.max == count
    assert quantity_before("pendant 3 semaines Rafale", len("pendant 3 semaines ")) is None


def test_a_verbless_list_of_counted_systems_states_their_presence_in_each_language():
    french = extract_text("Moyens engagés\n7 avions Rafale\n2 avions Atlantique 2\n(mars 2016)\n", "2016-05-01")
    rafale = claims_about(french, "Rafale")
    assert rafale and rafale[0]["event"] == "deployment" and _count(rafale[0]) == (7, 7)
    english = extract_text("Forces committed\n7 Rafale aircraft\n2 Atlantique 2 aircraft\n(March 2016)\n", "2016-05-01")
    rafale = claims_about(english, "Rafale")
    assert rafale and rafale[0]["event"] == "deployment" and _count(rafale[0]) == (7, 7)


def test_a_period_line_dates_the_list_above_it():
    record = extract_text(
        "Moyens engagés\n5 avions Mirage 2000D\n1 avion Atlantique 2\n"
        "(12 janvier 2016 - 3 mars 2016)\n6 avions Rafale\n(en octobre 2017)\n",
        "2018-01-01",
    )
    assert {c["date"] for c in claims_about(record, "Mirage 2000D")} == {"2016-01-12"}
    assert {c["date"] for c in claims_about(record, "Rafale")} == {"2017-10"}
    english = extract_text("Assets\n4 Rafale aircraft\n(from 12 January 2016 to 3 March 2016)\n", "2018-01-01")
    assert {c["date"] for c in claims_about(english, "Rafale")} == {"2016-01-12"}


def test_an_attack_submarine_is_a_kind_of_boat_not_a_fight():
    record = extract_text("Moyens engagés\n1 sous-marin nucléaire d'attaque\n2 frégates\n", "2016-05-01")
    assert not any(c["event"] == "combat" for c in record["claims"])
    record = extract_text("Deux hélicoptères d'attaque Tigre ont été déployés à Gao le 3 mai 2019.", "2019-05-04")
    assert {c["event"] for c in record["claims"]} == {"deployment"}


def test_the_adversary_a_force_faces_is_not_where_it_deploys():
    record = extract_text(
        "La France a déployé deux batteries SAMP/T en Roumanie le 4 mars 2023, face à la Russie.", "2023-03-05"
    )
    claims = [c for c in record["claims"] if c["event"] == "deployment"]
    assert claims and {_country(record, c["place"]) for c in claims} == {"RO"}
    record = extract_text(
        "Britain deployed four Typhoon jets to Romania on 4 March 2023 in the face of Russia.", "2023-03-05"
    )
    claims = [c for c in record["claims"] if c["event"] == "deployment"]
    assert claims and {_country(record, c["place"]) for c in claims} == {"RO"}
