"""The query commands' CSV never hands a spreadsheet a formula, whatever the scraped text says.

A publisher, place or sentence beginning with `=`, `+`, `-`, `@`, a tab or a carriage return is
run by Excel and LibreOffice as a formula (RELIABILITY row 16). Every CSV cell that starts with one
of them must be a number; the text must come out whole, behind an apostrophe.
"""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner
from knowledge_factory import BAMAKO, T72B3, claim, populate, record

from orbat.cli import main
from orbat.model import Entity
from orbat.store import open_store

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PUBLISHER = "=HYPERLINK(\"http://evil.example\",\"x\")"
PLACE = "@SUM(1+1)"
SENTENCE = "-2+3 T-72B3 tanks were seen in Bamako on 17 January 2025."


def hostile_db(tmp_path) -> str:
    db = str(tmp_path / "orbat.db")
    place = Entity("evil", "place", PLACE, country="ML", lat=15.1, lon=-3.2, feature="city")
    with open_store(db) as store:
        populate(store)
        store.save(record(SENTENCE, PUBLISHER, "2025-01-21", [claim(
            SENTENCE, "deployment", [(T72B3, 3)], place, "2025-01-17", evidence=["photo"])], [T72B3, BAMAKO, place]))
    return db


def csv_rows(*args: str) -> list[list[str]]:
    result = CliRunner().invoke(main, [*args, "--format", "csv"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout)))


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_no_query_command_writes_a_formula(tmp_path):
    db = hostile_db(tmp_path)
    timeline = csv_rows("timeline", "ML", "--db", db)
    header = timeline[0]
    crafted = next(dict(zip(header, row, strict=True)) for row in timeline[1:] if PLACE in ",".join(row))
    observation = crafted["id"]
    outputs = {"timeline": timeline, "posture": csv_rows("posture", "ML", "--db", db),
               "where": csv_rows("where", "T-72B3", "--db", db),
               "new": csv_rows("new", "--since", "2025-01-01", "--db", db),
               "routes": csv_rows("routes", "--db", db), "show": csv_rows("show", observation, "--db", db),
               "stats": csv_rows("stats", "--db", db)}
    seen: set[str] = set()
    for command, rows in outputs.items():
        assert len(rows) > 1, command
        for row in rows:
            for cell in row:
                assert not cell.startswith(FORMULA_STARTS) or is_number(cell), (command, cell)
                seen.update(text for text in (PUBLISHER, PLACE, SENTENCE) if "'" + text in cell)
    assert crafted["place_name"] == "'" + PLACE
    assert seen == {PUBLISHER, PLACE, SENTENCE}  # the hostile text is kept whole, behind an apostrophe
