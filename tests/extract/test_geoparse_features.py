"""Places that are not towns or states: seas, oceans, lakes, islands, mountain ranges, valleys,
military bases and countries under a former name; and names written with an abbreviated first
word ("St. Marc") or that the NER takes for a person. Short texts we wrote."""

from __future__ import annotations

from tests.extract.test_geoparse import near, places


def test_seas_oceans_lakes_islands_and_mountains_are_places_with_a_point():
    found = places("Patrol ships crossed the Atlantic and the North Sea, then sailed on to Luzon. Floods hit "
                   "villages on Lake Victoria, and snow closed the passes of the Ural Mountains and the Hindu Kush.")
    assert near(found["Atlantic"], 0, -25, 500) and found["Atlantic"]["feature"] == "region"
    assert near(found["North Sea"], 56, 3, 300)
    assert near(found["Luzon"], 16, 121, 200) and found["Luzon"]["country"] == "PH"  # the island, not a hamlet
    assert near(found["Lake Victoria"], -1, 33, 200) and near(found["Ural Mountains"], 60, 59.5, 800)
    assert near(found["Hindu Kush"], 35.5, 70.5, 300)
    french = places("Une frégate a patrouillé en mer Égée puis dans l'océan Indien, au large de Sumatra.")
    assert near(french["mer Égée"], 39, 25, 300) and french["Sumatra"]["country"] == "ID"


def test_a_one_word_sea_inside_a_longer_name_is_not_the_sea():
    found = places("The brigade deployed to Poland for Atlantic Resolve. Soldiers of U.S. Army Pacific "
                   "trained at the Atlantic Veterinary College. Storms formed over the tropical Pacific.")
    pacific = found["Pacific"]
    assert pacific["feature"] == "region" and near(pacific, 0, -160, 500)
    spans = [m["text"] for e in found.values() for m in e["mentions"]]
    assert spans.count("Pacific") == 1 and "Atlantic" not in spans  # the operation, the command, the college


def test_a_country_under_its_former_name():
    found = places("The Ebola strain is named after Zaire. Dahomey and Upper Volta became independent in 1960.")
    assert found["Zaire"]["country"] == "CD" and found["Zaire"]["feature"] == "country"
    assert found["Dahomey"]["country"] == "BJ" and found["Upper Volta"]["country"] == "BF"


def test_military_bases_are_placed_at_the_base():
    found = places("Soldiers from Fort Hood flew out of Dover Air Force Base; B-1 bombers left Dyess AFB.")
    assert near(found["Fort Hood"], 31.13, -97.78, 20) and found["Fort Hood"]["feature"] == "installation"
    assert near(found["Dover Air Force Base"], 39.13, -75.47, 10) and near(found["Dyess AFB"], 32.42, -99.85, 10)


def test_an_abbreviated_first_word_is_read_in_full():
    found = places("Cholera patients filled the hospital in St. Marc, Haiti. Troops returned to Ft. Bragg.")
    assert found["St. Marc"]["country"] == "HT" and near(found["St. Marc"], 19.11, -72.70)
    assert found["Ft. Bragg"]["country"] == "US"


def test_a_town_after_a_locative_is_a_place_even_if_it_reads_as_a_person():
    found = places("The patient was admitted to a hospital in Milton Keynes, but later died.")
    assert found["Milton Keynes"]["country"] == "GB" and near(found["Milton Keynes"], 52.04, -0.76)


def test_a_state_ending_a_list_after_a_locative_is_a_place_even_if_it_reads_as_a_person():
    # The NER reads "Minas Gerais" and "Al Jazirah" as people; the list they end opened with "in"/"à".
    found = places("Heavy rain flooded farms in Paraná, Santa Catarina and Minas Gerais last week.")
    assert found["Minas Gerais"]["country"] == "BR" and near(found["Minas Gerais"], -18.5, -44.5, 300)
    french = places("Des foyers de grippe aviaire ont été signalés à Khartoum et Al Jazirah, au Soudan.")
    assert french["Al Jazirah"]["country"] == "SD" and french["Khartoum"]["country"] == "SD"


