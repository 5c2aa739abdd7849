"""Names a reader would never misplace although two places, or two countries, go by them: a short
name both Congos share, read from what else the text names.

Short texts we wrote about real places and events; the default index only.
"""

from __future__ import annotations

from tests.extract.helpers import extract_text


def _country_of(text: str, written: str) -> str | None:
    """The country of the place entity that the mention written as `written` belongs to."""
    record = extract_text(text)
    return next((e["country"] for e in record["entities"] if e["kind"] == "place"
                 and any(m["text"] == written for m in e["mentions"])), None)


def test_a_bare_congo_is_the_congo_the_text_names_in_full():
    text = ("Measles is spreading in the Democratic Republic of the Congo. Most cases are in Ituri, "
            "in the north-east of Congo, health workers said.")
    assert _country_of(text, "Congo") == "CD"
    french = ("La rougeole progresse en République démocratique du Congo. La plupart des cas sont en Ituri, "
              "dans le nord-est du Congo.")
    assert _country_of(french, "Congo") == "CD"


def test_a_bare_congo_is_the_congo_the_text_s_places_lie_in():
    text = "Cholera has reached Goma and Bukavu, two lakeside cities of Congo, aid groups said."
    assert _country_of(text, "Congo") == "CD"


def test_a_bare_congo_stays_the_republic_without_evidence_or_with_its_places():
    assert _country_of("The minister flew to Congo on Monday for talks on forestry.", "Congo") == "CG"
    text = "Ebola was confirmed in the Cuvette-Ouest region of Congo, near Brazzaville's northern road."
    assert _country_of(text, "Congo") == "CG"
    both = ("Refugees crossed from the Democratic Republic of the Congo into the Republic of the Congo; "
            "Congo has opened two camps.")
    assert _country_of(both, "Congo") == "CG"


def _place_of(text: str, written: str) -> dict:
    """The place entity that the mention written as `written` belongs to."""
    record = extract_text(text)
    return next(e for e in record["entities"]
                if e["kind"] == "place" and any(m["text"] == written for m in e["mentions"]))


def test_a_town_the_index_lacks_is_placed_at_the_county_the_text_puts_it_in():
    # the only Rice Lake the index knows is a town in Wisconsin, 570 km from any Fulton County
    for text in ("Hunters found three dead geese near Rice Lake, in Fulton County, Illinois, on Sunday.",
                 "Samples came from ducks shot in the Rice Lake area of Fulton County in Illinois.",
                 "Des chasseurs ont trouvé trois oies mortes près de Rice Lake, dans le comté de Fulton, en Illinois."):
        place = _place_of(text, "Rice Lake")
        assert place["catalog_id"] == "fips:17057" and place["precision"] == "admin2", text


def test_a_town_inside_the_county_written_after_it_stays_the_town():
    place = _place_of("Hunters found three dead geese near Canton, in Fulton County, Illinois, on Sunday.", "Canton")
    assert place["precision"] == "locality" and abs(place["lat"] - 40.56) < 0.2 and abs(place["lon"] + 90.04) < 0.2



def test_haiti_s_central_plateau_is_its_centre_department():
    # ISO 3166-2 calls it "Centre"; Burkina Faso's Plateau-Central region also goes by "Central Plateau"
    for text in ("Cholera cases rose in the Central Plateau and in Artibonite, north of Port-au-Prince, Haiti.",
                 "Les cas de choléra augmentent dans le Plateau Central et en Artibonite, au nord de Port-au-Prince."):
        place = next(e for e in extract_text(text)["entities"] if e.get("catalog_id") == "iso3166-2:HT-CE")
        assert place["mentions"][0]["text"] in {"Central Plateau", "Plateau Central"}, text
    burkina = "Gunmen attacked a village in the Central Plateau region of Burkina Faso, east of Ouagadougou."
    assert _place_of(burkina, "Central Plateau")["catalog_id"] == "iso3166-2:BF-11"


def test_a_district_the_index_lacks_is_no_town_abroad_that_shares_its_name():
    # the index has no Karo regency, only Kāro (India) and Caro (Michigan, which GeoNames also spells
    # Karo); the text is about Indonesia, and the American news agency does not make it about India or
    # the US: the name stays a place, with its candidates, unpinned
    for text in ("The Indonesian health ministry said three children from the district of Karo, in northern "
                 "Sumatra, were being treated in Medan for bird flu, the Associated Press reported.",
                 "Le ministère indonésien de la Santé a indiqué que trois enfants du district de Karo, dans le "
                 "nord de Sumatra, étaient soignés à Medan."):
        place = _place_of(text, "Karo")
        assert place["lat"] is None and place["candidates"], text
        assert _place_of(text, "Medan")["country"] == "ID"
    # a district named after its town, in the country the text is about, keeps its town
    iraq = "Iraqi officials said the fighting reached the district of Sinjar, west of Mosul, in northern Iraq."
    assert _place_of(iraq, "Sinjar")["country"] == "IQ"


