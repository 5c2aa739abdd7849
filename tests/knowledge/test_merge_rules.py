"""Merge rules an analyst reads off every observation: which place, which dates, which system and
which actors it names, and which vague claims it takes in (found missing by bench/mutation.py)."""

from __future__ import annotations

from tests.knowledge.test_merge import BAMAKO, BASE_101, GAO, MALI, T72B3, fact, merged

from orbat.merge import Successor, merge, roll_up
from orbat.model import ClaimActorFact


def test_the_most_precise_place_names_the_observation_whatever_the_order():
    """Air Base 101 (an installation) lies 13 km from Bamako (a city): one sighting, named by the base."""
    for facts in (
        [
            fact(1, "A", "2025-01-10"),
            fact(2, "B", "2025-01-12", place=BASE_101),
            fact(3, "C", "2025-01-11", place=MALI),
        ],
        [
            fact(2, "B", "2025-01-12", place=BASE_101),
            fact(3, "C", "2025-01-11", place=MALI),
            fact(1, "A", "2025-01-10"),
        ],
    ):
        (obs,) = merged(facts)
        assert (obs.place_name, obs.place_feature, obs.place_lat, obs.place_lon) == (
            "Air Base 101",
            "installation",
            12.5335,
            -7.9499,
        )
        assert sorted(obs.claim_ids) == ["c1", "c2", "c3"]  # the country-level claim joined


def test_a_located_place_beats_the_same_place_without_coordinates():
    unlocated_gao = {**GAO, "place_lat": None, "place_lon": None}
    (obs,) = merged([fact(1, "A", "2025-03-01", place=unlocated_gao), fact(2, "B", "2025-03-05", place=GAO)])
    assert (obs.place_name, obs.place_lat, obs.place_lon) == ("Gao", 16.2717, -0.0447)


def test_a_day_beats_a_month_and_an_event_date_beats_publication():
    (obs,) = merged([fact(1, "A", "2025-01"), fact(2, "B", "2025-01-17"), fact(3, "C", "2025-01-20")])
    assert (obs.first_seen, obs.last_seen, obs.dated_by_publication) == ("2025-01-17", "2025-01-20", False)
    (month_only,) = merged([fact(1, "A", "2025-01"), fact(2, "B", "2025-02")])
    assert (month_only.first_seen, month_only.last_seen) == ("2025-01", "2025-02")
    (published,) = merged([fact(1, "A", None, published="2025-01-21"), fact(2, "B", None, published="2025-01-23")])
    assert (published.first_seen, published.last_seen, published.dated_by_publication) == (
        "2025-01-21",
        "2025-01-23",
        True,
    )


def test_a_claim_dated_by_its_event_sets_the_dates_over_one_dated_by_publication():
    (obs,) = merged([fact(1, "A", None, published="2025-01-05"), fact(2, "B", "2025-01-17")])
    assert (obs.first_seen, obs.last_seen, obs.dated_by_publication) == ("2025-01-17", "2025-01-17", False)


def test_a_vague_claim_joins_a_sighting_that_grew_by_chaining_long_after_its_first_report():
    """Reports every five weeks chain into one sighting from January to April; a country-level
    claim six weeks after the last report is within the window of the sighting's end, not its start."""
    chained = [
        fact(1, "A", "2025-01-01", place=GAO),
        fact(2, "B", "2025-02-05", place=GAO),
        fact(3, "C", "2025-03-12", place=GAO),
        fact(4, "D", "2025-04-16", place=GAO),
    ]
    country_only = fact(5, "E", "2025-05-30", place=MALI)
    (obs,) = merged([*chained, country_only])
    assert (obs.first_seen, obs.last_seen, obs.place_name) == ("2025-01-01", "2025-05-30", "Gao")
    too_late = fact(5, "E", "2025-06-01", place=MALI)
    assert len(merged([*chained, too_late])) == 2


def test_a_vague_claim_dated_before_a_sighting_joins_it_within_the_window_only():
    located = fact(1, "A", "2025-03-01")
    assert len(merged([located, fact(2, "B", "2025-01-15", place=MALI)])) == 1  # 45 days before
    assert len(merged([located, fact(2, "B", "2025-01-14", place=MALI)])) == 2  # 46 days before


