"""Short conflict-event notes gate: on the 82 notes we wrote (`tests/geonotes/notes.jsonl`, English
and French, about real places from the Sahel to Ukraine, almost none naming its country), the share
with a place within 25 km of the note's place and the share whose first place is in the right
country must not fall below `tests/geonotes_floors.json` (floors only rise).

The notes run once per module through the real pipeline with the default index, as a user's
`orbat extract` would; `bench/geonotes.py` scores them and prints every miss."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLOORS = json.loads((ROOT / "tests" / "geonotes_floors.json").read_text(encoding="utf-8"))


def _scorer():
    spec = importlib.util.spec_from_file_location("geonotes", ROOT / "bench" / "geonotes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scored() -> tuple[dict[str, float], list[str], list[dict]]:
    geonotes = _scorer()
    notes = geonotes.load_notes()
    figures, misses = geonotes.score(notes, geonotes.extract_places(notes))
    return figures, misses, notes


def test_the_notes_are_many_and_mixed(scored):
    _, _, notes = scored
    french = [n for n in notes if n["text"].startswith("Le ")]
    assert len(notes) >= 60 and len(french) * 4 >= len(notes)
    assert len({n["country"] for n in notes}) >= 12


def test_geonotes_stay_above_the_floors(scored):
    figures, misses, _ = scored
    short = {k: round(v, 4) for k, v in figures.items() if v < FLOORS[k]}
    assert not short, f"below the floors {FLOORS}: {short} (all: {figures})\n" + "\n".join(misses)
