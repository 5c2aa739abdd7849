"""The review queue: unreviewed claims behind the filtered observations, heaviest first."""

from __future__ import annotations

from collections import Counter

from api_factory import auth, client, token


def _claims_behind(c, **filters) -> tuple[Counter, set[str]]:
    """How many observations each claim is behind, read from the observation routes themselves,
    and the observations' ids."""
    rows = c.get("/api/observations", params={**filters, "limit": 5000}).json()["observations"]
    behind: Counter = Counter()
    for row in rows:
        for claim in c.get(f"/api/observations/{row['id']}").json()["claims"]:
            behind[claim["id"]] += 1
    return behind, {row["id"] for row in rows}


def test_queue_orders_unreviewed_claims_by_the_observations_behind_them(copy_db):
    c = client(copy_db)
    behind, observations = _claims_behind(c, country="ML")
    answer = c.get("/api/review-queue", params={"country": "ML", "limit": 5000}).json()
    queued = answer["claims"]
    assert answer["total"] == len(queued) == len(behind)
    assert {q["id"] for q in queued} == set(behind)
    assert [q["impact"] for q in queued] == [behind[q["id"]] for q in queued]
    impacts = [q["impact"] for q in queued]
    assert impacts == sorted(impacts, reverse=True) and impacts[0] > 1
    assert all(len(q["observation_ids"]) == q["impact"] and set(q["observation_ids"]) <= observations for q in queued)
    assert all(q["sentence"] and q["status"] == "unreviewed" for q in queued)

    # paging: two halves make the whole, in the same order
    half = len(queued) // 2
    first = c.get("/api/review-queue", params={"country": "ML", "limit": half}).json()["claims"]
    rest = c.get("/api/review-queue", params={"country": "ML", "limit": 5000, "offset": half}).json()["claims"]
    assert [q["id"] for q in first + rest] == [q["id"] for q in queued]

    # a reviewed claim leaves the queue, whatever the verdict
    plain = token(copy_db, "analyst", "dana")
    for claim, action in ((queued[0], "accept"), (queued[1], "reject")):
        sent = c.post(f"/api/claims/{claim['id']}/reviews", json={"action": action}, headers=auth(plain))
        assert sent.status_code == 201
    after = c.get("/api/review-queue", params={"country": "ML", "limit": 5000}).json()
    left = {q["id"] for q in after["claims"]}
    assert queued[0]["id"] not in left and queued[1]["id"] not in left
    assert after["total"] == len(queued) - 2


def test_queue_takes_the_page_filters_and_refuses_unknown_values(read_db):
    c = client(read_db)
    everything = c.get("/api/review-queue", params={"limit": 5000}).json()
    mali = c.get("/api/review-queue", params={"country": "ML", "limit": 5000}).json()
    assert 0 < mali["total"] < everything["total"]
    refused = c.get("/api/review-queue", params={"certainty": "bogus"})
    assert refused.status_code == 422 and "confirmed" in refused.json()["detail"]["allowed"]
