"""Merge rules on hand-built claim facts: what one observation is, and what stays apart."""

from __future__ import annotations

from orbat.merge import Successor, merge
from orbat.model import ClaimActorFact, ClaimFact

BAMAKO = {"place_name": "Bamako", "place_country": "ML", "place_lat": 12.6392, "place_lon": -8.0029,
          "place_feature": "city"}
BASE_101 = {"place_name": "Air Base 101", "place_country": "ML", "place_lat": 12.5335,
            "place_lon": -7.9499, "place_feature": "installation"}
GAO = {"place_name": "Gao", "place_country": "ML", "place_lat": 16.2717, "place_lon": -0.0447,
       "place_feature": "city"}
MALI = {"place_name": "Mali", "place_country": "ML", "place_feature": "country"}
T72B3 = {"equipment_name": "T-72B3", "equipment_catalog_id": "t-72b3", "equipment_class": "main-battle-tank",
         "equipment_family": "T-72"}
T72 = {"equipment_name": "T-72", "equipment_catalog_id": "t-72", "equipment_class": "main-battle-tank",
       "equipment_family": "T-72"}
BMP3 = {"equipment_name": "BMP-3", "equipment_catalog_id": "bmp-3",
        "equipment_class": "infantry-fighting-vehicle", "equipment_family": "BMP-3"}
SUCCESSIONS = {"wagner-group": Successor("africa-corps", "Africa Corps"),
               "wagner group": Successor("africa-corps", "Africa Corps")}


def fact(n: int, publisher: str, date: str = "2025-01-17", event: str = "delivery",
         certainty: str = "reported", place: dict | None = None, equipment: dict | None = None,
         **kw) -> ClaimFact:
    return ClaimFact(claim_id=f"c{n}", document_id=f"sha256:{n:064d}", event=event, certainty=certainty,
                     sentence=f"sentence {n}", sentence_start=0, sentence_end=10, publisher=publisher,
                     date=date, **(BAMAKO if place is None else place), **(T72B3 if equipment is None else equipment),
                     **kw)


def merged(facts: list[ClaimFact]):
    return merge(facts, successions=SUCCESSIONS)


def test_convoy_reported_by_three_publishers_is_one_observation_per_system():
    facts = [fact(1, "Army Recognition", quantity_min=7, quantity_max=7),
             fact(1, "Army Recognition", equipment=BMP3, quantity_min=5, quantity_max=5),
             fact(2, "Jeune Afrique", "2025-01-18", quantity_min=5, quantity_max=5, event="deployment"),
             fact(3, "Kyiv Post", "2025-01-20", quantity_min=12, quantity_max=12, event="display",
                  place=BASE_101)]
    observations = merged(facts)
    tanks = [o for o in observations if o.equipment_name == "T-72B3"]
    assert len(tanks) == 1 and len([o for o in observations if o.equipment_name == "BMP-3"]) == 1
    tank = tanks[0]
    assert (tank.quantity_min, tank.quantity_max, tank.quantity_headline) == (5, 12, 5)
    assert tank.publisher_count == 3
    assert tank.claim_ids == ["c1", "c2", "c3"]
    assert (tank.first_seen, tank.last_seen) == ("2025-01-17", "2025-01-20")
    assert tank.place_name == "Air Base 101"  # the most precise place reported
    assert tank.event_group == "presence" and tank.events == ["delivery", "deployment", "display"]
    count = next(d for d in tank.disagreements if d.kind == "count")
    assert count.values == ["7 (Army Recognition)", "5 (Jeune Afrique)", "12 (Kyiv Post)"]


def test_ids_are_stable_and_do_not_depend_on_input_order():
    facts = [fact(1, "A"), fact(2, "B", "2025-01-19"), fact(3, "C", equipment=BMP3)]
    first = merged(facts)
    again = merged(list(reversed(facts)))
    assert [o.id for o in first] == [o.id for o in again]
    assert all(o.id.startswith("obs-") and len(o.id) == 16 for o in first)


