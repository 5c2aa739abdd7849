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


def test_a_footnote_marker_after_the_full_stop_ends_the_sentence():
    record = extract_text("Angola fields 50 T-62 tanks.[4] 120 were ordered from Bulgaria in 1985.[5]", "2019-07-20")
    sentences = {c["sentence"]["text"] for c in claims_about(record, "T-62")}
    assert "Angola fields 50 T-62 tanks.[4]" in sentences


def test_a_sentence_without_its_subject_speaks_of_the_systems_just_named():
    record = extract_text("The army has 50 T-72M1 tanks in service. Delivered from Belarus in 1999.", "2019-07-20")
    deliveries = [c for c in claims_about(record, "T-72M1") if c["event"] == "delivery"]
    assert deliveries and deliveries[0]["date"] == "1999" and _country(record, deliveries[0]["origin"]) == "BY"
    record = extract_text("L'armée dispose de 40 chars T-62 en service. 364 ont été commandés en 1985.", "2019-07-20")
    orders = [c for c in claims_about(record, "T-62") if c["event"] == "order"]
    assert orders and _count(orders[0]) == (364, 364)
    heading = extract_text(
        "The army has 50 T-72M1 tanks in service.\n\nSecurity Assistance\n\nMore news.", "2019-07-20"
    )
    assert not [c for c in claims_about(heading, "T-72M1") if c["event"] == "delivery"]


def test_an_item_of_a_bulleted_inventory_states_presence_even_uncounted():
    record = extract_text(
        "Angolan Army equipment\n\n-   Unknown amounts of ZU-23-2 anti-aircraft guns\n-   Ural-4320 trucks\n",
        "2019-07-20",
    )
    assert {c["event"] for c in claims_about(record, "ZU-23-2")} == {"deployment"}
    record = extract_text("Matériels de l'armée\n\n- Quelques VAB\n- Des camions GBC 180\n", "2019-07-20")
    assert {c["event"] for c in claims_about(record, "VAB")} == {"deployment"}


def test_a_partner_named_with_with_is_not_where_the_fact_happens():
    record = extract_text(
        "Azerbaijan flies MiG-29 jets. Baku is holding talks with Pakistan to purchase JF-17 Thunder aircraft.",
        "2019-07-20",
    )
    orders = [c for c in claims_about(record, "JF-17 Thunder") if c["event"] == "order"]
    assert orders and _country(record, orders[0]["place"]) == "AZ"
    record = extract_text(
        "Le Maroc a signé un contrat avec la France pour 12 hélicoptères Caracal en mars 2020.", "2020-03-20"
    )
    orders = [c for c in record["claims"] if c["event"] == "order"]
    assert orders and {_country(record, c["place"]) for c in orders} == {"MA"}


def test_a_participle_right_after_a_system_is_that_system_s_own_event():
    record = extract_text(
        "The air force uses Su-25 jets, as well as the MiG-29 purchased from Ukraine in 2006.", "2019-07-20"
    )
    assert "order" in {c["event"] for c in claims_about(record, "MiG-29")}
    assert "deployment" in {c["event"] for c in claims_about(record, "Su-25")}


def test_a_later_count_of_the_system_s_head_noun_counts_that_system():
    record = extract_text(
        "The first M142 HIMARS launchers have arrived in Ukraine. Washington pledged four launchers "
        "at the start of the month.",
        "2022-06-24",
    )
    counts = {_count(c) for c in claims_about(record, "M142 HIMARS") if c["event"] == "delivery"}
    assert (4, 4) in counts
    record = extract_text(
        "Les premiers canons CAESAR sont arrivés en Ukraine. Paris a promis six canons supplémentaires.", "2022-06-24"
    )
    counts = {_count(c) for c in claims_about(record, "CAESAR") if c["event"] == "delivery"}
    assert (6, 6) in counts


def _places_of(record: dict, event: str) -> set[str | None]:
    return {_country(record, c["place"]) for c in record["claims"] if c["event"] == event}


def test_an_operation_infobox_place_field_says_where_its_forces_are():
    french = extract_text(
        "Opération Harmattan\n\nLocalisation Drapeau de la Libye Libye\nDrapeau du Tchad Tchad\n"
        "Planifiée par France\nDate 2011\n",
        "2011-10-01",
    )
    assert {"LY", "TD"} <= _places_of(french, "deployment")
    english = extract_text("Operation Ellamy\n\nLocation: Libya and Malta\nCommander Air Marshal\n", "2011-10-01")
    assert {"LY", "MT"} <= _places_of(english, "deployment")
    not_an_operation = extract_text("Libya country profile\n\nLocation: Libya and Malta\n", "2011-10-01")
    assert not not_an_operation["claims"]
    caption = extract_text("Operation Ellamy\n\nLocation of Libya\n", "2011-10-01")
    assert not caption["claims"]


