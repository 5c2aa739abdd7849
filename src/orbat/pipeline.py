"""The pipeline: the one place that sets the order of the stages.

Stages never import each other; they exchange the dataclasses in `orbat.model`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cache

from orbat import __version__, budget, chunks, pooled
from orbat.catalog import load_catalogs
from orbat.clean import clean
from orbat.errors import UserError
from orbat.extract import extract
from orbat.gazetteer import Gazetteer
from orbat.model import CleanDocument, ExtractionRecord, SourceDocument
from orbat.relate import relate
from orbat.resolve import resolve
from orbat.settings import Settings
from orbat.validate import check_record, drop_bad_published

EXTRACTOR = f"orbat {__version__}"
#: Allocations between two young-generation collections while a long document is read (Python's
#: default is 700): each piece allocates millions of short-lived objects, and collecting every
#: 700 of them cost ~7 % of the extraction of 1 MB of dense text; 20,000 cost ~1.5 %.
YOUNG_OBJECTS = 20_000


class DocumentTooSlow(UserError):
    """One document used up its time budget; the run goes on with the next one."""


@cache
def _gazetteer(path: str) -> Gazetteer:
    from pathlib import Path

    return Gazetteer(Path(path))


def extract_source(source: SourceDocument, settings: Settings | None = None) -> ExtractionRecord:
    """Run one acquired source through every stage up to, not including, storage.

    A text longer than `chunks.CHUNK_CHARS` goes through extract, resolve and relate in pieces
    (`orbat.chunks`) so the cost stays linear; the whole run must fit `settings.document_seconds`
    of CPU time (its own, `pooled.cpu_time`: a busy machine's waits do not count against a document), checked
    between stages and pieces, or the document fails with `DocumentTooSlow`.
    """
    settings = settings or Settings()
    deadline = pooled.cpu_time() + settings.document_seconds
    catalogs = load_catalogs()
    # 1. acquire: done by the caller (`orbat.acquire`, `orbat.ingest`), which hands over the raw
    #    capture and the URL's dedup key.
    # 2. clean: decode, strip markup, remove invisible characters; offsets refer to this text.
    document = clean(source)
    #    A publication date out of bounds is dropped here, before it can anchor relative dates.
    drop_bad_published(document)
    pieces = list(chunks.split(document.text))
    with budget.per_document() as allowance:  # the name recogniser's and the parser's share of a document
        record = (_stages(document, catalogs, settings, deadline) if len(pieces) == 1
                  else _in_pieces(document, pieces, catalogs, settings, deadline))
    if allowance.refused["windows"] and budget.WINDOWS_SPENT not in document.warnings:
        document.warnings.append(budget.WINDOWS_SPENT)
    # 6. validate: values out of bounds (dates, counts, coordinates, vocabularies) are dropped with
    #    a warning on the document; the store checks again, since records reach it other ways too.
    check_record(record)
    # 7. store: done by `orbat.ingest` for the knowledge base; `orbat extract` only prints.
    return record


def extract_sources(sources: Iterable[SourceDocument], settings: Settings | None = None,
                    size: int = pooled.SIZE) -> Iterator[ExtractionRecord]:
    """`extract_source` on each source, in order, with the spaCy work of `size` documents at a time
    pooled into shared calls (`orbat.pooled`): the same records at a lower cost. A document's
    exception is raised at its turn, as in a plain loop."""
    return pooled.imap(lambda source: extract_source(source, settings), sources, size)


def _in_pieces(document: CleanDocument, pieces: list[tuple[int, str]], catalogs, settings: Settings,
               deadline: float) -> ExtractionRecord:
    """Stages 3-5 on each piece of a long text, joined into one record with offsets into the whole.

    After each piece, what is alive (the spaCy pipelines, the catalogs, the pieces joined so far)
    is moved out of the cyclic collector's sight (`gc.freeze`) until the document is done: every
    full collection walked all of it again, a sixth of the CPU time of a 1 MB report. The
    collector still runs on each new piece's objects, though less often (`YOUNG_OBJECTS`); the
    record is the same.
    """
    joined = chunks.Joiner()
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], YOUNG_OBJECTS), *thresholds[1:])
    try:
        for offset, text in pieces:
            piece = replace(document, text=text, warnings=[])
            joined.add(_stages(piece, catalogs, settings, deadline), offset)
            # a piece's warnings (parser skips, the parse budget) are the document's, once each
            document.warnings.extend(w for w in dict.fromkeys(piece.warnings) if w not in document.warnings)
            gc.freeze()
    finally:
        gc.unfreeze()  # back in the oldest generation, collected as usual from here on
        gc.set_threshold(*thresholds)
    document.warnings.append(f"long document: read in {len(pieces)} pieces of at most {chunks.CHUNK_CHARS:,} "
                             "characters; no claim spans two pieces")
    return ExtractionRecord(document, joined.entities, joined.dates, joined.claims, joined.markings, EXTRACTOR,
                            catalogs.version, joined.unanchored_dates)


def _stages(document: CleanDocument, catalogs, settings: Settings, deadline: float) -> ExtractionRecord:
    _check(deadline, settings, document)
    # 3. extract: mentions, dates, markings and cues, without deciding what they refer to.
    extraction = extract(document)
    _check(deadline, settings, document)
    # 4. resolve: mentions to catalog entries, installations and gazetteer places, by context.
    resolution = resolve(extraction, catalogs, _gazetteer(str(settings.gazetteer_path)))
    _check(deadline, settings, document)
    # 5. relate: one claim per asserted fact, with certainty, evidence and attribution.
    claims = relate(extraction, resolution)
    return ExtractionRecord(document, resolution.entities, extraction.dates, claims, extraction.markings,
                            EXTRACTOR, catalogs.version, extraction.unanchored_dates)


def _check(deadline: float, settings: Settings, document: CleanDocument) -> None:
    if pooled.cpu_time() > deadline:
        raise DocumentTooSlow(f"{document.source.origin}: extraction took longer than the "
                              f"{settings.document_seconds:g} s CPU budget per document (set ORBAT_DOC_SECONDS to "
                              "raise it); nothing from it was kept")