def test_systems_without_a_catalog_id_merge_by_their_written_name():
    nameless = {
        "equipment_name": "Type 99A",
        "equipment_catalog_id": None,
        "equipment_class": "main-battle-tank",
        "equipment_family": None,
    }
    (obs,) = merged(
        [fact(1, "A", equipment=nameless), fact(2, "B", equipment={**nameless, "equipment_name": "type-99a"})]
    )
    assert (obs.equipment_name, obs.equipment_catalog_id, obs.publisher_count) == ("Type 99A", None, 2)
    other = {**nameless, "equipment_name": "Type 96"}
    assert len(merged([fact(1, "A", equipment=nameless), fact(2, "B", equipment=other)])) == 2


def test_claims_about_a_class_only_merge_by_class():
    drones = {"equipment_name": None, "equipment_catalog_id": None, "equipment_class": "uav", "equipment_family": None}
    tanks = {**drones, "equipment_class": "main-battle-tank"}
    (obs,) = merged([fact(1, "A", equipment=drones), fact(2, "B", equipment=drones)])
    assert (obs.equipment_class, obs.equipment_name, obs.publisher_count) == ("uav", None, 2)
    assert len(merged([fact(1, "A", equipment=drones), fact(2, "B", equipment=tanks)])) == 2


def test_an_actor_rolls_up_by_id_or_by_any_spelling_of_its_name():
    successions = {
        "wagner-group": Successor("africa-corps", "Africa Corps"),
        "wagner group": Successor("africa-corps", "Africa Corps"),
    }
    assert roll_up("PMC Wagner", "wagner-group", successions) == Successor("africa-corps", "Africa Corps")
    assert roll_up("  WAGNER Group ", None, successions) == Successor("africa-corps", "Africa Corps")
    assert roll_up("Malian Armed Forces", "fama", successions) == Successor("fama", "Malian Armed Forces")
    assert roll_up("Unnamed militia", None, successions) == Successor("", "Unnamed militia")


def test_an_actor_outside_the_catalog_keeps_its_name_and_no_id():
    militia = ClaimActorFact("Unnamed militia", None, "operator")
    (obs,) = merge([fact(1, "A", actors=[militia]), fact(2, "B", actors=[militia])], successions={})
    assert [(a.name, a.catalog_id, a.role, a.reported_as) for a in obs.actors] == [
        ("Unnamed militia", None, "operator", ["Unnamed militia"])
    ]


KIDAL = {
    "place_name": "Kidal",
    "place_country": "ML",
    "place_lat": 18.4411,
    "place_lon": 1.4078,
    "place_feature": "city",
}
T72B = {**T72B3, "equipment_name": "T-72B", "equipment_catalog_id": "t-72b"}
FAMILY = {**T72B3, "equipment_name": "T-72", "equipment_catalog_id": "t-72"}


def _claims(observations) -> list[list[str]]:
    return sorted(sorted(o.claim_ids) for o in observations)


def test_country_level_claims_before_a_sighting_chain_into_it():
    """The first country-level claim moves the sighting's start 45 days back; the second, five
    days later, falls inside the sighting even though it is 40 days before its first located report."""
    facts = [
        fact(1, "A", "2025-03-01", place=GAO),
        fact(2, "B", "2025-01-15", place=MALI),
        fact(3, "C", "2025-01-20", place=MALI),
    ]
    (obs,) = merged(facts)
    assert (sorted(obs.claim_ids), obs.first_seen, obs.last_seen) == (["c1", "c2", "c3"], "2025-01-15", "2025-03-01")


def test_a_vague_claim_fits_only_sightings_whose_own_window_holds_it():
    """Gao's sighting ran from January to April; Kidal's was one report in February. A country-level
    claim on 30 May is within 45 days of Gao's last report and nowhere near Kidal's: it joins Gao."""
    chained = [
        fact(1, "A", "2025-01-01", place=GAO),
        fact(2, "B", "2025-02-05", place=GAO),
        fact(3, "C", "2025-03-12", place=GAO),
        fact(4, "D", "2025-04-16", place=GAO),
        fact(5, "E", "2025-02-01", place=KIDAL),
    ]
    observations = merged([*chained, fact(6, "F", "2025-05-30", place=MALI)])
    assert _claims(observations) == [["c1", "c2", "c3", "c4", "c6"], ["c5"]]