def test_common_nouns_are_not_a_country_or_a_base_nicknamed_after_them():
    assert _places_written("Turkeys and chickens eat the same insects, farmers said.") == set()
    assert _places_written("Talks between the two Koreas resumed in Seoul.") == {"Seoul"}
    assert _places_written("The rock band Queen released a song for the campaign.") == set()
    # the nickname in capitals is still the Kuwaiti base, and the country's possessive still the country
    record = extract_text("US jets flew from the Rock, as airmen call Ali Al Salem, to Iraq. Turkey's army waited.")
    names = {e["name"] for e in record["entities"] if e["kind"] == "place"}
    assert {"Ali Al Salem air base", "Turkey", "Iraq"} <= names


def _places_written(text: str) -> set[str]:
    """The written forms of every place mention in the text."""
    return {m["text"] for e in extract_text(text)["entities"] if e["kind"] == "place" for m in e["mentions"]}


def test_a_saint_s_name_with_its_s_is_a_town_and_before_a_building_no_place():
    for text in ("The ferry docked at St. John's, Canada, on Monday.",
                 "Le ferry a accosté à St. John's, au Canada, lundi."):
        place = _place_of(text, "St. John's")
        assert place["country"] == "CA" and abs(place["lat"] - 47.56) < 0.2, text
    assert _place_of("Flooding hit St. George's, the capital of Grenada.", "St. George's")["country"] == "GD"
    # the square and the hospital are named after the saint; no parish or town called St. Peter is meant
    assert _places_written("The Pope will greet crowds in St. Peter's Square on Sunday.") == set()
    assert _places_written("She was treated at St Mary's Hospital in London.") == {"London"}


def test_the_regions_of_england_are_places_and_a_body_named_after_one_is_not():
    for text in ("Nineteen people have died of the disease in the West Midlands, health officials said.",
                 "Dix-neuf personnes sont mortes de la maladie dans les West Midlands, selon les autorités."):
        place = _place_of(text, "West Midlands")
        assert place["country"] == "GB" and place["precision"] == "region" and abs(place["lat"] - 52.5) < 0.5, text
    assert _place_of("A dog died in a caravan park in Cornwall in South West England.",
                     "South West England")["country"] == "GB"
    assert _places_written("Four patients of NHS West Midlands have died, the health service said.") == set()


def test_france_s_former_regions_are_french_places():
    # "Lorraine" was a town in Quebec and "Bourgogne" a village of the Marne; the regions were unknown
    found = _place_of("Des cygnes morts ont été trouvés en Lorraine et en Franche-Comté.", "Lorraine")
    assert found["country"] == "FR" and found["precision"] == "region" and abs(found["lat"] - 48.9) < 0.5
    english = "The epidemic will spread in the Rhône-Alpes region, health officials in Burgundy warned."
    assert _place_of(english, "Rhône-Alpes")["country"] == "FR"
    assert _place_of(english, "Burgundy")["country"] == "FR"
    # a woman's first name is not the region
    assert _places_written("Lorraine Kelly said the show would go on.") == set()


def test_a_region_after_a_hyphenated_adjective_is_the_region():
    for text in ("A man in Pakistan-administered Kashmir has been cut off from aid.",
                 "Un homme du Cachemire sous administration pakistanaise a été privé d'aide."):
        assert any(m in _places_written(text) for m in ("Kashmir", "Cachemire")), text


def test_a_name_listed_with_towns_is_the_large_town_of_that_name():
    for text in ("Two Turkish passengers arrived from New York and Toronto on June 3.",
                 "Deux passagers turcs sont arrivés de New York et de Toronto le 3 juin."):
        assert abs(_place_of(text, "New York")["lat"] - 40.71) < 0.2, text
    # listed with a state, or after a town as its province, the area stays the area
    assert _place_of("Farms in New York and New Jersey reported sick birds.", "New York")["precision"] == "admin1"
    assert _place_of("Menu Foods is based in Mississauga, Ontario, in Canada.", "Ontario")["country"] == "CA"
    # no large city goes by Florida: the state stays the state beside a city
    florida = _place_of("He spoke to reporters in New York City and Florida.", "Florida")
    assert florida["precision"] == "admin1" and abs(florida["lat"] - 28) < 2


