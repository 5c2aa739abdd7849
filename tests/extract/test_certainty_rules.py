"""The certainty rules of relate (`relate/certainty.py`), one short report per rule and its edge.

An analyst filters and weighs claims by certainty, so the level each rule gives (and the cue it
names) is what these tests pin: a negation before the event, the nearest hedge before it, a
hedge too far away or past a semicolon, a sentence-wide hedge, a denial after the event, a later
sentence that denies or cannot verify the previous one, the French conditional, and who is cited.
"""

from __future__ import annotations

import pytest
from tests.extract.helpers import extract_text, named

FAR = (
    "after a long series of talks between the two governments over the terms of payment, the spare "
    "parts, the ammunition and the training of crews over the spring and summer, "
)


def _levels(text: str) -> list[tuple[str, str, str | None]]:
    record = extract_text(text, "2025-01-21")
    return [(c["event"], c["certainty"], c["certainty_cue"]) for c in record["claims"]]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Russia has not delivered two T-72B3 tanks to Mali.", "not"),
        ("Russia has never delivered T-72B3 tanks to Mali.", "never"),
    ],
)
def test_a_negation_just_before_the_event_denies_it(text, cue):
    assert _levels(text) == [("delivery", "denied", cue)]


def test_the_nearest_hedge_before_the_event_wins_over_a_sentence_wide_one():
    assert _levels("Reportedly, Russia probably delivered two T-72B3 tanks to Mali.") == [
        ("delivery", "probable", "probably")
    ]
    assert _levels("Reportedly, Russia delivered two T-72B3 tanks to Mali.") == [
        ("delivery", "speculative", "Reportedly")
    ]


def test_a_hedge_reaches_the_event_only_from_nearby():
    near = "It is possible that after talks Russia delivered two T-72B3 tanks to Mali."
    assert _levels(near) == [("delivery", "possible", "It is possible")]
    far = "It is possible that, " + FAR + "Russia delivered two T-72B3 tanks to Mali."
    assert far.index("delivered") - len("It is possible") > 140
    assert _levels(far) == [("delivery", "reported", None)]
    past_a_semicolon = "Officials may be wrong; Russia delivered two T-72B3 tanks to Mali."
    assert _levels(past_a_semicolon) == [("delivery", "reported", None)]


def test_a_denial_after_the_event_denies_it():
    assert _levels("Russia delivered two T-72B3 tanks to Mali, officials denied.") == [("delivery", "denied", "denied")]


@pytest.mark.parametrize(
    ("second", "level"),
    [
        ("The Malian government denied the report.", "denied"),
        ("The claim could not be independently verified.", "speculative"),
    ],
)
def test_a_sentence_denying_or_doubting_the_previous_one_adds_its_own_voice(second, level):
    """Both voices stay: the report as stated, and the same fact at the later sentence's level."""
    claims = _levels("Russia delivered two T-72B3 tanks to Mali. " + second)
    assert [(event, certainty) for event, certainty, _ in claims] == [("delivery", "reported"), ("delivery", level)]
    assert claims[1][2] is not None and claims[1][2] in second


def test_the_french_conditional_reports_without_vouching():
    assert _levels("Deux chars T-72B3 auraient été livrés au Mali.") == [("delivery", "speculative", "auraient")]
    assert _levels("Deux chars T-72B3 ont été livrés au Mali.") == [("delivery", "reported", None)]


def test_the_source_who_said_it_is_named():
    record = extract_text("Russia delivered two T-72B3 tanks to Mali, Reuters reported.", "2025-01-21")
    [claim] = record["claims"]
    assert (claim["certainty"], named(record, claim["attributed_to"])) == ("reported", "Reuters")
    unsourced = extract_text("Russia delivered two T-72B3 tanks to Mali.", "2025-01-21")
    assert [c["attributed_to"] for c in unsourced["claims"]] == [None]


def test_the_french_conditional_is_read_without_the_parser_too():
    """A sentence too long for the parser goes by the fast path; its conditional still hedges."""
    listing = ", ".join(f"l'article {n}" for n in range(400))
    record = extract_text(f"Deux chars T-72B3 auraient été livrés au Mali avec {listing}.", "2025-01-21")
    assert any("too long" in warning for warning in record["document"]["warnings"])
    assert [(c["event"], c["certainty"], c["certainty_cue"]) for c in record["claims"]] == [
        ("delivery", "speculative", "auraient")
    ]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Maxar published satellite images showing two T-72B3 tanks at Gao airport in Mali.", "Maxar Technologies"),
        ("Footage released by Russia shows two T-72B3 tanks in Gao, Mali.", None),  # a state is a party
        ("Footage released by Russia and broadcast by Cap Mali+ shows two T-72B3 tanks in Gao, Mali.", "Cap Mali+"),
    ],
)
def test_the_evidence_source_is_who_published_the_imagery_never_a_state(text, source):
    record = extract_text(text, "2025-01-21")
    assert [named(record, c["evidence_source"]) for c in record["claims"]] == [source]


