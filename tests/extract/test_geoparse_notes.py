"""Geoparsing the shapes of short conflict-event notes with the default index, in English and
French: what the brackets after a place hold, districts named after their seats, towns the name
recogniser takes for people or that look like a misspelt actor. Short notes we wrote about real
places; none names its country."""

from __future__ import annotations

from tests.extract.helpers import extract_text
from tests.extract.test_geoparse import near, places, sahel  # noqa: F401  (sahel is a fixture)

from orbat.settings import Settings


def test_a_word_in_brackets_after_a_place_is_its_area_not_an_acronym():
    for note in (
        "On 4 April 2024, a bomb exploded in Spin Boldak (Kandahar).",
        "Le 4 avril 2024, une bombe a explosé à Spin Boldak (Kandahar).",
    ):
        found = places(note)
        assert found["Spin Boldak"]["country"] == "AF" and near(found["Spin Boldak"], 31.01, 66.40), found
        assert found["Kandahar"]["country"] == "AF", found
    found = places("On 2 February 2024, airstrikes hit a village 15 km north of Loikaw (Kayah).")
    assert near(found["Loikaw"], 19.68, 97.21) and found["Kayah"]["precision"] == "admin1", found


def test_an_abbreviation_written_as_a_word_is_still_one():
    record = extract_text("Les Forces armées maliennes (Fama) ont patrouillé près de Ségou.")
    actors = [e for e in record["entities"] if e["kind"] == "actor"]
    assert any(e["country"] == "ML" for e in actors), actors
    assert "Fama" not in places("Les Forces armées maliennes (Fama) ont patrouillé près de Ségou.")


def test_a_town_one_letter_off_an_actor_is_the_town_after_a_locative():
    for note in (
        "On 15 June 2024, a suicide bomber struck a checkpoint in Sinjar district (Nineveh).",
        "Le 3 juin 2024, un attentat a visé un poste de contrôle à Sinjar (Ninive).",
    ):
        found = places(note)
        assert found["Sinjar"]["country"] == "IQ" and near(found["Sinjar"], 36.32, 41.88), found


def test_a_district_named_after_its_seat_is_placed_at_the_seat():
    nigeria = places("On 29 August 2023, bandits abducted villagers in Kajuru LGA (Kaduna).")
    assert nigeria["Kajuru LGA"]["country"] == "NG" and near(nigeria["Kajuru LGA"], 10.32, 7.68), nigeria
    assert nigeria["Kajuru LGA"]["precision"] == "admin2"
    ukraine = places("On 6 March 2024, shells hit villages in Pokrovsk raion, Donetsk oblast.")
    assert near(ukraine["Pokrovsk"], 48.28, 37.18) and ukraine["Pokrovsk"]["precision"] == "admin2", ukraine
    french = places("Le 6 mars 2024, des obus ont touché des villages du raion de Pokrovsk (oblast de Donetsk).")
    assert near(french["Pokrovsk"], 48.28, 37.18) and french["Pokrovsk"]["precision"] == "admin2", french
    congo = places("Le 30 janvier 2024, des combats ont eu lieu dans le territoire de Rutshuru (Nord-Kivu).")
    assert congo["Rutshuru"]["country"] == "CD" and congo["Rutshuru"]["precision"] == "admin2", congo


def test_the_areas_in_brackets_decide_the_country_of_a_village_the_index_lacks():
    french = places("Le 26 octobre 2023, des hommes armés ont tué des civils à Inata (province du Soum).")
    assert french["Inata"]["country"] == "BF" and near(french["Inata"], 14.34, -1.33, 60), french
    english = places("On 8 June 2023, gunmen attacked a checkpoint in Tongo (Macina, Ségou).")
    assert english["Tongo"]["country"] == "ML", english


