"""Write routes: add a document, review a claim. Both need an analyst (or admin) bearer token.

Why documents go through `orbat.ingest.ingest_one` and URLs through `orbat.acquire`: the API
is one more front door to the same pipeline, with the same size caps and the same refusal to
fetch private addresses (only http(s) URLs: a path would read the server's own files).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from orbat.acquire.files import SURROGATE
from orbat.reviews import add_review
from orbat.serve.auth import writer
from orbat.serve.routes import ClaimId, StoreDep
from orbat.tokens import Token
from orbat.validate import require_date

router = APIRouter(prefix="/api")
Writer = Annotated[Token, Depends(writer)]


class NewDocument(BaseModel):
    """Text with its metadata, or a URL to fetch (one of the two)."""

    text: str | None = Field(None, description="The report's text (UTF-8); give this or `url`.")
    url: str | None = Field(None, max_length=4000, description="An http(s) address to fetch, or the text's source.")
    title: str | None = Field(None, max_length=1000, description="The headline.")
    published: str | None = Field(None, max_length=40, description="Publication date, YYYY[-MM[-DD]].")
    publisher: str | None = Field(None, max_length=300, description="Who published it.")


class NewReview(BaseModel):
    """A reviewer's verdict on one claim."""

    action: str = Field(description="accept, reject or correct.")
    fields: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "For correct: the corrected values among event, certainty, date, attributed_to, quantity_min and "
            'quantity_max, e.g. {"quantity_min": 7, "quantity_max": 7} or {"date": "2025-01"}.'
        ),
    )
    comment: str | None = Field(None, description="Why, in words; kept with the review.")


def _source(body: NewDocument, token: Token, settings) -> list:
    """What to ingest: the posted text as one source, or what acquire makes of the URL."""
    from orbat.acquire.files import from_bytes
    from orbat.acquire.sources import iter_sources

    for name in ("text", "url", "title", "publisher", "published"):
        value = getattr(body, name)
        if value is not None and (bad := SURROGATE.search(value)):
            raise HTTPException(
                422,
                f"{name} holds an unpaired surrogate (U+{ord(bad.group()):04X}) at "
                f"character {bad.start()}: not valid Unicode",
            )
    require_date(body.published, "published")
    if body.text is not None:
        raw = body.text.encode("utf-8")
        if not raw.strip():
            raise HTTPException(422, "text is empty")
        if len(raw) > settings.max_document_bytes:
            raise HTTPException(413, f"text is larger than {settings.max_document_bytes} bytes")
        return [
            from_bytes(
                raw,
                f"api:{token.label}",
                "text/plain",
                url=body.url,
                title=body.title,
                published=body.published,
                publisher=body.publisher,
            )
        ]
    if not body.url or not body.url.lower().startswith(("http://", "https://")):
        raise HTTPException(422, "give `text`, or a `url` starting with http:// or https://")
    return list(iter_sources([body.url], settings))


@router.post("/documents", status_code=201)
def post_document(store: StoreDep, token: Writer, body: NewDocument) -> Any:
    """Ingest posted text or a fetched URL; 201 with the document id and its claim count."""
    from orbat.ingest import ingest_one
    from orbat.pipeline import extract_source
    from orbat.settings import Settings

    settings = Settings()
    results = [ingest_one(item, store, settings, extract_source) for item in _source(body, token, settings)]
    for failed in (r for r in results if r.status == "failed"):
        store.record_error(failed.origin, failed.external_id, failed.reason or "failed")
    stored = [r for r in results if r.status != "failed"]
    if not stored:
        reasons = "; ".join(r.reason or "failed" for r in results) or "nothing to ingest at that address"
        raise HTTPException(422, reasons)
    first = stored[0]
    answer = {
        "id": first.document_id,
        "document_id": first.document_id,
        "claims": first.claims,
        "status": first.status,
        "results": [asdict(r) for r in results],
    }
    return JSONResponse(answer, status_code=201 if first.status != "duplicate" else 200)


@router.post("/claims/{claim_id}/reviews", status_code=201)
def post_review(store: StoreDep, token: Writer, claim_id: ClaimId, body: NewReview) -> dict[str, Any]:
    """Append a review (accept / reject / correct) and merge observations again."""
    review = add_review(store, claim_id, body.action, body.fields, body.comment, token.label, token.id)
    return asdict(review)
