"""What every extraction record and every export must satisfy, whatever the input was.

Shared by the property tests and bench/fuzz.py, so the figures the bench prints and the
assertions CI makes are the same rules. Each function returns a list of problems (empty: fine).
"""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, timedelta
from typing import Any

DATE_MIN = date(1900, 1, 1)
MENTION_MAX = date(2100, 12, 31)  # a text may name planned deliveries (contracts to 2031); claims may not
QUANTITY_MAX = 10**7


def date_max() -> date:
    today = date.today()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today + timedelta(days=365)


def parse_iso(value: Any) -> date | None:
    """An ISO date at year, month or day precision, as its first day; None if it is not one."""
    if not isinstance(value, str) or len(value) not in (4, 7, 10):
        return None
    try:
        parts = [int(p) for p in value.split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def _date_problem(value: Any, what: str, high: date) -> str | None:
    if value is None:
        return None
    day = parse_iso(value)
    if day is None:
        return f"{what} {value!r} is not an ISO date"
    if not DATE_MIN <= day <= high:
        return f"{what} {value} outside {DATE_MIN} … {high}"
    return None


def record_problems(record: dict, text: str) -> list[str]:
    """Offsets inside the text and matching it; dates, counts and coordinates within bounds."""
    problems: list[str] = []
    spans = [(m, "mention") for e in record["entities"] for m in e["mentions"]]
    spans += [(d, "date") for d in record["dates"]] + [(m, "marking") for m in record["markings"]]
    spans += [(c["sentence"], "sentence") for c in record["claims"]]
    for span, what in spans:
        start, end = span["start"], span["end"]
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
            problems.append(f"{what} offsets {start}..{end} outside a text of {len(text)}")
        elif text[start:end] != span["text"]:
            problems.append(f"{what} {span['text']!r} is not text[{start}:{end}]")
    problems += filter(None, [_date_problem(record["document"]["published"], "published", date_max())])
    problems += filter(None, [_date_problem(d["value"], "date mention", MENTION_MAX) for d in record["dates"]])
    for claim in record["claims"]:
        problems += filter(None, [_date_problem(claim["date"], "claim date", date_max())])
        for ref in claim["equipment"] + claim["equipment_classes"]:
            quantity = ref["quantity"] or {}
            for key in ("min", "max"):
                value = quantity.get(key)
                if value is not None and not (isinstance(value, int) and 0 <= value <= QUANTITY_MAX):
                    problems.append(f"quantity {key} {value!r} outside 0 … {QUANTITY_MAX:,}")
    for entity in record["entities"]:
        problems += coordinate_problems(entity.get("lat"), entity.get("lon"), entity["name"])
    return problems


def coordinate_problems(lat: Any, lon: Any, what: str) -> list[str]:
    if lat is None and lon is None:
        return []
    if lat is None or lon is None:
        return [f"{what}: only one of lat/lon"]
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in (lat, lon)):
        return [f"{what}: coordinates not finite ({lat}, {lon})"]
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return [f"{what}: coordinates out of range ({lat}, {lon})"]
    return []


def export_problems(fmt: str, raw: bytes) -> list[str]:
    """The export re-parses with the reader its users have, and its coordinates are in range."""
    try:
        return _PARSERS[fmt](raw)
    except Exception as exc:  # noqa: BLE001 - any failure to re-read is the finding
        return [f"{fmt} does not re-parse: {type(exc).__name__}: {str(exc)[:200]}"]


def _csv(raw: bytes) -> list[str]:
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return ["csv has no header"]
    width = len(rows[0])
    return [f"csv row {i} has {len(r)} cells, header {width}" for i, r in enumerate(rows) if len(r) != width]


def _geojson(raw: bytes) -> list[str]:
    data = json.loads(raw.decode("utf-8"), parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)))
    problems = [] if data.get("type") == "FeatureCollection" else ["geojson is not a FeatureCollection"]
    for feature in data.get("features", []):
        for lon, lat in _positions((feature.get("geometry") or {}).get("coordinates", [])):
            problems += coordinate_problems(lat, lon, "geojson position")
    return problems


def _positions(value: Any):
    """Every [lon, lat] pair in a GeoJSON coordinates value, however deeply nested."""
    if isinstance(value, list) and len(value) >= 2 and all(isinstance(v, int | float) for v in value):
        yield value[0], value[1]
    elif isinstance(value, list):
        for item in value:
            yield from _positions(item)


def _kml(raw: bytes) -> list[str]:
    import lxml.etree

    root = lxml.etree.fromstring(raw, lxml.etree.XMLParser(resolve_entities=False, no_network=True))
    problems = []
    for node in root.iter("{*}coordinates"):
        for triple in (node.text or "").split():
            lon, lat, *_ = (float(v) for v in triple.split(","))
            problems += coordinate_problems(lat, lon, "kml point")
    return problems


def _stix(raw: bytes) -> list[str]:
    import stix2

    bundle = stix2.parse(raw.decode("utf-8"), allow_custom=False)
    problems = []
    for obj in bundle.objects:
        confidence = getattr(obj, "confidence", None)
        if confidence is not None and not 0 <= confidence <= 100:
            problems.append(f"stix confidence {confidence}")
        if obj.type == "location" and "latitude" in obj:
            problems += coordinate_problems(obj.latitude, obj.longitude, "stix location")
    return problems


def _jsonl(raw: bytes) -> list[str]:
    problems = []
    for line in raw.decode("utf-8").splitlines():
        record = json.loads(line)
        if not isinstance(record, dict) or "document" not in record:
            problems.append("jsonl line is not an extraction record")
    return problems


_PARSERS = {"csv": _csv, "geojson": _geojson, "kml": _kml, "stix": _stix, "jsonl": _jsonl}
EXPORT_FORMATS = tuple(_PARSERS)
