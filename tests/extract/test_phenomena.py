"""Phenomena the extractor must handle, each on a short report written for the test."""

from tests.extract.helpers import claims_about, entities, extract_text, named


def test_slash_and_coordination_give_separate_systems_with_their_counts():
    record = extract_text("Footage from Gao showed seven T-72B3 tanks and at least five BMP-3 vehicles, "
                          "as well as BTR-80/82A carriers.")
    systems = entities(record, "equipment")
    assert {"T-72B3", "BMP-3", "BTR-80A", "BTR-82A"} <= set(systems)
    quantities = {named(record, e["entity"]): e["quantity"] for c in record["claims"] for e in c["equipment"]}
    assert quantities["T-72B3"]["min"] == 7 and quantities["T-72B3"]["max"] == 7
    assert quantities["BMP-3"] == {"min": 5, "max": None, "approximate": False, "text": "at least five"}


def test_hedge_scope_differs_per_claim_in_one_sentence():
    record = extract_text("Turkey delivered two Bayraktar TB2 drones to Niger in May 2024, and it may "
                          "have shipped Akinci drones as well.", "2024-06-10")
    tb2 = claims_about(record, "Bayraktar TB2")
    assert tb2 and tb2[0]["certainty"] == "reported" and tb2[0]["event"] == "delivery"
    assert named(record, tb2[0]["place"]) == "Niger"
    hedged = [c for c in record["claims"] if c["certainty"] == "possible"]
    assert hedged, record["claims"]


def test_sentence_wide_hedges_and_denials():
    record = extract_text("Su-24 bombers were reportedly moved to Libya from Syria.")
    assert record["claims"] and all(c["certainty"] == "speculative" for c in record["claims"])
    denied = extract_text("The ministry denied that any T-90M tanks were delivered to Mali.")
    assert denied["claims"] and denied["claims"][0]["certainty"] == "denied"
    negated = extract_text("Russia has not delivered the S-400 systems to Algeria.")
    assert negated["claims"][0]["certainty"] == "denied"


def test_attribution_names_the_source():
    record = extract_text("According to ISW, Russian forces deployed TOS-1A systems near Pokrovsk in Ukraine.")
    claim = record["claims"][0]
    assert named(record, claim["attributed_to"]) == "Institute for the Study of War"
    assert named(record, claim["place"]) in {"Pokrovsk", "Ukraine"}


def test_ambiguous_installation_follows_the_country_of_the_report():
    niger = extract_text("Nigerien troops gathered at Base 101 in Niamey, Niger, where drones were stationed.")
    base = next(e for e in niger["entities"] if e.get("feature") == "installation")
    assert base["country"] == "NE"
    unknown = extract_text("Drones were stationed at Base 101 last week.")
    base = next(e for e in unknown["entities"] if e.get("feature") == "installation")
    assert base["lat"] is None and len(base["candidates"]) >= 2


def test_ambiguous_city_is_not_silently_geocoded():
    record = extract_text("The vehicles were unloaded in Tripoli.")
    tripoli = next(e for e in record["entities"] if e["kind"] == "place" and e["name"] == "Tripoli")
    assert tripoli["lat"] is None and len(tripoli["candidates"]) >= 2
    libya = extract_text("The vehicles were unloaded in Tripoli, the Libyan capital, for the Libyan National Army.")
    tripoli = next(e for e in libya["entities"] if e["kind"] == "place" and e["name"] == "Tripoli")
    assert tripoli["country"] == "LY"


def test_unknown_designation_is_kept_and_flagged():
    # Neither designation exists: the test is about strings shaped like one that the catalog lacks.
    record = extract_text("Russia sent T-72B9 tanks and new Zhuravlik-7 drones to Mali.")
    unknown = {e["name"]: e for e in entities(record, "equipment").values() if e["catalog_id"] is None}
    assert {"T-72B9", "Zhuravlik-7"} <= set(unknown), entities(record, "equipment")
    assert unknown["T-72B9"]["family"] == "T-72"


def test_cyrillic_and_confusable_spellings_resolve():
    record = extract_text("Колонна Т-72Б3 и БТР-82А прибыла в Бамако.")
    assert {"T-72B3", "BTR-82A"} <= set(entities(record, "equipment"))
    zero_width = extract_text("Seven T-\u200b72B3 tanks arrived in Bamako.")
    assert "T-72B3" in entities(zero_width, "equipment")


