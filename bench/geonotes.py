"""Score geoparsing on short conflict-event notes: one or two sentences, a date, a target, a place
and often its district and region in brackets, and (nearly always) no country named.

The notes are ours (`tests/geonotes/notes.jsonl`: id, text, lat, lon, country, precision), about
real places in many conflict regions, in English and French. Each note runs through the real
pipeline in-process with the index `ORBAT_HOME` points at (the default one unless a user imported
more), and two figures come out:

- `within25`: share of notes with a place entity (not a whole country or continent) within 25 km of
  the note's place;
- `country`: share of notes whose first place (in text order, countries and continents included)
  is in the note's country.

    PYTHONPATH=src python bench/geonotes.py            # figures and every miss
    PYTHONPATH=src python bench/geonotes.py --json     # figures only, as JSON
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

NOTES = Path(__file__).resolve().parents[1] / "tests" / "geonotes" / "notes.jsonl"
WITHIN_KM = 25.0
WHOLE_AREAS = {"country", "continent", "region"}


def load_notes(path: Path = NOTES) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    h = (
        math.sin((lat2 - lat1) * p / 2) ** 2
        + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(min(1.0, h)))


def extract_places(notes: list[dict], settings=None) -> dict[str, list[dict]]:
    """Each note's place entities, in the order of their first mention."""
    from orbat.model import SourceDocument
    from orbat.pipeline import extract_source

    out = {}
    for note in notes:
        source = SourceDocument(
            raw=note["text"].encode("utf-8"),
            content_type="text/plain",
            origin=f"geonotes:{note['id']}",
            published="2024-06-01",
        )
        record = extract_source(source, settings).to_json() if settings else extract_source(source).to_json()
        found = [e for e in record["entities"] if e["kind"] == "place" and e["mentions"]]
        out[note["id"]] = sorted(found, key=lambda e: e["mentions"][0]["start"])
    return out


def judge(note: dict, found: list[dict]) -> tuple[bool, bool]:
    """(a place within 25 km, the first place in the right country)."""
    near = any(
        e["lat"] is not None
        and e.get("feature") not in WHOLE_AREAS
        and km(e["lat"], e["lon"], note["lat"], note["lon"]) <= WITHIN_KM
        for e in found
    )
    country = bool(found) and found[0]["country"] == note["country"]
    return near, country


def score(notes: list[dict], places: dict[str, list[dict]]) -> tuple[dict[str, float], list[str]]:
    """The two shares, and a line for each note that misses either."""
    near_hits = country_hits = 0
    misses = []
    for note in notes:
        found = places[note["id"]]
        near, country = judge(note, found)
        near_hits += near
        country_hits += country
        if not (near and country):
            shown = (
                ", ".join(
                    f"{e['mentions'][0]['text']}->{e['name']}/{e['country']}/{e['precision']}"
                    + (f"@{km(e['lat'], e['lon'], note['lat'], note['lon']):.0f}km" if e["lat"] is not None else "")
                    for e in found
                )
                or "no place"
            )
            misses.append(
                f"{note['id']} {'' if near else 'FAR '}{'' if country else 'COUNTRY '}"
                f"[{note['country']}] {note['text']}\n      {shown}"
            )
    figures = {"within25": near_hits / len(notes), "country": country_hits / len(notes)}
    return figures, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures only, as JSON")
    args = parser.parse_args()
    notes = load_notes()
    figures, misses = score(notes, extract_places(notes))
    if not args.json:
        print("\n".join(misses))
    print(json.dumps({k: round(v, 4) for k, v in figures.items()} | {"notes": len(notes)}))


if __name__ == "__main__":
    main()
