"""English error kinds still left on the real-text development set (issue 8), each on a short
text written for the test about another real event: an attack named by its attacker, states
thanked for giving, and a list of deployments cut by semicolons."""

from __future__ import annotations

from tests.extract.helpers import claims_about, extract_text


def _country(record: dict, entity_id: str | None) -> str | None:
    return next((e.get("country") for e in record["entities"] if e["id"] == entity_id), None)


def test_an_attack_named_by_its_attacker_happens_on_the_other_side():
    record = extract_text(
        "The Patriot battery will be used to bolster Saudi Arabia's missile defense capabilities "
        "in the wake of Iran's targeted attacks on that nation on 14 September.",
        "2019-10-11",
    )
    attacks = [c for c in record["claims"] if c["event"] == "combat"]
    assert attacks and {_country(record, c["place"]) for c in attacks} == {"SA"}
    assert {_country(record, c["origin"]) for c in attacks} == {"IR"}


def test_states_thanked_for_giving_more_of_a_kind_are_its_suppliers():
    record = extract_text(
        "Allies pledge tanks for Ukraine\n\nGermany will send Leopard 2 tanks to Ukraine. "
        "We are grateful to Poland and Finland for committing to provide further tanks.",
        "2023-01-25",
    )
    thanked = [c for c in record["claims"] if "grateful" in c["sentence"]["text"]]
    assert sorted(_country(record, c["origin"]) for c in thanked) == ["FI", "PL"]
    assert {_country(record, c["place"]) for c in thanked} == {"UA"}
    money = extract_text(
        "Allies pledge aid for Ukraine\n\nGermany will send Leopard 2 tanks to Ukraine. "
        "We are grateful to Poland and Finland for committing to provide further funding.",
        "2023-01-25",
    )
    assert not [c for c in money["claims"] if "grateful" in c["sentence"]["text"]]


def test_each_item_of_a_semicolon_list_goes_to_its_own_destination():
    record = extract_text(
        "The live-fire in Estonia is part of a wider exercise, which consists of a series of "
        "deployments across the Baltic region, such as a HIMARS launcher to Tallinn; a NASAMS "
        "battery and two Stinger teams to Bornholm.",
        "2023-06-01",
    )
    assert {_country(record, c["place"]) for c in claims_about(record, "M142 HIMARS")} == {"EE"}
    assert {_country(record, c["place"]) for c in claims_about(record, "NASAMS")} == {"DK"}
    assert {_country(record, c["place"]) for c in claims_about(record, "FIM-92 Stinger")} == {"DK"}
    together = extract_text(
        "Two HIMARS launchers and a NASAMS battery were deployed to Bornholm; they will train there until May.",
        "2023-06-01",
    )
    assert len({c["place"] for c in together["claims"] if c["event"] == "deployment"}) == 1


def test_a_counted_batch_of_vehicles_leaving_a_port_is_a_transport():
    record = extract_text(
        "Armored brigade equipment arrives in Gdansk, Poland\n\nTanks and trucks from Fort Stewart, Georgia began "
        "offloading May 20, 2024 at the port of Gdansk. The more than 1,500 vehicles and pieces of equipment left "
        "the Port of Savannah, Georgia in early May.",
        "2024-05-21",
    )
    left = [c for c in record["claims"] if "left the Port" in c["sentence"]["text"]]
    assert [c["event"] for c in left] == ["transport"]
    assert {_country(record, c["place"]) for c in left} == {"US"}
    base = extract_text("The 612th Airbase in Aktau will become the home of two Su-27 fighter jets.", "2019-07-20")
    assert not [c for c in base["claims"] if c["event"] == "transport"]


def test_a_relative_clause_that_names_its_place_again_is_not_about_that_place():
    record = extract_text(
        "Germany sends more air defence to Ukraine\n\nThis builds on our decision last month to redirect German "
        "air defence exports to Ukraine, which will provide Ukraine with dozens of additional IRIS-T systems over "
        "the next year.",
        "2024-09-26",
    )
    claims = claims_about(record, "IRIS-T")
    assert claims and {c["event"] for c in claims} == {"delivery"}
    assert {_country(record, c["place"]) for c in claims} == {"UA"}


def test_a_persons_home_town_is_not_where_the_deployment_comes_from():
    story = (
        "Patriot battalion hands over mission in Poland\n\nThe 3rd Battalion transferred authority of the Patriot "
        "mission in Poland to the 2nd Battalion on May 3, 2024. "
    )
    record = extract_text(
        story + "Sgt. Maria Lopez, from El Paso, Texas, shared what the deployment meant to her.", "2024-05-04"
    )
    assert not [c for c in record["claims"] if c["origin"] and _country(record, c["origin"]) == "US"]
    unit = extract_text(
        "Soldiers of the 3rd Brigade, from Fort Stewart, Georgia, deployed to Poland with M1 Abrams tanks.",
        "2024-05-04",
    )
    assert {_country(unit, c["origin"]) for c in claims_about(unit, "M1 Abrams")} == {"US"}


