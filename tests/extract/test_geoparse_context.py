"""Geoparsing from the words around a name: the state or province named after a town, a dateline,
a place before a title or a body, and English words that are also hamlets.

Short texts we wrote about real places; the default index only (no imported dumps), so each test
runs in well under a second once the index is built.
"""

from __future__ import annotations

from tests.extract.helpers import extract_text
from tests.extract.test_geoparse import near, places


def test_a_town_lies_in_the_state_named_after_it():
    found = places("The brigade's vehicles left the Port of Beaumont, Texas, and were unloaded in Antwerp, Belgium.")
    assert found["Beaumont"]["country"] == "US" and near(found["Beaumont"], 30.09, -94.10)
    # the larger Springfield is in Missouri; the text names Illinois
    found = places("The National Guard convoy passed through Springfield, Illinois, on Tuesday.")
    assert near(found["Springfield"], 39.80, -89.64)


def test_a_list_of_states_is_not_a_town_and_its_state():
    found = places("Cases were reported in Texas, Utah, Virginia, Washington, West Virginia and Wyoming.")
    assert found["Washington"]["precision"] == "admin1" and near(found["Washington"], 47.4, -120.5, 300)


def test_a_dateline_town_is_found_but_is_not_where_the_strike_took_place():
    text = ("FOR IMMEDIATE RELEASE\nTAMPA, Fla. – In the past 24 hours, U.S. Central Command forces destroyed "
            "two Houthi drones in Yemen.")
    record = extract_text(text)
    found = {e["name"]: e for e in record["entities"] if e["kind"] == "place"}
    assert found["Tampa"]["country"] == "US"
    tampa = found["Tampa"]["id"]
    assert record["claims"] and all(c.get("place") != tampa for c in record["claims"])


def test_a_place_word_in_a_name_makes_it_no_person():
    record = extract_text("Aid reached the SOS Children's Village Malakal last week. Flights to Malakal resumed on "
                          "Monday.")
    found = {e["name"]: e for e in record["entities"] if e["kind"] == "place"}
    assert found["Malakal"]["country"] == "SS"
    assert not [e["name"] for e in record["entities"] if e["kind"] == "actor" and "Malakal" in e["name"]]


def test_a_place_before_a_title_or_a_police_force():
    assert places("The floods are not over, said Wisconsin Governor Jim Doyle.")["Wisconsin"]["country"] == "US"
    found = places("Queensland Police Inspector Bob Hytch said the horses had been moved.")
    assert found["Queensland"]["country"] == "AU" and found["Queensland"]["precision"] == "admin1"


def test_a_body_in_a_town_leaves_the_town_a_place():
    record = extract_text("An officer of the Food and Agriculture Organization in Rome explained the risk.")
    names = {e["kind"]: e["name"] for e in record["entities"] if "Rome" in e["name"] or "Organization" in e["name"]}
    assert names == {"actor": "Food and Agriculture Organization", "place": "Rome"}


def test_a_count_before_a_state_is_not_a_first_name():
    found = places("Four Guerrero state police were found dead on the highway.")
    assert found["Guerrero"]["country"] == "MX" and found["Guerrero"]["precision"] == "admin1"


def test_english_at_does_not_join_two_names():
    found = places("Samples were sent to the Bird Flu Laboratory at Weybridge for testing.")
    assert found["Weybridge"]["country"] == "GB"


def test_words_that_are_also_hamlets_need_a_locative():
    found = places("Just as during the Battle of Britain, Polish pilots came to the aid of the Alliance.")
    assert "Battle" not in found and "Alliance" not in found
    assert "Conception" not in places("Contexte\nConception\nLe canon a été conçu par Nexter à Bourges.")


# Conflict-event notes with the district or region after a comma and no country named: (note, name,
# lat, lon, country). Our own sentences about real towns.
COMMA_NOTES = [
    ("On 3 May 2024, gunmen attacked a market near Bama, Borno.", "Bama", 11.52, 13.69, "NG"),
    ("On 6 May 2023, an IED hit an army patrol near Tal Afar, Nineveh.", "Tal Afar", 36.38, 42.45, "IQ"),
    ("On 19 August 2022, gunmen attacked a bus near Jos, Plateau.", "Jos", 9.93, 8.89, "NG"),
    ("Le 4 mars 2024, des hommes armés ont attaqué un marché à Djibo, Soum.", "Djibo", 14.10, -1.63, "BF"),
]


