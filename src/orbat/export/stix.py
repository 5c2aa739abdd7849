"""STIX 2.1 bundles (through the `stix2` library) for threat-intelligence platforms such as OpenCTI.

What each orbat thing becomes (docs/cli.md has the tables):
- a source document → a `report` (title, publication date, URL as an external reference);
- a publisher → an `identity` (organization); an operator, recipient or supplier → an `identity`;
- a place → a `location` (coordinates, or only the country when sources named no place);
- an observation → a `note` carrying the equipment extension and `confidence`, referring to its
  location, actors and the reports behind it; for each operator at a location, a `sighting`
  (the actor sighted there, first/last seen, count = independent sources); and one `located-at`
  relationship per actor and location over all observations.

Equipment and quantities have no place in STIX's core, so they travel in a declared
property-extension (`extension-definition`, `extension_types: ["property-extension"]`) whose
schema is a `urn:` and a plain-text description, never a URL a consumer would fetch.

`stix2` 3.0.2 accepts `confidence: 101` (RELIABILITY row 19), so `check_bundle` validates the
serialized bundle with orbat's own rules before anything is written: confidence an integer in
0–100, every location with a country, a region or in-range coordinates. Ids are UUIDv5 from
orbat's ids, so exporting twice gives the same ids and platforms update instead of duplicating.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, BinaryIO

import stix2

from orbat.errors import InputError
from orbat.export.acled import notes
from orbat.export.data import Item, Period, joined, period

#: Our certainty → STIX confidence (0–100). Roughly the STIX 2.1 Appendix A "words of estimative
#: probability" scale: confirmed ≈ almost certain, reported ≈ likely, denied ≈ almost no chance.
CONFIDENCE = {"confirmed": 95, "reported": 70, "probable": 60, "possible": 40, "speculative": 20, "denied": 5}
NAMESPACE = uuid.UUID("6f0b9a9e-3c1d-5e2a-9f4b-6f7262617421")  # orbat's own: ids are stable across exports
EXTENSION_ID = f"extension-definition--{uuid.uuid5(NAMESPACE, 'orbat-equipment-1')}"
EXTENSION_SCHEMA = ("urn:orbat:stix:equipment-extension:1 — not fetched. Properties: observation_id, "
                    "equipment, catalog_id, equipment_class, family (strings); quantity_min, quantity_max, "
                    "quantity_headline, publisher_count, claim_count (integers); event_group, certainty, "
                    "certainty_rule, first_seen, last_seen (strings, ISO dates at source precision); events, "
                    "origins, transit, disagreements, evidence, markings (lists of strings).")
MAX_COUNT = 999_999_999  # the sighting `count` limit in STIX 2.1


class StixValidationError(InputError):
    """A bundle that breaks orbat's STIX rules (stix2 itself would let it through)."""


# --- orbat's own validator -------------------------------------------------------------------


