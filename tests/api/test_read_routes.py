"""Every read route over the example reports, on SQLite and PostgreSQL (RELIABILITY row 13)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from api_factory import auth, client, token

OBSERVATION_KEYS = {"id", "equipment", "equipment_class", "family", "event_group", "country", "place", "lat",
                    "lon", "first_seen", "last_seen", "quantity_min", "quantity_max", "headline", "sources",
                    "certainty", "certainty_rule", "operators", "origins"}
CLAIM_KEYS = {"id", "event", "certainty", "sentence", "sentence_start", "sentence_end", "document_id", "title",
              "publisher", "url", "published", "attributed_to", "reviews", "status"}
DOC = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")


def _mali_tanks(c) -> list[dict]:
    answer = c.get("/api/observations", params={"country": "ML", "equipment": "T-72B3"})
    assert answer.status_code == 200
    return answer.json()["observations"]


def test_every_read_route_on_both_backends(examples_db):
    c = client(examples_db)
    tanks = _mali_tanks(c)
    assert tanks and set(tanks[0]) >= OBSERVATION_KEYS
    detail = c.get(f"/api/observations/{tanks[0]['id']}").json()
    assert detail["claims"] and set(detail["claims"][0]) >= CLAIM_KEYS
    first = detail["claims"][0]
    assert c.get(f"/api/claims/{first['id']}").json()["sentence"] == first["sentence"]
    document = c.get(f"/api/documents/{first['document_id']}").json()
    assert set(document) == {"id", "title", "url", "publisher", "published", "language", "text"}
    assert document["text"][first["sentence_start"]:first["sentence_end"]] == first["sentence"]
    claims = c.get("/api/claims", params={"country": "ML"}).json()
    assert claims["total"] >= len(claims["claims"]) > 0
    assert "T-72B3" in {row["equipment"] for row in c.get("/api/posture/ML").json()["posture"]}
    assert c.get("/api/timeline", params={"country": "ML"}).json()["items"]
    assert c.get("/api/routes").json()["routes"]
    assert c.get("/api/map.geojson").json()["features"]
    assert c.get("/api/entities/equipment/t-72b3").json()["name"] == "T-72B3"


def test_country_filter_shows_t72b3_in_bamako(read_db):
    tanks = _mali_tanks(client(read_db))
    assert any(o["place"] == "Bamako" and o["country"] == "ML" and o["event_group"] == "presence" for o in tanks)
    assert all(o["equipment"] == "T-72B3" for o in tanks)


@pytest.mark.parametrize("params", [{"place": "bamako"}, {"actor": "africa corps"}, {"class": "main battle tank"},
                                    {"event": "delivery"}, {"certainty": "confirmed"}, {"since": "2025-01"},
                                    {"until": "2025"}, {"q": "T-72"}])
def test_each_filter_narrows_and_counts(read_db, params):
    c = client(read_db)
    everything = c.get("/api/observations").json()["total"]
    found = c.get("/api/observations", params=params).json()
    assert 0 < found["total"] < everything
    assert len(found["observations"]) == found["total"]
    assert c.get("/api/observations", params={**params, "limit": 1}).json()["total"] == found["total"]
    assert len(c.get("/api/observations", params={**params, "limit": 1}).json()["observations"]) == 1
    assert c.get("/api/claims", params=params).json()["total"] > 0


def test_filters_combine(read_db):
    c = client(read_db)
    found = c.get("/api/observations", params={"country": "ML", "place": "Bamako", "class": "main battle tank"})
    assert {o["place"] for o in found.json()["observations"]} == {"Bamako"}
    assert {o["country"] for o in c.get("/api/map.geojson", params={"country": "ML"}).json()["features"]
            for o in [o["properties"]]} == {"ML"}


def test_map_is_rfc7946(read_db):
    answer = client(read_db).get("/api/map.geojson")
    assert answer.headers["content-type"].startswith("application/geo+json")
    data = answer.json()
    assert data["type"] == "FeatureCollection"
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
        where = "" if feature["properties"]["located"] == "place" else "country_"
        assert (feature["properties"][where + "lon"], feature["properties"][where + "lat"]) == (lon, lat)


@pytest.mark.parametrize(("kind", "ref", "expect"), [("equipment", "T-72B3", "Bamako"),
                                                     ("actor", "africa-corps", "T-72B3"),
                                                     ("place", "Bamako", "T-72B3")])
def test_entities(read_db, kind, ref, expect):
    data = client(read_db).get(f"/api/entities/{kind}/{ref}").json()
    assert data["observations"]
    if kind == "equipment":
        assert expect in {p["place"] for p in data["places"]}
    else:
        assert expect in data["equipment"]


@pytest.mark.parametrize("path", ["/api/observations/obs-nope", "/api/claims/claim:nope", "/api/documents/sha256:00",
                                  "/api/entities/weapon/x", "/api/entities/equipment/no-such-system"])
def test_unknown_ids_are_404(read_db, path):
    answer = client(read_db).get(path)
    assert answer.status_code == 404 and answer.json()["detail"]


@pytest.mark.parametrize("params", [{"country": "Narnia"}, {"since": "last week"}, {"limit": 0}])
def test_bad_input_is_a_client_error(read_db, params):
    assert client(read_db).get("/api/observations", params=params).status_code in (400, 422)


def test_empty_database_answers_empty_lists(tmp_path):
    c = client(str(tmp_path / "empty.db"))
    assert c.get("/api/observations").json() == {"observations": [], "total": 0, "limit": 500, "offset": 0}
    assert c.get("/api/timeline").json()["items"] == []
    assert c.get("/api/routes").json()["routes"] == []
    assert c.get("/api/posture/ML").json()["posture"] == []


def test_docs_are_local_and_list_every_route(read_db):
    c = client(read_db)
    page = c.get("/docs")
    assert page.status_code == 200 and "/openapi.json" in page.text
    assert not re.search(r"(src|href)=['\"]?(https?:)?//", page.text)  # nothing loaded from elsewhere
    paths = c.get("/openapi.json").json()["paths"]
    for path in ("/api/observations", "/api/observations/{observation_id}", "/api/claims", "/api/claims/{claim_id}",
                 "/api/documents/{document_id}", "/api/posture/{country}", "/api/timeline", "/api/routes",
                 "/api/map.geojson", "/api/entities/{kind}/{ref}", "/api/documents", "/api/claims/{claim_id}/reviews"):
        assert path in paths
    for path, methods in paths.items():
        for method in methods:
            documented = re.sub(r"\{[^}]+\}", "{}", f"{method.upper()} {path}")
            assert documented in re.sub(r"\{[^}]+\}", "{}", DOC), f"{documented} is not in docs/cli.md"


def test_security_headers_on_every_response(read_db, tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title>")
    c = client(read_db, static_dir=tmp_path)
    plain = token(read_db, "viewer")
    for answer in (c.get("/api/observations"), c.get("/docs"), c.get("/"), c.get("/api/claims/x"),
                   c.get("/missing.js"), c.post("/api/documents", json={}), c.get("/api/routes", headers=auth(plain))):
        assert answer.headers["content-security-policy"] == (
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; "
            "frame-ancestors 'none'")
        assert answer.headers["x-content-type-options"] == "nosniff"


def test_stored_list_shape_is_the_shape_of_the_whole_observation(read_db):
    """The lists and the map send JSON stored when the index merged (observation_views); it must
    say exactly what the observation's own route, built from the whole record now, says."""
    c = client(read_db)
    listed = c.get("/api/observations", params={"country": "ML"}).json()["observations"]
    features = {f["id"]: f for f in c.get("/api/map.geojson", params={"country": "ML"}).json()["features"]}
    assert listed
    for row in listed:
        whole = c.get(f"/api/observations/{row['id']}").json()
        whole.pop("claims")
        assert row == whole
        at = [row["lon"], row["lat"]] if row["located"] == "place" else [row["country_lon"], row["country_lat"]]
        assert features[row["id"]]["geometry"]["coordinates"] == at
        assert features[row["id"]]["properties"] == row


def test_an_index_from_before_the_stored_shapes_gains_them_without_merging(copy_db):
    """A database indexed by an older orbat (no stored list shapes) answers the same lists once
    refreshed: the shapes are written from the stored records, and nothing is merged again."""
    from sqlalchemy import delete, func, select, update

    from orbat.observation_index import VIEWS_VERSION, index_state, observation_views, refresh
    from orbat.store import open_store

    before = client(copy_db).get("/api/observations").json()
    store = open_store(copy_db)
    try:
        with store.engine.begin() as conn:
            conn.execute(delete(observation_views))
            mark = conn.execute(select(index_state.c.value).where(index_state.c.key == "runs")).scalar_one()
            older = mark.replace(f"|views{VIEWS_VERSION}|", "|")
            conn.execute(update(index_state).where(index_state.c.key == "runs").values(value=older))
        report = refresh(store.engine)
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(observation_views)).scalar_one() == before["total"]
    finally:
        store.close()
    assert report.partitions == 0  # nothing merged again
    assert client(copy_db).get("/api/observations").json() == before