def test_conflict_notes_with_the_region_after_a_comma():
    for note, name, lat, lon, country in COMMA_NOTES:
        found = places(note)
        assert found[name]["country"] == country and near(found[name], lat, lon), note


def test_one_name_one_place_where_the_text_chose_it_once():
    # alone, a bare "New York" is the state; listed with a city elsewhere in the text, it is the city both times
    for text in ("The patient had recently been in New York. He flew back from New York and Toronto on Monday.",
                 "Le patient avait récemment séjourné à New York. Il est rentré de New York et Toronto lundi."):
        record = extract_text(text)
        readings = [e for e in record["entities"] if e["kind"] == "place" and e["name"].startswith("New York")]
        assert len(readings) == 1 and len(readings[0]["mentions"]) == 2
        assert near(readings[0], 40.71, -74.01, 30)
    # listed with a state, the bare mention stays the state
    found = places("Floods hit New Jersey and New York on Sunday. Officials in New York said rivers kept rising.")
    assert found["New York"]["precision"] == "admin1" and len(found["New York"]["mentions"]) == 2
    # a list of regions does not make a bare town of that very name the region
    record = extract_text("Floods hit Mopti, Ségou, Tombouctou and Gao regions this week. On Monday the army "
                          "entered Gao.")
    gao = sorted(e["precision"] for e in record["entities"] if e["kind"] == "place" and e["name"] == "Gao")
    assert gao == ["admin1", "locality"]


def test_a_plural_area_word_after_a_list_makes_its_names_areas():
    # Mbomo is not in the index; the plural still makes Etoumbi a district named in a list, not a ship's name
    found = places("Health officials in Congo announced a quarantine of the Etoumbi and Mbomo districts.")
    assert found["Etoumbi"]["country"] == "CG" and found["Etoumbi"]["precision"] == "admin2"
    found = places("Fighting was reported in the Kandahar, Zabul and Helmand provinces.")
    assert {found[n]["precision"] for n in ("Kandahar", "Zabul", "Helmand")} == {"admin1"}
    # French puts the plural first: "les régions de Mopti et Ségou" are the regions, not their towns
    found = places("Des combats ont eu lieu dans les régions de Mopti et Ségou.")
    assert found["Mopti"]["precision"] == "admin1" and found["Ségou"]["precision"] == "admin1"
    # the same words before a plural that is no area word leave the towns towns
    found = places("Des combats ont eu lieu dans les villes de Mopti et Ségou.")
    assert found["Mopti"]["precision"] == "locality" and found["Ségou"]["precision"] == "locality"


def test_a_place_before_a_deputys_title_or_a_state_office_is_the_place():
    for text in ("\"The pupils bought cassava,\" said Mabini Vice-Mayor Ester Tabigue, on the island of Bohol.",
                 "« Les élèves avaient acheté du manioc », a déclaré le vice-maire de Mabini, sur l'île de Bohol."):
        found = places(text)
        assert found["Mabini"]["country"] == "PH" and near(found["Mabini"], 9.86, 124.52, 30)  # Bohol's Mabini
    found = places("On Thursday, California State Senator Joe Dunn held a hearing.")
    assert found["California State"]["name"] == "California" and found["California State"]["precision"] == "admin1"
    found = places("Dunn then introduced Santa Ana Unified School District board member Rosie Lopez at the hearing "
                   "in Orange County, California.")
    assert found["Santa Ana"]["country"] == "US" and near(found["Santa Ana"], 33.75, -117.87, 30)
    # a state university is the university's name, as "University of Texas" is
    assert places("Samples went to Michigan State University on Monday.") == {}


