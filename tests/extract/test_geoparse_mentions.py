"""Which spans of a text mention a place, in English and French: a country's code after the noun it
qualifies, a body's name that a country's code opens, an acronym a text defines for a state, and a
name the text placed once standing alone elsewhere in it.

Short texts we wrote about real places; the default index only.
"""

from __future__ import annotations

from tests.extract.helpers import extract_text


def place_entities(text: str) -> list[dict]:
    return [e for e in extract_text(text)["entities"] if e["kind"] == "place"]


def mentioned(text: str, entity: dict) -> list[str]:
    return [text[m["start"] : m["end"]] for m in entity["mentions"]]


def test_a_code_after_the_noun_it_qualifies_is_no_place_in_french():
    for text in (
        "Selon des responsables US, deux drones ont frappé Kidal, au Mali.",
        "Les soldats UK sont arrivés à Gao, au Mali, le 3 mars.",
    ):
        assert {e["country"] for e in place_entities(text)} == {"ML"}, text
    # the country named as a place stays one, in either language
    text = "Les soldats sont rentrés aux US après six mois à Gao."
    assert "US" in {e["country"] for e in place_entities(text)}
    text = "The soldiers returned to the US after six months in Gao."
    assert "US" in {e["country"] for e in place_entities(text)}


def test_a_country_is_one_entity_however_its_mentions_name_it():
    for text in (
        "Des experts de l'UK Health Security Agency sont arrivés à Londres, au Royaume-Uni.",
        "Experts from the UK Health Security Agency arrived in London, in the United Kingdom.",
    ):
        kingdom = [e for e in place_entities(text) if e["country"] == "GB" and e["feature"] == "country"]
        assert len(kingdom) == 1, text
        spans = [(m["start"], m["end"]) for m in kingdom[0]["mentions"]]
        assert len(spans) == len(set(spans)) == 2, text
    text = "Des experts de l'UK Health Security Agency sont arrivés à Londres."
    kingdom = [e for e in place_entities(text) if e["country"] == "GB" and e["feature"] == "country"]
    assert [mentioned(text, e) for e in kingdom] == [["UK"]]


def test_an_acronym_defined_for_a_state_mentions_the_state():
    text = "Horses were culled in New South Wales (NSW) on Monday. Racing in NSW stopped."
    wales = next(e for e in place_entities(text) if e["name"] == "New South Wales")
    assert mentioned(text, wales) == ["New South Wales", "NSW", "NSW"]
    text = "Des soldats sont arrivés en Rhode Island (RI), aux États-Unis."
    island = next(e for e in place_entities(text) if e["name"] == "Rhode Island")
    assert mentioned(text, island) == ["Rhode Island", "RI"]


def test_a_body_named_after_a_state_leaves_the_state_a_place():
    """ "Racing NSW" reads like a person's name, but an acronym is no surname, nor a short form of the
    body once the text put the state after a clear locative."""
    for text in (
        "Racing NSW suspended all meetings after cases in NSW. Racing resumed everywhere except NSW and Queensland.",
        "Racing NSW a suspendu les courses après des cas en NSW. Les courses reprennent partout sauf NSW "
        "et Queensland.",
    ):
        wales = next(e for e in place_entities(text) if e["name"] == "New South Wales")
        assert len(mentioned(text, wales)) == 2, text


def test_a_name_placed_once_is_that_place_where_it_opens_a_sentence():
    for text in (
        "Flights to Esperance resumed on Monday. Esperance residents had waited for a week.",
        "Les secours sont arrivés à Esperance lundi. Esperance compte 14 000 habitants.",
    ):
        found = [e for e in place_entities(text) if e["name"] == "Esperance"]
        assert [len(e["mentions"]) for e in found] == [2], text


def test_a_state_coordinated_with_a_state_is_the_state():
    """ "in Wales and in England": the repeated preposition keeps the pair a list, so Wales is read
    like England, the country of the United Kingdom, not the Yorkshire village of Wales."""
    text = "Local officials can handle 48,000 deaths in Wales and in England, the report said."
    wales = [e for e in place_entities(text) if e["name"] == "Wales"]
    assert [e["precision"] for e in wales] == ["admin1"]
    text = "Des incendies ont été signalés au Texas et au Washington."
    washington = [e for e in place_entities(text) if e["name"] == "Washington"]
    assert [(e["precision"], e["country"]) for e in washington] == [("admin1", "US")]
    assert washington[0]["lat"] > 45  # the state, in the north-west, not the capital


