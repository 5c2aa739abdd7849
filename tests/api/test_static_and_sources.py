"""Static files (row 35: `../` is 404), hostile source text as JSON strings (row 13), URL ingest."""

from __future__ import annotations

import pytest
from api_factory import auth, client, token

HOSTILE = ("Russia delivered seven T-72B3 tanks to Bamako <script>alert(1)</script> on 17 January 2025, "
           "according to <img src=x onerror=alert(2)> the broadcast.")


@pytest.fixture
def page(tmp_path, monkeypatch):
    """A page folder and a vendor folder, with a secret file beside them that must stay unreachable."""
    static, vendor = tmp_path / "static", tmp_path / "vendor"
    (vendor / "leaflet" / "dist").mkdir(parents=True)
    static.mkdir()
    (static / "index.html").write_text("<!doctype html><title>orbat</title>")
    (vendor / "leaflet" / "dist" / "leaflet.js").write_text("/* leaflet */")
    (tmp_path / "secret.txt").write_text("do not serve")
    monkeypatch.setenv("ORBAT_VENDOR_DIR", str(vendor))
    return static


def test_page_and_vendor_files_are_served(read_db, page):
    c = client(read_db, static_dir=page)
    assert c.get("/").status_code == 200 and "<title>orbat</title>" in c.get("/").text
    assert c.get("/vendor/leaflet/dist/leaflet.js").text == "/* leaflet */"


@pytest.mark.parametrize("path", ["/%2e%2e/secret.txt", "/vendor/%2e%2e/secret.txt", "/vendor/..%2fsecret.txt",
                                  "/vendor/leaflet/..%2f..%2fsecret.txt", "/..%2fsecret.txt",
                                  "/vendor/%2e%2e%2f%2e%2e%2fpyproject.toml", "/static/../../secret.txt"])
def test_path_traversal_is_404(read_db, page, path):
    answer = client(read_db, static_dir=page).get(path)
    assert answer.status_code == 404
    assert "do not serve" not in answer.text


def test_missing_folders_are_404_not_500(read_db, tmp_path, monkeypatch):
    monkeypatch.setenv("ORBAT_VENDOR_DIR", str(tmp_path / "no-node-modules"))
    c = client(read_db, static_dir=tmp_path / "no-page")
    assert c.get("/").status_code == 404 and c.get("/vendor/leaflet/dist/leaflet.js").status_code == 404
    assert c.get("/api/routes").status_code == 200


def test_default_vendor_folder_is_the_repository_node_modules(monkeypatch):
    from orbat.serve.app import vendor_dir

    monkeypatch.delenv("ORBAT_VENDOR_DIR", raising=False)
    assert vendor_dir().name == "node_modules" and (vendor_dir().parent / "pyproject.toml").exists()


def test_hostile_source_text_comes_back_as_plain_json_strings(copy_db):
    plain = token(copy_db, "analyst")
    c = client(copy_db)
    posted = c.post("/api/documents", json={"text": HOSTILE, "title": "<img src=x onerror=alert(3)>",
                                            "published": "2025-01-20"}, headers=auth(plain))
    assert posted.status_code == 201, posted.text
    document = c.get(f"/api/documents/{posted.json()['document_id']}")
    assert document.headers["content-type"] == "application/json"
    assert "<script>alert(1)</script>" in document.json()["text"]
    assert document.json()["title"] == "<img src=x onerror=alert(3)>"
    claims = c.get("/api/claims", params={"q": "onerror"})
    assert claims.headers["content-type"] == "application/json"
    assert any("<img src=x onerror=alert(2)>" in x["sentence"] for x in claims.json()["claims"])
    again = c.post("/api/documents", json={"text": HOSTILE, "published": "2025-01-20"}, headers=auth(plain))
    assert again.status_code == 200 and again.json()["status"] == "duplicate"


@pytest.mark.parametrize("body", [{"url": "http://127.0.0.1:9/report"}, {"url": "http://10.0.0.8/x"},
                                  {"url": "http://[::1]/x"}])
def test_url_to_a_private_address_is_refused(copy_db, body):
    plain = token(copy_db, "analyst")
    answer = client(copy_db).post("/api/documents", json=body, headers=auth(plain))
    assert answer.status_code == 422
    assert "private" in answer.text.lower() or "loopback" in answer.text.lower()


@pytest.mark.parametrize("body", [{"url": "/etc/passwd"}, {"url": "file:///etc/passwd"}, {}, {"text": "  "}])
def test_only_text_or_web_addresses_are_ingested(copy_db, body):
    plain = token(copy_db, "analyst")
    answer = client(copy_db).post("/api/documents", json=body, headers=auth(plain))
    assert answer.status_code == 422
    assert "root:" not in answer.text
