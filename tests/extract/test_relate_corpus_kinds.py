"""Claim error kinds found over tests/corpus (issue 8), each on a short text written for the test
about another real event: journeys read as withdrawals, alternatives and descriptions read as facts."""

from __future__ import annotations

from tests.extract.helpers import extract_text


def _view(record: dict) -> list[tuple[str, list[str], str | None, str | None]]:
    """(event, systems, place country, origin country) of each claim."""
    entities = {e["id"]: e for e in record["entities"]}

    def country(ref: str | None) -> str | None:
        return entities.get(ref or "", {}).get("country")

    return [
        (c["event"], [entities[e["entity"]]["name"] for e in c["equipment"]], country(c["place"]), country(c["origin"]))
        for c in record["claims"]
    ]


def test_a_departure_that_flies_on_to_a_destination_is_a_journey_from_the_place_left():
    record = extract_text(
        "Egypt receives Rafale jets\n\nThe first three of 24 Rafale fighters bought by Egypt "
        "from France landed in Cairo on Monday. The aircraft left France on Sunday and flew to "
        "North Africa in one stage, refuelled in the air.\n",
        "2015-07-21",
    )
    journey = [
        (event, origin)
        for event, systems, _, origin in _view(record)
        if systems == ["Rafale"] and event in {"transport", "withdrawal"}
    ]
    assert journey == [("transport", "FR")]
    # "the aircraft" on that journey are the three that landed, not the 24 of the order
    (moved,) = [c for c in record["claims"] if c["event"] == "transport"]
    assert [(e["quantity"] or {}).get("max") for e in moved["equipment"]] == [3]
    # troops that leave and fly home still withdraw from the place they left
    record = extract_text(
        "The last French soldiers left the Niamey air base on Friday and flew to France.", "2023-12-23"
    )
    events = [(event, place) for event, _, place, _ in _view(record)]
    assert ("withdrawal", "NE") in events and all(event != "transport" for event, _ in events)


def test_an_event_set_aside_with_rather_than_or_instead_of_does_not_happen():
    record = extract_text(
        "Switzerland agreed to sell 25 Leopard 2 tanks back to Germany rather than send them to Ukraine.", "2023-11-29"
    )
    assert [event for event, _, place, _ in _view(record) if place == "UA"] == []
    # the same sending, told as done, is a delivery to Ukraine
    record = extract_text("Switzerland agreed to send 25 Leopard 2 tanks to Ukraine.", "2023-11-29")
    assert ("delivery", "UA") in [(event, place) for event, _, place, _ in _view(record)]


def test_a_figure_the_sentence_itself_doubts_does_not_restate_the_previous_fact():
    lead = "Ukrainian forces retook Kherson\n\nRussian troops withdrew from Kherson on Friday. "
    record = extract_text(
        lead + "Ukrainian officials said 260 square kilometres had been retaken, a figure that "
        "could not be verified independently.",
        "2022-11-12",
    )
    assert [c["certainty"] for c in record["claims"] if c["event"] == "withdrawal"] == ["reported"]
    # a sentence that doubts what came before still restates it at its own certainty
    record = extract_text(lead + "The report could not be verified independently.", "2022-11-12")
    assert [c["certainty"] for c in record["claims"] if c["event"] == "withdrawal"] == ["reported", "speculative"]


def test_who_names_a_system_in_a_relative_clause_does_not_place_it():
    record = extract_text(
        "Drone attack on Odesa\n\nForty Shahed-136 drones, which Russia calls Geran-2, were launched overnight, "
        "the air force said.",
        "2023-12-10",
    )
    assert {place for event, systems, place, _ in _view(record) if "Shahed-136" in systems} == {"UA"}


def test_a_speakers_own_forces_shooting_down_act_in_the_speakers_country():
    lead = (
        "North Korea sends missiles to Russia\n\nNorth Korea has shipped KN-23 ballistic missiles to Russia, the "
        "White House said on Thursday. "
    )
    record = extract_text(
        lead + "President Volodymyr Zelensky said his forces had shot down several of the missiles.", "2024-01-05"
    )
    assert [place for event, _, place, _ in _view(record) if event == "loss"] == ["UA"]
    # forces the story sent abroad fight where they were sent
    record = extract_text(
        "Turkey sends troops into Syria\n\nTurkish troops crossed into Syria on Saturday. President Recep Tayyip "
        "Erdogan said his forces shot down two Syrian drones on Sunday.",
        "2020-03-01",
    )
    assert [place for event, _, place, _ in _view(record) if event == "loss"] == ["SY"]