def test_a_system_that_names_an_office_is_no_system_present():
    record = extract_text(
        '"The F-35 program manager and the depot teams did a great job working with the Danes to get this done," '
        "said John Smith, the country program manager for Denmark.",
        "2024-01-10",
    )
    assert not claims_about(record, "F-35")
    seen = extract_text("Two F-35 jets were seen at Skrydstrup air base in Denmark.", "2024-01-10")
    assert claims_about(seen, "F-35")


def test_infrastructure_to_protect_is_no_construction():
    record = extract_text(
        "Germany has provided IRIS-T systems that have protected Ukraine's critical infrastructure against "
        "Russian strikes.",
        "2023-02-21",
    )
    assert not [c for c in record["claims"] if c["event"] == "construction"]
    built = extract_text(
        "Russia is building new infrastructure at Millerovo air base for its Su-30 jets.", "2023-02-21"
    )
    assert [c["event"] for c in built["claims"] if c["event"] == "construction"] == ["construction"]


def test_a_shipment_that_is_delivered_is_one_delivery():
    record = extract_text(
        "US delivers Bradley vehicles to Jordan\n\nThese are the first of a shipment of 40 Bradleys that will be "
        "delivered to the Jordanian Armed Forces by June.",
        "2023-02-21",
    )
    told = [c for c in record["claims"] if "shipment" in c["sentence"]["text"]]
    assert [c["event"] for c in told] == ["delivery"]
    shipped = extract_text("A shipment of 12 Leopard 2 tanks left Emden by sea for Gdansk.", "2023-02-21")
    assert {c["event"] for c in claims_about(shipped, "Leopard 2")} == {"transport"}


def test_fighters_that_launched_in_response_took_off_and_fired_nothing():
    record = extract_text(
        "RAF Typhoons intercept Russian bombers near Estonia\n\n"
        '"We launched in response to a Russian Tu-22M3 bomber that was flying over the Baltic Sea," the pilot said.',
        "2023-05-01",
    )
    assert not [c for c in record["claims"] if c["event"] == "combat"]
    strike = extract_text("Russia launched Kh-101 missiles at Kyiv overnight.", "2023-05-01")
    assert {c["event"] for c in claims_about(strike, "Kh-101")} == {"combat"}


def test_crews_already_trained_on_a_system_are_no_exercise():
    record = extract_text(
        "Germany announces new air defence aid for Ukraine\n\nGermany is also helping Ukraine acquire more IRIS-T "
        "systems, on which Ukrainian crews are already trained.",
        "2023-05-01",
    )
    assert not [c for c in record["claims"] if c["event"] == "exercise"]
    trained = extract_text("Ukrainian crews were trained on IRIS-T systems in Germany in May.", "2023-06-01")
    assert {c["event"] for c in claims_about(trained, "IRIS-T")} == {"exercise"}


def test_systems_that_render_a_service_are_deployed():
    record = extract_text(
        "B-1 bombers fly over the Baltic\n\nTwo B-1B Lancer bombers from Ellsworth Air Force Base flew over the "
        "Baltic Sea on 12 May. KC-135 Stratotanker aircraft from the 100th Air Refueling Wing enabled the mission "
        "by providing aerial refueling support.",
        "2021-05-13",
    )
    assert {c["event"] for c in claims_about(record, "KC-135 Stratotanker")} == {"deployment"}
    able = extract_text(
        "HIMARS crews fire into the Black Sea\n\nThe battery fired two HIMARS rockets in Romania. "
        "\u201cThis allows us to load up into a C-17 and go anywhere in the world and provide these timely "
        "fires.\u201d",
        "2020-11-19",
    )
    assert not claims_about(able, "C-17")


def test_an_exercise_the_text_names_is_a_claim_without_a_system():
    story = "Minister visits British troops in Lithuania\n\n"
    record = extract_text(
        story + "On his visit, the minister also watched Lithuanian and NATO soldiers training together on "
        "Exercise Iron Wolf, a major Lithuanian-led exercise featuring 3,000 personnel.",
        "2019-05-17",
    )
    drills = [c for c in record["claims"] if c["event"] == "exercise"]
    assert drills and {_country(record, c["place"]) for c in drills} == {"LT"}
    vague = extract_text(story + "Training together makes allies stronger, the minister said.", "2019-05-17")
    assert not [c for c in vague["claims"] if c["event"] == "exercise"]


def test_a_system_before_to_and_a_verb_after_works_is_that_verbs_subject():
    record = extract_text(
        "RAF helicopters ready to support French forces in Niger\n\nUK forces have built two temporary hangars at "
        "Niamey, enabling the Chinooks to fly several missions each week.",
        "2018-08-16",
    )
    flights = claims_about(record, "CH-47 Chinook")
    assert {c["event"] for c in flights} == {"deployment"}
    assert {_country(record, c["place"]) for c in flights} == {"NE"}