def check_confidence(value: Any) -> int:
    """STIX confidence must be an integer from 0 to 100; stix2 3.0.2 does not check the range."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise StixValidationError(f"STIX confidence {value!r} is not an integer from 0 to 100")
    return value


def check_location(obj: dict[str, Any]) -> None:
    """A location must say where: a country, a region, or latitude and longitude in range."""
    lat, lon = obj.get("latitude"), obj.get("longitude")
    if (lat is None) != (lon is None):
        raise StixValidationError(f"{obj.get('id')}: latitude and longitude must come together")
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise StixValidationError(f"{obj.get('id')}: coordinates {lat}, {lon} are out of range")
    if lat is None and not obj.get("country") and not obj.get("region"):
        raise StixValidationError(f"{obj.get('id')}: a location needs a country, a region or coordinates")


def check_bundle(data: dict[str, Any]) -> None:
    """Validate a bundle as parsed JSON (what is written, not the objects that produced it)."""
    if data.get("type") != "bundle":
        raise StixValidationError("not a STIX bundle")
    for obj in data.get("objects", []):
        if "confidence" in obj:
            check_confidence(obj["confidence"])
        if obj.get("type") == "location":
            check_location(obj)


def confidence(certainty: str) -> int | None:
    """Mapped confidence; None (the property left out: "unknown" in STIX) for an unknown level."""
    value = CONFIDENCE.get(certainty)
    return None if value is None else check_confidence(value)


# --- building --------------------------------------------------------------------------------


def stix_id(kind: str, *parts: Any) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, '|'.join([kind, *(str(p) for p in parts)]))}"


def _stamp(day: Any, end: bool = False) -> str:
    return f"{day.isoformat()}T{'23:59:59' if end else '00:00:00'}Z"


class _Bundle:
    """Collects objects by id, so a publisher or a place named a hundred times is one object."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self.objects: dict[str, Any] = {}
        self.me = self.add(stix2.Identity(id=stix_id("identity", "orbat"), name="orbat", identity_class="system",
                                          description="orbat open-source order-of-battle tracker",
                                          created=self.now, modified=self.now))
        self.add(stix2.ExtensionDefinition(
            id=EXTENSION_ID, created_by_ref=self.me, created=self.now, modified=self.now,
            name="orbat equipment", version="1.0.0", extension_types=["property-extension"],
            schema=EXTENSION_SCHEMA,
            description="Equipment, quantities, dates and certainty of an orbat observation."))
        self.located: dict[tuple[str, str], list[Any]] = {}

    def add(self, obj: Any) -> str:
        self.objects.setdefault(obj.id, obj)
        return obj.id

    def common(self) -> dict[str, Any]:
        return {"created_by_ref": self.me, "created": self.now, "modified": self.now}

    def identity(self, key: str, name: str, identity_class: str = "organization") -> str:
        ident = stix_id("identity", key)
        if ident not in self.objects:
            self.add(stix2.Identity(id=ident, name=name, identity_class=identity_class, **self.common()))
        return ident


def _location(b: _Bundle, item: Item) -> str | None:
    obs, pt = item.observation, item.point
    country = obs.country if obs.country and len(obs.country) == 2 and obs.country.isalpha() else None
    if pt is not None:
        ident = stix_id("location", pt.name, pt.lat, pt.lon)
        fields: dict[str, Any] = {"latitude": pt.lat, "longitude": pt.lon, "name": pt.name or country or "place"}
    elif country:
        ident = stix_id("location", "country", country)
        fields = {"name": obs.place_name or country}
    else:
        return None
    if ident not in b.objects:
        b.add(stix2.Location(id=ident, **({"country": country} if country else {}), **fields, **b.common()))
    return ident


def extension(item: Item) -> dict[str, Any]:
    """The equipment extension's properties (STIX forbids nulls and empty lists: both left out)."""
    obs = item.observation
    values = {"observation_id": obs.id, "equipment": obs.equipment_name, "catalog_id": obs.equipment_catalog_id,
              "equipment_class": obs.equipment_class, "family": obs.equipment_family,
              "quantity_min": obs.quantity_min, "quantity_max": obs.quantity_max,
              "quantity_headline": obs.quantity_headline, "publisher_count": obs.publisher_count,
              "claim_count": len(obs.claim_ids), "event_group": obs.event_group, "certainty": obs.certainty,
              "certainty_rule": obs.certainty_rule, "first_seen": obs.first_seen, "last_seen": obs.last_seen,
              "events": obs.events, "origins": obs.origins, "transit": obs.transit,
              "disagreements": [f"{d.kind}: {joined(d.values)}" for d in obs.disagreements],
              "evidence": obs.evidence, "markings": obs.markings}
    kept = {k: v for k, v in values.items() if v not in (None, "", [])}
    return {EXTENSION_ID: {"extension_type": "property-extension", **kept}}