def test_soldiers_named_beside_their_training_are_trainees_not_a_deployment():
    record = extract_text(
        "Abrams tanks reach Ukraine\n\nThe first M1A1 Abrams tanks have arrived in Ukraine, President Zelensky "
        "said. Ukrainian soldiers completed their training on the tanks at Grafenwoehr, Germany, in August.",
        "2023-09-26",
    )
    in_germany = [event for event, _, place, _ in _view(record) if place == "DE"]
    assert in_germany == ["exercise"]
    # soldiers with no exercise word are still a deployment
    record = extract_text("Ukrainian soldiers were seen at Grafenwoehr, Germany, in August.", "2023-09-26")
    assert [event for event, _, place, _ in _view(record) if place == "DE"] == ["deployment"]


def test_how_a_system_is_launched_and_what_it_should_deter_state_no_fight():
    lead = (
        "Taiwan receives Harpoon launchers\n\nTaiwan took delivery of its first Harpoon coastal launchers on Monday. "
    )
    record = extract_text(
        lead + "Defence officials said the missiles were meant to deter attacks on the island's coast. "
        "The Harpoon is launched from a truck and carries a 221-kilogram warhead.",
        "2024-10-01",
    )
    assert [event for event, _, _, _ in _view(record) if event == "combat"] == []
    # a launch that happened is still a fight
    record = extract_text(
        lead + "Ukraine said a Neptune missile was launched from a truck near Odesa on Sunday.", "2024-10-01"
    )
    assert ("combat", "UA") in [(event, place) for event, _, place, _ in _view(record)]


def test_a_town_the_gazetteer_lacks_is_placed_in_the_area_named_after_it_not_at_a_namesake_abroad():
    record = extract_text(
        "Taiwan's army held a live-fire drill with CM-11 tanks in Hukou, Hsinchu County, on Tuesday.", "2024-05-21"
    )
    hukou = [e for e in record["entities"] if any(m["text"] == "Hukou" for m in e.get("mentions") or [])]
    assert [e["country"] for e in hukou] == ["TW"]
    # a town the gazetteer holds in that area keeps its own reading
    record = extract_text("Taiwan's army held a drill near Zhubei, Hsinchu County, on Tuesday.", "2024-05-21")
    zhubei = [e for e in record["entities"] if any(m["text"] == "Zhubei" for m in e.get("mentions") or [])]
    assert [(e["name"], e["country"]) for e in zhubei] == [("Zhubei", "TW")]


def test_a_class_word_inside_a_units_name_does_not_stop_the_tanks_referring_back():
    record = extract_text(
        "Poland receives Abrams tanks\n\nThe first 14 M1A1 Abrams tanks arrived in Szczecin on Wednesday. The tanks "
        "were then carried by rail to the Land Forces Armour Training Centre in Poznan.",
        "2023-06-29",
    )
    assert ("transport", ["M1A1"]) in [(event, systems) for event, systems, _, _ in _view(record)]


def test_fighting_a_fire_and_giving_an_account_are_no_combat_and_no_delivery():
    lead = "Leopard tank lost in Ukraine\n\nA Leopard 2A4 tank was destroyed near Robotyne in Ukraine on Friday. "
    record = extract_text(
        lead + "An officer said the tank was hit by artillery while the crew were fighting the fire.", "2023-06-10"
    )
    assert [event for event, _, _, _ in _view(record) if event == "combat"] == []
    record = extract_text(
        lead + "A damaged BMP-2 stood nearby. Reuters, citing Ukrainian officers, gave a different account: the tank "
        "may have hit a mine.",
        "2023-06-10",
    )
    assert [event for event, _, _, _ in _view(record) if event == "delivery"] == []
    # fighting that is fighting is still combat
    record = extract_text(lead + "Leopard 2A4 tanks were fighting near Robotyne on Saturday.", "2023-06-10")
    assert "combat" in [event for event, _, _, _ in _view(record)]


