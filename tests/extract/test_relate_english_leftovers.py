"""English error kinds left after the first passes on reports written by others (issue 8), each
on a short text written for the test: suppliers named as the subject or in a list, vague
partitives, the carrier of a delivery, orders that move forces, links the text draws, and days
without a year in lists and after a full stop."""

from __future__ import annotations

from tests.extract.helpers import claims_about, extract_text

from orbat.extract.dates import find_dates
from orbat.extract.quantities import quantity_before
from orbat.model import Entity, Mention, Span
from orbat.relate.place_roles import place_roles


def _country(record: dict, entity_id: str | None) -> str | None:
    return next((e.get("country") for e in record["entities"] if e["id"] == entity_id), None)


AID_STORY = "Allies send more armour to Ukraine\n\nThe United States will send 31 M1 Abrams tanks to Ukraine. "


def test_the_country_opening_the_sentence_supplies_what_it_gives():
    record = extract_text(AID_STORY + "The UK recently announced that it is donating Challenger 2 tanks to Ukraine.",
                          "2023-01-25")
    claims = claims_about(record, "Challenger 2")
    assert claims and {_country(record, c["origin"]) for c in claims} == {"GB"}
    assert {_country(record, c["place"]) for c in claims} == {"UA"}
    received = extract_text(AID_STORY + "Ukraine received more Stinger missiles.", "2023-01-25")
    assert all(_country(received, c["origin"]) != "UA" for c in claims_about(received, "FIM-92 Stinger"))


def test_every_country_in_a_list_of_donors_makes_its_own_transfer():
    record = extract_text(AID_STORY + "France, Canada, the UK and Norway have all donated air defense systems "
                          "to help protect Ukrainian cities.", "2023-01-25")
    donors = [c for c in record["claims"] if c["event"] == "delivery" and "donated" in c["sentence"]["text"]]
    assert sorted(_country(record, c["origin"]) for c in donors) == ["CA", "FR", "GB", "NO"]
    assert {_country(record, c["place"]) for c in donors} == {"UA"}


def test_a_vague_word_before_of_the_picks_out_part_of_a_group_and_counts_nothing():
    text = "Several of the BRDM-2 vehicles were seen. Several BRDM-2 vehicles were seen. Two of the BRDM-2 were seen."
    starts = [i for i in range(len(text)) if text.startswith("BRDM-2", i)]
    assert quantity_before(text, starts[0]) is None
    assert quantity_before(text, starts[1]).min == 3
    assert quantity_before(text, starts[2]).min == 2


def test_the_carrier_named_before_its_delivery_shares_the_delivery_date():
    record = extract_text("An Il-76 transport delivered six BTR-80 vehicles to Tbilisi on 2 June.", "2022-12-01")
    carrier = claims_about(record, "Il-76")
    assert carrier and {c["date"] for c in carrier} == {"2022-06-02"}
    assert {c["date"] for c in claims_about(record, "BTR-80")} == {"2022-06-02"}


def test_ordering_forces_to_a_place_is_a_deployment_and_buying_stays_an_order():
    moved = extract_text("Secretary Austin has ordered additional destroyers to the Middle East.", "2024-08-02")
    assert [c["event"] for c in moved["claims"]] == ["deployment"]
    bought = extract_text("Poland ordered 96 AH-64E Apache helicopters to replace its Mi-24 fleet.", "2024-08-02")
    assert {c["event"] for c in claims_about(bought, "AH-64E")} == {"order"}


def test_footage_linking_a_convoy_to_a_place_moves_nothing_there():
    record = extract_text("Armoured column seen in Kherson\n\nA column of T-72 tanks was filmed in Kherson on Monday. "
                          "No image published so far links the Kherson convoy to Crimea.", "2024-03-06")
    places = {_country(record, c["place"]) for c in record["claims"]}
    names = {e["name"] for e in record["entities"] if e["id"] in {c["place"] for c in record["claims"]}}
    assert places == {"UA"} and "Crimea" not in names


