"""The pipeline: the one place that sets the order of the stages.

Stages never import each other; they exchange the dataclasses in `orbat.model`.
"""

from __future__ import annotations

from functools import cache

from orbat import __version__
from orbat.catalog import load_catalogs
from orbat.clean import clean
from orbat.extract import extract
from orbat.gazetteer import Gazetteer
from orbat.model import ExtractionRecord, SourceDocument
from orbat.relate import relate
from orbat.resolve import resolve
from orbat.settings import Settings
from orbat.validate import check_record, drop_bad_published

EXTRACTOR = f"orbat {__version__}"


@cache
def _gazetteer(path: str) -> Gazetteer:
    from pathlib import Path

    return Gazetteer(Path(path))


def extract_source(source: SourceDocument, settings: Settings | None = None) -> ExtractionRecord:
    """Run one acquired source through every stage up to, not including, storage."""
    settings = settings or Settings()
    catalogs = load_catalogs()
    # 1. acquire: done by the caller (`orbat.acquire`, `orbat.ingest`), which hands over the raw
    #    capture and the URL's dedup key.
    # 2. clean: decode, strip markup, remove invisible characters; offsets refer to this text.
    document = clean(source)
    #    A publication date out of bounds is dropped here, before it can anchor relative dates.
    drop_bad_published(document)
    # 3. extract: mentions, dates, markings and cues, without deciding what they refer to.
    extraction = extract(document)
    # 4. resolve: mentions to catalog entries, installations and gazetteer places, by context.
    resolution = resolve(extraction, catalogs, _gazetteer(str(settings.gazetteer_path)))
    # 5. relate: one claim per asserted fact, with certainty, evidence and attribution.
    claims = relate(extraction, resolution)
    record = ExtractionRecord(document, resolution.entities, extraction.dates, claims, extraction.markings,
                              EXTRACTOR, catalogs.version)
    # 6. validate: values out of bounds (dates, counts, coordinates, vocabularies) are dropped with
    #    a warning on the document; the store checks again, since records reach it other ways too.
    check_record(record)
    # 7. store: done by `orbat.ingest` for the knowledge base; `orbat extract` only prints.
    return record