def test_a_family_claim_joins_the_variant_seen_at_its_place_not_one_seen_elsewhere():
    facts = [
        fact(1, "A", place=GAO),
        fact(2, "B", place=BAMAKO, equipment=T72B),
        fact(3, "C", place=GAO, equipment=FAMILY),
    ]
    assert _claims(merged(facts)) == [["c1", "c3"], ["c2"]]


def test_a_country_level_claim_about_a_variant_looks_only_at_that_variant():
    facts = [fact(1, "A", place=GAO), fact(2, "B", place=BAMAKO, equipment=T72B), fact(3, "C", place=MALI)]
    assert _claims(merged(facts)) == [["c1", "c3"], ["c2"]]


def test_claims_no_sighting_can_take_stay_apart_by_date_and_by_place_precision():
    """Two variants at Gao make every family claim there ambiguous. Among those left over, an
    undated claim never joins a dated one, two undated claims at Gao are one, and a claim about the
    Gao region (a vague place, whatever its coordinates) stays apart from claims about the city."""
    region = {
        "place_name": "Gao Region",
        "place_country": "ML",
        "place_lat": 16.30,
        "place_lon": -0.05,
        "place_feature": "region",
    }
    variants = [fact(1, "A", place=GAO), fact(2, "B", place=GAO, equipment=T72B)]
    leftovers = [
        fact(3, "C", place=GAO, equipment=FAMILY),
        fact(4, "D", None, published=None, place=GAO, equipment=FAMILY),
        fact(5, "E", None, published=None, place=GAO, equipment=FAMILY),
        fact(6, "F", place=region, equipment=FAMILY),
        fact(7, "G", "2025-01-27", place=GAO, equipment=FAMILY),
    ]
    assert _claims(merged([*variants, *leftovers])) == [["c1"], ["c2"], ["c3", "c7"], ["c4", "c5"], ["c6"]]


def test_two_places_without_coordinates_meet_only_by_name():
    tessalit = {"place_name": "Tessalit", "place_country": "ML", "place_feature": "locality"}
    aguelhok = {"place_name": "Aguelhok", "place_country": "ML", "place_feature": "locality"}
    assert len(merged([fact(1, "A", place=tessalit), fact(2, "B", place=aguelhok)])) == 2
    assert len(merged([fact(1, "A", place=tessalit), fact(2, "B", place=tessalit)])) == 1


def test_country_level_claims_with_no_sighting_to_join_are_one_observation():
    (obs,) = merged([fact(1, "A", "2025-01-10", place=MALI), fact(2, "B", "2025-01-20", place=MALI)])
    assert (sorted(obs.claim_ids), obs.place_name, obs.publisher_count) == (["c1", "c2"], "Mali", 2)


def test_a_sighting_keeps_its_latest_report_when_an_earlier_claim_joins_it():
    """A country-level claim from before the sighting must not pull its end back: a claim 44 days
    after the located report still joins."""
    facts = [
        fact(1, "A", "2025-03-01", place=GAO),
        fact(2, "B", "2025-02-01", place=MALI),
        fact(3, "C", "2025-04-14", place=MALI),
    ]
    (obs,) = merged(facts)
    assert (obs.first_seen, obs.last_seen) == ("2025-02-01", "2025-04-14")


def test_a_sighting_keeps_its_first_report_as_later_ones_chain_in():
    """A country-level claim 42 days before the first of two chained reports joins them."""
    facts = [
        fact(1, "A", "2025-01-01", place=GAO),
        fact(2, "B", "2025-02-10", place=GAO),
        fact(3, "C", "2024-11-20", place=MALI),
    ]
    (obs,) = merged(facts)
    assert (obs.first_seen, obs.last_seen) == ("2024-11-20", "2025-02-10")


def test_a_date_outside_the_bounds_leaves_the_claim_undated():
    """9999-12-31 would overflow the window arithmetic: the claim is kept, without a date."""
    (obs,) = merged([fact(1, "A", "9999-12-31", published=None), fact(2, "B", "9999-12-31", published=None)])
    assert (obs.first_seen, obs.last_seen, obs.dated_by_publication, sorted(obs.claim_ids)) == (
        None,
        None,
        False,
        ["c1", "c2"],
    )