def test_the_tank_refers_to_the_system_the_story_called_a_tank_not_to_the_last_one_named():
    record = extract_text(
        "Leopard tank lost in Ukraine\n\nA Leopard 2A4 tank was destroyed near Robotyne in Ukraine on Friday. A "
        "damaged BMP-2 stood nearby. Reuters, citing Ukrainian officers, gave a different account: the tank may "
        "have hit a mine and been struck by a drone.",
        "2023-06-10",
    )
    last = [(c["event"], c["certainty"]) for c in record["claims"] if c["sentence"]["text"].startswith("Reuters")]
    systems = [
        s for c, s in zip(record["claims"], _view(record), strict=True) if c["sentence"]["text"].startswith("Reuters")
    ]
    assert last and all(event == "loss" for event, _ in last)
    assert {tuple(s[1]) for s in systems} == {("Leopard 2A4",)}


def test_a_system_not_seen_is_no_sighting():
    record = extract_text(
        "No J-10C fighter has been seen in Iran so far, and it is possible that Iran will receive them next year.",
        "2024-05-01",
    )
    assert [(c["event"], c["certainty"]) for c in record["claims"]] == [("delivery", "possible")]
    record = extract_text("A J-10C fighter has been seen in Iran, officials said.", "2024-05-01")
    assert ("deployment", "IR") in [(event, place) for event, _, place, _ in _view(record)]


def test_a_pilot_among_the_first_trained_on_a_jet_is_no_training_event():
    record = extract_text(
        "Norway's F-35 pilots\n\nMajor Halvorsen was among the first Norwegian pilots trained on the F-35.",
        "2019-11-06",
    )
    assert [event for event, _, _, _ in _view(record) if event == "exercise"] == []
    # pilots told as training, with a place and a year, still train
    record = extract_text(
        "Norway's F-35 pilots\n\nNorwegian pilots trained on the F-35 at Luke Air Force Base in Arizona in 2016.",
        "2019-11-06",
    )
    assert ("exercise", ["F-35"], "US") in [(event, systems, place) for event, systems, place, _ in _view(record)]


def test_training_crews_will_begin_is_no_exercise_yet():
    lead = (
        "Poland's K9 howitzers\n\nThe first 24 K9 howitzers arrived at the port of Gdynia on Tuesday. On Wednesday "
        "the howitzers were carried on heavy trailers to the Land Forces Training Centre in Wegorzewo, Mazury, "
    )
    record = extract_text(lead + "where crews will begin conversion training.", "2022-12-07")
    events = [event for event, _, _, _ in _view(record)]
    assert "transport" in events and "exercise" not in events
    # training that has begun is training held
    record = extract_text(lead + "where crews began conversion training.", "2022-12-07")
    assert ("exercise", ["K9"], "PL") in [(event, systems, place) for event, systems, place, _ in _view(record)]


def test_a_move_described_as_meant_to_reinforce_a_front_is_no_second_deployment():
    lead = "Russia leaves Kherson\n\n"
    record = extract_text(
        lead + "Russia's defence ministry described the withdrawal from Kherson as a planned manoeuvre to reinforce "
        "the lines on the left bank of the Dnipro.",
        "2022-11-11",
    )
    events = [event for event, _, _, _ in _view(record)]
    assert "withdrawal" in events and "deployment" not in events
    # troops moved to reinforce a place are deployed there
    record = extract_text(
        lead + "The defence ministry moved paratroopers to Crimea to reinforce its defences.", "2022-11-11"
    )
    assert "deployment" in [event for event, _, _, _ in _view(record)]


def test_a_kind_of_weapon_that_struck_a_target_attacked_it():
    lead = "Strikes on Kharkiv\n\n"
    record = extract_text(
        lead + "On Friday Russian drones struck a power station in Kharkiv, Ukraine's second city.", "2024-03-23"
    )
    assert [(event, place) for event, _, place, _ in _view(record)] == [("combat", "UA")]
    # the target that was struck, with its attackers after the verb, is still what was hit
    record = extract_text(lead + "On Friday a power station in Kharkiv was struck by Russian drones.", "2024-03-23")
    assert [(event, place) for event, _, place, _ in _view(record)] == [("loss", "UA")]
