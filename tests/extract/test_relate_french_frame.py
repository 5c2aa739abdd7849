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


def test_a_series_of_strikes_is_a_fight_even_without_a_system():
    record = extract_text(
        "Dans la nuit du 3 au 4 mai, les forces françaises ont mené une série de frappes en Irak contre "
        "les positions de l'ennemi.", "2023-05-10")
    assert {_country(record, c["place"]) for c in record["claims"] if c["event"] == "combat"} == {"IQ"}


def test_an_ambush_is_a_fight_even_without_a_system():
    record = extract_text(
        "Deux soldats de la force ont été tués le 3 mai en Guyane lors d'une mission qui s'est "
        "transformée en embuscade.", "2023-05-10")
    combat = [c for c in record["claims"] if c["event"] == "combat"]
    assert {(_country(record, c["place"]), c["date"]) for c in combat} == {("GF", "2023-05-03")}


def test_the_place_a_raid_sets_out_from_is_its_origin():
    record = extract_text(
        "Le 14 avril, les Rafale ont frappé des sites en Syrie. Ce raid au départ de la France a "
        "mobilisé cinq Rafale et des avions ravitailleurs.", "2023-05-10")
    raid = [c for c in claims_about(record, "Rafale") if c["sentence"]["text"].startswith("Ce raid")]
    assert raid
    assert {(_country(record, c["place"]), _country(record, c["origin"])) for c in raid} == {("SY", "FR")}


def test_the_country_leading_a_battalion_is_not_where_its_systems_are():
    record = extract_text(
        "En réaction à l’agression de la Russie contre l’Ukraine, la France a lancé la mission AIGLE en "
        "Roumanie. Elle est composée d’un Multinational Battlegroup dont la France est nation-cadre, d’un "
        "système de défense sol-air MAMBA et d’un détachement du génie.", "2023-05-10")
    assert "FR" not in {_country(record, c["place"]) for c in claims_about(record, "SAMP/T")}


def test_a_shared_name_keeps_the_system_its_class_noun_chose_in_later_sentences():
    record = extract_text(
        "Le 3 mai, deux hélicoptères de la force, un Tigre et un Cougar, se sont posés à Gao. "
        "Le Cougar du régiment est reparti vers Niamey le lendemain.", "2023-05-10")
    systems = {e["catalog_id"] for e in record["entities"] if e["kind"] == "equipment"}
    assert systems == {"eurocopter-tiger", "as532-cougar"}


def test_a_town_after_ville_de_is_a_place():
    record = extract_text(
        "Le 20 août, les canons CAESAR ont tiré pour libérer la ville de Tal Afar.", "2023-05-10")
    assert {e["country"] for e in record["entities"] if e["kind"] == "place"} == {"IQ"}


def test_strikes_named_again_keep_their_date_for_a_later_raid():
    record = extract_text(
        "Dans la nuit du 13 au 14 avril, les armées françaises ont mené des frappes en Syrie. Ces frappes "
        "répondaient aux attaques chimiques du 7 avril. Pour l'armée de l'Air, ce raid a mobilisé cinq "
        "Rafale.", "2018-04-20")
    raid = [c for c in claims_about(record, "Rafale") if "ce raid" in c["sentence"]["text"]]
    assert raid
    assert {c["date"] for c in raid} == {"2018-04-13"}
