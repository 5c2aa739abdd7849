"""Analyst reviews of claims: accept, reject or correct, appended and never overwritten.

Why reviews are rows and a claim's status is computed: two analysts reviewing the same claim at
once must both keep their review (RELIABILITY row 27), and an analyst who changes their mind
must not erase what they said before. Each reviewer's latest review counts; when the latest
reviews of several reviewers disagree the claim is in `conflict` and stays in its observation
until someone settles it. A claim whose reviewers all reject it drops out of observations
(the observation index reads `excluded_and_corrected`); its claim, sentence and reviews stay.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, inspect, select

from orbat.errors import InputError
from orbat.store import Store
from orbat.store.schema import claims, reviews

ACTIONS = {"accept": "accepted", "reject": "rejected", "correct": "corrected"}
#: Claim values an analyst may correct; merge reads them in place of what the extractor found.
CORRECTABLE = {"event": str, "certainty": str, "date": str, "attributed_to": str,
               "quantity_min": int, "quantity_max": int}
MAX_COMMENT = 4000


class NotFound(InputError):
    """The thing asked for does not exist (the API answers 404)."""


@dataclass(slots=True)
class Review:
    id: int
    claim_id: str
    action: str
    fields: dict[str, Any] = field(default_factory=dict)
    comment: str | None = None
    reviewer: str = ""
    token_id: int | None = None
    created: str = ""


def check_review(action: str, fields: dict[str, Any] | None, comment: str | None) -> dict[str, Any]:
    """Refuse what cannot be applied, with the reason; returns the fields to store."""
    if action not in ACTIONS:
        raise InputError(f"action {action!r}: use one of {', '.join(ACTIONS)}")
    fields = dict(fields or {})
    if action != "correct" and fields:
        raise InputError("fields are only given with action 'correct'")
    if action == "correct" and not fields:
        raise InputError("a correction needs fields, e.g. {\"quantity_min\": 5}")
    for name, value in fields.items():
        kind = CORRECTABLE.get(name)
        if kind is None:
            raise InputError(f"field {name!r} cannot be corrected; correctable: {', '.join(sorted(CORRECTABLE))}")
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            raise InputError(f"field {name!r} must be {kind.__name__} or null")
    if comment is not None and len(comment) > MAX_COMMENT:
        raise InputError(f"comment longer than {MAX_COMMENT} characters")
    return fields


def add_review(store: Store, claim_id: str, action: str, fields: dict[str, Any] | None = None,
               comment: str | None = None, reviewer: str = "", token_id: int | None = None) -> Review:
    """Append one review, then merge observations again so the review takes effect at once."""
    from orbat.observation_index import refresh

    checked = check_review(action, fields, comment)
    row = {"claim_id": claim_id, "action": action, "fields": checked, "comment": comment,
           "reviewer": reviewer, "token_id": token_id, "created": datetime.now(UTC).isoformat()}
    with store._write() as conn:
        if conn.execute(select(claims.c.id).where(claims.c.id == claim_id)).first() is None:
            raise NotFound(f"no claim {claim_id!r}")
        review_id = conn.execute(insert(reviews).returning(reviews.c.id), row).scalar_one()
    refresh(store.engine, full=True)
    return Review(id=review_id, **row)


def reviews_for(conn: Connection, claim_ids: list[str]) -> dict[str, list[Review]]:
    """Every review of the given claims, oldest first."""
    found: dict[str, list[Review]] = defaultdict(list)
    for i in range(0, len(claim_ids), 500):
        query = select(reviews).where(reviews.c.claim_id.in_(claim_ids[i:i + 500])).order_by(reviews.c.id)
        for row in conn.execute(query):
            found[row.claim_id].append(Review(**row._mapping))
    return found


def status(history: list[Review]) -> str:
    """unreviewed | accepted | rejected | corrected | conflict, from each reviewer's latest review."""
    if not history:
        return "unreviewed"
    latest: dict[Any, Review] = {}
    for review in sorted(history, key=lambda r: r.id):
        latest[review.token_id if review.token_id is not None else review.reviewer] = review
    verdicts = {(r.action, json.dumps(r.fields, sort_keys=True)) for r in latest.values()}
    if len(verdicts) > 1:
        return "conflict"
    return ACTIONS[next(iter(verdicts))[0]]


def excluded_and_corrected(conn: Connection) -> tuple[set[str], dict[str, dict[str, Any]]]:
    """Claims rejected by their reviewers, and the agreed corrections of corrected claims."""
    if not inspect(conn).has_table(reviews.name):
        return set(), {}
    by_claim: dict[str, list[Review]] = defaultdict(list)
    for row in conn.execute(select(reviews).order_by(reviews.c.id)):
        by_claim[row.claim_id].append(Review(**row._mapping))
    rejected, corrected = set(), {}
    for claim_id, history in by_claim.items():
        verdict = status(history)
        if verdict == "rejected":
            rejected.add(claim_id)
        elif verdict == "corrected":
            corrected[claim_id] = history[-1].fields
    return rejected, corrected