def test_the_former_provinces_of_dr_congo_are_places_in_it():
    # "Katanga" was an alternate name of a Russian village; the others were not found at all
    for text, written in (("Fighting broke out in Katanga, in the south-east of the DRC.", "Katanga"),
                          ("Des combats ont éclaté au Katanga, dans le sud-est de la RDC.", "Katanga"),
                          ("The disease struck in Ituri district, Orientale province.", "Orientale province"),
                          ("Le virus est apparu dans la Province Orientale.", "Province Orientale"),
                          ("Ebola was first noticed in Kasai Occidental province.", "Kasai Occidental"),
                          ("Supplies went to the province of West Kasai.", "West Kasai")):
        place = _place_of(text, written)
        assert place["country"] == "CD" and place["precision"] == "region", text


def test_a_town_in_a_named_region_is_placed_there_when_the_index_knows_it_only_abroad():
    # the index knows Kalam only as another name of Kallam, India; the text puts it in the Swat Valley
    for text in ("Four US helicopters landed in the tourist town of Kalam in the Swat Valley, north-west Pakistan.",
                 "Quatre hélicoptères américains se sont posés à Kalam, dans la vallée de Swat, au nord-ouest du "
                 "Pakistan."):
        kalam = _place_of(text, "Kalam")
        assert kalam["country"] == "PK" and kalam["precision"] == "region" and abs(kalam["lat"] - 35.2) < 0.5, text
    # a village the index lacks, in a region the catalog knows
    kogelo = _place_of("Tourists troop to Kogelo in Nyanza Province to visit the family home.", "Kogelo")
    assert kogelo["country"] == "KE" and kogelo["precision"] == "region"


def test_egyptian_governorates_by_their_usual_english_spellings():
    # ISO 3166-2 spells them Al Minūfīyah, Ad Daqahlīyah and Ash Sharqīyah; news does not
    text = ("Egypt's health ministry said a woman from Menoufia and a boy from Daqahliya died of bird flu "
            "this week. Two more cases were reported in Monufia and Dakahlia, and a third in Sharqia.")
    for written, code in (("Menoufia", "EG-MNF"), ("Monufia", "EG-MNF"), ("Daqahliya", "EG-DK"),
                          ("Dakahlia", "EG-DK"), ("Sharqia", "EG-SHR")):
        place = _place_of(text, written)
        assert place["catalog_id"] == f"iso3166-2:{code}" and place["precision"] == "admin1", written
    french = "Le ministère égyptien de la Santé a signalé deux nouveaux cas dans la province de Menoufia."
    assert _place_of(french, "Menoufia")["catalog_id"] == "iso3166-2:EG-MNF"


def _places_written(text: str) -> set[str]:
    """The mentions of place entities in `text`, as written."""
    return {m["text"] for e in extract_text(text)["entities"] if e["kind"] == "place" for m in e["mentions"]}


def test_a_university_named_after_its_founder_is_no_hamlet_and_a_department_no_town():
    # GeoNames calls Erwin, Tennessee "Vanderbilt" too; Vanderbilt and Yale are also Michigan hamlets,
    # and Justice (Illinois) and Commerce (California) are towns
    text = ("Researchers at Vanderbilt University in Nashville and at Yale University traced the outbreak. "
            "The Justice Department and the Commerce Department declined to comment.")
    written = _places_written(text)
    assert "Nashville" in written
    assert not written & {"Vanderbilt University", "Vanderbilt", "Yale University", "Yale", "Justice Department",
                          "Justice", "Commerce Department", "Commerce"}, written
    # a town that names its university still does, and so does a state its department
    assert _place_of("Students at Aberdeen University in Scotland fell ill.", "Aberdeen University")["country"] == "GB"
    assert _place_of("The Illinois Department of Public Health confirmed the case.",
                     "Illinois Department")["catalog_id"] == "iso3166-2:US-IL"


def test_a_hospital_named_after_a_college_or_university_is_no_town():
    # College (Alaska) and University (Florida) are towns; the hospitals are in Toronto and London
    text = ("An outbreak of MRSA closed a ward of Women's College Hospital in Toronto. Patients were moved "
            "to University Hospital in London, Ontario.")
    written = _places_written(text)
    assert {"Toronto", "London"} <= written
    assert not written & {"College Hospital", "College", "University Hospital", "University"}, written


