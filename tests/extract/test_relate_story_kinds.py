"""Claim error kinds found over tests/realworld and tests/corpus (issue 8), each on a short text
written for the test: one fact told twice, hedged futures, words that only look like events."""

from __future__ import annotations

from tests.extract.helpers import extract_text


def _view(record: dict) -> list[tuple[str, list[str], str | None, str | None]]:
    entities = {e["id"]: e for e in record["entities"]}
    return [(c["event"], [entities[e["entity"]]["name"] for e in c["equipment"]],
             entities.get(c["place"] or "", {}).get("country"), c["date"]) for c in record["claims"]]


def test_a_headline_told_again_with_its_systems_is_one_fact():
    record = extract_text("Nigeria receives attack aircraft\n\nSix A-29 Super Tucano aircraft were handed "
                          "over to the Nigerian Air Force in Kainji on Thursday.\n", "2021-07-23")
    assert _view(record) == [("delivery", ["A-29 Super Tucano"], "NG", "2021-07-22")]
    # a headline about another country is another fact
    record = extract_text("Ghana receives new patrol boats\n\nSix A-29 Super Tucano aircraft were handed "
                          "over to the Nigerian Air Force in Kainji on Thursday.\n", "2021-07-23")
    assert {(event, country) for event, _, country, _ in _view(record)} == {("delivery", "GH"), ("delivery", "NG")}


def test_a_vague_telling_dated_otherwise_is_another_fact():
    record = extract_text("Two Mi-35 helicopters arrived in Mali in March 2022. "
                          "Further deliveries arrived in Mali in August 2022.\n", "2023-01-20")
    assert {date for _, _, _, date in _view(record)} == {"2022-03", "2022-08"}


def test_what_a_force_holds_is_not_the_event_the_story_opened_with():
    lead = "Peru signed a contract with South Korea to buy KF-21 fighters. "
    record = extract_text(lead + "Peru's helicopter fleet consists of about 20 Mi-17 and 10 Mi-35.", "2024-05-01")
    assert {(event, tuple(systems)) for event, systems, _, _ in _view(record)} == {
        ("order", ("KF-21",)), ("deployment", ("Mi-17", "Mi-35"))}
    record = extract_text(lead + "Other aircraft include Peruvian MiG-29s.", "2024-05-01")
    assert ("deployment", ["MiG-29"]) in [(event, systems) for event, systems, _, _ in _view(record)]
    # a package still lists what the story's event moved
    record = extract_text("The United States will send more military aid to Ukraine. "
                          "The package includes 12 M777 howitzers.", "2024-05-01")
    assert ("delivery", ["M777"], "UA") in [(event, systems, country) for event, systems, country, _ in _view(record)]


def test_who_takes_delivery_receives_and_a_target_is_not_where_a_transfer_happens():
    record = extract_text("Belarus has taken delivery of Chinese FD-2000 missiles to use against Ukraine.",
                          "2024-05-01")
    (claim,) = record["claims"]
    assert _view(record)[0][2] == "BY"
    names = {e["id"]: e["name"] for e in record["entities"]}
    roles = {(names[a["entity"]], a["role"]) for a in claim["actors"]}
    assert ("Belarus", "recipient") in roles and ("Belarus", "supplier") not in roles
    # the target stays the place of a strike
    record = extract_text("Russia launched Kh-101 missiles against Ukraine on Tuesday.", "2024-05-01")
    assert [(event, country) for event, _, country, _ in _view(record)] == [("combat", "UA")]


def test_exercising_an_option_or_restraint_is_no_military_exercise():
    for sentence in ("Israel did not say whether it would exercise the option for 25 more F-15IA jets.",
                     "Chile urged Peru to exercise restraint near the F-16 base at Antofagasta."):
        record = extract_text("Air forces of the region\n\n" + sentence, "2025-08-02")
        assert "exercise" not in {event for event, _, _, _ in _view(record)}
    record = extract_text("Air forces of the region\n\nChilean F-16 jets took part in an exercise at Antofagasta.",
                          "2025-08-02")
    assert [(event, country) for event, _, country, _ in _view(record)] == [("exercise", "CL")]


