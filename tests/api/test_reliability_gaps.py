"""RELIABILITY rows the other API tests leave partly open: byte ranges on static files (row 39),
`../` in the ids of API paths (row 35) and constant-time token checks (row 32).

Everything goes through the real app (`create_app`) over the examples database.
"""

from __future__ import annotations

import hmac
import sqlite3

import pytest
from api_factory import auth, client, token

BUNDLE = b"/* a map bundle: 0123456789abcdefghijklmnopqrstuvwxyz */\n" * 64


@pytest.fixture
def vendor(tmp_path, monkeypatch):
    """A vendor folder with a file large enough to be asked for in pieces, as map data is."""
    folder = tmp_path / "vendor" / "world-atlas"
    folder.mkdir(parents=True)
    (folder / "countries-50m.json").write_bytes(BUNDLE)
    (tmp_path / "secret.txt").write_text("do not serve")
    monkeypatch.setenv("ORBAT_VENDOR_DIR", str(tmp_path / "vendor"))
    return "/vendor/world-atlas/countries-50m.json"


def test_row39_a_valid_range_is_206_with_exactly_those_bytes(read_db, vendor):
    answer = client(read_db).get(vendor, headers={"Range": "bytes=10-99"})
    assert answer.status_code == 206
    assert answer.content == BUNDLE[10:100]
    assert answer.headers["Content-Range"] == f"bytes 10-99/{len(BUNDLE)}"
    tail = client(read_db).get(vendor, headers={"Range": "bytes=-16"})
    assert tail.status_code == 206 and tail.content == BUNDLE[-16:]


@pytest.mark.parametrize("ranges", [f"bytes={len(BUNDLE)}-{len(BUNDLE) + 10}", f"bytes={len(BUNDLE) + 500}-"])
def test_row39_an_unsatisfiable_range_is_416(read_db, vendor, ranges):
    answer = client(read_db).get(vendor, headers={"Range": ranges})
    assert answer.status_code == 416
    assert BUNDLE[:20] not in answer.content


def test_row39_without_a_range_the_whole_file_comes_back(read_db, vendor):
    answer = client(read_db).get(vendor)
    assert answer.status_code == 200 and answer.content == BUNDLE


@pytest.mark.parametrize(
    "path",
    [
        "/api/documents/..%2F..%2Fsecret.txt",
        "/api/documents/%2e%2e",
        "/api/observations/..%2f..%2fsecret.txt",
        "/api/claims/..%5c..%5csecret.txt",
        "/api/entities/place/..%2F..%2Fsecret.txt",
    ],
)
def test_row35_dot_dot_in_an_api_id_is_404_and_reads_no_file(read_db, vendor, path):
    answer = client(read_db).get(path)
    assert answer.status_code == 404
    assert "do not serve" not in answer.text


def test_row32_a_presented_token_is_compared_with_every_stored_hash_in_constant_time(copy_db, monkeypatch):
    """No early exit and no lookup by hash: the time an answer takes says nothing about which
    stored token (if any) came closest."""
    with sqlite3.connect(copy_db) as db:  # the shared examples database may already hold tokens
        earlier = db.execute("SELECT count(*) FROM tokens").fetchone()[0]
    stored = [token(copy_db, "analyst") for _ in range(3)]
    every = earlier + len(stored)
    compared: list[tuple[int, int]] = []
    real = hmac.compare_digest

    def counting(a, b):
        compared.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", counting)
    c = client(copy_db)
    wrong = stored[0][:-4] + "AAAA"
    assert c.post("/api/documents", json={"text": "x"}, headers=auth(wrong)).status_code == 401
    assert len(compared) == every and len({n for pair in compared for n in pair}) == 1  # equal-length hashes
    compared.clear()
    answer = c.post("/api/documents", json={"text": "Five BMP-3 were seen in Gao."}, headers=auth(stored[0]))
    assert answer.status_code == 201
    assert len(compared) == every  # the matching token is first, yet the others are still compared
