"""Reviews: append-only, concurrent, conflicts shown, rejected claims leave observations (rows 27, 28)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from api_factory import auth, client, token
from sqlalchemy import inspect, text

from orbat.store import migrate, open_store


def _tank_observation(c) -> dict:
    found = c.get("/api/observations", params={"country": "ML", "equipment": "T-72B3", "event": "presence"})
    return max(found.json()["observations"], key=lambda o: o["claim_count"])


def _review(c, plain: str, claim_id: str, action: str, **body):
    return c.post(f"/api/claims/{claim_id}/reviews", json={"action": action, **body}, headers=auth(plain))


def test_concurrent_reviews_are_both_kept_and_shown_as_a_conflict(examples_db):
    alice, bob = token(examples_db, "analyst", "alice"), token(examples_db, "analyst", "bob")
    c = client(examples_db)
    claim = _tank_observation(c)["id"]
    claim_id = c.get(f"/api/observations/{claim}").json()["claims"][0]["id"]
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda args: _review(client(examples_db), *args),
                                [(alice, claim_id, "accept"), (bob, claim_id, "reject")]))
    assert [a.status_code for a in answers] == [201, 201]
    shown = c.get(f"/api/claims/{claim_id}").json()
    assert sorted((r["reviewer"], r["action"]) for r in shown["reviews"]) == [("alice", "accept"), ("bob", "reject")]
    assert shown["status"] == "conflict"
    assert _review(c, alice, claim_id, "reject", comment="agree with bob").status_code == 201
    shown = c.get(f"/api/claims/{claim_id}").json()
    assert shown["status"] == "rejected" and len(shown["reviews"]) == 3  # history stays


def test_rejected_claim_drops_out_of_its_observation_and_history_stays(examples_db):
    plain = token(examples_db, "analyst", "carol")
    c = client(examples_db)
    before = _tank_observation(c)
    claims = c.get(f"/api/observations/{before['id']}").json()["claims"]
    # one of the claims dated the day the observation was first seen: rejecting it removes that
    # claim alone (a claim with a coarser date can be what holds another one in the observation)
    rejected = next(x["id"] for x in claims if x["date"] == before["first_seen"])
    answer = _review(c, plain, rejected, "reject", comment="footage is from 2023")
    assert answer.status_code == 201
    assert answer.json()["action"] == "reject" and answer.json()["reviewer"] == "carol"
    after = _tank_observation(c)
    remaining = c.get(f"/api/observations/{after['id']}").json()["claims"]
    assert rejected not in {x["id"] for x in remaining}
    assert after["claim_count"] == before["claim_count"] - 1
    kept = c.get(f"/api/claims/{rejected}").json()
    assert kept["status"] == "rejected" and kept["reviews"][0]["comment"] == "footage is from 2023"
    assert rejected in {x["id"] for x in c.get("/api/claims", params={"country": "ML", "limit": 5000}).json()["claims"]}


def test_accept_and_correct(copy_db):
    plain = token(copy_db, "analyst")
    c = client(copy_db)
    claim = c.get("/api/claims", params={"country": "ML", "equipment": "T-72B3"}).json()["claims"][0]
    assert _review(c, plain, claim["id"], "accept").status_code == 201
    assert c.get(f"/api/claims/{claim['id']}").json()["status"] == "accepted"
    answer = _review(c, plain, claim["id"], "correct", fields={"quantity_min": 3, "quantity_max": 3})
    assert answer.status_code == 201 and answer.json()["fields"] == {"quantity_min": 3, "quantity_max": 3}
    assert c.get(f"/api/claims/{claim['id']}").json()["status"] == "corrected"


@pytest.mark.parametrize("body", [{"action": "delete"}, {"action": "correct"},
                                  {"action": "correct", "fields": {"sentence": "rewritten"}},
                                  {"action": "accept", "fields": {"quantity_min": 1}},
                                  {"action": "correct", "fields": {"quantity_min": "many"}}])
def test_bad_reviews_are_refused(copy_db, body):
    plain = token(copy_db, "analyst")
    c = client(copy_db)
    claim = c.get("/api/claims", params={"limit": 1}).json()["claims"][0]["id"]
    answer = c.post(f"/api/claims/{claim}/reviews", json=body, headers=auth(plain))
    assert answer.status_code == 422 and answer.json()["detail"]
    assert c.get(f"/api/claims/{claim}").json()["reviews"] == []


def test_review_of_an_unknown_claim_is_404(copy_db):
    plain = token(copy_db, "analyst")
    assert _review(client(copy_db), plain, "claim:nope", "accept").status_code == 404


def test_direct_update_or_delete_of_reviews_is_refused(examples_db):
    plain = token(examples_db, "analyst")
    c = client(examples_db)
    claim = c.get("/api/claims", params={"limit": 1}).json()["claims"][0]["id"]
    assert _review(c, plain, claim, "accept").status_code == 201
    with open_store(examples_db) as store:
        for statement in ("UPDATE reviews SET action = 'reject'", "DELETE FROM reviews"):
            with pytest.raises(Exception, match="append-only"), store.engine.begin() as conn:
                conn.execute(text(statement))
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT action FROM reviews")).scalars().all() == ["accept"]


def test_migration_0002_down_and_up_on_a_populated_database(examples_db):
    plain = token(examples_db, "analyst")
    c = client(examples_db)
    claim = c.get("/api/claims", params={"limit": 1}).json()["claims"][0]["id"]
    assert _review(c, plain, claim, "reject").status_code == 201
    assert not any(claim in _claim_ids(c, o["id"])
                   for o in c.get("/api/observations", params={"limit": 5000}).json()["observations"])
    c.app.state.store.close()
    with open_store(examples_db) as store:
        claims_before = _count(store, "claims")
        migrate.downgrade(store.engine, "0001")
        assert not {"reviews", "tokens"} & set(inspect(store.engine).get_table_names())
        assert _count(store, "claims") == claims_before
        migrate.upgrade(store.engine)
        assert {"reviews", "tokens"} <= set(inspect(store.engine).get_table_names())
        assert _count(store, "reviews") == 0 and _count(store, "claims") == claims_before
    plain = token(examples_db, "analyst")
    c = client(examples_db)
    assert c.get(f"/api/claims/{claim}").json()["status"] == "unreviewed"
    observation = next(o for o in c.get("/api/observations", params={"limit": 5000}).json()["observations"]
                       if claim in _claim_ids(c, o["id"]))  # the dropped rejection no longer counts
    assert observation
    assert _review(c, plain, claim, "accept").status_code == 201


def _claim_ids(c, observation_id: str) -> set[str]:
    return {x["id"] for x in c.get(f"/api/observations/{observation_id}").json()["claims"]}


def _count(store, table: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_an_agreed_correction_reaches_the_observation(copy_db):
    plain = token(copy_db, "analyst")
    c = client(copy_db)
    single = next(o for o in c.get("/api/observations", params={"limit": 5000}).json()["observations"]
                  if o["claim_count"] == 1 and o["equipment"] and o["quantity_max"] != 99)
    (claim,) = _claim_ids(c, single["id"])
    assert _review(c, plain, claim, "correct", fields={"quantity_min": 99, "quantity_max": 99}).status_code == 201
    after = next(o for o in c.get("/api/observations", params={"limit": 5000}).json()["observations"]
                 if claim in _claim_ids(c, o["id"]))
    assert (after["quantity_min"], after["quantity_max"]) == (99, 99)
