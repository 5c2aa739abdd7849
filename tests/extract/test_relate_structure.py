"""Sentence structure and the whole story: the relation rules of issue 8, each on a short text
written for the test. Every text names its own place, date and systems; none is copied."""

from __future__ import annotations

from tests.extract.helpers import claims_about, extract_text, named

from orbat.model import SourceDocument
from orbat.pipeline import extract_source
from orbat.relate import syntax


def _country(record: dict, entity_id: str | None) -> str | None:
    return next((e.get("country") for e in record["entities"] if e["id"] == entity_id), None)


def test_a_place_in_a_relative_clause_is_not_where_the_claim_happens():
    record = extract_text("Six T-72B3 tanks were flown in from Libya, where Moscow keeps a logistics hub, "
                          "to Bamako on 14 March 2025.", "2025-03-20")
    claim = claims_about(record, "T-72B3")[0]
    assert _country(record, claim["place"]) == "ML"
    assert _country(record, claim["origin"]) == "LY"
    assert claim["date"] == "2025-03-14"  # the flight's date, not a date for the hub
    assert not any(c["event"] == "construction" for c in record["claims"])


def test_a_clause_about_a_system_past_does_not_place_it_today():
    record = extract_text("BM-30 Smerch launchers that first saw combat in Ukraine were spotted in Mali "
                          "on 2 April 2025.", "2025-04-05")
    claims = claims_about(record, "BM-30 Smerch")
    assert claims and all(_country(record, c["place"]) == "ML" for c in claims)
    assert {c["event"] for c in claims} == {"deployment"}  # spotted: a sighting, not combat or a loss


def test_nationality_adjectives_and_organisations_are_not_places():
    record = extract_text("Two Bayraktar TB2 drones arrived in Niamey on 3 May 2025, a Turkish news channel said.",
                          "2025-05-04")
    assert _country(record, claims_about(record, "Bayraktar TB2")[0]["place"]) == "NE"
    record = extract_text("France's defence ministry said CAESAR howitzers were delivered to Armenia in June 2024.",
                          "2024-06-20")
    assert _country(record, claims_about(record, "CAESAR")[0]["place"]) == "AM"


def test_operating_from_a_base_is_where_aircraft_fly_not_where_they_came_from():
    record = extract_text("Two B-52 bombers operating out of RAF Fairford, England, flew a mission on "
                          "16 September 2020.", "2020-09-17")
    claim = claims_about(record, "B-52")[0]
    assert _country(record, claim["place"]) == "GB" and claim["origin"] is None


def test_later_sentences_inherit_the_lead_place_date_and_evidence():
    record = extract_text("A column of Russian armour was filmed near Bamako on 12 February 2025, in footage "
                          "broadcast by Cap Mali+. The column included six T-72B3 tanks and four BMP-3 infantry "
                          "fighting vehicles. Officials said the vehicles are meant for the national army.",
                          "2025-02-14")
    tanks = claims_about(record, "T-72B3")
    assert tanks and all(_country(record, c["place"]) == "ML" for c in tanks)
    assert {c["date"] for c in tanks} == {"2025-02-12"}
    assert {named(record, c["evidence_source"]) for c in tanks} == {"Cap Mali+"}
    assert any(c["event"] == "delivery" for c in tanks)  # "meant for": the vehicles are for someone


def test_a_list_after_a_colon_inherits_the_introducing_delivery():
    record = extract_text("The United States has provided the following articles to the Lebanese Army:\n"
                          "• 40 M198 howitzers\n• 50 armored HMMWVs\n", "2017-08-14")
    for system in ("M198", "HMMWV"):
        claims = claims_about(record, system)
        assert claims, (system, record["claims"])
        assert claims[0]["event"] == "delivery"
        assert _country(record, claims[0]["place"]) == "LB" and _country(record, claims[0]["origin"]) == "US"


def test_capability_hypothesis_and_undated_background_give_no_claim():
    assert extract_text("The Su-24 is able to carry precision munitions.")["claims"] == []
    assert extract_text("Previous shipments of BTR-82A came by air.")["claims"] == []
    dated = extract_text("Previous shipments of BTR-82A came by air in 2022.", "2025-01-21")
    assert [c["date"] for c in dated["claims"]] == ["2022"]  # dated history stays, with its own date