def test_a_source_without_a_publisher_is_named_by_its_title_or_its_document():
    long_title = "Satellite imagery of the airport at Gao shows new hangars and two transport aircraft"
    (titled,) = merged([fact(1, None, title=long_title)])
    assert titled.certainty_rule == f"strongest claim: reported by {long_title[:60]}"
    (untitled,) = merged([fact(1, None)])
    assert untitled.certainty_rule == "strongest claim: reported by sha256:" + "0" * 12  # 19 characters of the id


def test_a_named_place_beats_no_place_even_when_its_kind_is_unknown():
    nowhere = {"place_name": None, "place_country": "ML", "place_feature": None}
    menaka = {"place_name": "Ménaka", "place_country": "ML", "place_feature": None}
    (obs,) = merged([fact(1, "A", "2025-01-10", place=nowhere), fact(2, "B", "2025-01-12", place=menaka)])
    assert (obs.place_name, sorted(obs.claim_ids)) == ("Ménaka", ["c1", "c2"])


def test_the_primary_evidence_is_listed_once_for_outlets_repeating_it():
    repeated = [fact(1, "Cap Mali +", evidence=["video"]), fact(2, "Sahel Monitor", evidence=["video"])]
    (obs,) = merged(repeated)
    assert (obs.primary_evidence, obs.independent_sources) == (["imagery (2025-01-17)"], 1)
    assert obs.reported_by == ["Cap Mali +", "Sahel Monitor"]


def _id_of(facts, claim_id: str) -> str:
    return next(o.id for o in merged(facts) if claim_id in o.claim_ids)


def test_an_observation_id_does_not_depend_on_the_other_observations():
    """Analysts quote ids (`orbat show obs-…`): new sightings of the same system elsewhere, or in
    another country, on the same day must not change the id of one already seen."""
    gao = fact(2, "B", place=GAO)
    assert _id_of([gao], "c2") == _id_of([fact(1, "A", place=KIDAL), gao], "c2")
    niger = fact(2, "B", place={"place_name": "Niger", "place_country": "NE", "place_feature": "country"})
    assert _id_of([niger], "c2") == _id_of([fact(1, "A", place=MALI), niger], "c2")


def test_an_observation_id_stays_as_later_or_vaguer_claims_join():
    first = fact(1, "A", "2025-01-10", place=MALI)
    region = {"place_name": "Gao Region", "place_country": "ML", "place_feature": "region"}
    grown = [first, fact(2, "B", "2025-01-12", place=region), fact(3, "C", "2025-02-01", place=MALI)]
    (obs,) = merged(grown)
    assert obs.place_name == "Gao Region" and obs.id == _id_of([first], "c1")


def test_the_count_text_says_at_least_only_where_the_lowest_figure_is_open():
    def text(*figures: tuple[int | None, int | None]) -> str | None:
        (obs,) = merged(
            [fact(n, f"S{n}", quantity_min=low, quantity_max=high) for n, (low, high) in enumerate(figures)]
        )
        return obs.quantity_text

    assert text((5, None)) == "at least 5"
    assert text((5, 5), (5, 5)) == "5"
    assert text((5, 5), (5, None)) == "5"  # someone counted exactly 5: the open reading adds nothing
    assert text((5, 5), (7, None)) == "5–7"  # the open figure is not the lowest
    assert text((5, None), (7, 7)) == "at least 5 to 7"


def test_an_undated_repost_of_footage_goes_with_the_footage_published_just_before_it():
    """Two broadcasters filmed on different days; an outlet reposting a video two days after the
    first, without a date of its own, repeats that footage and adds no third source."""
    cap = fact(1, "Cap Mali +", "2025-01-17", evidence=["video"], actors=[ClaimActorFact("Cap Mali +", None, "source")])
    ortm = fact(2, "ORTM", "2025-02-20", evidence=["video"], actors=[ClaimActorFact("ORTM", None, "source")])
    repost = fact(3, "Sahel Monitor", None, evidence=["video"], published="2025-01-19")
    (obs,) = merged([cap, ortm, repost])
    assert obs.primary_evidence == ["imagery by Cap Mali + (2025-01-17)", "imagery by ORTM (2025-02-20)"]
    assert (obs.independent_sources, obs.reported_by, obs.certainty) == (2, ["Sahel Monitor"], "confirmed")