def test_a_topic_or_a_use_is_not_an_event():
    record = extract_text("Alliance notes\n\nSteadfast Noon is a NATO exercise in Belgium focused on the rapid "
                          "deployment of F-35 jets.", "2025-08-02")
    assert {event for event, _, _, _ in _view(record)} == {"exercise"}
    record = extract_text("Alliance notes\n\nIn Togo the Bayraktar TB2 is used to strike insurgent camps.",
                          "2025-08-02")
    assert "combat" not in {event for event, _, _, _ in _view(record)}
    record = extract_text("Alliance notes\n\nTwo F-35 jets deployed to Belgium for Steadfast Noon.", "2025-08-02")
    assert ("deployment", "BE") in [(event, country) for event, _, country, _ in _view(record)]


def test_hulls_named_after_a_counted_class_are_there_one_ship_each():
    record = extract_text("Moyens engagés\n2 frégates (le Chevalier Paul et le La Motte-Picquet)\n"
                          "1 frégate (le Jean Bart)\n(novembre 2015)\n", "2016-01-01")
    names = {e["id"]: e["name"] for e in record["entities"]}
    seen = {(names[item["entity"]], (item["quantity"] or {}).get("min"), claim["event"], claim["date"])
            for claim in record["claims"] for item in claim["equipment"]}
    assert seen == {("Chevalier Paul", 1, "deployment", "2015-11"), ("La Motte-Picquet", 1, "deployment", "2015-11"),
                    ("Jean Bart", 1, "deployment", "2015-11")}
    # a count elsewhere in the sentence is not the named systems' presence
    record = extract_text("Ukraine news\n\nAnalysts doubt that 31 tanks will change much for Ukraine's Leopard 2 "
                          "crews.", "2023-06-01")
    assert not any(claim["event"] == "deployment" for claim in record["claims"])


def test_a_destination_in_the_next_clause_is_not_where_the_systems_are():
    record = extract_text("Aircraft in Syria\n\nImagery showed two Il-76 transports at Hmeimim air base near Latakia, "
                          "and officials said that another plane flew from Hmeimim to Libya.", "2024-12-20")
    assert [(event, country) for event, systems, country, _ in _view(record) if systems] == [("deployment", "SY")]
    record = extract_text("Aircraft in Syria\n\nTwo Il-76 transports were deployed from Syria to Libya on Friday.",
                          "2024-12-20")
    assert [(event, country) for event, systems, country, _ in _view(record) if systems] == [("deployment", "LY")]


def test_a_maker_name_between_the_demonym_and_the_system_keeps_the_origin():
    record = extract_text("Angola buys from Russia\n\nThe Angolan Air Force operates six Russian-manufactured "
                          "Sukhoi Su-27 fighters at Luanda.", "2019-07-20")
    entities = {e["id"]: e for e in record["entities"]}
    (claim,) = record["claims"]
    assert entities[claim["place"]]["country"] == "AO" and entities[claim["origin"]]["country"] == "RU"


def test_whose_attack_it_is_gives_the_origin_and_the_target_the_place():
    record = extract_text("Air defence news\n\nIran's attack on Israel on Saturday used Shahed-136 drones.",
                          "2024-04-15")
    entities = {e["id"]: e for e in record["entities"]}
    combat = [c for c in record["claims"] if c["event"] == "combat"]
    assert [(entities[c["place"]]["country"], entities[c["origin"]]["country"]) for c in combat] == [("IL", "IR")]


def test_a_country_placed_through_its_force_is_drawn_at_the_countrys_point():
    """"The Malian Air Force operates…" names no place; relate places the claim in Mali, and that
    place must carry the same point and gazetteer id as a "Mali" named in the text, or maps and
    exports lose the sighting."""
    added = extract_text("The Malian Air Force operates two Airbus C295 transport aircraft.", "2024-11-12")
    named = extract_text("Two Airbus C295 transport aircraft are based in Mali.", "2024-11-12")

    def country_of_claim(record: dict) -> dict:
        entities = {e["id"]: e for e in record["entities"]}
        return entities[record["claims"][0]["place"]]

    relate_added, resolved = country_of_claim(added), country_of_claim(named)
    assert relate_added["catalog_id"] == resolved["catalog_id"] == "country:ML"
    assert relate_added["lat"] is not None
    for key in ("lat", "lon", "gazetteer_id", "precision"):
        assert relate_added[key] == resolved[key]


def _counts(record: dict) -> list[tuple[str, list[tuple[str, int | None]], str | None]]:
    entities = {e["id"]: e for e in record["entities"]}
    return [(c["event"], [(entities[e["entity"]]["name"], (e["quantity"] or {}).get("max")) for e in c["equipment"]],
             c["date"]) for c in record["claims"]]