def test_a_nationality_before_an_area_is_left_out_of_its_name():
    for text in ("The governor of the south Sudanese Warab state spoke to reporters.",
                 "Le gouverneur de l'État soudanais du Warab a parlé aux journalistes."):
        found = places(text)
        assert found["Warab"]["name"] == "Warrap" and found["Warab"]["country"] == "SS"
    # a weapon named after a city (and province) is no place: the text calls Milan no area
    assert places("Its antitank weapons are French Milan and HOT missiles.") == {}


def test_a_large_city_opening_an_airports_name_is_a_place():
    found = places("The plane from Iraq landed at İstanbul Atatürk International Airport on Tuesday.")
    assert found["İstanbul"]["country"] == "TR" and near(found["İstanbul"], 41.01, 28.95, 30)
    found = places("Passengers landed at Paris Charles de Gaulle Airport on Monday.")
    assert found["Paris"]["country"] == "FR"
    # a person's name opens most airport names; no town is read from it
    assert places("He flew into John Wayne Airport on Friday.") == {}


def test_the_person_an_airport_is_named_after_is_no_place_and_its_city_is():
    # GeoNames knows a village of Düzce province called Atatürk; the airport is Istanbul's
    for text in ("Our flight from Baghdad touched down at Atatürk International Airport in Istanbul at dawn.",
                 "Our flight from Baghdad touched down at Istanbul's Atatürk International Airport at dawn.",
                 "Notre vol en provenance de Bagdad s'est posé à l'aéroport international Atatürk d'Istanbul "
                 "à l'aube."):
        found = places(text)
        assert "Atatürk" not in found, text
        city = next(p for written, p in found.items() if written in {"Istanbul", "İstanbul"})
        assert city["country"] == "TR" and near(city, 41.01, 28.95, 30), text
    # without the city beside it, the name of an airport is still nobody's village
    assert places("Les passagers ont débarqué à l'aéroport Atatürk lundi soir.") == {}
    assert places("Passengers were stuck at Atatürk International Airport overnight.") == {}
    for text in ("Les passagers ont débarqué à l'aéroport Charles-de-Gaulle lundi soir.",
                 "Passengers were stuck at John F. Kennedy International Airport in New York overnight."):
        assert set(places(text)) <= {"New York"}, text
    # a town that names its own airport is still that town
    found = places("Missiles struck close to Boryspil International Airport overnight, officials said.")
    assert found["Boryspil"]["country"] == "UA" and near(found["Boryspil"], 50.35, 30.95, 30)


def test_the_town_after_l_aeroport_de_is_the_town_it_serves():
    # a town of 20,000 people: "d'" is no cue on its own, the airport before it is
    found = places("Deux avions de transport ont atterri à l'aéroport d'Orly dans la nuit.")
    assert found["Orly"]["country"] == "FR" and near(found["Orly"], 48.75, 2.39, 15)
    # the town (GeoNames' Timbuktu), not the region of that name
    found = places("Un hélicoptère s'est posé à l'aéroport de Tombouctou jeudi.")
    assert found["Tombouctou"]["precision"] == "locality" and near(found["Tombouctou"], 16.77, -3.01)
    found = places("Deux avions de transport ont atterri à l'aéroport de Gao, dans le nord du Mali, jeudi.")
    assert near(found["Gao"], 16.27, -0.04)


def test_the_town_an_airport_serves_is_placed_without_its_country():
    # Gao, Burkina Faso (26,000 people) is no rival to the Malian town of 133,000 with an airport
    found = places("Un avion de transport s'est posé à l'aéroport de Gao.")
    assert found["Gao"]["country"] == "ML" and near(found["Gao"], 16.27, -0.04)


def test_the_town_an_airport_serves_is_placed_without_its_country_in_english():
    found = places("A transport plane landed at the airport in Gao on Thursday.")
    assert found["Gao"]["country"] == "ML" and near(found["Gao"], 16.27, -0.04)
    for text in ("Passengers landed at Paris-Charles de Gaulle airport on Monday.",
                 "Passengers landed at Paris-Charles de Gaulle Airport on Monday."):
        found = places(text)
        assert set(found) == {"Paris"} and near(found["Paris"], 48.85, 2.35), text


