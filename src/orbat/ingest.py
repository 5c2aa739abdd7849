"""Ingest: acquire every source, extract it, and save it to the store, many documents per commit.

Sources are extracted one at a time and written in batches (`Store.save_many`: one transaction
per batch, a savepoint per document), because a commit and a dozen statements per document
cost more than extracting a short report. A batch is written after `BATCH_DOCUMENTS`
documents, `BATCH_ROWS` entity and claim rows, or `BATCH_SECONDS` of extraction, whichever
comes first, so a crash loses at most those uncommitted documents, never part of one, and a
rerun skips what is already stored (same bytes or same canonical URL with the same extractor
and catalog versions). A source that cannot be read, extracted or saved is reported with its
reason and the batch goes on: one bad file must not cost a night's ingest.

(The lead will fold this into `orbat.pipeline`'s numbered stages; it lives apart until then.)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from orbat import pooled
from orbat.acquire import SourceError
from orbat.acquire.urls import canonical_key
from orbat.errors import UserError
from orbat.model import ExtractionRecord, SourceDocument
from orbat.settings import Settings
from orbat.store import SaveResult, Store, prepare_rows
from orbat.store.rows import RecordRows

Extractor = Callable[[SourceDocument, Settings], ExtractionRecord]
Status = Literal["new", "reprocessed", "duplicate", "failed"]

BATCH_DOCUMENTS = 200  # documents per transaction at most
BATCH_ROWS = 20_000  # entity and claim rows held for one transaction: bounds memory on long documents
BATCH_SECONDS = 2.0  # extraction time a batch may hold uncommitted: progress stays visible and safe


@dataclass(slots=True)
class IngestResult:
    """What happened to one source; `reason` says why when it failed."""

    origin: str
    status: Status
    document_id: str | None = None
    claims: int = 0
    reason: str | None = None
    external_id: str | None = None  # the corpus row's or feed entry's own id


@dataclass(slots=True)
class IngestSummary:
    """Counts for the whole batch, with every failure kept for the report."""

    new: int = 0
    reprocessed: int = 0
    duplicate: int = 0
    failed: int = 0
    claims: int = 0
    failures: list[IngestResult] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.new + self.reprocessed + self.duplicate + self.failed

    def add(self, result: IngestResult) -> None:
        setattr(self, result.status, getattr(self, result.status) + 1)
        self.claims += result.claims
        if result.status == "failed":
            self.failures.append(result)


def ingest(targets: Iterable[str], store: Store, settings: Settings,
           on_result: Callable[[IngestResult], None] | None = None,
           extract: Extractor | None = None) -> IngestSummary:
    """Acquire, extract and store every source named by `targets`; never stops on a bad one.

    `extract` defaults to `orbat.pipeline.extract_source`; tests pass a fake to isolate storage.
    """
    items = (item for target in targets for item in _sources(target, settings))
    return ingest_sources(items, store, settings, on_result, extract)


def ingest_sources(items: Iterable[SourceDocument | SourceError], store: Store, settings: Settings,
                   on_result: Callable[[IngestResult], None] | None = None,
                   extract: Extractor | None = None) -> IngestSummary:
    """Extract and store sources already acquired, in batches; results come in source order."""
    extractor = extract or _pipeline_extractor()
    batch = _Batch(store, IngestSummary(), on_result)
    # several sources at a time, their spaCy work pooled (`orbat.pooled`): the same records, in order.
    # Rows are built here, in source order, so documents are stamped in the order they were given.
    for item, extracted in pooled.imap(lambda item: (item, _extract(item, settings, extractor)), items):
        prepared = _rows(item, extracted)
        del extracted  # the rows keep what they need of it (`store.rows.RowsOf`)
        batch.add(item, prepared)
        if batch.is_full():
            batch.flush()
    batch.flush()
    return batch.summary


def ingest_one(item: SourceDocument | SourceError, store: Store, settings: Settings,
               extract: Extractor) -> IngestResult:
    """Extract and save one source in its own transaction; any failure becomes a result, never an exception."""
    prepared = _rows(item, _extract(item, settings, extract))
    if isinstance(prepared, IngestResult):
        return prepared
    try:
        saved: SaveResult | Exception = store.save_rows(prepared)
    except Exception as exc:  # a bug on one document must not end the batch
        saved = exc
    return _outcome(item, saved)


def _extract(item: SourceDocument | SourceError, settings: Settings,
             extract: Extractor) -> ExtractionRecord | IngestResult:
    """The record one source gives, or the failed result saying why there is none."""
    if isinstance(item, SourceError):
        return IngestResult(item.origin, "failed", reason=f"{item.code}: {item.reason}",
                            external_id=getattr(item, "external_id", None))
    try:
        if item.canonical_url is None:  # URLs written in notes and corpora are keys too
            item.canonical_url = canonical_key(item.url)
        return extract(item, settings)
    except Exception as exc:  # a bug on one document must not end the batch
        return _outcome(item, exc)  # type: ignore[return-value]  (an exception always gives a result)


def _rows(item: SourceDocument | SourceError, extracted: ExtractionRecord | IngestResult) -> RecordRows | IngestResult:
    """The rows a record becomes, or the failed result saying why there are none."""
    if isinstance(extracted, IngestResult):
        return extracted
    try:
        return prepare_rows(extracted)
    except Exception as exc:  # a record that fails its checks fails alone
        return _outcome(item, exc)  # type: ignore[arg-type, return-value]


def _outcome(item: SourceDocument, saved: SaveResult | Exception) -> IngestResult:
    """What `orbat ingest` reports for one extracted source, saved or not."""
    if isinstance(saved, UserError):
        return IngestResult(item.origin, "failed", reason=_one_line(saved), external_id=item.external_id)
    if isinstance(saved, Exception):
        return IngestResult(item.origin, "failed", reason=f"{type(saved).__name__}: {_one_line(saved)}",
                            external_id=item.external_id)
    return IngestResult(item.origin, saved.status, saved.document_id, saved.claims, external_id=item.external_id)


class _Batch:
    """Sources extracted but not yet written, kept in order with their rows or their failure."""

    def __init__(self, store: Store, summary: IngestSummary,
                 on_result: Callable[[IngestResult], None] | None) -> None:
        self.store, self.summary, self.on_result = store, summary, on_result
        self.pending: list[tuple[SourceDocument | SourceError, RecordRows | IngestResult]] = []
        self.documents = self.rows = 0
        self.started = 0.0

    def add(self, item: SourceDocument | SourceError, prepared: RecordRows | IngestResult) -> None:
        if not self.pending:
            self.started = time.monotonic()
        self.pending.append((item, prepared))
        if isinstance(prepared, RecordRows):
            self.documents += 1
            self.rows += len(prepared.entities) + len(prepared.claims)

    def is_full(self) -> bool:
        return (self.documents >= BATCH_DOCUMENTS or self.rows >= BATCH_ROWS
                or (bool(self.pending) and time.monotonic() - self.started >= BATCH_SECONDS))

    def flush(self) -> None:
        """Write the pending documents in one transaction, then report every source in order."""
        to_save = [prepared for _, prepared in self.pending if isinstance(prepared, RecordRows)]
        saved = iter(self.store.save_many(to_save))
        for item, prepared in self.pending:
            result = prepared if isinstance(prepared, IngestResult) else _outcome(item, next(saved))  # type: ignore[arg-type]
            if result.status == "failed":
                self.store.record_error(result.origin, result.external_id, result.reason or "failed")
            self.summary.add(result)
            if self.on_result is not None:
                self.on_result(result)
        self.pending, self.documents, self.rows = [], 0, 0


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _pipeline_extractor() -> Extractor:
    from orbat.pipeline import extract_source

    return extract_source


def _sources(target: str, settings: Settings) -> Iterator[SourceDocument | SourceError]:
    """Sources of one target; an acquirer that breaks down costs that target, not the batch."""
    try:
        yield from _acquire(target, settings)
    except SourceError as exc:
        yield exc
    except Exception as exc:  # a broken acquirer loses its own target only
        yield SourceError(target, f"acquisition failed ({type(exc).__name__}: {_one_line(exc)})")


def _acquire(target: str, settings: Settings) -> Iterator[SourceDocument | SourceError]:
    try:
        from orbat.acquire.sources import iter_sources
    except ImportError:  # URL/feed/corpus acquisition not there yet: local files and JSONL only
        iter_sources = None
    if iter_sources is not None:
        yield from iter_sources([target], settings)
        return
    from orbat.acquire import files

    if target == "-":
        yield files.read_stdin(settings.max_document_bytes)
    elif target.lower().endswith(".jsonl"):
        yield from files.iter_jsonl(target, settings.max_document_bytes)
    else:
        yield files.read_file(Path(target), settings.max_document_bytes)
