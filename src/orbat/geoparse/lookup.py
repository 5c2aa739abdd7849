"""Gazetteer look-ups that depend on how a name is written: "Dallas County", "Illinois Department",
"Mexico City" around the country name "Mexico"."""

from __future__ import annotations

from orbat.gazetteer import Gazetteer, place_key
from orbat.geoparse.cues import AREA_WORDS
from orbat.model import GazetteerPlace, Mention

# "Illinois Department (of Health)", "Kano Police": a place that names the body after it.
BODY_WORDS = {"department", "ministry", "agency", "council", "office", "police", "government", "authorities",
              "officials", "health", "hospital", "airport", "university", "province", "state"}


def areas_by_stem(gazetteer: Gazetteer, mentions: list[tuple[int, Mention]],
                   found: dict[str, list[GazetteerPlace]]) -> None:
    """"Dallas County", "Nyanza Province": an area the gazetteer lists under its bare name; "Illinois
    Department": a place followed by the body it names."""
    stems = {}
    for _, mention in mentions:
        key = place_key(mention.span.text)
        words = key.split()
        if key not in found and len(words) >= 2 and words[-1] in AREA_WORDS | BODY_WORDS:
            stems[key] = " ".join(words[:-1])
    if not stems:
        return
    by_stem = gazetteer.lookup(set(stems.values()))
    for key, stem in stems.items():
        areas = [p for p in by_stem.get(stem, []) if p.feature in {"admin1", "admin2", "admin"}
                 or key.split()[-1] in BODY_WORDS]
        if areas:  # a town of the same name is often far from the county ("Scott County")
            found[key] = areas


def inside_wider_places(mentions: list[Mention], gazetteer: Gazetteer | None) -> set[int]:
    """Indexes to leave out: a country inside a longer place the gazetteer knows by that very
    name ("Mexico" in "Mexico City"), or the longer candidate when the gazetteer does not know it."""
    wider = [(i, m) for i, m in enumerate(mentions) if m.kind == "place_candidate" and "wider" in m.candidates]
    if not wider:
        return set()
    found = gazetteer.lookup({m.span.text for _, m in wider}) if gazetteer else {}
    hidden = set()
    for index, mention in wider:
        if any(p.by_main_name for p in found.get(place_key(mention.span.text), [])):
            hidden |= {j for j, m in enumerate(mentions) if j != index and m.kind in {"country", "region"}
                       and mention.span.start <= m.span.start and m.span.end <= mention.span.end}
        else:
            hidden.add(index)
    return hidden
