"""Who and where a story's later sentences are about (issue 12's reading of the bundled examples):
a city a convoy reached is not a government, an appositive's own clause names no party to the
fact, and "the armour" means the story's ground vehicles, not the aircraft of the sentence before.
Short texts written for the test."""

from __future__ import annotations

from tests.extract.helpers import extract_text, named


def _actors(claim: dict, record: dict) -> set[tuple[str, str]]:
    return {(named(record, a["entity"]), a["role"]) for a in claim["actors"]}


def _systems(claim: dict, record: dict) -> list[str]:
    return [named(record, e["entity"]) for e in claim["equipment"]]


def test_a_capital_that_a_convoy_reached_is_the_city_not_its_government():
    record = extract_text("Footage confirms that a column of Leopard 2A6 tanks has reached Kyiv.", "2023-03-28")
    claim = record["claims"][0]
    assert named(record, claim["place"]) == "Kyiv"
    assert not {role for _, role in _actors(claim, record)} & {"operator", "recipient", "supplier"}
    # a capital that acts is still its government
    record = extract_text("Kyiv received Leopard 2A6 tanks from Germany on 27 March 2023.", "2023-03-28")
    assert ("Ukraine", "recipient") in _actors(record["claims"][0], record)


def test_an_actor_inside_an_appositive_clause_has_no_part_in_the_fact():
    record = extract_text(
        "Two BTR-80 carriers were filmed in Bangui on 3 March 2024. The vehicles are said to be destined "
        "for the Africa Corps, the Russian force that took over from the Wagner Group.", "2024-03-05")
    destined = [c for c in record["claims"] if "destined" in c["sentence"]["text"]]
    assert destined, record["claims"]
    actors = _actors(destined[0], record)
    assert ("Africa Corps", "recipient") in actors
    assert not any(name == "Wagner Group" for name, _ in actors)
    # the story is in Bangui: a receiving force's home country does not move it to Russia
    assert named(record, destined[0]["place"]) == "Bangui"


def test_the_armour_means_the_storys_ground_vehicles_not_the_aircraft_named_before():
    record = extract_text(
        "Leopard 2A6 tanks from Portugal arrived in Poland on 20 March 2023. Since then, C-17 transports "
        "have flown repeatedly to Rzeszów. Some of the armour was then transported by rail to Ukraine.", "2023-03-28")
    driven = [c for c in record["claims"] if c["sentence"]["text"].startswith("Some of the armour")]
    assert driven and all(_systems(c, record) == ["Leopard 2A6"] for c in driven), record["claims"]
    # "these aircraft" still means the aircraft
    record = extract_text(
        "Leopard 2A6 tanks from Portugal arrived in Poland on 20 March 2023. Two C-17 transports landed "
        "at Rzeszów on 21 March. These aircraft were later deployed to Ramstein Air Base.", "2023-03-28")
    later = [c for c in record["claims"] if c["sentence"]["text"].startswith("These aircraft")]
    assert later and all(_systems(c, record) == ["C-17"] for c in later), record["claims"]


def test_french_equipment_meant_for_an_army_names_that_army_as_recipient():
    record = extract_text("Des canons CAESAR ont été livrés le 3 mars 2023.\n\nSelon plusieurs sources, ces "
                          "équipements seraient destinés aux Forces armées ukrainiennes.", "2023-03-05")
    meant = [c for c in record["claims"] if "destinés" in c["sentence"]["text"]]
    assert meant and meant[0]["certainty"] in {"probable", "possible", "speculative"}, record["claims"]
    assert any(role == "recipient" for _, role in _actors(meant[0], record)), meant[0]


def test_a_capital_naming_a_thing_is_the_city():
    record = extract_text("Two Leopard 2A6 tanks were filmed in Kyiv on 2 May 2024. Analysts say the Kyiv "
                          "convoy was deployed to Kharkiv.", "2024-05-04")
    assert any("Kyiv convoy" in c["sentence"]["text"] for c in record["claims"]), record["claims"]
    assert not any(role == "operator" and name == "Ukraine" for c in record["claims"]
                   for name, role in _actors(c, record)), record["claims"]