def test_an_area_abroad_in_brackets_is_a_namesake_when_the_note_points_elsewhere():
    found = places(
        "Le 6 juin 2023, des ADF présumés ont tué des civils à Oicha (territoire de Beni, province du Nord-Kivu)."
    )
    assert found["Oicha"]["country"] == "CD" and near(found["Oicha"], 0.70, 29.52), found
    assert found["Beni"]["country"] == "CD", found


def test_a_town_is_not_the_region_written_after_it_that_goes_by_its_name():
    english = places("On 11 November 2023, RSF fighters stormed Zalingei (Central Darfur).")
    assert near(english["Zalingei"], 12.91, 23.47) and english["Zalingei"]["precision"] == "locality", english
    french = places("Le 11 novembre 2023, les FSR ont pris Zalingei (Darfour central).")
    assert near(french["Zalingei"], 12.91, 23.47), french


def test_a_town_taken_for_a_person_is_the_town_its_area_or_partner_vouches_for():
    english = places("On 12 July 2023, rival forces clashed in Wad Madani, Gezira State.")
    assert english["Wad Madani"]["country"] == "SD" and near(english["Wad Madani"], 14.40, 33.52), english
    assert english["Gezira State"]["precision"] == "admin1" and english["Gezira State"]["country"] == "SD"
    french = places("Le 12 juillet 2023, des combats ont éclaté à Wad Madani (Gezira).")
    assert near(french["Wad Madani"], 14.40, 33.52), french
    for note in (
        "On 30 March 2023, an explosion hit a vehicle between Lashkar Gah and Sangin.",
        "Le 30 mars 2023, une explosion a touché un véhicule entre Lashkar Gah et Sangin.",
    ):
        found = places(note)
        assert near(found["Lashkar Gah"], 31.59, 64.37) and found["Sangin"]["country"] == "AF", found


def test_a_village_the_index_lacks_is_placed_at_the_first_area_of_its_bracketed_chain():
    english = places("On 3 March 2024, unknown gunmen attacked a checkpoint in Kouakourou (Djenné, Mopti).")
    assert english["Kouakourou"]["country"] == "ML" and english["Kouakourou"]["precision"] == "admin2", english
    assert near(english["Kouakourou"], 13.91, -4.55, 5), english  # at Djenné, 36 km away: near, not at it
    french = places(
        "Le 12 février 2024, des hommes armés ont attaqué le village de Farabougou (cercle de Niono, région de Ségou)."
    )
    assert french["Farabougou"]["country"] == "ML" and near(french["Farabougou"], 14.25, -5.99, 5), french
    assert french["Farabougou"]["precision"] == "admin2"


def test_a_village_whose_only_readings_are_abroad_takes_the_state_written_after_it():
    for note in (
        "On 1 December 2023, ISWAP fighters attacked fishermen near Baga, in Borno State.",
        "Le 1er décembre 2023, des combattants de l'ISWAP ont attaqué des pêcheurs près de Baga, dans l'État de Borno.",
    ):
        found = places(note)
        assert found["Baga"]["country"] == "NG" and found["Baga"]["precision"] == "admin1", found


def test_an_imported_dump_keeps_the_population_the_cities_list_knows(sahel: Settings):  # noqa: F811
    """The country dumps carry 0 for Bourem (42,371 in the default cities list): imported over it,
    the town must stay a town, not lose to the cercle of its name."""
    for note in (
        "On 22 March 2024, a drone strike hit a gathering between Bourem and Gao.",
        "Le 22 mars 2024, une frappe de drone a visé un rassemblement entre Bourem et Gao.",
    ):
        found = places(note, sahel)
        assert near(found["Bourem"], 16.96, -0.35) and found["Bourem"]["precision"] == "locality", found


def test_an_imported_town_does_not_lose_to_a_namesake_abroad(sahel: Settings):  # noqa: F811
    """Abala, Niger (14,979 people in the cities list, 0 in the dump) against Abala, Ethiopia (25,300)."""
    for note in (
        "On 3 May 2024, a drone strike hit a market in Abala, western Niger.",
        "Le 3 mai 2024, une frappe a touché le marché d'Abala, dans l'ouest du Niger.",
    ):
        found = places(note, sahel)
        assert found["Abala"]["country"] == "NE" and near(found["Abala"], 14.94, 3.43), found


