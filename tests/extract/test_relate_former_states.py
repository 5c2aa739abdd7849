"""Where a claim's systems come from (issue 8): a former state such as the Soviet Union is an
origin with its own country code, an origin named after the destination ("deployed to Libya
from Hmeimim air base") stays the origin, and "Russian-manufactured" states the origin."""

from __future__ import annotations

from tests.extract.helpers import extract_text


def _origins(record: dict) -> list[tuple[str, str | None]]:
    entities = {e["id"]: e for e in record["entities"]}
    return [(c["event"], entities.get(c["origin"] or "", {}).get("country")) for c in record["claims"]]


def test_the_soviet_union_is_an_origin_with_its_own_code():
    record = extract_text("Cuba ordered 40 T-62 tanks from the Soviet Union in 1978. "
                          "Ethiopia received 12 MiG-23 fighters from the USSR in 1985.", "2020-01-01")
    assert _origins(record) == [("order", "SU"), ("delivery", "SU")]
    # the state that succeeded it keeps its own code
    record = extract_text("Serbia received six MiG-29 fighters from Russia in 2017.", "2020-01-01")
    assert _origins(record) == [("delivery", "RU")]


def _places(record: dict) -> list[tuple[str, str | None, str | None]]:
    entities = {e["id"]: e for e in record["entities"]}
    return [(c["event"], entities.get(c["place"] or "", {}).get("name"),
             entities.get(c["origin"] or "", {}).get("name")) for c in record["claims"]]


def test_a_base_after_the_destination_is_where_the_aircraft_left_from():
    record = extract_text("Four Su-35 jets were deployed to Libya from Hmeimim air base.", "2020-01-01")
    assert _places(record) == [("deployment", "Libya", "Hmeimim air base")]
    # the usual order, origin first, keeps both roles
    record = extract_text("The United States moved six F-16 fighters from Aviano Air Base to Poland.", "2020-01-01")
    assert [(place, origin) for _, place, origin in _places(record)] == [("Poland", "Aviano air base")]


def test_a_maker_suffix_on_a_demonym_states_the_origin():
    record = extract_text("The air force operates six Russian-manufactured Su-27 fighters.", "2020-01-01")
    assert _origins(record) == [("deployment", "RU")]
    # a bare demonym with no country named anywhere adds no origin of its own
    record = extract_text("The air force operates six Russian Su-27 fighters.", "2020-01-01")
    assert _origins(record) == [("deployment", None)]


def test_a_count_reaches_over_a_maker_suffix_and_the_maker_name():
    record = extract_text("The air force operates six Russian-manufactured Sukhoi Su-27 fighters.", "2020-01-01")
    (claim,) = record["claims"]
    assert [(e["quantity"] or {}).get("min") for e in claim["equipment"]] == [6]
