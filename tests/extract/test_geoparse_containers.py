"""Geoparsing of names the default index lacks, placed by the place the text puts them in; names
inside titles and codes; a place's own word glued before a country's name.

Short texts we wrote about real events; the default index only (no imported dumps). The suburbs,
districts and villages below are not in the default index (the tests check that first), so only
their container can place them.
"""

from __future__ import annotations

from tests.extract.helpers import extract_text
from tests.extract.test_geoparse import near, places

from orbat.gazetteer import Gazetteer
from orbat.settings import Settings


def _unknown(*names: str) -> bool:
    return not Gazetteer(Settings().gazetteer_path).lookup(set(names))


def test_a_district_of_a_city_is_placed_at_the_city():
    assert _unknown("Karrada")
    found = places("A truck bomb killed dozens of shoppers in the Karrada district of Baghdad in July 2016.")
    assert near(found["Karrada"], 33.3, 44.4, 60) and found["Karrada"]["country"] == "IQ"
    assert found["Karrada"]["precision"] not in {"point", "locality"}  # near Baghdad, not at it


def test_a_suburb_named_before_its_city_is_placed_there_and_keeps_that_place_when_named_again():
    assert _unknown("Mathare")
    found = places(
        "Police fired tear gas in Mathare, Nairobi, after the 2017 election. Mathare residents said two people died."
    )
    assert near(found["Mathare"], -1.29, 36.82, 40) and found["Mathare"]["precision"] == "admin2"
    assert len(found["Mathare"]["mentions"]) == 2
    found = places("Gangs burned homes in Cite Soleil, a slum north of Port-au-Prince, in 2022.")
    assert near(found["Cite Soleil"], 18.54, -72.34, 40) and found["Cite Soleil"]["country"] == "HT"


def test_french_quarters_and_villages_are_placed_at_their_town():
    assert _unknown("Sabalibougou", "Kouakourou")
    found = places("Des soldats ont patrouillé à Sabalibougou, un quartier de Bamako, en 2020.")
    assert near(found["Sabalibougou"], 12.64, -8.0, 40) and found["Sabalibougou"]["country"] == "ML"
    found = places("Une mine a explosé près de Kouakourou, dans le cercle de Djenné, en 2019.")
    assert near(found["Kouakourou"], 13.9, -4.55, 60) and found["Kouakourou"]["country"] == "ML"


def test_a_town_the_index_lacks_is_placed_at_the_us_state_abbreviated_after_it():
    # as "in Terlingua, Texas" is: the state's point, at the state's precision, under the town's own name
    assert _unknown("Terlingua", "Oatman")
    for text in ("Officials in Terlingua, Tex., said the road had reopened.",
                 "Officials in Terlingua, Texas, said the road had reopened."):
        found = places(text)
        assert found["Terlingua"]["country"] == "US" and found["Terlingua"]["precision"] == "admin1", text
        assert near(found["Terlingua"], 31.26, -98.55, 50), text  # Texas's point
        assert "Tex" not in {m["text"] for place in found.values() for m in place["mentions"]}
    found = places("Two hikers went missing near Oatman, Ariz., and near Terlingua, Tex., last week.")
    assert found["Oatman"]["country"] == "US" and found["Oatman"]["precision"] == "admin1"
    assert found["Terlingua"]["country"] == "US" and not near(found["Oatman"], found["Terlingua"]["lat"],
                                                                  found["Terlingua"]["lon"], 300)
    # the words before a comma and an abbreviated state are no town of that state: a sentence's opening
    # words, a month, a body, a senator's party and state
    for text in ("Meanwhile, Tex. officials said the road had reopened.",
                 "In January, Tex. officials said the road had reopened.",
                 "In January, Texas officials said the road had reopened.",
                 "In Congress, Mass. Democrats pushed for the bill.",
                 "At the hearing, Sen. Ted Cruz, R-Tex., spoke first."):
        record = extract_text(text)
        assert not any(e["kind"] == "place" and e["precision"] == "admin1" and e["name"] != "Texas"
                       for e in record["entities"]), text


def test_a_building_or_a_person_in_a_city_is_not_a_suburb():
    record = extract_text(
        "Casualties were taken to the Kenyatta National Hospital in Nairobi. Said Hadad of Mosul spoke to reporters."
    )
    named = {m["text"] for e in record["entities"] if e["kind"] == "place" for m in e["mentions"]}
    assert "Nairobi" in named
    assert not any("Hospital" in n or "Hadad" in n for n in named)
    # without a locative before it, a comma does not make a list's first name a suburb of the next
    record = extract_text("Kariobangi, Nairobi and Mombasa reported cases on Monday.")
    assert not any(m["text"] == "Kariobangi" for e in record["entities"] if e["kind"] == "place" for m in e["mentions"])


def test_a_place_in_a_newspapers_title_or_a_strain_code_is_no_place():
    found = places("According to China Daily, floods hit Wuhan in July 2016.")
    assert "Wuhan" in found and "China" not in found
    found = places("The Times of India reported that the monsoon flooded Mumbai in 2005.")
    assert "Mumbai" in found and "India" not in found
    found = places("Selon Radio France Internationale, des frappes ont touché Gao en 2013.")
    assert "Gao" in found and "France" not in found
    text = "The 2012 vaccine covered the A/California/7/2009 strain; cases rose in Victoria that winter."
    found = places(text)
    assert "Victoria" in found and "California" not in found


def test_a_word_glued_before_a_countrys_name_makes_a_longer_place():
    found = places("UNESCO added the old town of Mbanza Congo to its World Heritage list in 2017.")
    assert near(found["Mbanza Congo"], -6.27, 14.24) and "Congo" not in found
    found = places("Police clashed with Bundu dia Kongo followers in Bas Congo Province in 2008.")
    assert found["Bas Congo Province"]["country"] == "CD" and found["Bas Congo Province"]["precision"] == "admin1"
    found = places("Talks opened in Brazzaville Congo on Monday.")  # a town before the country is not its name
    assert "Brazzaville" in found


def test_an_area_abroad_that_only_shares_the_words_of_a_name_is_not_pinned():
    # Burkina Faso's "Plateau-Central" is not the Haitian region a Haitian story calls the Central Plateau
    found = places(
        "In October 2010 cholera reached Haiti. Clinics in Port-au-Prince, Saint-Marc, Gonaives, Hinche and "
        "Mirebalais treated patients who came from the Central Plateau."
    )
    assert found["Hinche"]["country"] == "HT"
    plateau = found.get("Central Plateau")
    assert plateau is None or plateau["lat"] is None or near(plateau, 19.0, -72.0, 120)