def test_every_actor_in_a_role_is_listed_once_with_the_names_sources_used():
    """A source named in a claim is no operator; two forces outside the catalog stay two."""
    facts = [
        fact(
            1,
            "A",
            actors=[
                ClaimActorFact("Reuters", None, "source"),
                ClaimActorFact("FAMa", "fama", "operator"),
                ClaimActorFact("Russia", "russia", "supplier"),
            ],
        ),
        fact(
            2,
            "B",
            actors=[
                ClaimActorFact("Malian army", "fama", "operator"),
                ClaimActorFact("Dozo militia", None, "operator"),
                ClaimActorFact("Ganda Koy", None, "operator"),
            ],
        ),
    ]
    (obs,) = merge(facts, successions={})
    assert sorted((a.name, a.catalog_id, a.role, tuple(a.reported_as)) for a in obs.actors) == [
        ("Dozo militia", None, "operator", ("Dozo militia",)),
        ("FAMa", "fama", "operator", ("FAMa", "Malian army")),
        ("Ganda Koy", None, "operator", ("Ganda Koy",)),
        ("Russia", "russia", "supplier", ("Russia",)),
    ]


def test_a_recipient_reported_under_an_old_name_is_no_disagreement():
    """One source names Wagner by its catalog id under a spelling the catalog does not list, the
    other names its successor: both roll up to Africa Corps, so they agree on the recipient."""
    successions = {"wagner-group": Successor("africa-corps", "Africa Corps")}
    old = fact(1, "A", actors=[ClaimActorFact("PMC Wagner", "wagner-group", "recipient")])
    new = fact(2, "B", actors=[ClaimActorFact("Africa Corps", "africa-corps", "recipient")])
    (obs,) = merge([old, new], successions=successions)
    assert [d.kind for d in obs.disagreements] == []
    assert [(a.name, a.reported_as) for a in obs.actors] == [("Africa Corps", ["PMC Wagner", "Africa Corps"])]


def test_successions_given_by_the_caller_replace_the_catalog_s():
    wagner = fact(1, "A", actors=[ClaimActorFact("Wagner Group", "wagner-group", "operator")])
    (obs,) = merge([wagner], successions={})
    assert [(a.name, a.catalog_id) for a in obs.actors] == [("Wagner Group", "wagner-group")]


def test_an_undated_country_level_claim_joins_the_only_sighting_in_the_country():
    undated = fact(2, "B", None, published=None, place=MALI)
    (obs,) = merged([fact(1, "A", "2025-01-10", place=GAO), undated])
    assert sorted(obs.claim_ids) == ["c1", "c2"]
    assert len(merged([fact(1, "A", "2025-01-10", place=GAO), fact(3, "C", "2025-06-10", place=GAO), undated])) == 3


def test_a_place_keeps_its_coordinates_when_a_later_report_gives_none():
    """Gao located, then Gao without coordinates, then the airport 6 km away: one sighting."""
    unlocated_gao = {**GAO, "place_lat": None, "place_lon": None}
    airport = {
        "place_name": "Gao International Airport",
        "place_country": "ML",
        "place_lat": 16.2484,
        "place_lon": -0.0051,
        "place_feature": "installation",
    }
    facts = [
        fact(1, "A", "2025-01-01", place=GAO),
        fact(2, "B", "2025-01-05", place=unlocated_gao),
        fact(3, "C", "2025-01-10", place=airport),
    ]
    (obs,) = merged(facts)
    assert (sorted(obs.claim_ids), obs.place_name) == (["c1", "c2", "c3"], "Gao International Airport")


def test_a_source_that_only_hedges_adds_no_independent_source():
    """A broadcast shows the tanks; a second outlet only writes "it is possible that they came by
    air": one piece of evidence, not two, so nothing is upgraded to "almost certainly"."""
    cap = fact(1, "Sahel Monitor", evidence=["video"], certainty="confirmed",
               actors=[ClaimActorFact("Cap Mali +", None, "source")])
    guess = fact(2, "Med Brief", "2024-12-28", certainty="possible")  # its own, earlier, date
    (obs,) = merged([cap, guess])
    assert (obs.independent_sources, obs.certainty) == (1, "confirmed")
    assert obs.primary_evidence == ["imagery by Cap Mali + (2025-01-17)"]
    second = fact(3, "Other Outlet", "2024-12-28", certainty="reported")
    (obs,) = merged([cap, guess, second])
    assert obs.independent_sources == 2  # an outlet stating it outright is its own report