def test_a_town_put_in_its_state_is_a_place_even_where_its_name_is_a_surname_elsewhere():
    """ "Ebola Reston" reads like a person's name, which makes "Reston" a surname; "Reston, Virginia"
    puts the town in the state that holds it, which vouches for it as a place."""
    for text in (
        "Tests found the deadly Ebola Reston virus in pigs. The strain was first seen in monkeys imported to "
        "Reston, Virginia.",
        "Le virus Ebola Reston a été trouvé chez des porcs. Des singes avaient été importés par Reston, Virginia, "
        "en 1989.",
    ):
        reston = [e for e in place_entities(text) if e["name"] == "Reston"]
        assert [(e["country"], round(e["lat"])) for e in reston] == [("US", 39)], text


def test_a_country_name_opening_a_hyphenated_name_is_part_of_it():
    text = "Des chevaux ont été abattus en Colombie-Britannique, au Canada, puis à Vancouver."
    found = {e["name"]: e for e in place_entities(text)}
    assert "Colombia" not in found
    assert mentioned(text, found["British Columbia"]) == ["Colombie-Britannique"]
    # a hyphenated pair the gazetteer does not know leaves the country as it was
    text = "Fighting resumed along the India-Pakistan border in Kashmir."
    india = [e for e in place_entities(text) if e["name"] == "India"]
    assert [mentioned(text, e) for e in india] == [["India"]]


def test_a_name_joined_by_an_arabic_article_is_one_name():
    """ "Bab el-Oued" is one name: its first word alone is no place (Al Bab is a town in Syria)."""
    text = "The journalist was treated in Bab el-Oued hospital, in Algiers."
    assert {e["country"] for e in place_entities(text)} == {"DZ"}
    text = "Le journaliste était soigné à Bab el-Oued, un quartier d'Alger."
    found = {e["name"]: e for e in place_entities(text)}
    assert {e["country"] for e in found.values()} == {"DZ"}
    assert mentioned(text, found["Bab el-Oued"]) == ["Bab el-Oued"]


def test_a_valley_named_after_a_town_lies_around_it():
    """ "the Napa Valley": the valley around Napa, placed there one precision coarser than the town."""
    for text in (
        "Fires reached the Napa Valley, north of San Francisco, on Monday.",
        "Les incendies ont atteint la Napa Valley, au nord de San Francisco.",
    ):
        napa = [e for e in place_entities(text) if e["name"] == "Napa"]
        assert [(e["country"], e["precision"], round(e["lat"])) for e in napa] == [("US", "admin2", 38)], text
    # a valley named after a river or a word is no town's: Fraser, Michigan is far from Vancouver
    text = "A sick cow was found in Fraser Valley, a farming community near Vancouver."
    assert not [e for e in place_entities(text) if e["name"] == "Fraser"]
    assert not place_entities("Investors in Silicon Valley funded the project.")


def test_states_and_provinces_go_by_their_french_names_too():
    """The default index holds the French names of ISO 3166-2 subdivisions: "en Californie" is the
    state, not La Californie, a quarter of Nice; "la Caroline du Nord" and "la Bavière" are found. (A name
    that several subdivisions bear, as Florida in the US and Uruguay, gets no French name.)"""
    text = "Les épinards venaient de Salinas, en Californie, et un ouragan a frappé la Caroline du Nord."
    found = {e["name"]: e for e in place_entities(text)}
    assert {(e["name"], e["country"], e["precision"]) for e in found.values()} >= {
        ("California", "US", "admin1"),
        ("North Carolina", "US", "admin1"),
    }
    assert found["Salinas"]["country"] == "US"
    found = {e["name"]: e for e in place_entities("La police de Bavière a arrêté deux hommes à Munich.")}
    assert found["Bayern"]["country"] == "DE" and found["Bayern"]["precision"] == "admin1"
    # the English names stay
    text = "The spinach came from Salinas, California, and a hurricane hit North Carolina."
    assert {e["name"] for e in place_entities(text)} >= {"California", "North Carolina", "Salinas"}


def test_a_country_named_like_a_state_is_the_state_in_a_pair_of_states():
    """ "in Alabama and in Georgia", "en Alabama et en Géorgie": Georgia the US state, not the country."""
    for text in (
        "Cases were reported in Alabama and in Georgia.",
        "Des cas ont été signalés en Alabama et en Géorgie.",
    ):
        georgia = [e for e in place_entities(text) if e["name"] == "Georgia"]
        assert [(e["country"], e["precision"]) for e in georgia] == [("US", "admin1")], text


