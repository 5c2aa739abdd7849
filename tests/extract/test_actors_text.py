"""Actors named in running text beyond the catalogs, each on a short report written for the test."""

from tests.extract.helpers import entities, extract_text


def _actors(text: str) -> dict[str, dict]:
    return entities(extract_text(text), "actor")


def test_numbered_units_and_a_battalion_joined_to_its_regiment():
    actors = _actors(
        "Soldiers of the 612th Signal Battalion and the 2nd Battalion, 47th Infantry Regiment "
        "unloaded their vehicles at the port on Tuesday."
    )
    assert {"612th Signal Battalion", "2nd Battalion, 47th Infantry Regiment"} <= set(actors)
    assert actors["612th Signal Battalion"]["type"] == "unit"
    assert actors["612th Signal Battalion"]["catalog_id"] is None
    assert actors["612th Signal Battalion"]["source"] == "pattern"


def test_person_without_title_found_by_the_recogniser_and_named_again_by_surname():
    actors = _actors(
        "Ingrid Halvorsen, who signed the agreement in Oslo, said the first aircraft would arrive "
        "in spring. Halvorsen added that training would start at once."
    )
    person = actors["Ingrid Halvorsen"]
    assert person["type"] == "person" and person["source"] == "ner" and person["catalog_id"] is None
    assert [m["text"] for m in person["mentions"]] == ["Ingrid Halvorsen", "Halvorsen"]


def test_acronym_defined_in_parentheses_points_back_to_its_body():
    actors = _actors(
        "The Joint Logistics Command (JLC) moved the convoy north. Officers of the JLC said the route was clear."
    )
    body = actors["Joint Logistics Command"]
    assert "JLC" in body["aliases"]
    assert sum(m["text"] == "JLC" for m in body["mentions"]) >= 1
    assert not any(name == "JLC" for name in actors)


def test_collective_forces_carry_their_state():
    actors = _actors(
        "Iraqi security forces retook the village after government forces withdrew. "
        "The Government of Denmark later approved the shipment."
    )
    assert actors["Iraqi security forces"]["country"] == "IQ"
    assert actors["Iraqi security forces"]["type"] == "armed_force"
    assert actors["Government of Denmark"]["country"] == "DK"
    assert actors["Government of Denmark"]["type"] == "government"
    assert "government forces" in actors


def test_a_bare_coalition_is_the_coalition_named_before():
    actors = _actors(
        "The international coalition struck a depot near Raqqa. Two days later the coalition "
        "said the strike had destroyed three launchers."
    )
    coalitions = [name for name in actors if "coalition" in name.lower()]
    assert len(coalitions) == 1, coalitions
    assert len(actors[coalitions[0]]["mentions"]) == 2


def test_spelling_variants_reach_the_catalog_entry():
    actors = _actors("Fighters loyal to Da'esh attacked a checkpoint, and Türkiye sent more troops to the border.")
    assert actors["Islamic State"]["catalog_id"] == "islamic-state"
    assert actors["Islamic State"]["source"] == "catalog"
    states = {e["catalog_id"] for e in actors.values()}
    assert "state-tr" in states


def test_adjectival_military_is_not_an_actor():
    actors = _actors("Satellite images show Russian military infrastructure expanding near the airport of Gao.")
    assert not any("military" in name.lower() for name in actors)


def test_french_regiments_and_an_operation():
    actors = _actors(
        "Les soldats du 3e régiment d'artillerie de marine et du 1er régiment étranger de cavalerie "
        "ont rejoint l'opération Tempête dans le nord du pays."
    )
    assert {"3e régiment d'artillerie de marine", "1er régiment étranger de cavalerie"} <= set(actors)
    assert "opération Tempête" in actors


def test_french_collective_forces_with_their_state():
    actors = _actors(
        "Les forces de sécurité maliennes ont repoussé l'attaque, a indiqué le gouvernement "
        "sénégalais dans un communiqué."
    )
    assert actors["forces de sécurité maliennes"]["country"] == "ML"
    assert actors["gouvernement sénégalais"]["country"] == "SN"
    assert actors["gouvernement sénégalais"]["type"] == "government"


def test_french_rank_before_a_first_name_is_a_person():
    actors = _actors(
        "Le capitaine Mathilde, qui commande la compagnie, décrit une mission difficile. "
        "Selon le lieutenant Hugo, les pistes étaient impraticables."
    )
    assert actors["Mathilde"]["type"] == "person"
    assert actors["Hugo"]["type"] == "person"


def test_french_names_in_lower_case_reach_the_catalog():
    actors = _actors("La marine nationale et l'armée de l'air ont mené une frappe conjointe.")
    ids = {e["catalog_id"] for e in actors.values()}
    assert {"french-navy", "french-air-and-space-force"} <= ids


def test_french_person_found_by_the_recogniser():
    actors = _actors("Hélène Marchetti, directrice du centre, a présenté les conclusions du rapport à Lyon.")
    assert actors["Hélène Marchetti"]["type"] == "person"
    assert actors["Hélène Marchetti"]["source"] == "ner"


def test_a_body_that_holds_a_catalog_force_is_a_body_of_its_own():
    actors = _actors("Engineers of the U.S. Army Corps of Engineers inspected the new warehouses at the port.")
    assert "U.S. Army Corps of Engineers" in actors
    assert actors["U.S. Army Corps of Engineers"]["catalog_id"] is None
    assert "United States Army" not in actors


def test_one_national_force_named_twice_is_one_entity():
    actors = _actors("Chadian air force crews received two light attack aircraft on Monday. The Chadian air "
                     "force will fly them from N'Djamena, and the air force of the Chadian army trains with them.")
    forces = [e for e in actors.values() if e["country"] == "TD" and "air force" in e["name"].lower()]
    assert len(forces) == 1, forces
    assert len(forces[0]["mentions"]) == 2


def test_a_state_force_in_the_catalog_is_found_by_its_noun():
    actors = _actors("L'armée malienne a repoussé une attaque près de Boulkessi.")
    assert any(e["catalog_id"] == "fama" for e in actors.values())


def test_ranks_alone_are_not_people():
    actors = _actors("The Chief of Army Staff, Lieutenant General Musa Bello, said Air Commodore Tunde Bakare "
                     "would lead the review.")
    assert "Lieutenant General" not in actors and "Air Commodore" not in actors
    assert "Musa Bello" in actors