def _observation(b: _Bundle, item: Item) -> str:
    """The note for one observation, plus its sightings; returns the note's id."""
    obs = item.observation
    location = _location(b, item)
    actors = {a.name: b.identity(f"actor|{a.catalog_id or a.name}", a.name) for a in obs.actors}
    reports = list(dict.fromkeys(stix_id("report", c.document_id) for c in item.claims))
    level = confidence(obs.certainty)
    extra = {"confidence": level} if level is not None else {}
    refs = list(dict.fromkeys([*([location] if location else []), *actors.values(), *reports]))
    note = b.add(stix2.Note(
        id=stix_id("note", obs.id), abstract=joined([obs.equipment_name or obs.equipment_class,
                                                     obs.place_name or obs.country]) or obs.id,
        content=notes(item), object_refs=refs, authors=["orbat"], labels=obs.events or None,
        extensions=extension(item), **extra, **b.common()))
    if location and item.first and item.last:
        for name in item.actors:
            _sighting(b, item, (item.first, item.last), actors[name], location, extra)
    return note


def _sighting(b: _Bundle, item: Item, seen: tuple[Period, Period], actor: str, location: str,
              extra: dict[str, Any]) -> None:
    """The operator sighted at the place; also widens that actor's `located-at` time span."""
    first, last = seen
    end = max(first.end, last.end)
    b.add(stix2.Sighting(
        id=stix_id("sighting", item.observation.id, actor), sighting_of_ref=actor, where_sighted_refs=[location],
        first_seen=_stamp(first.start), last_seen=_stamp(end, end=True),
        count=min(max(item.observation.publisher_count, 1), MAX_COUNT),
        description=notes(item), extensions=extension(item), **extra, **b.common()))
    span = b.located.setdefault((actor, location), [first.start, end, extra.get("confidence")])
    span[0], span[1] = min(span[0], first.start), max(span[1], end)
    if extra.get("confidence") is not None:
        span[2] = max(span[2] or 0, extra["confidence"])


def _relationships(b: _Bundle) -> None:
    for (actor, location), (start, stop, level) in b.located.items():
        b.add(stix2.Relationship(
            id=stix_id("relationship", actor, "located-at", location), source_ref=actor,
            relationship_type="located-at", target_ref=location, start_time=_stamp(start),
            stop_time=_stamp(stop, end=True), **({"confidence": level} if level is not None else {}),
            **b.common()))


def _report(b: _Bundle, item_claims: list[Any], note_ids: list[str]) -> None:
    """One report per source document, referring to the notes it supports and its publisher."""
    claim = item_claims[0]
    published: Period | None = period((claim.published or "")[:10])
    refs = list(note_ids)
    source = {"source_name": claim.publisher or "unknown publisher", "external_id": claim.document_id}
    if claim.publisher:
        refs.append(b.identity(f"publisher|{claim.publisher}", claim.publisher))
    if claim.url and claim.url.lower().startswith(("http://", "https://")):
        source["url"] = claim.url
    b.add(stix2.Report(
        id=stix_id("report", claim.document_id), name=claim.title or claim.url or claim.publisher or claim.document_id,
        published=_stamp(published.start) if published else b.now,
        labels=None if published else ["published-date-unknown"], object_refs=refs,
        external_references=[source], **b.common()))


def bundle(items: list[Item]) -> stix2.Bundle:
    """Every object for the items, reports last (they refer to the notes)."""
    b = _Bundle()
    by_document: dict[str, tuple[list[Any], list[str]]] = {}
    for item in items:
        note = _observation(b, item)
        for claim in item.claims:
            claims_, notes_ = by_document.setdefault(claim.document_id, ([], []))
            claims_.append(claim)
            if note not in notes_:
                notes_.append(note)
    _relationships(b)
    for claims_, notes_ in by_document.values():
        _report(b, claims_, notes_)
    return stix2.Bundle(objects=list(b.objects.values()), allow_custom=False)


def write(items: list[Item], out: BinaryIO) -> int:
    """Serialize, re-read as JSON, validate with orbat's rules, then write; returns the object count."""
    import json

    data = json.loads(bundle(items).serialize(ensure_ascii=False))  # stix2's pretty=True is quadratic
    check_bundle(data)
    out.write(json.dumps(data, ensure_ascii=False, allow_nan=False, indent=1).encode("utf-8") + b"\n")
    return len(data["objects"])