def test_the_short_name_of_an_area_named_in_full_is_that_area():
    """ "Nyanza Province … in Nyanza" is the Kenyan province, not Nyanza in Rwanda; "Gao Region … in
    Gao" keeps the town, which lies in the region."""
    for text in (
        "Cholera spread across Nyanza Province in Kenya. Health officials in Nyanza said 45 people had died.",
        "Le choléra s'est propagé dans la Nyanza Province, au Kenya. Selon les autorités de Nyanza, 45 personnes "
        "sont mortes.",
    ):
        found = place_entities(text)
        assert not [e for e in found if e["country"] == "RW"], text
        province = next(e for e in found if e["name"] == "Nyanza Province")
        assert mentioned(text, province) == ["Nyanza Province", "Nyanza"], text
    text = "Fighting was reported across the Gao Region of Mali. In Gao, the market reopened."
    town = [e for e in place_entities(text) if mentioned(text, e) == ["Gao"]]
    assert [e["precision"] for e in town] == ["locality"]


def test_both_countries_of_a_hyphenated_pair_are_places():
    for text in (
        "Fighting resumed along the India-Pakistan border in Kashmir.",
        "La guerre Russie-Ukraine a repris près de Kharkiv.",
    ):
        countries = {e["country"] for e in place_entities(text) if e["feature"] == "country"}
        assert countries in ({"IN", "PK"}, {"RU", "UA"}), text
    # a designation's part is no country: "Su-24" stays a system
    assert {e["country"] for e in place_entities("Russia delivered Su-24 jets to Syria.")} == {"RU", "SY"}


def test_a_persons_first_name_alone_is_the_person_not_a_town():
    # Socorro, Texas lies beside El Paso; here the text calls Socorro Molina by her first name
    for text in ("Parents from El Paso, Texas, spoke to the senator on Thursday. Socorro Molina, whose son is ill, "
                 "spoke next. Later the senator said: \"Thank you, Socorro. We will act.\"",
                 "Des parents d'El Paso, au Texas, ont parlé au sénateur jeudi. Socorro Molina, dont le fils est "
                 "malade, a parlé ensuite. Le sénateur a répondu : « Merci, Socorro. Nous agirons. »"):
        names = [e["name"] for e in place_entities(text)]
        assert "El Paso" in names and "Socorro" not in names


def test_a_city_that_ends_a_bodys_name_after_its_acronym_is_a_place():
    for text in ("Samples were flown to CDC Atlanta for testing.",
                 "Les échantillons ont été envoyés au CDC Atlanta pour analyse.",
                 "Staff at the SOS Children's Village Malakal said the town was calm."):
        found = place_entities(text)
        assert len(found) == 1 and found[0]["name"] in {"Atlanta", "Malakal"} and found[0]["feature"] == "city"
        assert text[found[0]["mentions"][0]["start"]:found[0]["mentions"][0]["end"]] == found[0]["name"]
    # a region after an acronym is no branch's city: Khorasan is an Iranian province, not where IS fights
    assert place_entities("Fighters of IS Khorasan claimed the attack.") == []


def test_the_last_word_of_a_longer_place_name_after_an_acronym_is_no_branch_city():
    # the index knows "New York" whole: its last word is not York, England
    assert not [e for e in place_entities("Samples were flown to CDC New York for testing.") if e["country"] == "GB"]
    found = place_entities("Les passagers ont atterri à l'aéroport JFK de New York lundi.")
    assert [e["name"] for e in found] == ["New York City"]
    assert abs(found[0]["lat"] - 40.71) < 0.2 and abs(found[0]["lon"] + 74.01) < 0.2


def test_a_town_written_in_two_words_is_the_town_the_text_calls_a_town():
    # GeoNames knows Doğubayazıt as "Dogubeyazit" among others, never in two words
    for text in ("Two children were taken to hospital in Van, Turkey. They came from Dogu Beyazit, a farming town "
                 "in eastern Turkey.",
                 "Deux enfants ont été hospitalisés à Van, en Turquie. Ils venaient de Dogu Beyazit, une ville "
                 "agricole de l'est de la Turquie."):
        found = {e["name"]: e for e in place_entities(text)}
        assert found["Doğubayazıt"]["country"] == "TR" and found["Doğubayazıt"]["feature"] == "city"
    # a person's role is no town: the village elder stays a person
    assert [e["name"] for e in place_entities("Kabul Khan, a village elder, said the road was closed.")] == []