def test_a_chain_of_areas_in_brackets_vouches_for_a_village_without_a_locative():
    for note, village, country in (
        ("On 5 March 2024, unknown gunmen attacked a checkpoint at Gorgadji (Seno, Sahel).", "Gorgadji", "BF"),
        ("On 7 February 2024, JNIM militants attacked Dinangourou (Koro, Mopti).", "Dinangourou", "ML"),
        ("Le 9 mai 2024, des hommes armés ont attaqué Taourémba (Soum, Sahel).", "Taourémba", "BF"),
        ("Le 13 juin 2024, des rebelles ADF ont attaqué Mayikengo (Lubero, Nord-Kivu).", "Mayikengo", "CD"),
    ):
        found = places(note)
        assert found[village]["country"] == country and found[village]["precision"] == "admin2", found


def test_the_areas_of_a_chain_read_as_areas_but_a_namesake_abroad_does_not_win():
    found = places("On 18 June 2023, armed men killed villagers in Diallassagou (Bankass, Mopti).")
    assert found["Mopti"]["precision"] == "admin1" and found["Mopti"]["country"] == "ML", found
    congo = places("On 2 June 2023, ADF rebels killed nine villagers in Eringeti (Beni, North Kivu).")
    assert congo["Beni"]["country"] == "CD" and near(congo["Beni"], 0.49, 29.47), congo


def test_an_area_in_brackets_the_name_recogniser_took_for_a_person_is_the_area():
    for note in (
        "On 20 March 2024, Houthi forces shelled Hays (Hays, Al Hudaydah).",
        "Le 20 mars 2024, les Houthis ont bombardé Hays (Hays, Al Hudaydah).",
    ):
        found = places(note)
        assert found["Hays"]["country"] == "YE" and near(found["Hays"], 13.93, 43.48), found
        assert found["Al Hudaydah"]["precision"] == "admin1" and found["Al Hudaydah"]["country"] == "YE", found


def test_a_village_the_index_lacks_takes_the_first_known_area_of_the_names_after_it():
    nigeria = places("On 4 March 2024, gunmen abducted pupils in Kuriga, Chikun LGA, Kaduna State.")
    assert nigeria["Kuriga"]["country"] == "NG" and nigeria["Kuriga"]["precision"] == "admin1", nigeria
    mali = places(
        "On 3 March 2024, gunmen attacked a checkpoint in Boni, Hombori commune, Douentza cercle, Mopti region."
    )
    assert mali["Boni"]["country"] == "ML", mali
    burkina = places(
        "Le 15 mai 2024, des hommes armés ont attaqué le village de Djibasso, dans la province de la Kossi."
    )
    assert burkina["Djibasso"]["country"] == "BF" and burkina["Djibasso"]["precision"] == "admin2", burkina


def test_a_region_named_after_its_town_means_the_town_under_the_towns_other_name():
    for note in (
        "Le 3 mars 2024, des hommes armés ont attaqué un poste près de Tombouctou.",
        "On 3 March 2024, gunmen attacked a checkpoint near Tombouctou.",
    ):
        found = places(note)
        assert near(found["Tombouctou"], 16.77, -3.01) and found["Tombouctou"]["precision"] == "locality", found
    region = places("Le 3 mars 2024, des hommes armés ont attaqué un poste dans la région de Tombouctou.")
    assert region["Tombouctou"]["precision"] == "admin1", region


def test_an_actors_home_region_places_a_town_no_country_is_named_for():
    for note in (
        "On 3 March 2024, ISIS fighters attacked shepherds near Rawa.",
        "Le 3 mars 2024, des combattants de l'État islamique ont attaqué des bergers près de Rawa.",
    ):
        found = places(note)
        assert found["Rawa"]["country"] == "IQ" and near(found["Rawa"], 34.48, 41.92), found
