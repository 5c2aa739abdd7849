"""Hand-built extraction records for storage tests, shaped like what the pipeline produces."""

from __future__ import annotations

import hashlib

from orbat.acquire.urls import canonical_key
from orbat.model import (
    Claim,
    ClaimActor,
    ClaimEquipment,
    CleanDocument,
    DateMention,
    Entity,
    ExtractionRecord,
    Quantity,
    SourceDocument,
    Span,
)

TEXT = ("Russia delivered seven T-72B3 tanks and BTR-82A vehicles to Bamako on 17 January 2025, "
        "according to the broadcast. The Africa Corps operates them. "
        "A new base may be built near Air Base 101.")


def _span(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(start, start + len(needle), needle)


def _entities(text: str) -> list[Entity]:
    return [
        Entity("e1", "equipment", "T-72B3", [_span(text, "T-72B3 tanks")], catalog_id="t-72b3",
               equipment_class="main battle tank", origin="RU", family="T-72", variant_of="t-72b"),
        Entity("e2", "equipment", "BTR-82A", [_span(text, "BTR-82A")], catalog_id="btr-82a",
               equipment_class="armoured personnel carrier", origin="RU", family="BTR-80"),
        Entity("e3", "place", "Bamako", [_span(text, "Bamako")], country="ML", lat=12.6392, lon=-8.0029,
               feature="city", gazetteer_id="geonames:2460596"),
        Entity("e4", "actor", "Africa Corps", [_span(text, "Africa Corps")], catalog_id="africa-corps",
               actor_type="armed_force", country="RU", aliases=["Wagner Group"],
               predecessors=["wagner-group"]),
        Entity("e5", "actor", "Russia", [_span(text, "Russia")], catalog_id="ru", actor_type="state",
               country="RU"),
        Entity("e6", "place", "Air Base 101", [_span(text, "Air Base 101")], catalog_id="ml-air-base-101",
               country="ML", lat=12.5335, lon=-7.9499, feature="installation"),
        Entity("e7", "equipment_class", "vehicles", [_span(text, "vehicles")], catalog_id="armoured-vehicle"),
    ]


def _claims(text: str) -> list[Claim]:
    first = _span(text, text[:text.index(".") + 1])
    third = _span(text, "A new base may be built near Air Base 101.")
    return [
        Claim("delivery", first,
              equipment=[ClaimEquipment("e1", Quantity(7, 7, False, "seven")), ClaimEquipment("e2")],
              classes=[ClaimEquipment("e7")],
              actors=[ClaimActor("e5", "supplier"), ClaimActor("e4", "recipient")], place="e3",
              date="2025-01-17", date_precision="day", evidence=["broadcast"], certainty="reported",
              attributed_to="the broadcast", markings=["H2200"]),
        Claim("construction", third, place="e6", certainty="possible", certainty_cue="may",
              date="2025-01", date_precision="month", transit=["e3"]),
    ]


def make_record(text: str = TEXT, *, url: str | None = "https://example.org/news/mali-convoy",
                origin: str | None = None, extractor: str = "orbat 0.1.0", catalog: str = "2026.11.1",
                retrieved: str | None = "2025-01-21T10:00:00+00:00", claims: list[Claim] | None = None,
                publisher: str = "Example News") -> ExtractionRecord:
    """A record for `text` (defaults describe a Mali convoy report) with two claims."""
    raw = text.encode("utf-8")
    source = SourceDocument(raw=raw, content_type="text/plain", origin=origin or url or "report.txt", url=url,
                            title="Russian armour arrives in Bamako", publisher=publisher,
                            published="2025-01-21", language="en", retrieved=retrieved, external_id="item-1",
                            canonical_url=canonical_key(url))  # as acquire hands sources over
    doc = CleanDocument(id="sha256:" + hashlib.sha256(raw).hexdigest(), text=text, source=source,
                        title=source.title, published=source.published, language="en")
    day = "17 January 2025"
    dates = [DateMention("2025-01-17", "day", _span(text, day))] if day in text else []
    if text == TEXT:
        entities, found = _entities(text), _claims(text) if claims is None else claims
    else:
        entities, found = [], claims or []
    return ExtractionRecord(document=doc, entities=entities, dates=dates, claims=found,
                            markings=[], extractor=extractor, catalog=catalog)


def simple_record(number: int, **kw) -> ExtractionRecord:
    """A small distinct record (document `number`) with one claim about one system."""
    text = f"Report {number}: {number % 9 + 1} BMP-3 vehicles were seen in Bamako on day {number}."
    ents = [Entity("e1", "equipment", "BMP-3", [_span(text, "BMP-3")], catalog_id="bmp-3",
                   equipment_class="infantry fighting vehicle", origin="RU", family="BMP-3"),
            Entity("e2", "place", "Bamako", [_span(text, "Bamako")], country="ML", lat=12.6392, lon=-8.0029,
                   feature="city")]
    claim = Claim("deployment", Span(0, len(text), text), place="e2",
                  equipment=[ClaimEquipment("e1", Quantity(number % 9 + 1, number % 9 + 1))])
    record = make_record(text, url=kw.pop("url", f"https://example.org/r/{number}"), claims=[claim], **kw)
    record.entities = ents
    return record


SYSTEMS = {"T-72B3": ("t-72b3", "main battle tank", "T-72"),
           "BMP-3": ("bmp-3", "infantry fighting vehicle", "BMP-3"),
           "BTR-82A": ("btr-82a", "armoured personnel carrier", "BTR-80")}


def corpus_text(number: int) -> str:
    """A short report whose systems and count vary with `number` (for generated corpora)."""
    names = list(SYSTEMS)
    first, second = names[number % 3], names[(number + 1) % 3]
    return (f"Report {number}: Russia delivered {number % 20 + 2} {first} tanks to Bamako, Mali. "
            f"Satellite images show {second} vehicles near Air Base 101 on 2{number % 9}.01.2025.")


def fake_extract(source: SourceDocument, settings: object = None) -> ExtractionRecord:
    """A fast stand-in for `pipeline.extract_source`: one claim per known system in the text."""
    text = source.raw.decode("utf-8")
    doc = CleanDocument(id="sha256:" + hashlib.sha256(source.raw).hexdigest(), text=text, source=source,
                        title=source.title, published=source.published, language="en")
    entities: list[Entity] = []
    claims: list[Claim] = []
    if "Bamako" in text:
        entities.append(Entity("p1", "place", "Bamako", [_span(text, "Bamako")], country="ML", lat=12.6392,
                               lon=-8.0029, feature="city"))
    for name, (catalog_id, klass, family) in SYSTEMS.items():
        if name in text:
            entity_id = f"e{len(entities) + 1}"
            entities.append(Entity(entity_id, "equipment", name, [_span(text, name)], catalog_id=catalog_id,
                                   equipment_class=klass, family=family))
            end = text.index(".", text.index(name)) + 1
            start = text.rfind(". ", 0, text.index(name))
            start = 0 if start < 0 else start + 2
            place = "p1" if "Bamako" in text else None
            claims.append(Claim("delivery", Span(start, end, text[start:end]),
                                equipment=[ClaimEquipment(entity_id)], place=place))
    return ExtractionRecord(document=doc, entities=entities, dates=[], claims=claims, markings=[],
                            extractor="fake 1", catalog="test 1")
