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
    actors = _actors(
        "Chadian air force crews received two light attack aircraft on Monday. The Chadian air "
        "force will fly them from N'Djamena, and the air force of the Chadian army trains with them."
    )
    forces = [e for e in actors.values() if e["country"] == "TD" and "air force" in e["name"].lower()]
    assert len(forces) == 1, forces
    assert len(forces[0]["mentions"]) == 2


def test_a_state_force_in_the_catalog_is_found_by_its_noun():
    actors = _actors("L'armée malienne a repoussé une attaque près de Boulkessi.")
    assert any(e["catalog_id"] == "fama" for e in actors.values())


def test_ranks_alone_are_not_people():
    actors = _actors(
        "The Chief of Army Staff, Lieutenant General Musa Bello, said Air Commodore Tunde Bakare would lead the review."
    )
    assert "Lieutenant General" not in actors and "Air Commodore" not in actors
    assert "Musa Bello" in actors


def test_credit_lines_and_abbreviated_ranks_name_people():
    actors = _actors(
        "HARBOUR DRILL  03.14.2024  Video by Sgt. LaTonya Reeves and Maj. Owen Falk  12th Signal Brigade\n\n"
        "Photo by Petty Officer 2nd Class Corinne Vasquez\n\n"
        "Spc. Chad Morrow, from Tulsa, said the crane lifts went smoothly."
    )
    assert {"LaTonya Reeves", "Owen Falk", "Corinne Vasquez", "Chad Morrow"} <= set(actors)
    assert all(actors[n]["type"] == "person" for n in ("LaTonya Reeves", "Chad Morrow"))
    assert "Chad" not in actors  # the first name is not the state


def test_a_warship_named_by_prefix_is_a_unit():
    actors = _actors(
        "HMS Dauntless will sail for the Gulf in May, and the USS Nimitz Carrier Strike Group "
        "remains in the Arabian Sea."
    )
    assert actors["HMS Dauntless"]["type"] == "unit"
    assert "USS Nimitz Carrier Strike Group" in actors


def test_recogniser_names_that_are_places_are_not_people():
    actors = _actors(
        "The regiment flies from Kyurdamir Air Base, and a second squadron sits at Baku Kala Air Base. "
        "Le repli s'est fait autour des villes de Mossoul et d’Alq Qaim, a dit Sophie Lemaire."
    )
    assert not {"Kyurdamir Air Base", "Baku Kala", "Alq Qaim"} & set(actors)


def test_french_capital_after_de_is_where_not_who():
    actors = _actors("Deux Mirage 2000D de la base aérienne projetée de Niamey ont décollé sur alerte.")
    assert not any(e["catalog_id"] == "state-ne" for e in actors.values())


def test_french_agent_of_an_aggression_acts():
    actors = _actors("En réaction à l’agression militaire de la Russie contre la Géorgie, la mission fut créée.")
    assert any(e["catalog_id"] == "state-ru" for e in actors.values())


def test_coordinated_demonyms_and_a_country_name_before_government():
    actors = _actors(
        "The Finnish and Swedish governments are donating two patrol boats, and the Palau "
        "government agreed to host the exercise."
    )
    assert actors["Finnish government"]["country"] == "FI"
    assert actors["Swedish government"]["country"] == "SE"
    assert actors["Palau government"]["country"] == "PW"


def test_french_units_in_lower_case_by_acronym_and_in_pairs():
    actors = _actors(
        "Le groupement tactique désert (GTD) a reçu le renfort des 2e et 5e régiments de dragons. "
        "Un hélicoptère de la gendarmerie a été touché. Les Britanniques ont envoyé des sapeurs."
    )
    assert {"groupement tactique désert", "2e régiment de dragons", "5e régiment de dragons"} <= set(actors)
    assert "gendarmerie" in actors
    assert actors["Britanniques"]["country"] == "GB"


def test_a_body_ends_at_its_possessive_and_keeps_its_general_staff():
    actors = _actors(
        "The work was done through the Joint Boundary Commission’s careful efforts. The General Staff of "
        "the Armed Forces said on Monday that two depots were hit."
    )
    assert "Joint Boundary Commission" in actors
    assert "General Staff of the Armed Forces" in actors


def test_a_catalog_person_inside_a_place_name_is_the_place():
    actors = _actors("La relève s'est faite sur la base aérienne d’Al Assad en Irak.")
    assert not any(e["catalog_id"] == "bashar-al-assad" for e in actors.values())


def test_an_acronym_plural_in_capitals_is_another_acronym():
    actors = _actors("APS are sets of equipment stored ahead of need in Kuwait.")
    assert "Associated Press" not in actors


def test_a_national_military_before_a_preposition_is_the_force():
    actors = _actors(
        "The equipment went from the depot to the Ukrainian military to help defend Kharkiv, "
        "and a British Army soldier guarded the convoy."
    )
    assert any(e["catalog_id"] == "ukrainian-armed-forces" for e in actors.values())
    assert "British Army" in actors


def test_an_acronym_for_a_programme_or_a_place_and_a_seat_of_government_are_not_actors():
    actors = _actors(
        "The agency announced a Foreign Military Sales (FMS) case and a Memorandum of Understanding (MOU). "
        "Crews trained at the Northern Training Area (NTA). At the White House, the two leaders met."
    )
    assert not {"Foreign Military Sales", "Memorandum of Understanding", "Northern Training Area"} & set(actors)
    assert "United States government" not in actors
