"""Merge arithmetic: which counts make an observation's range, its headline and its disagreements.

An analyst reads "5–12, headline 5" as what the supporting sources said. Denials must stay out
of it, open counts ("at least 9", "over 50") must reach the maximum as their floor, and one
source quoting two counts is still one source.
"""

from __future__ import annotations

from tests.knowledge.test_merge import fact, merged

from orbat.model import ClaimActorFact, ClaimFact


def one(facts: list[ClaimFact]):
    observations = merged(facts)
    assert len(observations) == 1, [(o.equipment_name, o.first_seen) for o in observations]
    return observations[0]


def counted(n: int, publisher: str, low: int | None, high: int | None, **kw) -> ClaimFact:
    return fact(n, publisher, quantity_min=low, quantity_max=high, **kw)


def kinds(obs) -> dict[str, list[str]]:
    return {d.kind: d.values for d in obs.disagreements}


def test_a_denied_count_never_enters_the_range_or_the_headline():
    obs = one([counted(1, "Reuters", 7, 7), counted(2, "Kremlin", 20, 20, certainty="denied"),
               counted(3, "TASS", 2, 2, certainty="denied")])
    assert (obs.quantity_min, obs.quantity_max, obs.quantity_headline) == (7, 7, 7)
    assert obs.certainty == "reported" and obs.publishers == ["Reuters"]
    assert "count" not in kinds(obs)  # a denial is not a competing count …
    assert set(kinds(obs)) == {"denied"}  # … it is shown as a denial
    assert sorted(obs.claim_ids) == ["c1", "c2", "c3"]


def test_at_least_counts_toward_the_maximum_as_its_floor():
    obs = one([counted(1, "Reuters", 5, 5), counted(2, "AFP", 9, None)])
    assert (obs.quantity_min, obs.quantity_max, obs.quantity_headline) == (5, 9, 5)
    assert kinds(obs)["count"] == ["5 (Reuters)", "9+ (AFP)"]


def test_over_n_is_stored_as_n_plus_one_and_reaches_the_maximum():
    """"Over 50" is at least 51 (quantities stores it so); the range's top is 51, not 12."""
    obs = one([counted(1, "Reuters", 12, 12), counted(2, "AFP", 51, None)])
    assert (obs.quantity_min, obs.quantity_max) == (12, 51)


def test_an_open_count_alone_is_its_own_floor_and_top():
    obs = one([counted(1, "Reuters", 5, None)])
    assert (obs.quantity_min, obs.quantity_max, obs.quantity_headline) == (5, 5, 5)


def test_up_to_n_gives_a_top_and_no_floor_of_its_own():
    obs = one([counted(1, "Reuters", None, 30), counted(2, "AFP", 12, 12)])
    assert (obs.quantity_min, obs.quantity_max, obs.quantity_headline) == (12, 30, 12)
    alone = one([counted(1, "Reuters", None, 30)])
    assert (alone.quantity_min, alone.quantity_max) == (30, 30)


def test_a_range_and_an_exact_count_span_both():
    obs = one([counted(1, "Reuters", 10, 20), counted(2, "AFP", 25, 25)])
    assert (obs.quantity_min, obs.quantity_max, obs.quantity_headline) == (10, 25, 10)
    assert kinds(obs)["count"] == ["10-20 (Reuters)", "25 (AFP)"]


def test_competing_counts_from_one_piece_of_evidence_are_one_source():
    """One article giving "seven by one count, five by another": both counts, one publisher."""
    seven = counted(1, "Army Recognition", 7, 7)
    five = counted(1, "Army Recognition", 5, 5)
    five.claim_id = "c1b"
    obs = one([seven, five])
    assert (obs.quantity_min, obs.quantity_max, obs.quantity_headline) == (5, 7, 5)
    assert obs.publisher_count == 1 and obs.publishers == ["Army Recognition"]
    assert kinds(obs)["count"] == ["7 (Army Recognition)", "5 (Army Recognition)"]


def test_counts_from_independent_evidence_add_sources_not_vehicles():
    obs = one([counted(1, "Reuters", 7, 7), counted(2, "AFP", 7, 7, date="2025-01-18"),
               counted(3, "Jeune Afrique", 12, 12, date="2025-01-19")])
    assert (obs.quantity_min, obs.quantity_max, obs.quantity_headline) == (7, 12, 7)  # never 7 + 7 + 12
    assert obs.publisher_count == 3
    assert kinds(obs)["count"] == ["7 (Reuters, AFP)", "12 (Jeune Afrique)"]


