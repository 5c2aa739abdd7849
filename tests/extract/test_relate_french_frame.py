"""French reports written by others (issue 8): a small region named in the text helps place its
towns, a headline with no place is told where the lead places the story, and the base aircraft
take off from is their origin. Texts written for the test."""

from __future__ import annotations

from tests.extract.helpers import claims_about, extract_text


def _country(record: dict, entity_id: str | None) -> str | None:
    return next((e.get("country") for e in record["entities"] if e["id"] == entity_id), None)


def test_a_small_region_named_in_the_text_places_an_ambiguous_town():
    record = extract_text(
        "Le 3 mai, les chars Leclerc du groupement ont tiré au camp de Tapa. L'Alliance maintient "
        "des forces dans les pays baltes.", "2023-05-10")
    leclerc = claims_about(record, "AMX-56 Leclerc")
    assert leclerc
    assert {_country(record, c["place"]) for c in leclerc} == {"EE"}


def test_a_headline_with_no_place_takes_the_leads_place_not_the_most_named_country():
    record = extract_text(
        "Séance de tir pour les chars Leclerc\n\n"
        "Le 3 mai, les chars Leclerc du groupement ont tiré au camp de Tapa, en Estonie. "
        "La Pologne accueille aussi des troupes alliées, et la Pologne en accueillera davantage.", "2023-05-10")
    headline = [c for c in claims_about(record, "AMX-56 Leclerc") if c["sentence"]["text"].startswith("Séance")]
    assert headline
    assert {_country(record, c["place"]) for c in headline} == {"EE"}


def test_the_base_aircraft_take_off_from_is_their_origin():
    record = extract_text(
        "Le 12 mars, deux Rafale de la base aérienne projetée de N'Djamena ont décollé pour appuyer "
        "une patrouille attaquée près de Ménaka.", "2021-03-15")
    rafale = claims_about(record, "Rafale")
    assert rafale
    assert {(_country(record, c["place"]), _country(record, c["origin"])) for c in rafale} == {("ML", "TD")}