def test_days_without_a_year_in_lists_and_ranges_take_the_storys_year():
    text = "The offensive began on 3 March 2022. On 5, 6 and 7 April tanks were seen. Between 10 and 12 May more came."
    values = {d.span.text: d.value for d in find_dates(text, "2023-06-01")}
    assert values["5"] == "2022-04-05" and values["7 April"] == "2022-04-07"
    assert values["Between 10 and 12 May"] == "2022-05-10"


def test_a_full_stop_after_a_month_ends_the_date_and_the_count_of_days_starts_the_next_sentence():
    values = {d.span.text: d.value for d in find_dates("Tanks arrived on 3 March. 3 days later they left.",
                                                          "2023-06-01")}
    assert values == {"3 March": "2023-03-03", "3 days later": "2023-03-06"}
    assert {d.value for d in find_dates("On Mar. 3 a tank was seen.", "2023-06-01")} == {"2023-03-03"}


def test_aid_told_without_systems_names_the_supplier_of_the_systems_told_elsewhere():
    record = extract_text(
        "Moldova to get rocket launchers\n\nMoldova will receive four M142 HIMARS launchers. The United States "
        "has committed about $300 million in security assistance to Moldova since 2022.", "2023-03-01")
    himars = claims_about(record, "M142 HIMARS")
    assert himars and {_country(record, c["origin"]) for c in himars} == {"US"}
    assert {_country(record, c["place"]) for c in himars} == {"MD"}


def test_a_long_line_ending_in_a_semicolon_keeps_the_list_open():
    record = extract_text(
        "Aid for Georgia\n\nThe United States has provided the following equipment to Georgia:\n\n"
        "Over 600 Stinger anti-aircraft systems;\n\n"
        "Nearly 40 million rounds of small arms ammunition and over 1 million grenade, mortar, and artillery "
        "rounds;\n\n70 High Mobility Multipurpose Wheeled Vehicles (HMMWVs) and other vehicles;", "2023-03-01")
    hmmwv = claims_about(record, "HMMWV")
    assert hmmwv and {c["event"] for c in hmmwv} == {"delivery"}
    assert {_country(record, c["origin"]) for c in hmmwv} == {"US"}


def test_loading_systems_onto_a_carrier_and_cargo_leaving_a_port_are_transport():
    loaded = extract_text("Soldiers loaded an M88 recovery vehicle onto a C-17 Globemaster III at Ramstein on May 10.",
                          "2021-05-25")
    assert {c["event"] for c in claims_about(loaded, "C-17 Globemaster III")} == {"transport"}
    shipped = extract_text("Forty Leopard 2 tanks left the port of Bremerhaven on Monday.", "2021-05-25")
    assert {c["event"] for c in claims_about(shipped, "Leopard 2")} == {"transport"}
    troops = extract_text("Forty Leopard 2 tanks left the town of Gao on Monday.", "2021-05-25")
    assert {c["event"] for c in claims_about(troops, "Leopard 2")} == {"withdrawal"}


def test_what_systems_are_needed_for_is_no_exercise():
    record = extract_text("M1A1 Abrams tanks needed for training Ukrainian crews arrived by rail at Grafenwoehr, "
                          "Germany, on May 14.", "2023-06-09")
    claims = claims_about(record, "M1A1 Abrams") or claims_about(record, "M1A1")
    assert claims and "exercise" not in {c["event"] for c in claims}


def test_a_threat_to_strike_states_no_attack():
    record = extract_text("F-16s reach Romania\n\nThe first F-16 fighters have arrived in Romania. "
                          "Russia has threatened to strike any airfield that hosts them.", "2024-08-05")
    assert not [c for c in record["claims"] if c["event"] == "combat"]
    assert {c["event"] for c in claims_about(record, "F-16")} == {"deployment"}