def test_the_same_count_from_every_source_is_no_disagreement():
    obs = one([counted(1, "Reuters", 7, 7), counted(2, "AFP", 7, 7)])
    assert (obs.quantity_min, obs.quantity_max) == (7, 7) and obs.disagreements == []


def test_claims_without_a_count_leave_the_range_to_those_with_one():
    obs = one([counted(1, "Reuters", None, None), counted(2, "AFP", 4, 4)])
    assert (obs.quantity_min, obs.quantity_max, obs.quantity_headline) == (4, 4, 4)
    assert obs.disagreements == []  # a claim without a count does not dispute one
    bare = one([counted(1, "Reuters", None, None)])
    assert (bare.quantity_min, bare.quantity_max, bare.quantity_headline) == (None, None, None)


def test_an_observation_carries_what_its_supporting_claims_say():
    """Every field an analyst reads comes from the claims, and the rules name their sources."""
    # two pieces of imagery credited to two different primary sources: independent evidence
    # (two outlets repeating one piece of footage would be one source; see test_independence)
    photo = counted(1, "Reuters", 7, 7, evidence=["photo"], transit=["Russia"], markings=["H2200"],
                    actors=[ClaimActorFact("Malian Armed Forces", "fama", "recipient"),
                            ClaimActorFact("Cap Mali+", None, "source")])
    video = counted(2, "AFP", 5, 5, date="2025-01-18", evidence=["video"], transit=["Syria"],
                    actors=[ClaimActorFact("Africa Corps", "africa-corps", "operator"),
                            ClaimActorFact("Sahel Monitor", None, "source")])
    denial = counted(3, "TASS", 20, 20, certainty="denied", evidence=["official_statement"], transit=["Chad"])
    obs = one([photo, video, denial])
    assert (obs.equipment_name, obs.equipment_catalog_id, obs.equipment_class, obs.equipment_family) == (
        "T-72B3", "t-72b3", "main-battle-tank", "T-72")
    assert (obs.country, obs.place_name, obs.place_lat, obs.place_lon, obs.place_feature) == (
        "ML", "Bamako", 12.6392, -8.0029, "city")
    assert (obs.first_seen, obs.last_seen, obs.events) == ("2025-01-17", "2025-01-18", ["delivery"])
    assert obs.document_ids == [f"sha256:{n:064d}" for n in (1, 3, 2)]  # by date, then claim
    assert obs.transit == ["Russia", "Syria"] and obs.evidence == ["photo", "video"]  # not the denial's
    assert obs.markings == ["H2200"]
    assert (obs.certainty, obs.certainty_rule) == (
        "confirmed", "2 independent pieces of imagery (imagery by Cap Mali+ (2025-01-17); "
                     "imagery by Sahel Monitor (2025-01-18))")
    found = {d.kind: d for d in obs.disagreements}
    assert found["recipient"].values == ["Malian Armed Forces (Reuters)", "Africa Corps (AFP)"]
    assert found["count"].claim_ids == ["c1", "c2"] and found["denied"].claim_ids == ["c3"]
    assert obs.id.startswith("obs-") and len(obs.id) == 16


def test_certainty_rules_name_their_sources():
    reported = one([counted(1, "Reuters", 7, 7), counted(2, "AFP", 7, 7, certainty="possible"),
                    counted(3, "BBC", 7, 7)])
    assert (reported.certainty, reported.certainty_rule) == ("reported", "strongest claim: reported by Reuters, BBC")
    denied = one([counted(1, "Kremlin", None, None, certainty="denied"), counted(2, "TASS", None, None,
                                                                               certainty="denied")])
    assert (denied.certainty, denied.certainty_rule) == ("denied", "only denials (Kremlin, TASS)")


def test_two_recipients_reported_together_read_as_one_value():
    both = counted(1, "Reuters", 7, 7, actors=[ClaimActorFact("Wagner Group", "wagner-group", "operator"),
                                                ClaimActorFact("Malian Armed Forces", "fama", "recipient")])
    other = counted(2, "AFP", 7, 7, actors=[ClaimActorFact("Malian Armed Forces", "fama", "recipient")])
    obs = one([both, other])
    assert {d.kind: d.values for d in obs.disagreements}["recipient"] == [
        "Africa Corps + Malian Armed Forces (Reuters)", "Malian Armed Forces (AFP)"]  # Wagner rolls up