def test_the_town_before_the_hyphen_of_an_airport_s_name_is_the_town_it_serves():
    # "l'aéroport de Paris-Charles de Gaulle": Paris, and no place for the general
    found = places("Les passagers ont atterri à l'aéroport de Paris-Charles de Gaulle lundi.")
    assert set(found) == {"Paris"} and found["Paris"]["country"] == "FR" and near(found["Paris"], 48.85, 2.35)
    found = places("L'avion a décollé de l'aéroport de Lyon-Saint Exupéry dans la nuit.")
    assert set(found) == {"Lyon"} and near(found["Lyon"], 45.75, 4.85)
    # Roissy is another name of Roissy-en-Brie, 25 km off: no town by its own name, no place
    assert places("Les passagers ont atterri à l'aéroport de Roissy-Charles de Gaulle lundi.") == {}


def test_an_airport_named_after_a_person_and_its_town_gives_the_town_only():
    for text in ("Les renforts sont arrivés à l'aéroport Modibo-Keïta de Bamako dans la matinée.",
                 "Les renforts sont arrivés à l'aéroport international Modibo Keïta de Bamako dans la matinée.",
                 "The reinforcements reached Bamako's Modibo Keita International Airport in the morning.",
                 "The reinforcements reached Modibo Keita International Airport in Bamako in the morning."):
        record = extract_text(text)
        found = [e for e in record["entities"] if e["kind"] == "place"]
        assert any(e["name"] == "Bamako" and near(e, 12.61, -7.98) for e in found), text
        # the airport itself may be placed, in Bamako; the president it is named after is nowhere
        assert all(near(e, 12.61, -7.98) for e in found), text
        assert not any("Modibo" in e["name"] for e in record["entities"] if e["kind"] == "actor"), text


def test_an_airport_named_after_a_person_is_not_a_namesake_town_abroad():
    # GeoNames has a Kennedy in Bogotá (979,914 people) and one in California: neither is the airport's
    assert places("The delegation flew out of Kennedy International Airport on Sunday evening.") == {}
    assert places("La délégation s'est envolée de l'aéroport Kennedy dimanche soir.") == {}


def test_the_town_in_a_university_s_name_is_a_place_and_the_country_in_it_is_not():
    # the campus's town after a comma, "at" or "à", even where the bracket defines the university's acronym
    for text, town, lat, lon in (
            ("A virologist at the University of California, Los Angeles (UCLA) reviewed the study.",
             "Los Angeles", 34.05, -118.24),
            ("Une virologue de l'Université de Californie à Los Angeles (UCLA) a relu l'étude.",
             "Los Angeles", 34.05, -118.24),
            ("The samples were sequenced at the University of Texas at Austin last week.", "Austin", 30.27, -97.74)):
        found = places(text)
        assert found[town]["country"] == "US" and near(found[town], lat, lon, 30), text
    # nor is an institution named after a country a mention of that country
    assert places("The tests were run at a laboratory of the University of Georgia.") == {}


def test_a_dateline_names_the_city_the_story_was_filed_from():
    """AP style writes a city that needs no state alone in the dateline: "WASHINGTON" there is the
    capital, not the state a bare "in Washington" is read as (as GeoNames-annotated corpora have it)."""
    for text in ("WASHINGTON (AP) — The Senate voted on Tuesday to send more aid.",
                 "WASHINGTON, Jan. 21 (Reuters) - The Pentagon said on Tuesday that tanks would follow.",
                 "WASHINGTON — Des responsables ont annoncé mardi l'envoi de blindés."):
        found = places(text)
        assert found["WASHINGTON"]["precision"] == "locality" and near(found["WASHINGTON"], 38.9, -77.04, 20), text
    assert near(places("Officials in Washington said on Tuesday that aid would go on.")["Washington"],
                47.3, -120.2, 150)
    assert near(places("SPOKANE, Wash. (AP) — Crews fought a fire on Friday.")["SPOKANE"], 47.66, -117.43, 20)