def test_a_sentence_that_doubts_its_own_claim_does_not_doubt_the_one_before():
    record = extract_text("Abrams tank lost near Avdiivka\n\nUkraine received 31 M1A1 Abrams tanks last autumn. "
                          "Russian bloggers claimed that more had been hit, but those claims could not be verified.",
                          "2024-02-27")
    deliveries = [c for c in record["claims"] if c["event"] == "delivery"]
    assert deliveries and {c["certainty"] for c in deliveries} == {"reported"}
    doubted = extract_text("Iran delivered drones to Russia. Iranian officials denied the report.", "2024-02-27")
    assert {"reported", "denied"} <= {c["certainty"] for c in doubted["claims"] if c["event"] == "delivery"}


def test_firing_at_a_range_during_an_exercise_is_the_exercise_and_not_combat():
    record = extract_text("Soldiers fired M142 HIMARS rockets into the Baltic Sea during a live-fire exercise in "
                          "Estonia on May 10.", "2023-05-12")
    assert {c["event"] for c in claims_about(record, "M142 HIMARS")} == {"exercise"}
    titled = extract_text("Patriot live fire at Saber Strike\n\nA Patriot battery engaged a target drone over the "
                          "Baltic Sea off Lithuania.", "2023-06-20")
    assert not [c for c in titled["claims"] if c["event"] == "combat"]
    assert "exercise" in {c["event"] for c in titled["claims"]}


def _located(text: str, name: str, feature: str = "country") -> list[str]:
    """The places `place_roles` keeps as where the fact is, for one place named in `text`."""
    start = text.index(name)
    mention = Mention("country", Span(start, start + len(name), name))
    entity = Entity("e1", "place", name, feature=feature, country="US" if len(name) <= 4 else "LT")
    return [e.name for _, e in place_roles(text, [], [(mention, entity)], [], None, None).located]


def test_a_country_code_coordinated_with_a_demonym_or_an_owner_or_cut_off_is_no_place():
    assert _located("US, Lithuanian forces prove ready along the Baltic coast", "US") == []
    assert _located("The rotation signals the U.S. and NATO's commitment to the region.", "U.S.") == []
    assert _located("A battalion took over the mission of the U.S....... read more", "U.S.") == []
    assert _located("The battalion returned to the U.S. in May.", "U.S.") == ["U.S."]


def test_a_dateline_naming_only_a_country_places_the_report():
    text = "LITHUANIA — The 5th Battalion took over the Patriot mission on June 3."
    assert _located(text, "LITHUANIA") == ["LITHUANIA"]
    assert _located("VILNIUS, Lithuania — The 5th Battalion took over the mission.", "VILNIUS", "city") == []


def test_as_part_of_the_exercise_dates_a_sentence_by_the_exercise():
    record = extract_text("Gunners deployed the launchers from Germany to conduct a drill on May 10. As part of the "
                          "exercise, four M142 HIMARS fired and returned to Germany.", "2023-05-12")
    later = claims_about(record, "M142 HIMARS")
    assert later and {(c["event"], c["date"]) for c in later} == {("exercise", "2023-05-10")}


def test_the_systems_named_again_with_the_keep_the_count_the_story_gave_them():
    record = extract_text("Gunners deployed two M142 High Mobility Artillery Rocket Systems (HIMARS) to Estonia on "
                          "May 10. Reporters watched the launch. As part of the exercise, the HIMARS fired into the "
                          "Baltic Sea.", "2023-05-12")
    counts = {(c["event"], e["quantity"]["min"] if e["quantity"] else None)
              for c in record["claims"] for e in c["equipment"]}
    assert ("exercise", 2) in counts and ("exercise", None) not in counts


