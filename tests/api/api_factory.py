"""Helpers for API tests: a database holding the example reports, clients, tokens."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from orbat.ingest import ingest
from orbat.settings import Settings
from orbat.store import open_store
from orbat.tokens import create_token

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LOCAL = ("127.0.0.1", 40000)
REMOTE = ("203.0.113.9", 40000)  # TEST-NET-3: never loopback


def ingest_examples(db: str) -> None:
    """The bundled example reports through the real pipeline (acquire, extract, store)."""
    with open_store(db) as store:
        summary = ingest([str(EXAMPLES)], store, Settings())
    assert summary.failed == 0 and summary.new >= 20


def token(db: str, role: str, label: str | None = None) -> str:
    with open_store(db) as store:
        return create_token(store, role, label)[0]


def client(db: str, *, remote: bool = False, **options) -> TestClient:
    from orbat.serve.app import create_app

    # base_url: the Host header a browser sends to a loopback server (TestClient says "testserver")
    return TestClient(create_app(db, **options), client=REMOTE if remote else LOCAL, base_url="http://127.0.0.1")


def auth(plain: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plain}"}
