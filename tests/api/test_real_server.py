"""The app under uvicorn on a loopback port: raw HTTP, so nothing normalizes `../` on the way."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from api_factory import token


@pytest.fixture
def server(copy_db: str, tmp_path) -> Iterator[tuple[int, str]]:
    import uvicorn

    from orbat.serve.app import create_app

    static = tmp_path / "static"
    static.mkdir()
    (static / "index.html").write_text("<!doctype html><title>orbat</title>")
    (tmp_path / "secret.txt").write_text("do not serve")
    app = create_app(copy_db, static_dir=static, allow_anonymous_read=False)
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield running.servers[0].sockets[0].getsockname()[1], copy_db
    running.should_exit = True
    thread.join(timeout=10)


def _raw(port: int, request: str) -> tuple[int, dict[str, str], str]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request.encode())
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.decode("utf-8", "replace").partition("\r\n\r\n")
    lines = head.split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


def _get(port: int, path: str, extra: str = "") -> tuple[int, dict[str, str], str]:
    return _raw(port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}Connection: close\r\n\r\n")


@pytest.mark.parametrize("path", ["/../secret.txt", "/static/../../secret.txt", "/%2e%2e/secret.txt",
                                  "/..%2fsecret.txt", "/vendor/../../../../etc/passwd", "/..\\secret.txt"])
def test_traversal_over_real_http_is_404(server, path):
    status, headers, body = _get(server[0], path)
    assert status in (400, 404)
    assert "do not serve" not in body and "root:" not in body


def test_loopback_client_reads_without_token_and_writes_need_one(server):
    port, db = server
    status, headers, body = _get(port, "/api/observations?country=ML&equipment=T-72B3")
    assert status == 200 and headers["content-type"] == "application/json"
    assert headers["x-content-type-options"] == "nosniff" and "frame-ancestors 'none'" in headers[
        "content-security-policy"]
    assert any(o["place"] == "Bamako" for o in json.loads(body)["observations"])
    form = "text=x"
    status, _, _ = _raw(port, "POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: session=1\r\n"
                              "Content-Type: application/x-www-form-urlencoded\r\n"
                              f"Content-Length: {len(form)}\r\nConnection: close\r\n\r\n{form}")
    assert status == 401
    plain = token(db, "analyst")
    body = json.dumps({"text": "Russia delivered seven T-72B3 tanks to Bamako on 17 January 2025."})
    status, _, answer = _raw(port, f"POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   f"Authorization: Bearer {plain}\r\nContent-Type: application/json\r\n"
                                   f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}")
    assert status in (200, 201), answer


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.nip.io", "192.168.1.20", "[::2]"])
def test_dns_rebinding_host_is_answered_421(server, host):
    """A page on evil.example rebinds its name to 127.0.0.1: its requests still say `Host: evil.example`."""
    status, _, body = _raw(server[0], f"GET /api/observations HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
    assert status == 421
    assert "Bamako" not in body
    status, _, _ = _raw(server[0], f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
    assert status == 421


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_loopback_host_names_read_without_token(server, host):
    port = server[0]
    status, _, body = _raw(port, f"GET /api/observations?country=ML HTTP/1.1\r\nHost: {host}:{port}\r\n"
                                 "Connection: close\r\n\r\n")
    assert status == 200 and "Bamako" in body


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://localhost:1"])
def test_row34_cross_site_read_without_token_is_refused(server, origin):
    """A foreign page's fetch() carries its Origin: no token, no data, even from loopback."""
    port, db = server
    request = (f"GET /api/observations HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {origin}\r\n"
               "Connection: close\r\n\r\n")
    status, _, body = _raw(port, request)
    assert status == 401 and "Bamako" not in body
    viewer = token(db, "viewer")
    status, _, body = _raw(port, request.replace("Connection:", f"Authorization: Bearer {viewer}\r\nConnection:"))
    assert status == 200


def test_row34_same_origin_page_reads_without_token(server):
    port = server[0]
    status, _, body = _raw(port, f"GET /api/observations?country=ML HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                                 f"Origin: http://127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
    assert status == 200 and "Bamako" in body


def test_request_without_host_is_refused(server):
    status, _, _ = _raw(server[0], "GET /api/observations HTTP/1.0\r\n\r\n")
    assert status == 421


def test_serve_allow_host_adds_a_name(copy_db):
    from fastapi.testclient import TestClient

    from orbat.serve.app import create_app

    app = create_app(copy_db, hosts=("0.0.0.0", "orbat.lan"))
    c = TestClient(app, base_url="http://orbat.lan:8000", client=("127.0.0.1", 4000))
    assert c.get("/api/routes").status_code == 200
    assert TestClient(app, base_url="http://other.lan").get("/api/routes").status_code == 421
    app.state.store.close()


def test_review_with_nan_or_markup_is_a_422_that_echoes_nothing(server):
    """Fuzzing (bench/fuzz.py reviews): `{"comment": NaN}` made the 422 body unencodable, a 500."""
    port, db = server
    plain = token(db, "analyst")
    claim = json.loads(_get(port, "/api/claims?limit=1")[2])["claims"][0]["id"]
    for body in ('{"action": "accept", "comment": NaN}', '{"action": ["<script>x</script>"]}',
                 '{"action": "correct", "fields": {"quantity_min": Infinity}, "comment": 1e999}'):
        status, headers, answer = _raw(port, f"POST /api/claims/{claim}/reviews HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                             f"Authorization: Bearer {plain}\r\nContent-Type: application/json\r\n"
                                             f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}")
        assert status in (400, 422), answer
        assert "<script>" not in answer and "NaN" not in answer
    assert json.loads(_get(port, f"/api/claims/{claim}")[2])["reviews"] == []
