"""Names the extractor kept outside the catalogs, most frequent first, for analysts to catalog.

An actor, place or system the catalogs lack is stored with `catalog_id` null (a place also
without a gazetteer id). Counting those names over the latest run of every document, with a
few sentences around them, shows which entries the catalogs are missing most; adding them to
`orbat/catalogs` as data then makes the next runs resolve them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, and_, select

from orbat.store.read import latest_run_condition
from orbat.store.schema import documents, entities, extraction_runs

SUGGESTED_KINDS = ("actor", "place", "equipment")
CONTEXT_CHARS = 60


@dataclass(slots=True)
class Suggestion:
    kind: str
    name: str
    documents: int = 0
    mentions: int = 0
    actor_type: str | None = None
    contexts: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "name": self.name,
            "type": self.actor_type,
            "documents": self.documents,
            "mentions": self.mentions,
            "contexts": self.contexts,
        }


def uncatalogued(conn: Connection, kind: str | None = None, limit: int = 20, contexts: int = 3) -> list[Suggestion]:
    """The `limit` most frequent uncatalogued names (by documents, then mentions), with up to
    `contexts` snippets each, taken from different documents where it can."""
    kinds = (kind,) if kind else SUGGESTED_KINDS
    query = (
        select(
            entities.c.kind, entities.c.name, entities.c.actor_type, entities.c.record, documents.c.id, documents.c.text
        )
        .join(extraction_runs, extraction_runs.c.id == entities.c.run_id)
        .join(documents, documents.c.id == extraction_runs.c.document_id)
        .where(
            and_(
                latest_run_condition(),
                entities.c.kind.in_(kinds),
                entities.c.catalog_id.is_(None),
                entities.c.gazetteer_id.is_(None),
            )
        )
        .order_by(documents.c.created, documents.c.id)
    )
    found: dict[tuple[str, str], Suggestion] = {}
    seen: dict[tuple[str, str], set[str]] = {}
    for row in conn.execute(query):
        key = (row.kind, " ".join(row.name.split()).casefold())
        suggestion = found.setdefault(key, Suggestion(row.kind, " ".join(row.name.split()), actor_type=row.actor_type))
        spans = (row.record or {}).get("mentions") or []
        suggestion.mentions += len(spans)
        if row.id not in seen.setdefault(key, set()):
            seen[key].add(row.id)
            suggestion.documents += 1
            if spans and len(suggestion.contexts) < contexts:
                suggestion.contexts.append(_snippet(row.text, spans[0]["start"], spans[0]["end"]))
    ranked = sorted(found.values(), key=lambda s: (-s.documents, -s.mentions, s.kind, s.name.casefold()))
    return ranked[:limit]


def _snippet(text: str, start: int, end: int) -> str:
    """The mention with some words either side, on one line."""
    left = max(0, start - CONTEXT_CHARS)
    right = min(len(text), end + CONTEXT_CHARS)
    body = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + body + ("…" if right < len(text) else "")
