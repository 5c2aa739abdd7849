"""Claim origins and places that name a former state (issue 8): an inventory line such as
"ordered from the Soviet Union in 1978" gives the supplier's country code even though the ISO
list the catalog starts from no longer holds that state."""

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
