"""Geoparsing phenomena, in English and French: finding places whether or not their country is
named, ranking their readings, and the patterns that locate them.

Short texts we wrote; village-level places come from the shared West African GeoNames dumps,
imported once into a private index, as a user would with `orbat gazetteer import`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.extract.helpers import extract_text

from orbat.gazetteer_import import import_files
from orbat.geoparse import km
from orbat.model import SourceDocument
from orbat.pipeline import extract_source
from orbat.settings import Settings

DUMPS = Path(__file__).resolve().parents[3] / "shared" / "data" / "geonames"


@pytest.fixture(scope="module")
def sahel(orbat_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """An index with the villages of Mali, Niger and Burkina Faso imported."""
    home = tmp_path_factory.mktemp("sahel-home")
    shutil.copy(orbat_home / "gazetteer.sqlite", home / "gazetteer.sqlite")
    import_files(home / "gazetteer.sqlite", [DUMPS / "ML.txt", DUMPS / "NE.txt", DUMPS / "BF.txt"],
                 progress=lambda _: None)
    return Settings(home=home)


def places(text: str, settings: Settings | None = None) -> dict[str, dict]:
    """Place entities by the text of their first mention."""
    if settings is None:
        record = extract_text(text)
    else:
        source = SourceDocument(raw=text.encode("utf-8"), content_type="text/plain", origin="test",
                                published="2024-06-01")
        record = extract_source(source, settings).to_json()
    return {e["mentions"][0]["text"]: e for e in record["entities"] if e["kind"] == "place" and e["mentions"]}


def near(place: dict, lat: float, lon: float, within_km: float = 25) -> bool:
    return place["lat"] is not None and km(place["lat"], place["lon"], lat, lon) <= within_km


# --- recognition without the country named ---------------------------------------------------

def test_a_town_is_found_without_its_country():
    found = places("Near Kirkuk, two strikes hit a convoy on Monday.")
    assert near(found["Kirkuk"], 35.47, 44.39) and found["Kirkuk"]["country"] == "IQ"
    french = places("Deux frappes ont visé un convoi près de Kirkouk lundi.")
    assert found["Kirkuk"]["country"] == "IQ" and "Kirkouk" in french and french["Kirkouk"]["country"] == "IQ"


def test_a_village_with_its_district_and_region_in_brackets(sahel: Settings):
    found = places("On 12 January 2024, unknown gunmen ambushed a convoy near Boni (Douentza, Mopti).", sahel)
    assert near(found["Boni"], 15.08, -2.22) and found["Boni"]["precision"] == "locality"
    assert found["Douentza"]["precision"] == "admin2" and found["Douentza"]["country"] == "ML"
    assert found["Mopti"]["precision"] == "admin1" and near(found["Mopti"], 14.5, -3.6, 150)


def test_a_french_note_with_its_admin_chain(sahel: Settings):
    found = places("Le 4 mars 2024, des hommes armés ont attaqué le village de Ouatagouna (Ansongo, Gao).", sahel)
    assert near(found["Ouatagouna"], 15.18, 0.72) and found["Ouatagouna"]["country"] == "ML"
    assert found["Gao"]["precision"] == "admin1"


def test_a_surname_or_a_common_word_needs_a_locative():
    person = places("Defence analyst John Franklin said Franklin would brief the committee.")
    assert "Franklin" not in person
    word = places("Officials at the University said the outbreak was contained.")
    assert "University" not in word
    located = places("The convoy stopped in Franklin, Tennessee, before dawn.")
    assert located["Franklin"]["country"] == "US"


# --- ranking -------------------------------------------------------------------------------------

def test_an_actor_home_region_picks_the_country_of_a_village(sahel: Settings):
    mali = places("FAMa soldiers were attacked near Bomboro on Sunday.", sahel)
    niger = places("ISWAP fighters attacked a patrol near Bomboro on Sunday.", sahel)
    assert mali["Bomboro"]["country"] == "ML" and niger["Bomboro"]["country"] == "NE"
    assert len(mali["Bomboro"]["ranking"]) >= 2  # the losing reading stays visible, with its score
    assert mali["Bomboro"]["ranking"][0]["score"] > mali["Bomboro"]["ranking"][1]["score"]


def test_a_classical_name_reaches_the_town_geonames_knows_by_another_name():
    found = places("Syrian government forces retook Palmyra from the Islamic State.")
    assert found["Palmyra"]["name"] == "Tadmur" and found["Palmyra"]["country"] == "SY"
    french = places("L'armée syrienne a repris Palmyre.")
    assert french["Palmyre"]["country"] == "SY"


def test_the_nearest_pair_wins():
    found = places("Clashes were reported in Tripoli and Sidon.")
    assert found["Tripoli"]["country"] == "LB" and found["Sidon"]["country"] == "LB"
    libya = places("Clashes were reported in Tripoli and Misrata.")
    assert libya["Tripoli"]["country"] == "LY"


def test_a_name_nothing_decides_stays_unlocated_with_its_candidates():
    found = places("The vehicles were unloaded in Tripoli.")
    assert found["Tripoli"]["lat"] is None and len(found["Tripoli"]["candidates"]) >= 2


def test_output_is_deterministic(sahel: Settings):
    text = "On 5 May 2024, gunmen attacked Bomboro, Boni and Tessit, near the Gao-Ansongo road."
    assert json.dumps(places(text, sahel), sort_keys=True) == json.dumps(places(text, sahel), sort_keys=True)


# --- coordinates and precision ------------------------------------------------------------------

def test_every_place_has_coordinates_and_a_precision():
    found = places("Troops moved from Niger to Agadez region and on to Gao in Mali, in West Africa.")
    assert found["Niger"]["precision"] == "country" and near(found["Niger"], 17.6, 8.1, 300)
    assert found["Gao"]["precision"] == "locality"
    assert all(p["lat"] is not None and p["precision"] for p in found.values()), found
    state = places("Wildfires spread across California and Queensland.")
    assert state["California"]["precision"] == "admin1" and near(state["California"], 37, -119, 200)
    assert state["Queensland"]["country"] == "AU"


# --- locating patterns ---------------------------------------------------------------------------

def test_an_offset_keeps_the_place_and_the_distance():
    found = places("Drones struck a depot 25 km S of Gao, in northern Mali, on Tuesday.")
    gao = found["Gao"]
    assert gao["country"] == "ML" and gao["offset"] == {"km": 25.0, "direction": "S"}
    assert gao["precision"] == "admin2"  # less exact than the town itself
    french = places("Un dépôt a été frappé à 40 km au nord de Kidal.")
    assert french["Kidal"]["offset"] == {"km": 40.0, "direction": "N"}
    west = places("Une attaque a visé un poste militaire à 30 km à l'ouest de Djibo, au Burkina Faso.")
    assert west["Djibo"]["offset"] == {"km": 30.0, "direction": "W"} and west["Djibo"]["country"] == "BF"


def test_both_ends_of_a_road_are_places(sahel: Settings):
    found = places("An IED struck a truck on the Gao-Ansongo road.", sahel)
    assert near(found["Gao"], 16.27, -0.04) and near(found["Ansongo"], 15.66, 0.50)
    french = places("Un engin explosif a touché un camion sur l'axe Mopti-Sévaré.", sahel)
    assert french["Mopti"]["country"] == french["Sévaré"]["country"] == "ML"


def test_the_town_of_a_french_airport_is_found_however_small(sahel: Settings):
    # GeoNames gives Sévaré no population; "l'aéroport de" says it is the town the airport serves
    found = places("Un avion de transport s'est posé à l'aéroport de Sévaré mardi.", sahel)
    assert found["Sévaré"]["country"] == "ML" and near(found["Sévaré"], 14.53, -4.09)


def test_between_two_places(sahel: Settings):
    found = places("On 2 April 2024, clashes broke out between Anderamboukane and Inékar.", sahel)
    assert found["Anderamboukane"]["country"] == "ML" and near(found["Inékar"], 15.96, 3.14)
    french = places("Des combats ont éclaté entre Kidal et Anéfis.", sahel)
    assert french["Kidal"]["country"] == french["Anéfis"]["country"] == "ML"


def test_northern_x_and_in_x_northern_country(sahel: Settings):
    found = places("Attacks continued in northern Tillabéri and in Ayorou, northern Niger.", sahel)
    assert near(found["Ayorou"], 14.73, 0.92) and found["Ayorou"]["precision"] == "locality"
    assert found["Tillabéri"]["country"] == "NE"
    assert found["Tillabéri"]["precision"] in {"admin2", "admin1"}  # a part of the area, not a point
    french = places("Un convoi a été attaqué près de Djibo, dans le nord du Burkina Faso.", sahel)
    assert near(french["Djibo"], 14.10, -1.63)


def test_a_list_of_provinces_shares_its_cue():
    found = places("Deaths occurred in the provinces of Anhui, Guangdong, Hainan and Hunan.")
    assert {"Anhui", "Guangdong", "Hainan", "Hunan"} <= set(found)
    assert all(found[n]["country"] == "CN" for n in ("Anhui", "Guangdong", "Hainan", "Hunan"))


def test_a_longer_place_around_a_country_name_wins():
    found = places("Flights from Mexico City and New Jersey were cancelled; Inner Mongolia reported cases.")
    assert near(found["Mexico City"], 19.43, -99.13) and found["Mexico City"]["precision"] == "locality"
    assert found["New Jersey"]["precision"] == "admin1" and found["New Jersey"]["country"] == "US"
    assert found["Inner Mongolia"]["country"] == "CN"
    assert "Mexico" not in found and "Jersey" not in found and "Mongolia" not in found


def test_a_capital_is_a_place_unless_its_government_acts():
    hotel = places("The Greek minister spoke at a central Athens hotel; Rome's Gemelli hospital discharged him.")
    assert hotel["Athens"]["country"] == "GR" and hotel["Rome"]["country"] == "IT"
    acting = extract_text("Moscow delivered two S-400 batteries, and Washington's decision followed.")
    assert not any(e["kind"] == "place" and e["name"] in {"Moscow", "Washington"} for e in acting["entities"])
    assert {"RU", "US"} <= {e["country"] for e in acting["entities"] if e["kind"] == "actor"}


def test_a_name_is_a_capital_only_when_the_capital_is_its_largest_town():
    found = places("San Jose, California, reported two cases; Melbourne and Victoria were affected too.")
    assert found["San Jose"]["country"] == "US"
    assert found["Victoria"]["country"] == "AU" and found["Victoria"]["precision"] == "admin1"


def test_the_country_after_a_comma_places_the_name():
    found = places("The US Army held a ceremony at Kelley Barracks in Stuttgart, Germany, last week.")
    assert found["Stuttgart"]["country"] == "DE"


def test_french_function_words_and_bare_directions_are_not_places():
    found = places("La cérémonie s'est tenue à Gao. Au total, deux cents soldats venus d'Europe du Nord et de "
                   "l'Est y ont participé, avec un avion Tucano.")
    assert "Gao" in found and not {"La", "Au", "Nord", "Est", "Tucano"} & set(found)


def test_a_capital_that_does_not_act_is_also_the_city():
    found = places("Egypt reported cases in three areas, namely Cairo, Giza and Minya; the WHO's Beijing "
                   "spokesman said the Foreign Office had asked Moscow for a response.")
    assert near(found["Cairo"], 30.06, 31.25) and found["Cairo"]["country"] == "EG"
    assert near(found["Beijing"], 39.91, 116.40) and near(found["Moscow"], 55.75, 37.62)


def test_a_place_heading_the_name_of_its_office_or_body():
    text = ("Queensland Premier Peter Beattie declared a disaster. The Auckland Regional Public Health Service "
            "sent a team, and a Westminster City Council spokeswoman, in London, confirmed it.")
    found = places(text)
    assert found["Queensland"]["country"] == "AU" and found["Queensland"]["precision"] == "admin1"
    assert found["Auckland"]["country"] == "NZ" and found["Auckland"]["mentions"][0]["start"] == text.index("Auck")
    assert near(found["Westminster"], 51.50, -0.13)
    newspaper = places("The Los Angeles Times reported it on Friday. The Department of Health said nothing.")
    assert not newspaper


def test_a_country_code_glued_to_a_currency_sign_is_not_a_place():
    text = "Newmont Mining offered up to US$6,000 to residents; the mine's owners are in the US."
    found = places(text)
    assert found["US"]["country"] == "US"
    assert [m["start"] for m in found["US"]["mentions"]] == [text.rindex("US")]


def test_a_country_code_before_a_noun_is_a_mention_of_the_country_the_text_places():
    # "US officials" names the United States as a geoparser counts toponyms; the text also names the
    # country as a place ("the US has pledged"), so both spans are mentions of that one place
    text = "US officials met on Monday. Since then the US has pledged $8 million and the UK is sending a team."
    found = places(text)
    assert [m["start"] for m in found["US"]["mentions"]] == [0, text.rindex("US")]
    assert found["UK"]["country"] == "GB"


def test_a_country_named_only_as_a_modifier_is_no_place_of_the_text():
    for text in ("US officials and the U.S. Food and Drug Administration met growers in Salinas, California.",
                 "L'US Navy a envoyé un navire-hôpital à Bamako."):
        found = places(text)
        assert not [e for e in found.values() if e["feature"] == "country"], text
        assert {"California", "Bamako"} & set(found)


def test_a_modifier_mention_of_a_country_is_never_a_claims_place():
    for text in ("U.S. Army crews deployed M1A2 Abrams tanks to Poland on Monday. The U.S. has sent "
                 "tanks to Europe before.",
                 "L'US Army a déployé des chars M1A2 Abrams en Pologne. Les États-Unis ont confirmé l'envoi."):
        record = extract_text(text, "2024-06-20")
        united_states = next(e for e in record["entities"] if e["kind"] == "place" and e.get("country") == "US")
        assert [m["text"] for m in united_states["mentions"]] in (["U.S.", "U.S."], ["US", "États-Unis"])
        country_of = {e["id"]: e.get("country") for e in record["entities"]}
        tanks = [c for c in record["claims"] if c["event"] == "deployment" and c["equipment"]]
        assert tanks and {country_of[c["place"]] for c in tanks} == {"PL"}


def test_a_country_named_inside_a_body_after_of_or_with_a_possessive_is_also_a_place():
    text = ("The government of Chad has agreed to the plan. The United Kingdom's Health Ministry and the "
            "United States Congress were told.")
    found = places(text)
    assert found["Chad"]["country"] == "TD" and found["United Kingdom"]["country"] == "GB"
    assert "United States" not in found  # leading the body's name, the country only qualifies it


def test_a_country_after_of_in_a_body_is_a_place_under_any_of_its_catalog_names():
    found = places("The Ministry of Health of the People's Republic of China ordered that all cases be reported.")
    assert found["People's Republic of China"]["country"] == "CN"
    assert found["People's Republic of China"]["feature"] == "country"
    french = places("Le ministère de la Défense de la République du Mali a confirmé la livraison.")
    assert french["République du Mali"]["country"] == "ML"


def test_a_nationality_before_the_body_it_qualifies_is_not_a_place():
    found = places("The Chadian authorities and the Canadian government sent doctors to Abeche.")
    assert not {"Chadian authorities", "Canadian government", "Chadian", "Canadian"} & set(found)


def test_a_place_inside_an_adjective_it_forms():
    found = places("A Denver-based contractor lost a Kabul-bound convoy near the border.")
    assert found["Denver"]["country"] == "US" and found["Kabul"]["country"] == "AF"


def test_a_state_defined_with_its_abbreviation_is_a_place_not_a_body():
    text = "Horses were confined in New South Wales (NSW). Later the rules in NSW were eased."
    record = extract_text(text)
    found = {e["name"]: e for e in record["entities"]}
    assert found["New South Wales"]["kind"] == "place" and found["New South Wales"]["country"] == "AU"
    # the acronym in brackets mentions the state too (`test_geoparse_mentions`)
    assert [m["start"] for m in found["New South Wales"]["mentions"]] == [text.index("New"), text.index("NSW"),
                                                                         text.rindex("NSW")]


def test_names_written_with_capitals_beyond_latin_1_and_portuguese_joiners():
    found = places("Flights from İstanbul and Łódź were cancelled; cases rose in Rio Grande do Sul.")
    assert found["İstanbul"]["country"] == "TR" and found["Łódź"]["country"] == "PL"
    assert found["Rio Grande do Sul"]["feature"] == "admin" and found["Rio Grande do Sul"]["country"] == "BR"


def test_an_archipelago_is_drawn_at_its_conventional_point_not_one_islands_middle():
    found = places("Floods hit Indonesia and the Philippines, while Canada and the United States sent aid.")
    assert near(found["Indonesia"], -5.0, 120.0, 50) and near(found["Philippines"], 13.0, 122.0, 50)
    assert near(found["United States"], 39.5, -98.6, 150)  # a continent-sized landmass keeps its own middle


def test_a_bent_country_is_pinned_on_its_own_land_not_in_a_neighbour():
    # The middle of Norway's, Vietnam's or Somalia's landmass lies in Sweden, Laos or Ethiopia: a map
    # user reading the pin would take it for the neighbour.
    from orbat.brief import naturalearth

    found = places("Aid reached Norway, Vietnam and Somalia; Sweden, Laos and Ethiopia sent teams.")
    for country, neighbour in (("Norway", "SE"), ("Vietnam", "LA"), ("Somalia", "ET")):
        lat, lon = found[country]["lat"], found[country]["lon"]
        own, other = naturalearth.country(found[country]["country"]), naturalearth.country(neighbour)
        assert any(on_ring(ring, lon, lat) for ring in own.rings), country
        assert not any(on_ring(ring, lon, lat) for ring in other.rings), country


def test_a_bent_country_is_pinned_near_the_middle_of_its_land_not_where_its_name_fits_on_a_map():
    # Vietnam's landmass has its middle in Laos; the nearest Vietnamese land is near Hue, in the
    # narrow centre, while a map's label point for "Vietnam" sits in the wide north near Hanoi.
    for text in ("Aid reached Vietnam on Monday.", "L'aide est arrivée au Viêt Nam lundi."):
        vietnam = next(e for e in places(text).values() if e["country"] == "VN")
        assert near(vietnam, 16.46, 107.59, 150) and not near(vietnam, 21.03, 105.85, 400), text


def on_ring(ring: tuple[tuple[float, float], ...], lon: float, lat: float) -> bool:
    """Whether (lon, lat) lies within a closed ring of (lon, lat) points: count the edges a ray east crosses."""
    crossings = sum((y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
                    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))
    return crossings % 2 == 1


def test_a_large_country_is_drawn_at_the_middle_of_its_area_not_nearer_the_pole():
    # China's geographic centre lies in Gansu, about 35.8 N 103.5 E; measured in plain degrees the
    # northern steppe would weigh too much and pull the point some 100 km north.
    found = places("Exports from China rose while Russia cut its gas supplies.")
    assert near(found["China"], 35.8, 103.5, 50)


def test_a_name_the_text_calls_a_state_is_the_state_not_the_capital():
    farm = places("A cow from a Washington state farm tested positive; the governor of New York state spoke.")
    assert near(farm["Washington"], 47.3, -120.2, 150) and farm["Washington"]["precision"] == "admin1"
    assert farm["New York"]["precision"] == "admin1"
    french = places("Des cas ont été signalés dans l'État de Washington.")
    assert near(french["Washington"], 47.3, -120.2, 150)


def test_a_name_listed_among_states_is_a_state():
    found = places("Cases were found in Oregon, Tennessee, Texas, Utah, Virginia, Washington and Wyoming.")
    assert near(found["Washington"], 47.3, -120.2, 150) and found["Washington"]["precision"] == "admin1"


def test_a_country_name_among_another_countrys_states_is_the_state():
    listed = places("Cases were reported in Arizona, California, Colorado, Georgia, Illinois and Missouri.")
    assert listed["Georgia"]["country"] == "US" and near(listed["Georgia"], 32.7, -83.4, 150)
    town = places("Samples were sent to the CDC in Atlanta, Georgia, last week.")
    assert town["Georgia"]["country"] == "US" and town["Georgia"]["precision"] == "admin1"
    war = places("Russia and Georgia fought in 2008; Tbilisi, Georgia, was calm.")
    assert war["Georgia"]["country"] == "GE" and war["Georgia"]["precision"] == "country"
    congo = places("Ebola was found in the Democratic Republic of Congo and the Republic of Congo.")
    assert congo["Democratic Republic of Congo"]["country"] == "CD" and congo["Republic of Congo"]["country"] == "CG"


def test_a_county_is_placed_in_its_state_never_at_a_namesake_town_far_away():
    found = places("A Dallas County jury in Texas concluded the trial.")
    assert near(found["Dallas County"], 32.78, -96.81) and found["Dallas County"]["precision"] == "admin2"
    far = places("Austin, in Scott County, Indiana, was the epicenter of the outbreak.")
    # Scott, Louisiana is no stand-in for a county in Indiana: the county itself, in Indiana
    assert near(far["Scott County"], 38.68, -85.75, 30) and far["Scott County"]["precision"] == "admin2"


def test_according_to_a_source_is_not_a_place_but_according_to_its_officials_is():
    assert places("According to Texas health officials, cases rose in the state.")["Texas"]["country"] == "US"
    assert "Reuters" not in places("The flu spread quickly, according to Reuters.")
