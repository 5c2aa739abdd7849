"""Ingest: acquire every source, extract it, and save it to the store, one document at a time.

Each source is saved in its own transaction, so a crash loses at most the document in flight,
and a rerun skips what is already stored (same bytes or same canonical URL with the same
extractor and catalog versions). A source that cannot be read, extracted or saved is reported
with its reason and the batch goes on: one bad file must not cost a night's ingest.

(The lead will fold this into `orbat.pipeline`'s numbered stages; it lives apart until then.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from orbat.acquire import SourceError
from orbat.acquire.urls import canonical_key
from orbat.errors import UserError
from orbat.model import ExtractionRecord, SourceDocument
from orbat.settings import Settings
from orbat.store import Store

Extractor = Callable[[SourceDocument, Settings], ExtractionRecord]
Status = Literal["new", "reprocessed", "duplicate", "failed"]


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
    extractor = extract or _pipeline_extractor()
    summary = IngestSummary()
    for target in targets:
        for item in _sources(target, settings):
            result = ingest_one(item, store, settings, extractor)
            if result.status == "failed":
                store.record_error(result.origin, result.external_id, result.reason or "failed")
            summary.add(result)
            if on_result is not None:
                on_result(result)
    return summary


def ingest_one(item: SourceDocument | SourceError, store: Store, settings: Settings,
               extract: Extractor) -> IngestResult:
    """Extract and save one source; any failure becomes a result, never an exception."""
    if isinstance(item, SourceError):
        return IngestResult(item.origin, "failed", reason=f"{item.code}: {item.reason}",
                            external_id=getattr(item, "external_id", None))
    try:
        if item.canonical_url is None:  # URLs written in notes and corpora are keys too
            item.canonical_url = canonical_key(item.url)
        record = extract(item, settings)
        saved = store.save(record)
    except UserError as exc:
        return IngestResult(item.origin, "failed", reason=_one_line(exc), external_id=item.external_id)
    except Exception as exc:  # a bug on one document must not end the batch
        return IngestResult(item.origin, "failed", reason=f"{type(exc).__name__}: {_one_line(exc)}",
                            external_id=item.external_id)
    return IngestResult(item.origin, saved.status, saved.document_id, saved.claims, external_id=item.external_id)


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
