"""Homonyms that a reader of the whole text would never misplace: the state the rest of the text is
in, a country's name that is also an American state, "Washington state", a lone namesake abroad
when the text is plainly about another country; and words that are no places at all.

Short texts we wrote about real places and events; the default index only.
"""

from __future__ import annotations

from tests.extract.helpers import extract_text
from tests.extract.test_geoparse import near, places


def test_a_town_lies_in_the_state_the_text_names():
    # the largest Fairfield is in California; the text is about Texas
    found = places("The tornado crossed Texas overnight. In Fairfield and Jacksonville, roofs were torn off.")
    assert near(found["Fairfield"], 31.72, -96.16)


def test_a_country_name_is_the_american_state_among_american_places():
    found = places(
        "The sick cow was found on a farm in Alabama. Samples went to a laboratory in Georgia, and "
        "the result was confirmed at the federal laboratory in Ames, Iowa."
    )
    assert found["Georgia"]["country"] == "US" and found["Georgia"]["precision"] == "admin1"
    assert near(found["Georgia"], 32.7, -83.4, 150)


def test_a_country_name_stays_the_country_when_the_text_is_there():
    found = places(
        "Russian troops still hold Abkhazia, a breakaway region of Georgia, while American "
        "instructors train soldiers near Tbilisi and in Texas."
    )
    assert found["Georgia"]["country"] == "GE" and found["Georgia"]["precision"] == "country"


def test_washington_state_is_not_the_district_of_columbia():
    # Virginia lies next to the District, which ISO 3166-2 also calls "Washington"
    found = places("The cow came from a Washington state farm; its tissue was tested at a laboratory in Virginia.")
    assert found["Washington"]["precision"] == "admin1" and near(found["Washington"], 47.4, -120.5, 300)


def test_an_airport_or_a_street_in_new_york_is_in_the_city_not_the_state():
    for text in ("Passengers landed at JFK airport in New York on Monday.",
                 "A fire broke out on a street in New York overnight.",
                 "Une rue de New York a été fermée lundi.",
                 "Les passagers ont atterri à l'aéroport JFK à New York lundi."):
        found = places(text)
        assert found["New York"]["precision"] == "locality" and near(found["New York"], 40.71, -74.01, 20), text
    # one name, one place: the airport's city is what a bare "to New York" later in the text means too
    record = extract_text("Passengers landed at JFK airport in New York on Monday. Flights to New York resumed "
                          "on Tuesday.")
    (city,) = [e for e in record["entities"] if e["kind"] == "place"]
    assert city["precision"] == "locality" and len(city["mentions"]) == 2
    # the state where the text says so, whatever it locates there
    for text in ("Dairy farms in upstate New York lost power on Monday.",
                 "A street in New York State was closed on Monday."):
        (state,) = [e for written, e in places(text).items() if written.startswith("New York")]
        assert state["precision"] == "admin1", text


def test_a_lone_namesake_abroad_is_left_unpinned():
    # the index knows only an Australian hamlet called Piccadilly; the text keeps pointing at Britain
    text = (
        "British detectives searched a sushi bar in Piccadilly where the former Russian agent ate before he fell "
        "ill. He died in a London hospital. Britain asked Moscow to hand over the suspect, the UK expelled four "
        "Russian diplomats, and British police flew to Moscow."
    )
    found = places(text)
    assert found["Piccadilly"]["lat"] is None and found["Piccadilly"]["candidates"]
    assert found["London"]["country"] == "GB"
    # one mention of a country is no focus: troops home from Haiti still land at the American base
    found = places("Cholera patients filled the hospital in St. Marc, Haiti. Troops returned to Ft. Bragg.")
    assert found["Ft. Bragg"]["country"] == "US"


def test_a_town_outside_the_province_written_after_it_is_not_it():
    # the index has no Stroud in Canada, only the English town and American hamlets: the town is
    # placed no finer than the province the text writes after it, never at a namesake abroad
    found = places("Police stopped the truck on Highway 11 in Stroud, Ontario, and the driver was charged.")
    assert found["Stroud"]["country"] == "CA" and found["Stroud"]["precision"] == "admin1"
    assert near(found["Stroud"], 50.0, -86.0, 50)
    assert near(places("The convoy passed through Springfield, Illinois, at dawn.")["Springfield"], 39.80, -89.64)


def test_a_season_before_a_year_is_no_town():
    found = places("Two pupils fell ill in Spring 2002 and three more in the Summer of 2008, doctors in Houston said.")
    assert "Spring" not in found and "Summer" not in found and found["Houston"]["country"] == "US"


def test_a_name_after_a_personal_title_is_a_person():
    found = places("Dr. Ivins’ lawyer said Mr. Clawson had never visited the Army laboratory in Frederick, Maryland.")
    assert "Ivins’" not in found and "Clawson" not in found and found["Frederick"]["country"] == "US"