def test_a_middle_initial_does_not_end_the_sentence_that_dates_the_fact():
    record = extract_text("On Saturday the carrier USS Dwight D. Eisenhower and its F/A-18E Super Hornet "
                          "squadrons arrived in the Mediterranean.", "2023-11-06")
    assert [(systems, date) for _, systems, date in _counts(record)] == [([("F/A-18E", None)], "2023-11-04")]


def test_a_batch_named_by_its_count_is_the_systems_told_before():
    record = extract_text("A US Air Force C-17 flew eight M777 howitzers to Ukraine on Friday. "
                          "The first four had arrived in Ukraine on Monday.", "2022-05-07")
    assert ("deployment", [("M777", 4)], "2022-05-02") in _counts(record)
    assert not any(("C-17", None) in systems for _, systems, date in _counts(record) if date == "2022-05-02")


def test_one_of_a_fleet_counts_one():
    record = extract_text("One of Switzerland's F/A-18C Hornet fighters crashed near the Susten Pass on Monday.",
                          "2016-08-30")
    assert _counts(record) == [("loss", [("F/A-18C", 1)], "2016-08-29")]


def test_handing_over_a_command_is_no_transfer_of_forces():
    record = extract_text("General Tod Wolters transferred command of US European Command to General "
                          "Christopher Cavoli in Stuttgart on Friday.", "2022-07-02")
    assert not [c for c in record["claims"] if c["event"] in {"transfer", "delivery"}]


def test_a_count_before_the_event_word_counts_the_systems_told_before():
    record = extract_text("Egypt received its first three Rafale fighters in July 2015. "
                          "The jets are the first of 24 ordered under a deal signed in February 2015.", "2015-07-25")
    assert ("order", [("Rafale", 24)], "2015-02") in _counts(record)


def test_a_re_export_moves_systems_on_to_a_third_country():
    record = extract_text("Estonia re-exported D-30 howitzers from former East German stocks to Ukraine "
                          "in October.", "2022-11-02")
    assert [(event, systems, country) for event, systems, country, _ in _view(record)] == [
        ("transfer", ["D-30"], "UA")]


def test_the_agent_of_a_passive_handover_is_its_origin_and_almost_certainly_is_a_hedge():
    record = extract_text("Ukrainian troops fired American-made Stinger missiles that had almost certainly been "
                          "re-exported by Lithuania.", "2022-03-01")
    entities = {e["id"]: e for e in record["entities"]}
    (claim,) = [c for c in record["claims"] if c["event"] == "transfer"]
    assert entities[claim["origin"]]["country"] == "LT"  # not the maker's country
    assert claim["certainty"] == "probable"


def test_strikes_on_a_list_of_countries_are_one_strike_claim_in_each():
    record = extract_text("US B-1B bombers carried out strikes on Iraq and Syria on Friday.", "2024-02-03")
    assert sorted((event, country) for event, _, country, _ in _view(record)) == [("combat", "IQ"), ("combat", "SY")]
    # a strike placed in a town stays one claim, whatever countries the sentence lists
    record = extract_text("US B-1B bombers struck Al-Qaim, near the border between Iraq and Syria, on Friday.",
                          "2024-02-03")
    assert len(record["claims"]) == 1


def test_a_role_noun_after_a_system_in_a_list_is_no_second_event():
    record = extract_text("In March 2015 the Philippine Air Force received two AW109 helicopters and a CASA "
                          "C-295 transport.", "2015-03-30")
    assert [(event, sorted(systems)) for event, systems, _, _ in _view(record)] == [
        ("delivery", ["AW109", "CASA C295"])]
    # as the subject of its own verb the carrier still does the carrying
    record = extract_text("A Russian An-124 transport flew ten BRDM-2 vehicles to Bangui on Friday.", "2020-10-24")
    assert "transport" in {event for event, _, _, _ in _view(record)}


def test_an_arrival_told_beside_a_delivery_is_a_delivery():
    record = extract_text("Poland received its first K2 tanks in December 2022, and in August 2023 the first "
                          "FA-50 jets arrived.", "2023-09-01")
    assert sorted((event, systems, date) for event, systems, _, date in _view(record)) == [
        ("delivery", ["FA-50"], "2023-08"), ("delivery", ["K2"], "2022-12")]


