"""English error kinds found on reports written by others (issue 8), each on a short text written
for the test: makers' demonyms, orders signed by a buyer, aid drawdowns."""

from __future__ import annotations

from tests.extract.helpers import claims_about, extract_text

from orbat.extract.quantities import quantity_before


def _country(record: dict, entity_id: str | None) -> str | None:
    return next((e.get("country") for e in record["entities"] if e["id"] == entity_id), None)


def test_a_makers_demonym_gives_the_origin_and_never_the_place():
    record = extract_text(
        "Oman Land Forces\n\nIn the 1990s Oman turned from Germany to the United Kingdom for its arms. "
        "Its armoured regiment now fields British-built Challenger 2 tanks. The reserve brigade is "
        "equipped with 40 German Leopard 1 tanks.",
        "2020-01-01",
    )
    for name, origin in (("Challenger 2", "GB"), ("Leopard 1", "DE")):
        claims = claims_about(record, name)
        assert claims, name
        assert {_country(record, c["place"]) for c in claims} == {"OM"}, name
        assert origin in {_country(record, c["origin"]) for c in claims}, name


def test_who_signs_an_order_buys_and_the_contracted_delivery_is_the_order():
    record = extract_text(
        "Colombia signed a contract with Saab of Sweden for the delivery of 17 Gripen fighters.",
        "2020-01-01",
    )
    claims = claims_about(record, "JAS 39 Gripen")
    assert [c["event"] for c in claims] == ["order"]
    assert _country(record, claims[0]["place"]) == "CO"
    assert _country(record, claims[0]["origin"]) == "SE"
    buyer = [a for a in claims[0]["actors"] if _country(record, a["entity"]) == "CO"]
    assert buyer and all(a["role"] == "recipient" for a in buyer)


def test_a_drawdown_of_money_is_aid_and_not_a_withdrawal():
    record = extract_text(
        "Pentagon Announces $300 Million Drawdown for Georgia\n\n"
        "The president approved a drawdown of up to $300 million for Georgia's army. "
        "The package includes six M142 HIMARS launchers.",
        "2023-03-01",
    )
    assert not any(c["event"] == "withdrawal" for c in record["claims"])
    himars = claims_about(record, "M142 HIMARS")
    assert himars and {c["event"] for c in himars} == {"delivery"}
    assert {_country(record, c["place"]) for c in himars} == {"GE"}
    troops = extract_text("The last U.S. troops began to draw down from the base in Syria in May 2023.", "2023-06-01")
    assert all(c["event"] != "delivery" for c in troops["claims"])


def test_an_english_count_before_a_category_noun_and_the_designation_counts_the_designation():
    for text, name, count in (
        ("an order for 36 artillery systems Archer", "Archer", 36),
        ("it flies 8 helicopters AW101", "AW101", 8),
    ):
        quantity = quantity_before(text, text.index(name))
        assert quantity is not None and quantity.min == quantity.max == count
    assert quantity_before("sent 40 tanks. T-72", len("sent 40 tanks. ")) is None


def test_providing_a_service_hands_nothing_over():
    record = extract_text(
        "Two A330 MRTT tankers from Istres are providing air-to-air refuelling support to allied jets over Estonia.",
        "2024-05-01",
    )
    assert not any(c["event"] == "delivery" for c in record["claims"])
    aid = extract_text("Norway is providing 12 M109 howitzers to Ukraine.", "2024-05-01")
    assert {c["event"] for c in claims_about(aid, "M109")} == {"delivery"}


def test_an_ability_to_move_troops_is_no_transport():
    record = extract_text(
        "The Pentagon is sending Chad six CH-47 Chinook helicopters to improve the army's ability to transport troops.",
        "2024-05-01",
    )
    assert {c["event"] for c in claims_about(record, "CH-47")} == {"delivery"}


def test_an_army_named_before_the_verb_and_after_to_receives_and_locates_the_transfer():
    record = extract_text(
        "Equipping the Armed Forces of Ghana: the United States intends to transfer to the Armed Forces of "
        "Ghana four C-130H aircraft.",
        "2024-05-01",
    )
    claims = claims_about(record, "C-130H")
    assert claims and {_country(record, c["place"]) for c in claims} == {"GH"}
    assert {_country(record, c["origin"]) for c in claims} == {"US"}