def test_generic_classes_are_classes_not_systems():
    record = extract_text("Over 50 armoured vehicles and several artillery systems arrived in Bamako.")
    assert entities(record, "equipment") == {}
    classes = entities(record, "equipment_class")
    assert {"armoured vehicle", "artillery"} <= set(classes)
    claim = record["claims"][0]
    counts = {named(record, e["entity"]): e["quantity"] for e in claim["equipment_classes"]}
    assert counts["armoured vehicle"]["min"] == 51 and counts["armoured vehicle"]["approximate"]


def test_french_report():
    record = extract_text("Des chars T-72B3 et des blindés BTR-82A ont été livrés aux Forces armées maliennes "
                          "à Bamako le 17 janvier 2025.", "2025-01-20")
    assert {"T-72B3", "BTR-82A"} <= set(entities(record, "equipment"))
    assert any(c["event"] == "delivery" and c["date"] == "2025-01-17" for c in record["claims"])
    assert "Malian Armed Forces" in entities(record, "actor")
    assert record["document"]["language"] == "fr"


def test_a_system_named_by_one_plain_word_needs_its_capital_and_its_accents():
    record = extract_text("Huit Rafale et un Tigre ont été déployés en Jordanie malgré une rafale de vent.")
    assert {"Rafale", "Eurocopter Tiger"} <= set(entities(record, "equipment"))
    assert len(entities(record, "equipment")["Rafale"]["mentions"]) == 1
    region = extract_text("Des combats ont eu lieu dans le Tigré, en Éthiopie.")
    assert "Eurocopter Tiger" not in entities(region, "equipment")
    river = extract_text("Les forces irakiennes tiennent Qayyarah, de part et d'autre du Tigre.")
    assert "Eurocopter Tiger" not in entities(river, "equipment")


def test_an_aid_list_comes_from_the_story_s_one_supplier():
    record = extract_text("Security assistance for Ukraine\n\nThe new assistance package for Ukraine includes:\n\n"
                          "800 Stinger systems;\n\n2,000 Javelin missiles;\n\n"
                          "Earlier this year, 40 HMMWV vehicles were transferred from the United States to Ukraine.")
    stingers = claims_about(record, "FIM-92 Stinger")
    assert stingers and stingers[0]["event"] == "delivery"
    assert named(record, stingers[0]["place"]) == "Ukraine"
    assert named(record, stingers[0]["origin"]) == "United States"


def test_a_title_case_headline_keeps_its_event_word():
    record = extract_text("Pentagon Delivers 40 Bradley Vehicles To Ukraine")
    assert [c["event"] for c in record["claims"]] == ["delivery"]
    running = extract_text("Soldiers arrived in Romania for Exercise Rapid Falcon with 4 HIMARS launchers.")
    assert "exercise" not in {c["event"] for c in running["claims"]}


def test_french_losses_and_the_malian_liptako():
    record = extract_text("Treize militaires sont morts pour la France à la suite d'une collision entre deux "
                          "hélicoptères, un Tigre et un Cougar, dans le Liptako malien.", "2019-11-28")
    tigre = claims_about(record, "Eurocopter Tiger")
    assert tigre and tigre[0]["event"] == "loss"
    assert named(record, tigre[0]["place"]) == "Liptako malien"


def test_uncrewed_aerial_vehicles_are_drones():
    record = extract_text("In the past 24 hours, U.S. forces destroyed one Houthi uncrewed aerial vehicle in Yemen.",
                          "2024-09-06")
    assert [(c["event"], named(record, c["place"])) for c in record["claims"]] == [("loss", "Yemen")]
    assert "drone" in entities(record, "equipment_class")


def test_a_shared_one_word_name_takes_the_kind_the_sentence_names():
    helicopters = extract_text("Une collision entre deux hélicoptères, un Tigre et un Cougar, a eu lieu au Mali.")
    assert "AS532 Cougar" in entities(helicopters, "equipment")
    trucks = extract_text("Ten Cougar vehicles were delivered to Iraq.")
    assert "Force Protection Cougar" in entities(trucks, "equipment")


def test_a_sentence_naming_the_previous_event_dates_it():
    record = extract_text("Treize militaires sont morts dans une collision entre deux hélicoptères, un Tigre et un "
                          "Cougar, au Mali. Cet évènement est survenu le lundi 25 novembre, peu avant 20 h.",
                          "2019-11-28")
    assert [(c["event"], c["date"]) for c in claims_about(record, "Eurocopter Tiger")] == [("loss", "2019-11-25")]
