"""Tokens and who may do what (RELIABILITY rows 32–34), and `orbat serve`'s refusal (row 33)."""

from __future__ import annotations

import hashlib
import logging

import pytest
from api_factory import auth, client, token
from click.testing import CliRunner
from sqlalchemy import select

from orbat.cli import main
from orbat.store import open_store
from orbat.store.schema import tokens

TEXT = {"text": "Russia delivered seven T-72B3 tanks to Bamako on 17 January 2025.", "title": "Tanks",
        "published": "2025-01-20"}


def _stored_tokens(db: str) -> list:
    with open_store(db) as store, store.engine.connect() as conn:
        return conn.execute(select(tokens)).all()


def test_token_create_shows_the_token_once_and_stores_its_hash(db_url):
    result = CliRunner().invoke(main, ["token", "create", "--role", "analyst", "--label", "alice", "--db", db_url])
    assert result.exit_code == 0, result.output
    plain = result.stdout.strip()
    assert plain.startswith("orbat_") and len(plain) > 40 and "\n" not in plain
    assert plain not in result.stderr and "shown only" in result.stderr
    rows = _stored_tokens(db_url)
    assert [(r.role, r.label) for r in rows] == [("analyst", "alice")]
    assert rows[0].hash == "sha256:" + hashlib.sha256(plain.encode()).hexdigest()
    assert all(plain not in str(value) for value in rows[0])
    assert client(db_url).post("/api/documents", json=TEXT, headers=auth(plain)).status_code == 201


def test_token_create_refuses_an_unknown_role(tmp_path):
    result = CliRunner().invoke(main, ["token", "create", "--role", "god", "--db", str(tmp_path / "o.db")])
    assert result.exit_code == 2


@pytest.mark.parametrize(("headers", "status"), [({}, 401), ({"Authorization": "Bearer orbat_wrong"}, 401),
                                                 ({"Authorization": "Basic YTpi"}, 401), ("viewer", 403),
                                                 ("analyst", 201), ("admin", 201)])
def test_write_needs_an_analyst_token(copy_db, headers, status):
    if isinstance(headers, str):
        headers = auth(token(copy_db, headers))
    answer = client(copy_db).post("/api/documents", json=TEXT, headers=headers)
    assert answer.status_code == status, answer.text
    if status == 401:
        assert answer.headers["www-authenticate"] == "Bearer"
    if status == 201:
        assert answer.json()["document_id"].startswith("sha256:") and answer.json()["claims"] >= 1


def test_token_in_query_string_is_refused_and_never_logged(copy_db, caplog):
    plain = token(copy_db, "analyst")
    c = client(copy_db)
    with caplog.at_level(logging.DEBUG):
        for answer in (c.get("/api/observations", params={"token": plain}),
                       c.get("/api/observations", params={"access_token": "x"}),
                       c.get("/api/observations", params={"q": plain}),
                       c.post("/api/documents", params={"token": plain}, json=TEXT)):
            assert answer.status_code == 400
            assert plain not in answer.text
    server = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]  # the client's own
    assert any(r.name == "orbat.serve" for r in server)
    assert all(plain not in r.getMessage() for r in server)


def test_anonymous_reads_only_from_loopback_when_configured(read_db):
    viewer = token(read_db, "viewer")
    options = {"allow_anonymous_read": False}
    assert client(read_db, **options).get("/api/observations").status_code == 200  # 127.0.0.1
    remote = client(read_db, remote=True, **options)
    assert remote.get("/api/observations").status_code == 401
    assert remote.get("/api/observations", headers=auth("orbat_guess")).status_code == 401
    assert remote.get("/api/observations", headers=auth(viewer)).status_code == 200
    assert client(read_db, remote=True).get("/api/observations").status_code == 200  # allowed by the app's owner


def test_cross_site_form_post_with_a_cookie_is_refused(copy_db):
    """Cookies never authenticate: a form another site submits carries no bearer header."""
    token(copy_db, "analyst")
    c = client(copy_db)
    c.cookies.set("session", "anything")
    claim = c.get("/api/claims", params={"limit": 1}).json()["claims"][0]["id"]
    attempts = [c.post("/api/documents", data={"text": "x"}, headers={"Origin": "https://evil.example"}),
                c.post(f"/api/claims/{claim}/reviews", content='{"action": "reject"}',
                       headers={"Content-Type": "text/plain", "Origin": "https://evil.example"}),
                c.post(f"/api/claims/{claim}/reviews", content="{not json",
                       headers={"Content-Type": "application/json"})]
    assert [a.status_code for a in attempts] == [401, 401, 401]
    assert c.get(f"/api/claims/{claim}").json()["reviews"] == []


def test_serve_refuses_all_interfaces_without_a_token(tmp_path):
    db = str(tmp_path / "orbat.db")
    open_store(db).close()
    result = CliRunner().invoke(main, ["serve", "--db", db, "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "refusing to listen on 0.0.0.0" in result.stderr and "--insecure" in result.stderr


@pytest.mark.parametrize(("args", "anonymous"), [(["--host", "0.0.0.0"], False), ([], True),
                                                 (["--host", "0.0.0.0", "--insecure"], True)])
def test_serve_starts_uvicorn_with_the_right_rules(tmp_path, monkeypatch, args, anonymous):
    import uvicorn

    db = str(tmp_path / "orbat.db")
    token(db, "analyst")
    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(app=app, **kw))
    result = CliRunner().invoke(main, ["serve", "--db", db, "--port", "8123", *args])
    assert result.exit_code == 0, result.output
    assert started["port"] == 8123 and started["access_log"] is False
    assert started["host"] == (args[1] if args else "127.0.0.1")
    assert started["app"].state.allow_anonymous_read is anonymous
    started["app"].state.store.close()


def test_expired_token_is_refused_like_an_unknown_one(copy_db):
    from orbat.tokens import create_token

    with open_store(copy_db) as store:
        expired, _ = create_token(store, "analyst", "brief visit", expires_in_days=1e-9)
        current, _ = create_token(store, "analyst", "month", expires_in_days=30)
    c = client(copy_db, remote=True, allow_anonymous_read=False)
    assert c.get("/api/routes", headers=auth(expired)).status_code == 401
    assert c.post("/api/documents", json=TEXT, headers=auth(expired)).status_code == 401
    assert c.get("/api/routes", headers=auth(current)).status_code == 200


def test_token_create_with_an_expiry(tmp_path):
    db = str(tmp_path / "orbat.db")
    result = CliRunner().invoke(main, ["token", "create", "--role", "viewer", "--expires-in", "7", "--db", db])
    assert result.exit_code == 0, result.output
    (row,) = _stored_tokens(db)
    assert row.role == "viewer" and row.expires > row.created