def test_the_climate_pattern_and_a_book_title_are_no_towns():
    # El Niño is a town in Baja California, Monster one in the Netherlands
    text = ("Aid agencies fear the looming El Nino phenomenon will flood the Dadaab camps in Kenya. "
            "The Monster at Our Door, a book on bird flu, also covered Colony Collapse Disorder in bees.")
    written = _places_written(text)
    assert {"Dadaab", "Kenya"} <= written
    assert not written & {"El Nino", "Monster", "Colony"}, written
    french = "Les agences craignent qu'El Niño n'inonde les camps de Dadaab, au Kenya."
    assert "El Niño" not in _places_written(french)
    assert _place_of("Farm workers marched in El Niño, Baja California, on Monday.", "El Niño")["country"] == "MX"


def test_a_french_area_keeps_its_lower_case_adjective():
    # "le Plateau central" was cut to "Plateau", which is also a Nigerian state
    text = "Le choléra progresse dans le Plateau central et en Artibonite, au nord de Port-au-Prince, en Haïti."
    place = _place_of(text, "Plateau central")
    assert place["catalog_id"] == "iso3166-2:HT-CE" and place["country"] == "HT"
    # a lower-case word that makes no area's name is left out of the name
    nigeria = "Gunmen attacked two villages in Plateau overnight, Nigerian police said."
    assert _place_of(nigeria, "Plateau")["catalog_id"] == "iso3166-2:NG-PL"
    # nor does an English area word in lower case: this is no Sri Lankan Eastern Province
    canada = "Avian flu was found in a gosling in the Eastern province of Prince Edward Island, Canada."
    assert all(e.get("country") != "LK" for e in extract_text(canada)["entities"] if e["kind"] == "place")


def test_a_state_one_letter_off_an_actor_s_name_is_the_state():
    """"Assam" is one edit from "Assad", an alias of the Syrian president in the catalog: a name
    the gazetteer knows as a state, province or large city is that place, with or without a
    locative before it; the actor's own name stays the actor."""
    for text in ("Monsoon floods hit Assam and Bihar on Monday, officials said.",
                 "Floods hit the states of Bihar, Assam and Kerala.",
                 "Des inondations ont frappé l'Assam et le Bihar lundi."):
        record = extract_text(text)
        assert _country_of(text, "Assam") == "IN", text
        assert not any(e["catalog_id"] == "bashar-al-assad" for e in record["entities"]), text
    record = extract_text("Assad met the envoy in Damascus on Monday.")
    assert any(e["catalog_id"] == "bashar-al-assad" for e in record["entities"])


def test_a_town_one_letter_off_an_actor_s_name_is_the_town_in_the_state_written_after_it():
    """"Macon" is one edit from "Macron", a president in the catalog, and Macon, Georgia is too small to
    be taken for a town on its size alone; the state written after it, which holds a Macon, says which
    it is, in a list of towns and their states as alone."""
    for text in ("Storms hit Dalton, Georgia, Macon, Georgia, and Rome, Georgia on Tuesday.",
                 "Storms hit Macon, Ga., on Tuesday.",
                 "Des orages ont frappé Dalton, Géorgie, Macon, Géorgie, et Rome, Géorgie, mardi."):
        found = _place_of(text, "Macon")
        assert found["country"] == "US" and abs(found["lat"] - 32.84) < 0.2 and abs(found["lon"] + 83.63) < 0.2, text
        assert not any(e["catalog_id"] == "emmanuel-macron" for e in extract_text(text)["entities"]), text
    alone = extract_text("Storms hit Macon, Georgia on Tuesday.")  # and the state after it is the state
    assert next(e for e in alone["entities"] if e["name"] == "Georgia")["country"] == "US"
    for town in ("Dalton", "Rome"):  # the rest of the list stays where it was
        assert _place_of("Storms hit Dalton, Georgia, Macon, Georgia, and Rome, Georgia on Tuesday.",
                         town)["country"] == "US"
    # the actor's own name stays the actor
    record = extract_text("Macron met the envoy in Paris on Monday.")
    assert any(e["catalog_id"] == "emmanuel-macron" for e in record["entities"])


def test_a_hamlet_half_a_world_from_every_other_place_named_is_left_unpinned():
    # the index's only Piccadilly is a hamlet in Western Australia; the story is in London
    for text in ("The two men met at a sushi bar in Piccadilly, in central London, that afternoon.",
                 "Les deux hommes se sont vus dans un bar à sushis à Piccadilly, dans le centre de Londres."):
        found = _place_of(text, "Piccadilly")
        assert found["lat"] is None and found["lon"] is None and found["candidates"], text
        london = next(e for e in extract_text(text)["entities"] if e["kind"] == "place" and e["country"] == "GB")
        assert abs(london["lat"] - 51.51) < 0.2, text
    # a text that names no other place keeps the reading the index has
    alone = _place_of("The two men met at a sushi bar in Piccadilly that afternoon.", "Piccadilly")
    assert alone["country"] == "AU" and alone["lat"] is not None