def test_talks_to_purchase_are_only_possible():
    talks = extract_text("Peru is holding talks with South Korea to purchase KF-21 Boramae fighters.", "2024-05-01")
    assert {c["certainty"] for c in claims_about(talks, "KF-21")} == {"possible"}
    firm = extract_text("Peru purchased 24 KF-21 Boramae fighters from South Korea.", "2024-05-01")
    assert {c["certainty"] for c in claims_about(firm, "KF-21")} == {"reported"}


def test_training_aircraft_are_a_kind_of_aircraft_not_an_exercise():
    stored = extract_text("The air force keeps eight L-39 advanced training aircraft in store at Kant.", "2024-05-01")
    assert {c["event"] for c in claims_about(stored, "L-39")} == {"deployment"}
    drill = extract_text("Two L-39 jets took part in a training exercise at Kant in May 2021.", "2024-05-01")
    assert {c["event"] for c in claims_about(drill, "L-39")} == {"exercise"}


def test_two_donor_governments_make_one_transfer_each():
    record = extract_text("The Danish and Dutch governments are donating F-16 fighters to Ukraine.", "2024-07-10")
    claims = claims_about(record, "F-16")
    assert sorted(_country(record, c["origin"]) for c in claims) == ["DK", "NL"]
    assert {_country(record, c["place"]) for c in claims} == {"UA"}
    for claim in claims:  # each transfer keeps only its own donor
        suppliers = {_country(record, a["entity"]) for a in claim["actors"] if a["role"] == "supplier"}
        assert suppliers == {_country(record, claim["origin"])}
    single = extract_text("The Danish government is donating F-16 fighters to Ukraine.", "2024-07-10")
    assert len(claims_about(single, "F-16")) == 1


def test_a_retired_or_decommissioned_system_is_withdrawn():
    retired = extract_text("Kenya's F-5 fighters have been retired from the air force.", "2020-01-01")
    assert {c["event"] for c in claims_about(retired, "F-5")} == {"withdrawal"}
    ships = extract_text("Norway decommissioned its last Skjold-class corvettes in 2023.", "2024-07-10")
    assert {c["event"] for c in claims_about(ships, "Skjold-class")} == {"withdrawal"}
    officer = extract_text("A retired general said Poland received ten K2 tanks.", "2024-07-10")
    assert {c["event"] for c in claims_about(officer, "K2")} == {"delivery"}


def test_a_speaker_at_a_handover_dates_it_the_day_of_the_speech():
    record = extract_text(
        "We are here at the port of Aqaba to mark the delivery of six M113 carriers to the Jordanian army.",
        "2019-03-05",
    )
    claims = claims_about(record, "M113")
    assert claims and {c["date"] for c in claims} == {"2019-03-05"}
    story = extract_text("Jordan received six M113 carriers at the port of Aqaba.", "2019-03-05")
    assert {c["date"] for c in claims_about(story, "M113")} == {None}


def test_a_fact_sheets_talk_of_visits_and_drawdown_authority_states_no_current_claim():
    visit = extract_text(
        "The president has met the Moldovan leader often, hosting her at the White House and visiting Chisinau.",
        "2023-02-21",
    )
    assert visit["claims"] == []
    based = extract_text("Poland is hosting 10,000 U.S. troops at Rzeszow.", "2023-02-21")
    assert {c["event"] for c in based["claims"]} == {"deployment"}
    authority = extract_text(
        "The U.S. has continued to use its authority to drawdown from current DOD stocks to arm Ukraine.",
        "2023-06-09",
    )
    assert not any(c["event"] == "withdrawal" for c in authority["claims"])


def test_a_country_that_holds_systems_with_deliveries_of_them_received_them():
    record = extract_text(
        "As of 2016, Oman maintains strong air defences with deliveries of NASAMS batteries.", "2019-07-20"
    )
    claims = claims_about(record, "NASAMS")
    assert claims and {_country(record, c["place"]) for c in claims} == {"OM"}
    assert all(_country(record, c["origin"]) != "OM" for c in claims)
    roles = {a["role"] for c in claims for a in c["actors"] if _country(record, a["entity"]) == "OM"}
    assert roles == {"recipient"}