def test_imagery_from_two_named_sources_confirms_with_the_rule():
    observations = merged([fact(1, "Sahel Monitor", evidence=["broadcast"],
                                actors=[ClaimActorFact("Cap Mali +", None, "source")]),
                           fact(2, "Army Recognition", evidence=["photo"],
                                actors=[ClaimActorFact("ORTM", None, "source")])])
    assert len(observations) == 1
    assert observations[0].certainty == "confirmed" and observations[0].independent_sources == 2
    assert "2 independent pieces of imagery" in observations[0].certainty_rule
    assert "by ORTM" in observations[0].certainty_rule


def test_outlets_repeating_one_footage_are_one_source_reported_by_many():
    """Five outlets showing the same day's footage are one primary source, not five."""
    observations = merged([fact(n, name, evidence=["video"], date="2025-01-17" if n < 3 else None,
                                published=f"2025-01-{17 + n}")
                           for n, name in enumerate(["Cap Mali +", "Sahel Monitor", "Le Veilleur", "OSOB"])])
    obs = observations[0]
    assert len(observations) == 1 and obs.independent_sources == 1 and obs.certainty == "reported"
    assert obs.publisher_count == 4 and set(obs.reported_by) == {"Cap Mali +", "Sahel Monitor", "Le Veilleur", "OSOB"}


def test_counts_from_one_footage_are_readings_not_a_sum():
    observations = merged([fact(1, "A", evidence=["video"], quantity_min=7, quantity_max=7),
                           fact(2, "B", evidence=["video"], quantity_min=5, quantity_max=None)])
    assert observations[0].quantity_text == "at least 5 to 7"
    assert observations[0].quantity_max == 7


def test_imagery_from_one_outlet_twice_does_not_confirm():
    observations = merged([fact(1, "Cap Mali +", evidence=["broadcast"]),
                           fact(2, "Cap Mali +", evidence=["video"])])
    assert observations[0].certainty == "reported"
    assert observations[0].publisher_count == 1
    assert observations[0].certainty_rule == "strongest claim: reported by Cap Mali +"


def test_strongest_certainty_wins_over_hedged_reports():
    observations = merged([fact(1, "A", certainty="possible"), fact(2, "B", certainty="probable")])
    assert observations[0].certainty == "probable"


def test_denied_claim_is_a_disagreement_and_never_raises_certainty():
    observations = merged([fact(1, "A", certainty="speculative"),
                           fact(2, "Ministry", certainty="denied", evidence=["official_statement"]),
                           fact(3, "B", certainty="denied", evidence=["photo"]),
                           fact(4, "C", certainty="denied", evidence=["video"])])
    assert len(observations) == 1
    obs = observations[0]
    assert obs.certainty == "speculative"
    denied = next(d for d in obs.disagreements if d.kind == "denied")
    assert denied.claim_ids == ["c2", "c3", "c4"] and "Ministry: sentence 2" in denied.values
    assert obs.publisher_count == 1


def test_only_denials_give_a_denied_observation():
    observations = merged([fact(1, "Ministry", certainty="denied")])
    assert observations[0].certainty == "denied"
    assert observations[0].certainty_rule.startswith("only denials")


def test_wagner_claims_roll_up_to_africa_corps():
    wagner = ClaimActorFact("Wagner Group", "wagner-group", "operator", "pmc")
    corps = ClaimActorFact("Africa Corps", "africa-corps", "operator", "armed_force")
    observations = merged([fact(1, "A", actors=[wagner]), fact(2, "B", actors=[corps])])
    assert len(observations) == 1
    actors = observations[0].actors
    assert [(a.name, a.catalog_id, a.role) for a in actors] == [("Africa Corps", "africa-corps", "operator")]
    assert actors[0].reported_as == ["Wagner Group", "Africa Corps"]
    assert not any(d.kind == "recipient" for d in observations[0].disagreements)