def test_a_denial_of_the_previous_sentence_speaks_in_its_own_sentence_with_no_evidence():
    """The denial is the government's voice: its sentence, no footage, nobody else's attribution."""
    first = "Video footage shows two T-72B3 tanks in Gao, Mali, Reuters reported."
    second = "The Malian government denied the report."
    record = extract_text(f"{first} {second}", "2025-01-21")
    stated, denied = record["claims"]
    assert (stated["certainty"], stated["evidence"], named(record, stated["attributed_to"])) == (
        "confirmed",
        ["report", "video"],
        "Reuters",
    )
    assert (denied["certainty"], denied["evidence"], denied["attributed_to"]) == ("denied", [], None)
    assert denied["sentence"] == {"start": len(first) + 1, "end": len(first) + 1 + len(second), "text": second}


LISTING = ", ".join(f"l'article {n}" for n in range(400))  # makes a sentence too long for the parser


def test_a_french_conditional_other_than_aurait_hedges_on_the_fast_path():
    """"seraient" is no sentence-wide cue: only the conditional rule reads it, before the event word."""
    record = extract_text(f"Deux chars T-72B3 seraient arrivés au Mali avec {LISTING}.", "2025-01-21")
    assert any("too long" in warning for warning in record["document"]["warnings"])
    assert [(c["certainty"], c["certainty_cue"]) for c in record["claims"]] == [("speculative", "seraient")]


def test_a_french_conditional_after_the_event_word_does_not_hedge_it_on_the_fast_path():
    record = extract_text(f"Deux chars T-72B3 sont arrivés au Mali, d'autres seraient attendus, avec {LISTING}.",
                          "2025-01-21")
    assert any("too long" in warning for warning in record["document"]["warnings"])
    assert [c["certainty"] for c in record["claims"] if c["event"] == "deployment"] == ["reported"]


def test_the_parse_finds_a_french_conditional_far_from_the_event_word():
    """The auxiliary is more words away than the fast path's window reaches; the parse links it."""
    text = "Deux chars T-72B3 seraient depuis le mois dernier arrivés à Gao, au Mali."
    assert text.index("arrivés") - text.index("seraient") > 25
    assert _levels(text) == [("deployment", "speculative", "seraient")]


def test_a_first_sentence_that_denies_has_no_earlier_claim_to_repeat():
    assert _levels("Moscow denied the report. Russia delivered two T-72B3 tanks to Mali.") == [
        ("delivery", "reported", None)
    ]


def test_two_plain_sentences_keep_their_own_certainty():
    assert [level for _, level, _ in _levels("Russia delivered two T-72B3 tanks to Mali. Two BTR-82A "
                                             "armoured vehicles arrived in Niger.")] == ["reported", "reported"]


def test_a_denying_sentence_that_states_the_same_fact_itself_gives_it_once():
    """It repeats the earlier fact only when it does not already make the same claim about the same system."""
    restated = _levels("Russia delivered two T-72B3 tanks to Mali. Moscow denied the report and said it "
                       "delivered two T-72B3 tanks to Niger.")
    assert [(event, level) for event, level, _ in restated] == [("delivery", "reported"), ("delivery", "denied")]
    other = _levels("Russia delivered two T-72B3 tanks to Mali. Moscow denied the report and said it "
                    "delivered two Mi-24P helicopters to Niger.")
    assert [(event, level) for event, level, _ in other] == [
        ("delivery", "reported"), ("delivery", "denied"), ("delivery", "denied")
    ]


def test_the_evidence_source_is_found_after_a_long_opening():
    """The verb after the outlet's name credits it wherever the name stands in the sentence."""
    text = ("On the afternoon of Tuesday 21 January, in a short note, Maxar published satellite images "
            "showing two T-72B3 tanks at Gao airport in Mali.")
    assert text.index("Maxar") > 50
    record = extract_text(text, "2025-01-21")
    assert [named(record, c["evidence_source"]) for c in record["claims"]] == ["Maxar Technologies"]
