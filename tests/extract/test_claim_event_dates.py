"""A claim carries the date of its event as the text gives it (issues 8 and 15), each kind of
error on a short text written for the test: headlines dated by their lead, dates taken by a
word that only describes a system, strike reports covering the past day."""

from __future__ import annotations

from tests.extract.helpers import claims_about, extract_text


def _count(claim: dict) -> tuple[int | None, int | None] | None:
    quantity = claim["equipment"][0].get("quantity") or {}
    return (quantity.get("min"), quantity.get("max")) if quantity else None


def test_a_headline_takes_the_date_and_count_its_lead_gives_the_same_fact():
    record = extract_text(
        "Chile receives first F-16 Block 70 fighters\n\n"
        "Four F-16 Block 70 fighters landed at Cerro Moreno air base in Chile on Monday, the air force said.\n",
        "2025-03-06",
    )
    claims = claims_about(record, "F-16 Block 70") or [c for c in record["claims"] if c["equipment"]]
    headline = [c for c in claims if c["sentence"]["text"].startswith("Chile receives")]
    assert headline and all(c["date"] == "2025-03-03" for c in headline)
    assert all(_count(c) == (4, 4) for c in headline)


def test_a_headline_keeps_no_date_from_a_different_kind_of_event_in_its_lead():
    record = extract_text(
        "Chile receives first F-16 Block 70 fighters\n\n"
        "Chile ordered the F-16 Block 70 fighters on 3 March 2025, the air force said.\n",
        "2025-03-06",
    )
    headline = [c for c in record["claims"] if c["sentence"]["text"].startswith("Chile receives")]
    assert headline and all(c["date"] is None for c in headline if c["event"] != "order")


def test_a_date_next_to_a_describing_participle_dates_the_sentence_fact():
    record = extract_text(
        "The navy presented newly acquired Italian-built Doria frigates at a ceremony on Tuesday in Alexandria.",
        "2025-01-23",
    )
    shown = [c for c in record["claims"] if c["event"] == "display"]
    assert shown and {c["date"] for c in shown} == {"2025-01-21"}


def test_a_strike_over_the_past_day_is_dated_the_day_of_the_report():
    record = extract_text(
        "In the past 24 hours, coalition forces destroyed two Houthi uncrewed aerial vehicles in Yemen.",
        "2024-09-06",
    )
    assert record["claims"] and {c["date"] for c in record["claims"]} == {"2024-09-06"}


def test_the_day_of_a_statement_gives_way_to_the_day_the_fact_happened():
    record = extract_text(
        "Russia has sent at least 14 MiG-29 jets to al-Jufra air base in Libya, the command said on Tuesday, "
        "releasing satellite images that showed the jets on the ground on May 21.",
        "2020-05-27",
    )
    assert {c["date"] for c in claims_about(record, "MiG-29")} == {"2020-05-21"}
    french = extract_text("Deux Rafale ont atterri à Niamey le 3 mai, a annoncé mardi l'état-major.", "2025-05-08")
    assert {c["date"] for c in claims_about(french, "Rafale")} == {"2025-05-03"}
    alone = extract_text("Two T-72B3 tanks arrived in Bamako, the ministry said on Tuesday.", "2025-01-23")
    assert {c["date"] for c in claims_about(alone, "T-72B3")} == {"2025-01-21"}


def test_the_first_few_of_an_order_arrive_and_the_order_keeps_its_total():
    record = extract_text(
        "The first 14 of 116 used M1A1 Abrams tanks that Poland bought from US stocks arrived at the port of "
        "Szczecin on Wednesday.",
        "2023-06-29",
    )
    counts = {c["event"]: _count(c) for c in record["claims"] if c["equipment"]}
    assert counts.get("order") == (116, 116)
    assert {n for e, n in counts.items() if e != "order"} == {(14, 14)}


def test_a_later_sentence_about_the_story_event_at_its_place_takes_its_date():
    record = extract_text(
        "Several explosions hit Saky airbase in Crimea on 9 August 2022, destroying Su-24 bombers.\n\n"
        "Officials said later that the strike at Saky airbase also destroyed Su-30SM fighters.\n",
        "2022-08-11",
    )
    fighters = claims_about(record, "Su-30SM")
    assert fighters and {c["date"] for c in fighters} == {"2022-08-09"}


def test_a_speaker_act_told_as_done_now_is_dated_the_day_of_the_speech():
    record = extract_text(
        "I have directed the Department of Defense to provide Ukraine with an additional Patriot battery.",
        "2024-09-26",
    )
    assert record["claims"] and {c["date"] for c in record["claims"]} == {"2024-09-26"}
    told = extract_text("We have provided Ukraine with Patriot batteries since 2023.", "2024-09-26")
    assert "2024-09-26" not in {c["date"] for c in told["claims"]}


def test_a_sentence_placed_after_an_earlier_event_takes_its_date():
    record = extract_text(
        "Le 9 juillet 2019, un exercice de franchissement a eu lieu au camp de Tapa en Estonie avec des chars "
        "Leclerc.\n\nAprès l'exercice, les soldats britanniques ont présenté leurs engins Titan et Trojan à leurs "
        "homologues français.\n",
        "2019-07-29",
    )
    shown = [c for c in record["claims"] if c["event"] == "display"]
    assert shown and {c["date"] for c in shown} == {"2019-07-09"}


def test_the_flight_of_the_lead_lends_its_date_to_what_it_included():
    record = extract_text(
        "Two B-52 bombers operating out of RAF Fairford, England, returned from flights over the Eastern "
        "Mediterranean Sea on Sept. 16, 2020.\n\n"
        "The flight included training with Hellenic Air Force F-16 fighters.\n",
        "2020-09-17",
    )
    trained = claims_about(record, "F-16") or [c for c in record["claims"] if "Hellenic" in c["sentence"]["text"]]
    assert trained and {c["date"] for c in trained} == {"2020-09-16"}