def test_different_recipients_and_origins_are_disagreements():
    corps = ClaimActorFact("Africa Corps", "africa-corps", "recipient")
    fama = ClaimActorFact("Malian Armed Forces", "fama", "recipient")
    observations = merged([fact(1, "A", actors=[corps], origin_name="Russia", origin_country="RU"),
                           fact(2, "B", actors=[fama], origin_name="Syria", origin_country="SY")])
    kinds = {d.kind: d.values for d in observations[0].disagreements}
    assert kinds["recipient"] == ["Africa Corps (A)", "Malian Armed Forces (B)"]
    assert kinds["origin"] == ["Russia (A)", "Syria (B)"]
    assert observations[0].origins == ["Russia", "Syria"]


def test_far_apart_dates_give_two_observations():
    observations = merged([fact(1, "A", "2024-03-01"), fact(2, "B", "2025-01-17")])
    assert len(observations) == 2
    assert [o.first_seen for o in observations] == ["2024-03-01", "2025-01-17"]
    assert observations[0].id != observations[1].id


def test_reports_chained_within_the_window_stay_one_observation():
    observations = merged([fact(1, "A", "2025-01-01"), fact(2, "B", "2025-02-10"), fact(3, "C", "2025-03-20")])
    assert len(observations) == 1


def test_different_places_stay_apart():
    assert len(merged([fact(1, "A"), fact(2, "B", place=GAO)])) == 2


def test_different_event_groups_stay_apart():
    assert len(merged([fact(1, "A"), fact(2, "B", event="loss")])) == 2


def test_family_claim_joins_the_only_variant_there():
    observations = merged([fact(1, "A"), fact(2, "B", equipment=T72, quantity_min=3, quantity_max=3)])
    assert len(observations) == 1
    assert observations[0].equipment_name == "T-72B3"
    assert observations[0].claim_ids == ["c1", "c2"]


def test_family_claim_stays_apart_when_two_variants_are_there():
    t72b = {**T72B3, "equipment_name": "T-72B", "equipment_catalog_id": "t-72b"}
    observations = merged([fact(1, "A"), fact(2, "B", equipment=t72b), fact(3, "C", equipment=T72)])
    assert sorted(o.equipment_name for o in observations) == ["T-72", "T-72B", "T-72B3"]


def test_country_level_claim_joins_the_single_located_observation():
    observations = merged([fact(1, "A"), fact(2, "B", place=MALI, date="2025-01-25")])
    assert len(observations) == 1
    assert observations[0].place_name == "Bamako" and observations[0].last_seen == "2025-01-25"


def test_undated_claim_falls_back_to_publication_date():
    observations = merged([fact(1, "A"), fact(2, "B", date=None, published="2025-01-21T09:03:00")])
    assert len(observations) == 1  # the publication date places the claim in the window…
    assert observations[0].last_seen == "2025-01-17"  # …but an event date beats it
    assert not observations[0].dated_by_publication
    alone = merged([fact(2, "B", date=None, published="2025-01-21T09:03:00")])[0]
    assert alone.first_seen == "2025-01-21" and alone.dated_by_publication  # "reported on"


def test_claims_without_publisher_count_by_document():
    observations = merged([fact(1, None), fact(2, None)])  # type: ignore[arg-type]
    assert observations[0].publisher_count == 2


def test_no_facts_no_observations():
    assert merge([]) == []


def test_undated_claim_joins_the_only_sighting_of_its_system_there():
    observations = merged([fact(1, "A"), fact(2, "B", date=None, published=None)])
    assert len(observations) == 1 and observations[0].publisher_count == 2


def test_undated_claim_stays_apart_when_two_sightings_could_take_it():
    observations = merged([fact(1, "A", "2024-01-01"), fact(2, "B", "2025-01-17"),
                           fact(3, "C", date=None, published=None)])
    assert len(observations) == 3
    assert observations[-1].first_seen is None