def test_made_in_describes_origin_not_a_production_event():
    record = extract_text("Des blindés BRDM-2 de fabrication russe auraient été livrés à l'armée malienne "
                          "à Bamako le 3 mars 2025.", "2025-03-20")
    claims = claims_about(record, "BRDM-2")
    assert [c["event"] for c in claims] == ["delivery"]
    assert claims[0]["certainty"] == "speculative"  # the French conditional reports without vouching
    assert _country(record, claims[0]["place"]) == "ML"


def test_french_pronouns_and_demonstratives_refer_back():
    record = extract_text("Des blindés BRDM-2 ont été livrés à Bamako le 3 mars 2025. Selon la télévision "
                          "nationale, ces blindés seraient déployés à Gao. Ils ont été aperçus près de Tombouctou.",
                          "2025-03-20")
    claims = claims_about(record, "BRDM-2")
    assert len(claims) == 3
    assert claims[1]["certainty"] == "speculative"
    assert {c["date"] for c in claims} == {"2025-03-03"}


def test_french_conditional_alone_is_a_hedge():
    record = extract_text("Deux hélicoptères Mi-24 seraient arrivés à Gao le 5 mai 2025.", "2025-05-06")
    assert claims_about(record, "Mi-24")[0]["certainty"] in {"speculative", "possible"}


def test_evidence_source_names_who_broadcast_or_analysed_the_evidence():
    record = extract_text("Satellite images taken in October 2024 and analysed by the Center for Strategic and "
                          "International Studies show new hangars at Air Base 101 in Bamako.", "2024-11-02")
    built = [c for c in record["claims"] if c["event"] == "construction"]
    assert built and named(record, built[0]["evidence_source"]) == "Center for Strategic and International Studies"
    plain = extract_text("Mali received two Mi-24 helicopters in Bamako on 3 May 2025.", "2025-05-04")
    assert all(c["evidence_source"] is None for c in plain["claims"])


def _record(text: str, language: str | None = None) -> dict:
    source = SourceDocument(raw=text.encode("utf-8"), content_type="text/plain", origin="test",
                            published="2025-01-21", language=language)
    return extract_source(source).to_json()


def test_a_document_in_another_language_keeps_fast_path_claims_with_a_warning():
    record = _record("Zwei T-72B3 Panzer wurden in Bamako gesehen, und die Armee ist dort mit der neuen "
                     "Ausrüstung unterwegs, die nicht aus Russland kam.")
    assert any("no parser" in w for w in record["document"]["warnings"])
    assert claims_about(record, "T-72B3")


def test_a_sentence_too_long_for_the_parser_keeps_fast_path_claims_with_a_warning():
    filler = ", ".join(f"item {i}" for i in range(400))
    record = _record(f"Two T-72B3 tanks were seen in Bamako and in Kidal on 3 January 2025 alongside {filler}.")
    assert any("too long" in w for w in record["document"]["warnings"])
    assert claims_about(record, "T-72B3")


def test_mixed_scripts_give_a_record_not_a_traceback():
    record = _record("Two T-72B3 tanks (танки Т-72Б3, دبابات) were seen in Bamako on 3 January 2025.", "en")
    assert claims_about(record, "T-72B3")


def test_only_candidate_sentences_are_parsed():
    parser = syntax.parser("en")
    before = parser.parsed
    _record("The weather was mild. Markets were calm. Two T-72B3 tanks were seen in Bamako on 3 January 2025. "
            "Six T-72B3 tanks were flown in from Libya, where Moscow keeps a hub, to Bamako.", "en")
    assert parser.parsed - before == 1  # only the last: two places and a relative clause


def test_no_spacy_object_leaves_the_relate_stage():
    record = _record("Two T-72B3 tanks were seen in Bamako on 3 January 2025.", "en")
    import json

    json.dumps(record)  # the record is plain data all the way down
    parse = syntax.parser("en").parse("Two tanks arrived.", 0)
    assert parse is not None and all(type(t).__module__ == "orbat.relate.syntax" for t in parse.tokens)