def test_a_name_followed_by_its_country_is_the_place_even_if_it_reads_as_a_person():
    found = places("Samples came from Binh Phuoc, Vietnam; more came from Shwe Kyin, Myanmar.")
    assert found["Binh Phuoc"]["country"] == "VN" and found["Binh Phuoc"]["feature"] == "admin"
    people = places("Speaking for the council, John Smith, Britain's envoy, said the talks would go on.")
    assert "John Smith" not in people  # GeoNames knows no John Smith in the United Kingdom


def test_a_place_after_a_locative_is_not_the_short_form_of_a_name_read_as_a_person():
    # The NER reads "Racing Victoria" (the sport's body) as a person; "in Victoria" is still the state.
    found = places("Horse flu reached stables near Sydney, but no case was found in Victoria. "
                   "Racing Victoria said the Melbourne Cup would go ahead.")
    assert found["Victoria"]["country"] == "AU" and near(found["Victoria"], -37, 144.5, 300)
    person = places("Barbara Visser met troops in Mali. Visser said the mission would go on.")
    assert list(person) == ["Mali"]  # a surname without a locative is still the person


def test_the_capital_of_x_is_a_clear_locative():
    # "Radio Pyongyang" and "Radio Khartoum" make the names look like surnames; "capital of" places them.
    found = places("State media reported bird flu on farms in the capital of Pyongyang. Radio Pyongyang said "
                   "culling had begun.")
    assert found["Pyongyang"]["country"] == "KP"
    french = places("Des combats ont éclaté dans la capitale de Khartoum. Radio Khartoum a annoncé un couvre-feu.")
    assert french["Khartoum"]["country"] == "SD"


def test_a_capitalised_direction_before_a_large_place_reads_as_northern_x():
    found = places("Bushfires threatened homes in North-Western Sydney, and troops shelled towns in Eastern Ukraine.")
    assert found["Sydney"]["country"] == "AU" and near(found["Sydney"], -33.87, 151.2, 60)
    assert found["Sydney"]["precision"] == "admin2"  # a part of the city's area, as "northern Sydney" is
    assert found["Ukraine"]["feature"] == "country"
    named = places("She sent the money by Western Union and lectured at the University of Southern Indiana.")
    assert named == {}  # a company, and a university named after a region


def test_a_town_name_after_the_that_ends_its_phrase_is_a_ship_not_the_town():
    found = places("Three crewmen died on the Novocherkassk, but the port of Berdiansk stayed open. "
                   "The attack on the Kherson front failed.")
    assert "Novocherkassk" not in found  # a landing ship named after the town
    assert found["Berdiansk"]["country"] == "UA" and found["Kherson"]["country"] == "UA"


def test_a_country_code_before_the_forces_it_qualifies_is_not_a_place():
    found = places("U.S. forces left the base. The U.S. Embassy in Niamey said the U.S.-Niger accord had ended.")
    assert "U.S." not in found and found["Niamey"]["country"] == "NE"
    named = places("Since then the U.S. has pledged aid, and troops came home from the U.S. in June.")
    assert len(named["U.S."]["mentions"]) == 2 and named["U.S."]["country"] == "US"


def test_a_base_named_after_its_town_gives_way_to_a_namesake_the_text_is_about():
    pacific = places("Batteries deployed to Tinian and to Rota in the Northern Mariana Islands.")
    assert pacific["Rota"]["country"] == "MP" and near(pacific["Rota"], 14.15, 145.2, 30)
    spain = places("Destroyers left Rota on Monday.")
    assert spain["Rota"]["country"] == "ES" and spain["Rota"]["feature"] == "installation"


def test_counties_the_subdivision_list_lacks_are_places():
    found = places("Poultry must be kept indoors in Vestfold, Buskerud, Hedmark and Vest-Agder, Norway's food "
                   "authority said.")
    assert {found[n]["country"] for n in ("Vestfold", "Buskerud", "Hedmark", "Vest-Agder")} == {"NO"}
    assert near(found["Vestfold"], 59.25, 10.2, 60)
