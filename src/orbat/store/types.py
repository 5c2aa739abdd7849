"""What the store hands back: results of a save, counts, and stored documents.

Kept apart from `orbat.model` because only callers of the store (ingest, CLI, API) see them;
the extraction stages never do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SaveStatus = Literal["new", "reprocessed", "duplicate"]


@dataclass(slots=True)
class SaveResult:
    """What one `Store.save` did.

    `new`: the document and its first run were stored. `reprocessed`: the document was known,
    and a run with other extractor/catalog versions was added beside the old ones.
    `duplicate`: the same bytes were already stored with these versions, so at most a
    sighting was added. Other bytes under a known canonical URL are `new` with `duplicate_by`
    "canonical_url": a new version of that document (`DocumentInfo.version_of`).
    """

    document_id: str
    status: SaveStatus
    run_id: str | None
    claims: int = 0
    sighting_added: bool = False
    duplicate_by: Literal["sha256", "canonical_url"] | None = None


@dataclass(slots=True)
class StoreStats:
    documents: int
    sightings: int
    runs: int
    entities: int
    claims: int
    facts: int
    extractors: list[str] = field(default_factory=list)
    catalogs: list[str] = field(default_factory=list)
    backend: str = "sqlite"


@dataclass(slots=True)
class RunInfo:
    id: str
    extractor: str
    catalog: str
    created: str
    claims: int


@dataclass(slots=True)
class SightingInfo:
    origin: str
    url: str | None
    external_id: str | None
    retrieved: str | None
    content_sha256: str
    seen_at: str


@dataclass(slots=True)
class DocumentInfo:
    """A stored document without its text (for listings)."""

    id: str
    url: str | None
    canonical_url: str | None
    title: str | None
    publisher: str | None
    published: str | None
    language: str | None
    retrieved: str | None
    origin: str
    external_id: str | None
    decoding: str
    created: str
    version_of: str | None = None  # the first version's id when this is new content at its URL


@dataclass(slots=True)
class StoredDocument:
    """One document with its text, capture metadata, runs and sightings (`orbat show`)."""

    info: DocumentInfo
    text: str
    warnings: list[str]
    content_type: str
    size: int
    runs: list[RunInfo]
    sightings: list[SightingInfo]