def test_a_footnote_listing_places_spells_out_the_marked_fact():
    french = extract_text(
        "Quatre bataillons multinationaux [1] ont été déployés par l'OTAN en 2017.\n\n"
        "[1] Estonie, Lettonie, Lituanie et Pologne.\n",
        "2018-01-01",
    )
    assert {"EE", "LV", "LT", "PL"} <= _places_of(french, "deployment")
    english = extract_text(
        "Four multinational battlegroups [2] were deployed by NATO in 2017.\n\n"
        "[2] Estonia, Latvia, Lithuania and Poland.\n",
        "2018-01-01",
    )
    assert {"EE", "LV", "LT", "PL"} <= _places_of(english, "deployment")
    unmarked = extract_text(
        "Four multinational battlegroups were deployed by NATO in 2017.\n\n"
        "[2] Estonia, Latvia, Lithuania and Poland.\n",
        "2018-01-01",
    )
    assert "LV" not in _places_of(unmarked, "deployment")


def test_systems_named_in_an_exercise_story_take_part_in_the_exercise():
    french = extract_text(
        "LYNX : Exercice de franchissement pour les blindés\n\n"
        "Le 9 juillet 2019, les soldats ont effectué un exercice à Tapa en Estonie. "
        "Du côté français, un char Leclerc et trois VBCI ont effectué le parcours.",
        "2019-07-29",
    )
    assert {c["event"] for c in claims_about(french, "VBCI")} == {"exercise"}
    english = extract_text(
        "Exercise Spring Storm tests the battlegroup\n\nSoldiers trained near Tapa, Estonia, "
        "on 9 July 2019. On the British side, two Challenger 2 tanks completed the course.",
        "2019-07-29",
    )
    assert {c["event"] for c in claims_about(english, "Challenger 2")} == {"exercise"}
    news = extract_text(
        "Tanks arrive in Estonia\n\nOn the British side, two Challenger 2 tanks reached Tapa.", "2019-07-29"
    )
    assert "exercise" not in {c["event"] for c in claims_about(news, "Challenger 2")}


def test_french_equipped_with_and_firing_sessions_are_read():
    record = extract_text(
        "Dotée du système d'artillerie CAESAR, la Task Force Wagram était en Irak en 2017.", "2017-09-14"
    )
    assert "deployment" in {c["event"] for c in claims_about(record, "CAESAR")}
    record = extract_text(
        "Le 20 juillet 2019, une séance de tir de chars Leclerc a eu lieu à Tapa en Estonie.", "2019-07-30"
    )
    assert "exercise" in {c["event"] for c in claims_about(record, "AMX-56 Leclerc")}


def test_an_article_before_a_category_noun_and_an_acronym_after_a_count_give_counts():
    assert quantity_before("Du côté français, un char Leclerc", len("Du côté français, un ")).min == 1
    assert quantity_before("une frégate Aquitaine", 0) is None  # nothing before it: no article
    record = extract_text(
        "Trois véhicules blindés de combat d'infanterie (VBCI) ont été déployés à Tapa en 2019.", "2019-07-29"
    )
    assert {_count(c) for c in claims_about(record, "VBCI")} == {(3, 3)}
    record = extract_text(
        "Three armoured personnel carriers (VAB) were deployed to Tapa, Estonia, in 2019.", "2019-07-29"
    )
    assert {_count(c) for c in claims_about(record, "VAB")} == {(3, 3)}


def test_an_event_word_after_a_demonstrative_takes_the_date_of_the_last_such_fact():
    french = extract_text(
        "Le 18 avril 2024, un exercice de tir s'est déroulé au camp de Cincu en Roumanie. "
        "Cet exercice a permis à quatre chars Leclerc de tirer.",
        "2024-05-02",
    )
    exercises = [c for c in claims_about(french, "AMX-56 Leclerc") if c["event"] == "exercise"]
    assert exercises and {c["date"] for c in exercises} == {"2024-04-18"}
    english = extract_text(
        "On 18 April 2024 an exercise took place at Cincu, Romania. This exercise let four Leopard 2A4 tanks fire.",
        "2024-05-02",
    )
    exercises = [c for c in claims_about(english, "Leopard 2A4") if c["event"] == "exercise"]
    assert exercises and {c["date"] for c in exercises} == {"2024-04-18"}


def test_a_nominal_event_after_a_determiner_restates_the_story_without_systems():
    record = extract_text(
        "Four Typhoon jets deployed to Romania on 3 May 2025. This deployment demonstrates "
        "the commitment of the United Kingdom.",
        "2025-05-04",
    )
    assert {_country(record, c["place"]) for c in record["claims"] if c["event"] == "deployment"} == {"RO"}
    record = extract_text(
        "Quatre Rafale ont été déployés en Jordanie le 3 mai 2025. Ce déploiement montre l'engagement de la France.",
        "2025-05-04",
    )
    assert {_country(record, c["place"]) for c in record["claims"] if c["event"] == "deployment"} == {"JO"}


def test_a_cue_inside_a_longer_cue_of_another_event_gives_way():
    record = extract_text("The presidential drawdown package sends 12 M777 howitzers to Ukraine.", "2024-01-10")
    events = {c["event"] for c in claims_about(record, "M777")}
    assert "delivery" in events and "withdrawal" not in events
