"""A small knowledge base for query and CLI tests: the January 2025 Bamako convoy and context.

Records are built by hand (not by the extractor) so these tests pin what merge and the
queries do with known claims, whatever extraction's recall is on a given day.
"""

from __future__ import annotations

import hashlib

from orbat.model import (
    Claim,
    ClaimActor,
    ClaimEquipment,
    CleanDocument,
    Entity,
    ExtractionRecord,
    Quantity,
    SourceDocument,
    Span,
)

T72B3 = Entity("t72b3", "equipment", "T-72B3", catalog_id="t-72b3", equipment_class="main battle tank",
               origin="RU", family="T-72")
BMP3 = Entity("bmp3", "equipment", "BMP-3", catalog_id="bmp-3", equipment_class="infantry fighting vehicle",
              origin="RU", family="BMP-3")
T90M = Entity("t90m", "equipment", "T-90M", catalog_id="t-90m", equipment_class="main battle tank",
              origin="RU", family="T-90")
BAMAKO = Entity("bamako", "place", "Bamako", country="ML", lat=12.6392, lon=-8.0029, feature="city")
BASE_101 = Entity("base101", "place", "Air Base 101", catalog_id="ml-air-base-101", country="ML", lat=12.5335,
                  lon=-7.9499, feature="installation")
GAO = Entity("gao", "place", "Gao", country="ML", lat=16.2717, lon=-0.0447, feature="city")
KHARKIV = Entity("kharkiv", "place", "Kharkiv", country="UA", lat=49.9935, lon=36.2304, feature="city")
RUSSIA = Entity("russia", "place", "Russia", country="RU", feature="country")
SYRIA = Entity("syria", "place", "Syria", country="SY", feature="country")
WAGNER = Entity("wagner", "actor", "Wagner Group", catalog_id="wagner-group", actor_type="pmc", country="RU")
CORPS = Entity("corps", "actor", "Africa Corps", catalog_id="africa-corps", actor_type="armed_force",
               country="RU")
FAMA = Entity("fama", "actor", "Malian Armed Forces", catalog_id="fama", actor_type="armed_force", country="ML")


def record(text: str, publisher: str, published: str, claims: list[Claim], entities: list[Entity],
           url: str | None = None) -> ExtractionRecord:
    raw = text.encode("utf-8")
    source = SourceDocument(raw=raw, content_type="text/plain", origin=url or f"{publisher}.txt", url=url,
                            title=text[:40], publisher=publisher, published=published, language="en")
    doc = CleanDocument(id="sha256:" + hashlib.sha256(raw).hexdigest(), text=text, source=source,
                        title=source.title, published=published, language="en")
    return ExtractionRecord(document=doc, entities=entities, dates=[], claims=claims, markings=[],
                            extractor="orbat test", catalog="test")


def claim(text: str, event: str, equipment: list[tuple[Entity, int | None]], place: Entity, date: str | None,
          **kw) -> Claim:
    return Claim(event, Span(0, len(text), text),
                 equipment=[ClaimEquipment(e.id, Quantity(q, q) if q else None) for e, q in equipment],
                 place=place.id, date=date, date_precision="day" if date else None, **kw)


def convoy_records() -> list[ExtractionRecord]:
    """Four outlets on the convoy (counts 7/5/12, a denial), an old sighting in Gao, one in Ukraine."""
    t1 = "Images show Russia delivered seven T-72B3 tanks and five BMP-3 to Bamako on 17 January 2025."
    t2 = "Video shows five T-72B3 tanks of the Africa Corps in Bamako."
    t3 = "Twelve T-72B3 tanks may have reached Air Base 101 from Syria via Russia."
    t4 = "The ministry denied that T-72B3 tanks arrived in Bamako."
    t5 = "A T-72B3 was seen in Gao in March 2023."
    t6 = "T-90M tanks were filmed near Kharkiv."
    return [
        record(t1, "Army Recognition", "2025-01-21", [claim(
            t1, "delivery", [(T72B3, 7), (BMP3, 5)], BAMAKO, "2025-01-17", evidence=["photo"],
            actors=[ClaimActor("wagner", "operator")], origin="russia")],
            [T72B3, BMP3, BAMAKO, WAGNER, RUSSIA], "https://armyrecognition.example/convoy"),
        record(t2, "Jeune Afrique", "2025-01-19", [claim(
            t2, "deployment", [(T72B3, 5)], BAMAKO, "2025-01-18", evidence=["video"],
            actors=[ClaimActor("corps", "operator")])], [T72B3, BAMAKO, CORPS]),
        record(t3, "Kyiv Post", "2025-01-22", [claim(
            t3, "transport", [(T72B3, 12)], BASE_101, "2025-01-20", certainty="possible", certainty_cue="may",
            origin="syria", transit=["russia"], actors=[ClaimActor("fama", "recipient")])],
            [T72B3, BASE_101, SYRIA, RUSSIA, FAMA]),
        record(t4, "Ministry of Defence", "2025-01-23", [claim(
            t4, "deployment", [(T72B3, None)], BAMAKO, "2025-01-23", certainty="denied",
            evidence=["official_statement"])], [T72B3, BAMAKO]),
        record(t5, "Le Monde", "2023-03-10", [claim(t5, "deployment", [(T72B3, 1)], GAO, "2023-03")], [T72B3, GAO]),
        record(t6, "Kyiv Independent", "2024-05-02", [claim(t6, "combat", [(T90M, None)], KHARKIV, "2024-05-01",
                                                             evidence=["video"])], [T90M, KHARKIV]),
    ]


def populate(store) -> None:
    for rec in convoy_records():
        store.save(rec)