def test_a_month_inside_a_vaguer_year_dates_the_event():
    record = extract_text("It is Poland's biggest arms order this year: in January the government agreed to buy "
                          "32 F-35A fighters.", "2020-02-10")
    assert [(event, date) for event, _, _, date in _view(record)] == [("order", "2020-01")]


def test_a_clause_saying_the_same_followed_is_a_second_event_with_its_own_date():
    record = extract_text("France is leaving Mali. The base at Ménaka was returned on 13 June, and the one in Gao "
                          "followed on 15 August.", "2022-08-16")
    assert {(event, date) for event, _, _, date in _view(record)} >= {
        ("withdrawal", "2022-06-13"), ("withdrawal", "2022-08-15")}


def test_a_denial_in_a_relative_clause_keeps_the_reported_fact_beside_it():
    record = extract_text("Western governments say MiG-29 jets were deployed to Libya alongside Wagner mercenaries, "
                          "whose presence Moscow has denied.", "2020-05-27")
    assert {c["certainty"] for c in record["claims"] if c["event"] == "deployment"} == {"reported", "denied"}


def test_a_dated_sentence_about_the_deal_dates_the_story_s_undated_order():
    record = extract_text("Slovakia ordered 14 F-16 Block 70 fighters from the United States. "
                          "Washington approved the sale in 2018.", "2019-01-10")
    assert [(event, systems, date) for event, systems, _, date in _view(record)] == [
        ("order", ["F-16 Block 70"], "2018")]


def test_a_bare_count_after_the_event_word_counts_the_story_s_one_system():
    record = extract_text("IRIS-T air defence systems have arrived in Ukraine. Berlin has pledged four, and Kyiv "
                          "hopes for more.", "2022-10-12")
    entities = {e["id"]: e for e in record["entities"]}
    pledged = [([(entities[e["entity"]]["name"], e["quantity"]["max"]) for e in c["equipment"]],
                entities[c["origin"]]["country"]) for c in record["claims"] if c["event"] == "delivery"]
    assert pledged == [([("IRIS-T", 4)], "DE")]


def test_a_headline_takes_the_leads_count_of_the_whole_fact_but_not_one_suppliers_share():
    headline = "Leopard 2 tanks delivered to Ukraine\n\n"
    record = extract_text(headline + "Canada and Norway each delivered eight Leopard 2 tanks to Ukraine on Friday, "
                          "Defence Minister Oleksii Reznikov said.\n", "2023-02-25")
    told = _counts(record)
    assert told[0] == ("delivery", [("Leopard 2", None)], "2023-02-24")  # the headline: no count of its own
    assert [systems for _, systems, _ in told[1:]] == [[("Leopard 2", 8)]] * 2  # each supplier's share
    # a lead that counts the whole fact still counts the headline's
    record = extract_text(headline + "Eight Leopard 2 tanks from Canada arrived in Ukraine on Friday, "
                          "Defence Minister Oleksii Reznikov said.\n", "2023-02-25")
    assert _counts(record)[0] == ("delivery", [("Leopard 2", 8)], "2023-02-24")


def test_a_system_that_falls_into_the_sea_is_lost_but_falling_figures_are_no_loss():
    record = extract_text("A Russian Su-33 fighter fell into the Mediterranean Sea from the carrier Admiral "
                          "Kuznetsov on Saturday when an arresting cable snapped.", "2016-12-05")
    assert any(event == "loss" and "Su-33" in systems and date == "2016-12-03"
               for event, systems, _, date in _view(record))
    record = extract_text("Sales of Su-35 fighters fell in 2016 as buyers feared US sanctions.", "2017-01-10")
    assert not [c for c in record["claims"] if c["event"] == "loss"]


def test_the_object_of_a_coordinated_verb_takes_no_part_in_the_event():
    record = extract_text("Turkey sent more troops to Syria in February.\n\nPresident Recep Tayyip Erdogan said his "
                          "forces had shot down two Su-24 bombers on Sunday and accused Damascus of breaking the "
                          "ceasefire.", "2020-03-03")
    entities = {e["id"]: e for e in record["entities"]}
    (loss,) = [c for c in record["claims"] if c["event"] == "loss"]
    assert [(entities[a["entity"]]["name"], a["role"]) for a in loss["actors"]] == [("Recep Tayyip Erdoğan", "source")]
    assert entities[loss["place"]]["country"] == "SY"  # where the story's forces are, not the accused's
