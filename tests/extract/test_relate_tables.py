"""Plain-text inventory tables (issue 8): the name column names a system on every row, known to
the catalog or not; the origin column gives its origin, the count column its count, and the
notes neither place the holding nor add events. Texts written for the test."""

from __future__ import annotations

from tests.extract.helpers import claims_about, extract_text

from orbat.text_tables import table_rows

FLEET = (
    "Nigerian Navy\n\n"
    "The Nigerian Navy patrols the Gulf of Guinea from its bases in Lagos and Calabar.\n\n"
    "Ships\n\n"
    "  Vessel          Origin          Type           In service   Notes\n"
    "  --------------- --------------- -------------- ------------ ------------------------------\n"
    "  '' Aradu ''     Germany         Frigate        1[3]         Commissioned in 1982\n"
    "  Kyanwa          United States   Patrol boat    2[4]         Former coast guard cutters\n"
    "  Andoni          Nigeria         Patrol boat    1            Built in Port Harcourt\n"
    "\n"
    "The fleet is due to receive new offshore patrol vessels.\n"
)


def _country(record: dict, entity_id: str | None) -> str | None:
    return next((e.get("country") for e in record["entities"] if e["id"] == entity_id), None)


def test_the_reader_finds_each_rows_cells_by_their_header():
    rows = table_rows(FLEET)
    cells = [{role: FLEET[a:b] for role, (a, b) in row.cells.items()} for row in rows]
    assert cells == [
        {"name": "Aradu", "origin": "Germany", "count": "1"},
        {"name": "Kyanwa", "origin": "United States", "count": "2"},
        {"name": "Andoni", "origin": "Nigeria", "count": "1"},
    ]
    assert [row.count for row in rows] == [1, 2, 1]
    # dashes under a header without a name column, or a lone rule line, are no inventory
    assert table_rows("  Year   Budget\n  ------ --------\n  2019   1.2\n") == []
    assert table_rows("Contents\n----------\nShips\n") == []


def test_each_row_is_a_holding_of_the_force_from_its_origin_and_counted():
    record = extract_text(FLEET, "2020-01-01")
    for name, origin, count in (("Aradu", "DE", 1), ("Kyanwa", "US", 2), ("Andoni", "NG", 1)):
        claims = claims_about(record, name)
        assert [c["event"] for c in claims] == ["deployment"], name
        claim = claims[0]
        assert _country(record, claim["place"]) == "NG", name
        assert claim["equipment"][0]["quantity"]["min"] == count, name
        if origin != "NG":
            assert _country(record, claim["origin"]) == origin, name
    # the notes column's town and event word ("Built in Port Harcourt", "Commissioned") add nothing
    places = {c["place"] for c in record["claims"]}
    assert not any(e["name"] == "Port Harcourt" and e["id"] in places for e in record["entities"])
    assert {c["event"] for c in record["claims"] if "Vessel" not in c["sentence"]["text"]} <= {"deployment", "delivery"}
