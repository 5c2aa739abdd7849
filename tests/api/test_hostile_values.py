"""Issue 11 through the HTTP API, on SQLite and PostgreSQL: out-of-bounds posts and reviews are
422s that store nothing, and every read route still answers afterwards.

Names carry the RELIABILITY.md row (`row20` undecodable text, `row23` dates, `row27` reviews).
"""

from __future__ import annotations

import json

import pytest
from api_factory import auth, client, token

from orbat.store import open_store

REPRODUCER = {"text": "Russia delivered 12 T-72B3 tanks to Gao, Mali on 3 January 2025.", "published": "9999-12-31"}
READS = ["/api/posture/ML", "/api/timeline", "/api/observations", "/api/claims", "/api/map.geojson",
         "/api/routes"]


@pytest.fixture
def api(db_url):
    """A client on a fresh database, an analyst's token, and one stored claim to review."""
    plain = token(db_url, "analyst", "tester")
    c = client(db_url)
    answer = c.post("/api/documents", json={**REPRODUCER, "published": "2025-01-04"}, headers=auth(plain))
    assert answer.status_code == 201, answer.text
    claim_id = c.get("/api/claims", params={"limit": 1}).json()["claims"][0]["id"]
    return c, plain, claim_id, db_url


def _reads_answer(c) -> None:
    for path in READS:
        answer = c.get(path)
        assert answer.status_code == 200, (path, answer.text)


def _documents(db_url: str) -> int:
    with open_store(db_url) as store:
        return store.stats().documents


def test_row23_api_post_dated_9999_is_refused_and_every_read_still_answers(api):
    c, plain, _claim, db_url = api
    answer = c.post("/api/documents", json=REPRODUCER, headers=auth(plain))
    assert answer.status_code == 422 and "9999-12-31" in answer.json()["detail"]
    for published in ("2025-02-30", "yesterday", "0001-01-01"):
        body = {**REPRODUCER, "text": REPRODUCER["text"] + f" ({published})", "published": published}
        assert c.post("/api/documents", json=body, headers=auth(plain)).status_code == 422
    assert _documents(db_url) == 1
    _reads_answer(c)


def test_row20_api_post_with_a_lone_surrogate_is_a_422_not_a_500(api):
    c, plain, _claim, db_url = api
    raw = '{"text": "Seven T-72B3 tanks \\ud800 arrived in Bamako.", "published": "2025-01-21"}'
    answer = c.post("/api/documents", content=raw.encode(), headers={**auth(plain), "Content-Type": "application/json"})
    assert answer.status_code == 422 and "surrogate" in answer.json()["detail"]
    assert _documents(db_url) == 1
    _reads_answer(c)


@pytest.mark.parametrize("fields", [
    {"quantity_min": 1e30}, {"quantity_min": 10**30}, {"quantity_max": -1}, {"quantity_min": 5, "quantity_max": 2},
    {"date": "banana"}, {"date": "9999-12-31"}, {"date": "2025-02-30"}, {"event": "<img src=x onerror=alert(1)>"},
    {"certainty": "totally"}, {"attributed_to": "a\u202eb"}])
def test_row27_out_of_bounds_corrections_are_422_and_never_stored(api, fields):
    c, plain, claim_id, _db = api
    answer = c.post(f"/api/claims/{claim_id}/reviews", json={"action": "correct", "fields": fields},
                    headers=auth(plain))
    assert answer.status_code == 422 and answer.json()["detail"]
    assert c.get(f"/api/claims/{claim_id}").json()["reviews"] == []
    _reads_answer(c)


@pytest.mark.parametrize("body", [
    {"action": "accept", "comment": "seen \u0000 twice"}, {"action": "reject", "comment": "not \ud800 sure"},
    {"action": "correct", "fields": {"attributed_to": "Malian army \udc00"}}])
def test_row27_reviews_with_nul_or_unpaired_surrogates_are_422_on_both_backends(api, body):
    """Fuzzing (bench/fuzz.py reviews --db): PostgreSQL cannot store NUL, neither backend an unpaired
    surrogate; such a review was a 500, and a stored correction broke every later read of its claim."""
    c, plain, claim_id, _db = api
    raw = json.dumps(body).encode()  # \u escapes: the surrogate reaches the server as JSON sends it
    answer = c.post(f"/api/claims/{claim_id}/reviews", content=raw,
                    headers={**auth(plain), "Content-Type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert "U+0000" in answer.text or "surrogate" in answer.text or "U+D" in answer.text
    assert c.get(f"/api/claims/{claim_id}").json()["reviews"] == []
    _reads_answer(c)


def test_row27_a_correction_inside_the_bounds_is_stored_and_merged(api):
    c, plain, claim_id, _db = api
    fields = {"quantity_min": 10_000_000, "date": "2025-01-05", "event": "deployment", "certainty": "probable"}
    answer = c.post(f"/api/claims/{claim_id}/reviews", json={"action": "correct", "fields": fields},
                    headers=auth(plain))
    assert answer.status_code == 201 and answer.json()["fields"] == fields
    posture = c.get("/api/posture/ML").json()
    assert json.dumps(posture).count("10000000") >= 1
    _reads_answer(c)


def test_row29_api_post_that_fails_is_a_422_and_an_ingest_errors_row(api):
    c, plain, _claim, db_url = api
    answer = c.post("/api/documents", json={"text": "\x01\x02\x03" * 200, "published": "2025-01-04"},
                    headers=auth(plain))
    assert answer.status_code == 422 and "binary" in answer.json()["detail"]
    with open_store(db_url) as store:
        (error,) = store.ingest_errors()
        assert error["origin"] == "api:tester" and "binary" in error["error"]
    assert _documents(db_url) == 1
    _reads_answer(c)