def test_a_title_abbreviated_before_a_name_is_no_place():
    # "Sen." was an unplaced place whose best reading was a town in Japan, "Sens." could be the French town
    found = places("In Texas, Sen. Ted Cruz said the bill would fail, and Rep. Jim Jordan of Ohio agreed. "
                   "In Austin, Gov. Greg Abbott objected, as did Sens. Mike Lee and Rand Paul.")
    assert not {"Sen", "Rep", "Gov", "Sens"} & set(found)
    assert found["Texas"]["precision"] == "admin1" and found["Austin"]["country"] == "US"
    found = places("In Iraq, Lt. Gen. Mark Milley and Maj. Gen. Tom Smith met the troops.")
    assert not {"Lt", "Gen"} & set(found) and found["Iraq"]["country"] == "IQ"
    # the word after a locative, ending its sentence, is still the town
    found = places("Floods hit the town of Sens. Residents fled to higher ground.")
    assert found["Sens"]["country"] == "FR" and near(found["Sens"], 48.20, 3.28)


def test_of_opening_a_sentence_is_the_word():
    # the abbreviation's full stop hides the end of the sentence; Istanbul makes a Turkish town plausible
    found = places(
        "Two passengers who landed in Istanbul from New York had been infected after a trip to the U.S. "
        "Of Brazil's flu cases, nine are in São Paulo."
    )
    assert "Of" not in found and found["São Paulo"]["country"] == "BR"


def test_a_state_after_according_to_is_no_speaker():
    found = places("Mosquitoes in Warwick carried the virus, according to Rhode Island state health officials.")
    assert found["Rhode Island"]["precision"] == "admin1" and near(found["Rhode Island"], 41.7, -71.5, 100)
    record = extract_text("The plan was approved, according to Grant Shapps, the defence secretary.")
    assert [e["name"] for e in record["entities"] if e["kind"] == "actor"] == ["Grant Shapps"]


def test_a_school_called_by_its_short_name_is_no_town():
    text = (
        "Five boys attending Franklin Elementary in Santa Ana, California, fell ill. A teacher at Franklin said "
        "more children near Franklin were sick."
    )
    found = places(text)
    assert set(found) == {"Santa Ana", "California"} and found["Santa Ana"]["country"] == "US"


def test_the_names_of_one_list_are_near_one_another():
    # Peru has several towns called San Pablo; the one listed with Celendin and Bambamarca is in Cajamarca
    for text in ("Celendin, Bambamarca and San Pablo are provincial capitals in northern Peru.",
                 "Celendin, Bambamarca et San Pablo sont des chefs-lieux de province du nord du Pérou."):
        found = places(text)
        assert near(found["San Pablo"], -7.12, -78.83, 30), found["San Pablo"]
    # a list names different places: the state listed beside its city is the state
    found = places("Storms closed roads in New York City, Long Island, New York, Pennsylvania and New Jersey.")
    assert found["New York"]["precision"] == "admin1"


def _mentioned(found: dict[str, dict]) -> set[str]:
    """Every text the record's places are mentioned by."""
    return {m["text"] for place in found.values() for m in place["mentions"]}


def test_a_town_lies_in_the_us_state_abbreviated_after_it():
    # Springfield, Missouri is the largest Springfield; Rome, Paris and Birmingham are far larger abroad
    found = places("Flood warnings went out for Springfield, Ill., and for Rome, Ga., on Monday night.")
    assert found["Springfield"]["country"] == "US" and near(found["Springfield"], 39.80, -89.64)
    assert found["Rome"]["country"] == "US" and near(found["Rome"], 34.26, -85.16)
    texas = places("Police in Paris, Tex., said the driver of the truck was arrested at a motel.")
    assert texas["Paris"]["country"] == "US" and near(texas["Paris"], 33.66, -95.56)
    # the abbreviation names the state only: no hamlet in Armenia, no Kazakh province called "Ala"
    assert "Tex" not in _mentioned(texas)
    more = places("The band played in Portland, Ore., before a show in Birmingham, Ala., last spring.")
    assert near(more["Portland"], 45.52, -122.68) and near(more["Birmingham"], 33.52, -86.80)
    assert not {"Ore", "Ala"} & _mentioned(more)
    postal = places("A water main broke near Springfield, IL on Tuesday.")
    assert near(postal["Springfield"], 39.80, -89.64)


def test_a_capital_with_a_us_state_after_it_is_the_american_town_not_a_government():
    record = extract_text("A tornado hit Rome, Ga., overnight and tore the roof off a school.")
    assert not [e for e in record["entities"] if e["country"] == "IT"]  # neither Italy nor its state


