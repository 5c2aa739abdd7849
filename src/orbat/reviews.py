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
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, inspect, select

from orbat import validate
from orbat.errors import InputError, InvalidValue
from orbat.store import Store
from orbat.store.schema import claims, reviews

ACTIONS = {"accept": "accepted", "reject": "rejected", "correct": "corrected"}
#: Claim values an analyst may correct; merge reads them in place of what the extractor found.
CORRECTABLE = {"event": str, "certainty": str, "date": str, "attributed_to": str,
               "quantity_min": int, "quantity_max": int}
MAX_COMMENT = 4000
MAX_NAME = 300
log = logging.getLogger("orbat.reviews")
CONTROL = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
#: What one backend or the other cannot store: NUL (PostgreSQL text) and unpaired surrogates (not
#: UTF-8). Refused on both, so a review is stored, or answered 422, the same way on each; stored,
#: an unpaired surrogate made every later read of its claim fail.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


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
    """Refuse what cannot be applied, with the reason; returns the fields to store.

    Corrected values pass the same bounds as extracted ones (`orbat.validate`): a review is
    read by merge like a claim, so `quantity_min: 1e30` or `date: "banana"` would break every
    query after it.
    """
    if action not in ACTIONS:
        raise InvalidValue(f"action {str(action)[:40]!r}: use one of {', '.join(ACTIONS)}")
    fields = dict(fields or {})
    if action != "correct" and fields:
        raise InvalidValue("fields are only given with action 'correct'")
    if action == "correct" and not fields:
        raise InvalidValue("a correction needs fields, e.g. {\"quantity_min\": 5}")
    for name, value in fields.items():
        kind = CORRECTABLE.get(name)
        if kind is None:
            raise InvalidValue(f"field {str(name)[:40]!r} cannot be corrected; "
                               f"correctable: {', '.join(sorted(CORRECTABLE))}")
        if value is None and name in ("event", "certainty"):
            raise InvalidValue(f"field {name!r} cannot be cleared: every claim has one")
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            raise InvalidValue(f"field {name!r} must be {kind.__name__} or null")
        if value is not None:
            _check_value(name, value)
    low, high = fields.get("quantity_min"), fields.get("quantity_max")
    if low is not None and high is not None and low > high:
        raise InvalidValue(f"quantity_min {low} is greater than quantity_max {high}")
    if comment is not None and len(comment) > MAX_COMMENT:
        raise InvalidValue(f"comment longer than {MAX_COMMENT} characters")
    if comment is not None and (bad := UNSTORABLE.search(comment)):
        raise InvalidValue(f"comment holds U+{ord(bad.group()):04X} at character {bad.start()}, "
                           "which cannot be stored")
    return fields


def _check_value(name: str, value: Any) -> None:
    if name == "event":
        validate.require_vocabulary(value, validate.EVENTS, "event")
    elif name == "certainty":
        validate.require_vocabulary(value, validate.CERTAINTIES, "certainty")
    elif name == "date":
        if len(value) not in (4, 7, 10):
            raise InvalidValue(f"date {value[:40]!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
        validate.require_date(value, "date")
    elif name in ("quantity_min", "quantity_max"):
        validate.require_quantity(value, name)
    elif name == "attributed_to" and (len(value) > MAX_NAME or CONTROL.search(value) or UNSTORABLE.search(value)):
        raise InvalidValue(f"attributed_to must be a name of at most {MAX_NAME} characters, "
                           "without control characters or unpaired surrogates")


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
            corrected[claim_id] = usable_fields(history[-1].fields)
    return rejected, corrected


def usable_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The corrections that pass today's checks; a review stored before them may hold
    `quantity_min: 1e30` or `date: "banana"`, which merge ignores (the review row stays)."""
    usable = {}
    for name, value in fields.items():
        kind = CORRECTABLE.get(name)
        try:
            if kind is None or (value is not None and (not isinstance(value, kind) or isinstance(value, bool))):
                raise InvalidValue(f"field {name!r}")
            if value is not None:
                _check_value(name, value)
        except InvalidValue as exc:
            log.warning("orbat: a stored correction is ignored: %s", exc)
            continue
        usable[name] = value
    return usable
