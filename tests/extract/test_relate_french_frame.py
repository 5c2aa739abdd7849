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


def test_the_french_name_of_the_samp_t_is_the_air_defence_system():
    record = extract_text(
        "La mission a été renforcée en Lituanie. Le régiment y a déployé un système de défense sol-air "
        "MAMBA au printemps.", "2023-05-10")
    systems = {e["catalog_id"] for e in record["entities"] if e["kind"] == "equipment"}
    assert systems == {"samp-t"}
    assert {e["name"] for e in record["entities"] if e["kind"] == "equipment"} == {"SAMP/T"}


def test_a_state_deploying_abroad_is_not_placed_at_home():
    record = extract_text(
        "Des chars Leclerc ont été déployés en Roumanie le 3 mars. La France déploie également un "
        "détachement de défense sol-air Mamba.", "2023-05-10")
    mamba = claims_about(record, "SAMP/T")
    assert mamba
    assert {_country(record, c["place"]) for c in mamba} == {"RO"}


def test_the_place_people_come_from_is_their_origin_not_the_claims_place():
    record = extract_text(
        "Le 2 avril, quatre Rafale se sont posés en Jordanie. Les pilotes de Saint-Dizier y "
        "poursuivent la mission des Rafale par rotation.", "2023-05-10")
    rafale = claims_about(record, "Rafale")
    assert rafale
    assert {_country(record, c["place"]) for c in rafale} == {"JO"}
