"""Dates and designations as people write them in running text, each on a short report of our own.

Dates must exist without a publication date; relative words nothing anchors stay without a value;
times and durations are never dates. Ships named with a pennant or by a French class noun are one
system each; generic systems are classes; "fighters" are people unless aircraft are meant.
"""

from __future__ import annotations

from tests.extract.helpers import entities, extract_text

from orbat.extract.dates import find_date_expressions


def dated(record: dict) -> list[tuple[str, str | None]]:
    return [(d["value"], d.get("value_end")) for d in record["dates"]]


def unanchored(record: dict) -> list[str]:
    return [d["text"] for d in record["unanchored_dates"]]


def classes(record: dict) -> set[str]:
    return set(entities(record, "equipment_class"))


def test_absolute_dates_need_no_publication_date():
    record = extract_text(
        "Talks on the convoy were held March 3-4, 2017 in Gao. On Tuesday, Jan. 10, 2023, the battalion left.",
        published=None,
    )
    assert ("2017-03-03", "2017-03-04") in dated(record)
    assert ("2017-03-04", None) in dated(record)
    assert ("2023-01-10", None) in dated(record)
    assert unanchored(record) == []  # "Tuesday" belongs to the date after it
    tuesday = next(d for d in record["dates"] if d["value"] == "2023-01-10")
    assert tuesday["text"].startswith("Tuesday")


def test_relative_words_without_an_anchor_are_kept_without_a_value():
    record = extract_text(
        "Fighting has gone on for the past eight months. Last week the garrison was relieved, "
        "and the following day the road reopened.",
        published=None,
    )
    assert record["dates"] == []
    assert unanchored(record) == ["the past eight months", "Last week", "the following day"]
    assert all(d["value"] is None for d in record["unanchored_dates"])


def test_a_day_without_a_year_and_nothing_to_give_it_one_is_kept_without_a_value():
    record = extract_text("The convoy left on Jan. 10 and the ministry may confirm it in early March.", published=None)
    assert record["dates"] == []
    assert unanchored(record) == ["Jan. 10", "early March"]


def test_the_following_day_counts_from_the_previous_date():
    record = extract_text(
        "The frigate reached Souda Bay on 14 March 2022. The following day it sailed west, "
        "and two days later it was off Crete.",
        published=None,
    )
    assert [v for v, _ in dated(record)] == ["2022-03-14", "2022-03-15", "2022-03-17"]


def test_le_lendemain_and_french_ranges():
    record = extract_text(
        "Du 20 au 26 juillet 2016, les avions ont réalisé 37 sorties. Le lendemain, ils sont rentrés à Niamey.",
        published=None,
    )
    assert dated(record) == [("2016-07-20", "2016-07-26"), ("2016-07-26", None), ("2016-07-27", None)]


def test_ranges_borrow_the_month_and_year_of_their_last_day():
    record = extract_text(
        "The exercise ran 3-5 Feb. 2019 near Tapa, then (23 février - 18 avril 2015) in Jordan.", published=None
    )
    assert ("2019-02-03", "2019-02-05") in dated(record)
    assert ("2015-02-23", "2015-04-18") in dated(record)


def test_lists_of_days_give_each_day():
    record = extract_text(
        "Les renforts sont arrivés les 22 et 27 août 2016, après les attaques des 7, 8 et 9 janvier 2015.",
        published="2016-09-01",
    )
    assert [v for v, _ in dated(record)] == ["2016-08-22", "2016-08-27", "2015-01-07", "2015-01-08", "2015-01-09"]


def test_a_story_about_an_earlier_year_gives_its_year_to_days_without_one():
    record = extract_text(
        "On 26 February 2022 troops took the port. From 14 March it served as a hub, and on "
        "2 July the navy announced the loss.",
        published="2023-07-25",
    )
    assert [v for v, _ in dated(record)] == ["2022-02-26", "2022-03-14", "2022-07-02"]


def test_months_in_a_sentence_about_the_future_look_ahead():
    record = extract_text("The battalion will hand over to its relief in June.", published="2018-03-26")
    assert dated(record) == [("2018-06", None)]
    record = extract_text("The battalion handed over to its relief in June.", published="2018-03-26")
    assert dated(record) == [("2017-06", None)]


