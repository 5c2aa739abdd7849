"""The review queue: unreviewed claims, the ones that weigh most on the knowledge base first.

Why this order: a reviewer's minutes are best spent where a verdict changes the most. A claim
behind many observations (a sentence listing several systems, a claim merged into several
sightings) moves all of them when it is rejected or corrected; among equals, a claim that is an
observation's only support decides whether that observation exists at all. Ties go by claim id,
so the order is stable between requests and pages never overlap.

Built from the read-side functions (`query.search_observations`, `reviews.reviews_for`,
`evidence.claim_views`): no SQL of its own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from orbat import evidence, query
from orbat.evidence import ClaimView
from orbat.reviews import reviews_for
from orbat.store import Store

#: Observations scanned for their claims: the page's filters narrow the queue long before this.
SCAN_LIMIT = 20_000


@dataclass(slots=True)
class QueuedClaim:
    """A claim waiting for review and what depends on it."""

    claim: ClaimView
    observations: int  # observations the claim is behind
    sole_support: int  # of which the claim is the only support
    observation_ids: list[str]


def review_queue(store: Store, filters: query.Filters, limit: int, offset: int = 0) -> tuple[list[QueuedClaim], int]:
    """One page of unreviewed claims behind the observations matching `filters`, by impact."""
    found, _ = query.search_observations(store, filters, SCAN_LIMIT, 0)
    behind: Counter[str] = Counter()
    sole: Counter[str] = Counter()
    where: dict[str, list[str]] = {}
    for observation in found:
        claim_ids = list(dict.fromkeys(observation.claim_ids))
        for claim_id in claim_ids:
            behind[claim_id] += 1
            where.setdefault(claim_id, []).append(observation.id)
        if len(claim_ids) == 1:
            sole[claim_ids[0]] += 1
    with store.engine.connect() as conn:
        reviewed = set(reviews_for(conn, list(behind)))
    waiting = [c for c in behind if c not in reviewed]
    waiting.sort(key=lambda c: (-behind[c], -sole[c], c))
    page = waiting[offset : offset + limit]
    views = {v.id: v for v in evidence.claim_views(store, page)}
    return [QueuedClaim(views[c], behind[c], sole[c], where[c]) for c in page if c in views], len(waiting)