def test_a_capital_a_storm_or_an_earthquake_hits_is_the_city_not_its_government():
    for text in ("A storm hit Rome on Tuesday and flooded the metro.",
                 "Heavy snow has blanketed Rome since Monday.",
                 "Une tempête a frappé Rome mardi et inondé le métro.",
                 "Un séisme a secoué Rome dans la nuit.",
                 "La neige est tombée sur Rome lundi."):
        record = extract_text(text)
        assert not [e for e in record["entities"] if e["kind"] == "actor"], text  # no Italian government
        found = {e["name"]: e for e in record["entities"] if e["kind"] == "place"}
        assert near(found["Rome"], 41.89, 12.51), text
    # a capital that acts is still its government
    for text in ("Rome condemned the strike on Tuesday.", "Rome a condamné la frappe mardi.",
                 "A storm of criticism hit Rome on Tuesday.", "Une tempête de critiques a frappé Rome mardi."):
        record = extract_text(text)
        assert any(e["kind"] == "actor" and e["country"] == "IT" for e in record["entities"]), text


def test_a_town_lies_in_the_us_state_written_out_after_it_over_a_bigger_namesake():
    found = places("Students at the university in Moscow, Idaho, returned to class after the snowstorm.")
    assert found["Moscow"]["country"] == "US" and near(found["Moscow"], 46.73, -117.0)
    athens = places("Students marched through Athens, Georgia, on Friday evening.")
    assert athens["Athens"]["country"] == "US" and near(athens["Athens"], 33.96, -83.38)
    # "Georgia" after an American town is the state it lies in, as a country after a town is its country
    assert athens["Georgia"]["country"] == "US" and athens["Georgia"]["precision"] == "admin1"
    text = "The army post near Columbus, Georgia, trains infantry, while Columbus, Ohio, hosts a depot."
    record = extract_text(text)
    columbus = {m["start"]: e for e in record["entities"] if e["kind"] == "place" for m in e["mentions"]}
    assert near(columbus[text.index("Columbus")], 32.46, -84.99)  # Georgia's, not the larger city in Ohio
    assert near(columbus[text.rindex("Columbus")], 39.96, -83.0)
    assert columbus[text.index("Georgia")]["country"] == "US"


def test_a_country_after_a_town_stays_the_country_the_town_is_in():
    # the regression guard for the American readings above: Georgia the country, Greece, France
    found = places("Russian troops left Tbilisi, Georgia, in 1993. Georgia's army has grown since.")
    assert found["Tbilisi"]["country"] == "GE"
    assert found["Georgia"]["country"] == "GE" and found["Georgia"]["precision"] == "country"
    alone = places("Russia still occupies Abkhazia and South Ossetia, and Georgia wants them back.")
    assert alone["Georgia"]["country"] == "GE" and alone["Georgia"]["precision"] == "country"
    europe = places("Protesters gathered in Paris, France, and in Athens, Greece, on Saturday.")
    assert europe["Paris"]["country"] == "FR" and europe["Athens"]["country"] == "GR"
    french = places("Des soldats russes ont quitté Tbilissi, en Géorgie, en 1993. La Géorgie a protesté.")
    assert french["Géorgie"]["country"] == "GE" and french["Tbilissi"]["country"] == "GE"
    # a postal code that is also a country's code names no state after a town the state lacks
    assert places("Aid officials met in Niamey, NE on Monday.")["Niamey"]["country"] == "NE"


def test_french_writes_the_us_state_after_its_town_with_en_or_in_brackets():
    # "Atlanta, en Géorgie", "Dalton (Géorgie)": Georgia was the country, and Rome went to Italy
    found = places("Des tornades ont frappé Atlanta, en Géorgie, mardi.")
    assert found["Atlanta"]["country"] == "US" and near(found["Atlanta"], 33.75, -84.39)
    assert found["Géorgie"]["country"] == "US" and found["Géorgie"]["precision"] == "admin1"
    found = places("Des tornades ont frappé Dalton, en Géorgie, et Rome, en Géorgie, mardi.")
    assert near(found["Dalton"], 34.77, -84.97) and near(found["Rome"], 34.26, -85.16)
    assert found["Géorgie"]["country"] == "US" and found["Géorgie"]["precision"] == "admin1"
    for text in ("Les ouvriers de l'usine de Rome (Géorgie) ont été licenciés mardi.",
                 "Workers at the plant in Rome (Georgia) were laid off on Tuesday."):
        found = places(text)
        assert near(found["Rome"], 34.26, -85.16), text
        state = found.get("Géorgie") or found["Georgia"]
        assert state["country"] == "US" and state["precision"] == "admin1", text
    # a town of the country Georgia keeps the country after it, whichever way it is written
    found = places("Des soldats russes sont entrés à Gori, en Géorgie, en août 2008.")
    assert found["Gori"]["country"] == "GE" and found["Géorgie"]["precision"] == "country"
    found = places("Les chars russes ont quitté Gori (Géorgie) en août 2008.")
    assert found["Gori"]["country"] == "GE" and found["Géorgie"]["precision"] == "country"


