"""Run the real pipeline on a short text and look things up in the record it returns."""

from __future__ import annotations

from orbat.model import SourceDocument
from orbat.pipeline import extract_source


def extract_text(text: str, published: str | None = "2025-01-21", content_type: str = "text/plain") -> dict:
    source = SourceDocument(raw=text.encode("utf-8"), content_type=content_type, origin="test", published=published)
    return extract_source(source).to_json()


def entities(record: dict, kind: str) -> dict[str, dict]:
    return {e["name"]: e for e in record["entities"] if e["kind"] == kind}


def named(record: dict, entity_id: str | None) -> str | None:
    return next((e["name"] for e in record["entities"] if e["id"] == entity_id), None)


def claims_about(record: dict, system: str) -> list[dict]:
    ids = {e["id"] for e in record["entities"] if e["name"] == system}
    return [c for c in record["claims"] if ids & {x["entity"] for x in c["equipment"]}]
