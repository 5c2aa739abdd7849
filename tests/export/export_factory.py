"""A knowledge base for export tests: the bundled example reports through the real pipeline, plus
hostile text (a JSONL corpus ingested the same way) and a hand-made record with a hostile place
and actor, a NaN position and an out-of-range one, saved through `Store.save`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner

from orbat.cli import main
from orbat.ingest import ingest
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
from orbat.settings import Settings
from orbat.store import open_store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FORMULA = "=cmd|' /C calc'!A0"
HOSTILE = f"{FORMULA} <script>alert(1)</script> ]]> & \x01\x0b"
HOSTILE_PLACE = f"Base <script>alert(1)</script> ]]> & \x07 {FORMULA}"
HOSTILE_ACTOR = "<img src=x onerror=alert(1)> & ]]> Brigade"
HOSTILE_LON = -4.2  # a negative longitude that must stay a number in CSV


def hostile_corpus(folder: Path) -> Path:
    """Two corpus lines whose publisher, title, URL and text carry formula, markup and controls."""
    items = [
        {"id": "hostile-1", "url": "https://example.org/hostile?a=1&b=<x>", "publisher": HOSTILE,
         "title": "]]> <script>alert('t')</script> & \x02", "published": "2025-02-03", "language": "en",
         "text": f"Russia delivered seven T-72B3 tanks to Bamako on 1 February 2025, according to {HOSTILE}. "
                 "The Africa Corps operates them."},
        {"id": "hostile-2", "url": "javascript:alert(1)", "title": "+SUM(A1)", "publisher": "@evil & <b>co</b>",
         "published": "2025-02-04", "language": "en",
         "text": "Satellite images show five BMP-3 vehicles at Air Base 101 on 2 February 2025. "
                 "=HYPERLINK(\"x\") <img src=x onerror=alert(1)>"},
    ]
    path = folder / "hostile.jsonl"
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


def crafted_record(with_nan: bool) -> ExtractionRecord:
    """A record as storage takes it: hostile names, one NaN and one out-of-range position.

    PostgreSQL's JSON type refuses NaN, so the PostgreSQL run leaves that position out.
    """
    text = "Crafted report. T-72B3 tanks at the base. BMP-3 at nowhere. BTR-82A off the map."
    raw = text.encode("utf-8")
    source = SourceDocument(raw=raw, content_type="text/plain", origin="crafted.txt", title=f"Crafted {HOSTILE}",
                            publisher=f"-{HOSTILE}", published="2025-03-01", language="en")
    doc = CleanDocument(id="sha256:" + hashlib.sha256(raw).hexdigest(), text=text, source=source,
                        title=source.title, published=source.published, language="en")
    nan = float("nan") if with_nan else None
    entities = [
        Entity("t", "equipment", "T-72B3", catalog_id="t-72b3", equipment_class="main battle tank", family="T-72"),
        Entity("b", "equipment", "BMP-3", catalog_id="bmp-3", equipment_class="infantry fighting vehicle",
               family="BMP-3"),
        Entity("r", "equipment", "BTR-82A", catalog_id="btr-82a", equipment_class="armoured personnel carrier",
               family="BTR-80"),
        Entity("p1", "place", HOSTILE_PLACE, country="ML", lat=14.123456789012345, lon=HOSTILE_LON, feature="city"),
        Entity("p2", "place", "Nowhere", country="ML", lat=nan, lon=nan, feature="city"),
        Entity("p3", "place", "Off the map", country="NE", lat=95.0, lon=200.0, feature="city"),
        Entity("a", "actor", HOSTILE_ACTOR, actor_type="armed_force", country="ML"),
    ]

    def claim(sentence: str, event: str, equipment: str, place: str, day: str, **kw) -> Claim:
        start = text.index(sentence)
        return Claim(event, Span(start, start + len(sentence), sentence), place=place, date=day,
                     date_precision="day", equipment=[ClaimEquipment(equipment, Quantity(3, 3))], **kw)

    claims = [claim("T-72B3 tanks at the base.", "deployment", "t", "p1", "2025-03-01",
                    actors=[ClaimActor("a", "operator")]),
              claim("BMP-3 at nowhere.", "deployment", "b", "p2", "2025-03-01"),
              claim("BTR-82A off the map.", "deployment", "r", "p3", "2025-03-01")]
    return ExtractionRecord(document=doc, entities=entities, dates=[], claims=claims, markings=[],
                            extractor="orbat test", catalog="test")


def build(db: str, folder: Path, with_nan: bool = True) -> str:
    """Ingest the examples and the hostile corpus with the real pipeline, then save the crafted record."""
    with open_store(db) as store:
        summary = ingest([str(EXAMPLES), str(hostile_corpus(folder))], store, Settings())
        assert summary.failed == 0, summary.failures
        assert store.save(crafted_record(with_nan)).status == "new"
    return db


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == code, (result.output, result.stderr)
    return result


def export_bytes(db: str, folder: Path, fmt: str, *args: str) -> bytes:
    """Run `orbat export` into a file and return what it wrote."""
    target = folder / f"out.{fmt}"
    run("export", "--format", fmt, "--db", db, "-o", str(target), *args)
    return target.read_bytes()