def test_a_town_of_the_country_georgia_is_not_moved_to_the_american_state():
    # Gori and Batumi have no namesake in the American state, so the name after them is the country
    gori = places("Russian jets bombed Gori, Georgia, in August 2008, and ships shelled Batumi, Georgia.")
    assert gori["Gori"]["country"] == "GE" and near(gori["Gori"], 41.98, 44.11)
    assert gori["Batumi"]["country"] == "GE" and near(gori["Batumi"], 41.64, 41.63)
    assert gori["Georgia"]["country"] == "GE" and gori["Georgia"]["precision"] == "country"
    french = places("Des manifestants se sont rassemblés à Athènes, en Grèce, et à Tbilissi, en Géorgie.")
    assert french["Tbilissi"]["country"] == "GE" and near(french["Tbilissi"], 41.69, 44.83)
    assert french["Géorgie"]["country"] == "GE" and french["Athènes"]["country"] == "GR"


def _actors(text: str) -> set[str]:
    return {e["country"] for e in extract_text(text)["entities"] if e["kind"] == "actor"}


def test_capitals_listed_as_governments_are_the_capitals_not_a_town_and_its_state():
    # "Moscow, Washington" is no Moscow in Washington state, nor Moscow, Idaho: a third capital follows
    text = "Moscow, Washington and Beijing pledged on Friday to keep the arms talks going."
    found = places(text)
    assert found["Moscow"]["country"] == "RU" and near(found["Moscow"], 55.75, 37.62)
    assert found["Washington"]["precision"] != "admin1" and near(found["Washington"], 38.90, -77.04)
    assert {"RU", "US", "CN"} <= _actors(text)
    # a place elsewhere in the text changes nothing
    found = places(text + " Russian artillery kept firing near Kharkiv.")
    assert found["Moscow"]["country"] == "RU" and near(found["Washington"], 38.90, -77.04)
    found = places("Beijing, Washington and Moscow pledged on Friday to keep the arms talks going.")
    assert near(found["Washington"], 38.90, -77.04) and found["Beijing"]["country"] == "CN"


def test_capitals_listed_as_governments_in_french_are_the_capitals():
    # Pékin is also the French spelling of Pekin, Illinois, close to a small Washington there
    text = "Moscou, Washington et Pékin se sont engagés vendredi à poursuivre les pourparlers."
    found = places(text)
    assert found["Moscou"]["country"] == "RU" and near(found["Moscou"], 55.75, 37.62)
    assert near(found["Washington"], 38.90, -77.04)
    assert found["Pékin"]["country"] == "CN" and near(found["Pékin"], 39.91, 116.40)
    assert {"RU", "US", "CN"} <= _actors(text)


def test_a_capital_listed_with_countries_as_governments_is_not_a_town_of_the_next_country():
    # "Moscow, Georgia" opens a list of governments: the country after the capital is the list's next
    # item, not the country the capital lies in (Moscow was left unplaced, Paris too)
    found = places("Moscow, Georgia and Ukraine condemned the vote on Friday.")
    assert found["Moscow"]["country"] == "RU" and near(found["Moscow"], 55.75, 37.62)
    assert found["Georgia"]["country"] == "GE" and found["Georgia"]["precision"] == "country"
    found = places("Paris, Germany and Italy condemned the vote on Friday.")
    assert found["Paris"]["country"] == "FR" and near(found["Paris"], 48.85, 2.35)
    # French puts an article before a country: "Moscou" (no main name of the city) opening the sentence
    # was no place at all
    found = places("Moscou, la Géorgie et l'Ukraine ont condamné le vote vendredi.")
    assert found["Moscou"]["country"] == "RU" and near(found["Moscou"], 55.75, 37.62)
    assert found["Géorgie"]["country"] == "GE" and found["Géorgie"]["precision"] == "country"
    # a town with its state and no list of governments stays the American town
    found = places("Students at the university in Moscow, Idaho, returned to class on Friday.")
    assert found["Moscow"]["country"] == "US" and near(found["Moscow"], 46.73, -117.0)


def test_a_town_and_its_state_in_a_list_of_towns_stays_the_town():
    # the list's next name is a town, not a government: "Moscow, Idaho" is still the American town
    found = places("Snow closed schools in Moscow, Idaho and Spokane on Monday.")
    assert found["Moscow"]["country"] == "US" and near(found["Moscow"], 46.73, -117.0)
    found = places("Students marched through Athens, Georgia, and Atlanta on Friday evening.")
    assert found["Athens"]["country"] == "US" and near(found["Athens"], 33.96, -83.38)