def test_jets_flying_over_an_area_come_from_the_base_they_operate_out_of():
    record = extract_text("Typhoons head to Lithuania\n\nFour Typhoons will operate out of RAF Lossiemouth in Moray "
                          "and are expected to fly air policing missions over Lithuania.", "2024-03-01")
    four = [c for c in claims_about(record, "Typhoon") if c["sentence"]["text"].startswith("Four")]
    assert four and {(_country(record, c["place"]), _country(record, c["origin"])) for c in four} == {("LT", "GB")}
    assert {c["certainty"] for c in four} == {"reported"}


def test_a_refuelling_aircraft_and_crews_who_train_move_nothing():
    record = extract_text("Typhoons head to Lithuania\n\nFour Typhoons arrived in Lithuania. They will be supported "
                          "by a tanker, an air-to-air refuelling aircraft.", "2024-03-01")
    assert "transport" not in {c["event"] for c in record["claims"]}
    crews = extract_text("B-1B crews will train with Norwegian F-35 fighters over the Barents Sea.", "2025-08-09")
    assert "transport" not in {c["event"] for c in crews["claims"]}


def test_a_missile_that_hits_is_the_means_of_an_attack_and_a_tank_hit_is_lost():
    record = extract_text("A Russian Kh-101 missile hit the power plant near Lviv on March 22. A Russian T-72 tank "
                          "was hit near Bakhmut.", "2024-03-25")
    assert {c["event"] for c in claims_about(record, "Kh-101")} == {"combat"}
    assert {c["event"] for c in claims_about(record, "T-72")} == {"loss"}


def test_the_country_that_makes_a_system_does_not_buy_it_from_its_customer():
    record = extract_text("The U.S. and Poland signed an agreement for the purchase of HIMARS launchers.",
                          "2018-03-28")
    orders = [c for c in record["claims"] if c["event"] == "order"]
    assert orders and {(_country(record, c["place"]), _country(record, c["origin"])) for c in orders} == {("PL", "US")}


def test_aircraft_that_support_a_deployment_are_deployed_from_their_base():
    record = extract_text("Typhoons head to Lithuania\n\nFour Typhoons arrived in Lithuania. They will be supported by "
                          "RAF Voyager tankers from RAF Brize Norton.", "2024-03-01")
    tankers = claims_about(record, "Airbus Voyager")
    assert tankers and {(c["event"], _country(record, c["origin"])) for c in tankers} == {("deployment", "GB")}


def test_working_to_provide_is_an_effort_not_a_handover():
    for sentence in ("South Korea has been working to provide K2 tanks to Poland.",
                     "Seoul worked to facilitate the transfer of K2 tanks to Poland."):
        record = extract_text(sentence, "2022-12-06")
        assert not {c["event"] for c in record["claims"]} & {"delivery", "transfer"}, sentence
    done = extract_text("South Korea delivered ten K2 tanks to Poland.", "2022-12-06")
    assert {c["event"] for c in claims_about(done, "K2")} == {"delivery"}


def test_an_event_word_as_the_means_of_what_could_happen_is_no_fact():
    maybe = extract_text("NATO said Serbia could ease tensions at once by withdrawing its troops from the border "
                         "with Kosovo.", "2023-10-02")
    assert "withdrawal" not in {c["event"] for c in maybe["claims"]}
    done = extract_text("Serbia withdrew its troops from the border with Kosovo.", "2023-10-02")
    assert "withdrawal" in {c["event"] for c in done["claims"]}


def test_what_a_system_is_used_for_names_no_exercise_across_its_clause():
    used = extract_text("Reaper squadron marks ten years in Sicily\n\nThe MQ-9 Reaper is used as a surveillance "
                        "platform over the Mediterranean to support missions during crises as well as large "
                        "exercises.", "2023-05-10")
    assert "exercise" not in {c["event"] for c in used["claims"]}
    held = extract_text("Reaper squadron marks ten years in Sicily\n\nMQ-9 Reaper drones took part in a large "
                        "exercise over the Mediterranean.", "2023-05-10")
    assert {c["event"] for c in claims_about(held, "MQ-9")} == {"exercise"}