def test_times_and_durations_are_not_dates_nor_designations():
    found = find_date_expressions(
        "At 14:30, and again at 0600 hours, the destroyer USS Arleigh Burke (DDG 51) "
        "fired for three days; Su-25 jets and 2S19 guns joined. Posted 12.27.2023 03:43.",
        None,
        language="en",
    )
    assert [d.value for d in found.dates] == ["2023-12-27"]
    assert [t.text for t in found.times] == ["14:30", "0600 hours", "03:43"]
    assert [d.text for d in found.durations] == ["for three days"]
    record = extract_text("At 0600 hours Su-25 jets and 2S19 guns fired for three days.", published=None)
    assert record["dates"] == []
    assert {"Su-25", "2S19"} <= set(entities(record, "equipment"))


def test_ships_with_a_pennant_are_one_system_of_their_class():
    record = extract_text(
        "The destroyer USS Arleigh Burke (DDG 51) escorted HMS Prince of Wales (R09) and "
        "FS Charles de Gaulle (R91) in the Mediterranean."
    )
    systems = entities(record, "equipment")
    assert systems["Arleigh Burke (DDG 51)"]["family"] == "Arleigh Burke"
    assert systems["Arleigh Burke (DDG 51)"]["class"] == "warship"
    assert systems["Prince of Wales (R09)"]["family"] == "Queen Elizabeth"
    assert any(s["catalog_id"] == "charles-de-gaulle" for s in systems.values())
    assert not any(name.startswith(("DDG", "R09", "R91")) for name in systems)


def test_named_hulls_without_a_pennant_and_formations_are_not_systems():
    record = extract_text(
        "The guided-missile cruiser USS Gettysburg joined the USS ABRAHAM LINCOLN Carrier "
        "Strike Group while F-16 jets flew overhead."
    )
    assert set(entities(record, "equipment")) == {"F-16"}


def test_french_ships_by_class_noun_and_in_brackets():
    record = extract_text(
        "Le porte-avions Charles de Gaulle a appareillé avec 2 frégates (le Chevalier Paul et "
        "le La Motte-Picquet) et un navire ravitailleur (le Marne)."
    )
    systems = entities(record, "equipment")
    assert {"Chevalier Paul", "La Motte-Picquet", "Marne"} <= set(systems)
    assert systems["Chevalier Paul"]["family"] == "Horizon"
    assert any(s["catalog_id"] == "charles-de-gaulle" for s in systems.values())


def test_ship_classes_and_projects_are_designations():
    record = extract_text(
        "The United States will transfer two Island-class patrol vessels and the navy ordered "
        "two Project 10750E minesweepers; a World-class port was also discussed."
    )
    assert {"Island-class", "Project 10750E"} <= set(entities(record, "equipment"))
    assert not any(name.startswith("World") for name in entities(record, "equipment"))


def test_generic_systems_users_filter_on_are_classes():
    record = extract_text(
        "Insurgents attacked the base with a VBIED, several IEDs and RPGs; MANPADS and "
        "remotely piloted aircraft were seen, along with technicals and engineering vehicles."
    )
    assert {
        "vehicle-borne improvised explosive device",
        "improvised explosive device",
        "rocket-propelled grenade",
        "man-portable air-defence system",
        "drone",
        "utility vehicle",
        "engineering vehicle",
    } <= classes(record)
    assert entities(record, "equipment") == {}
    french = extract_text("Les terroristes ont utilisé un véhicule piégé et des engins explosifs improvisés.")
    assert {"vehicle-borne improvised explosive device", "improvised explosive device"} <= classes(french)


def test_fighters_are_people_unless_aircraft_are_meant():
    people = extract_text("Islamic State fighters attacked the checkpoint. Some 200 foreign fighters were killed.")
    assert "fighter aircraft" not in classes(people)
    french_people = extract_text("Des combattants et des chasseurs alpins sont arrivés à Gao.")
    assert "fighter aircraft" not in classes(french_people)
    jets = extract_text("Two F-16 fighters and four fighter jets escorted the bombers.")
    assert "fighter aircraft" in classes(jets)
    pilots = extract_text("The pilots flew their fighters back to the air base.")
    assert "fighter aircraft" in classes(pilots)
    french_jets = extract_text("Quatre avions de chasse ont décollé de la base aérienne.")
    assert "fighter aircraft" in classes(french_jets)


def test_a_lower_case_number_pair_is_no_designation():
    record = extract_text("The firms created a 50/50 joint venture to build A-50 radar aircraft.")
    mentions = [m["text"] for e in record["entities"] if e["kind"] == "equipment" for m in e["mentions"]]
    assert mentions == ["A-50"]


def test_awacs_alone_names_the_e3():
    record = extract_text("Le dispositif comptait six Rafale, deux AWACS et trois ravitailleurs au-dessus de la mer.")
    assert any(e["catalog_id"] == "e-3-sentry" for e in entities(record, "equipment").values())
