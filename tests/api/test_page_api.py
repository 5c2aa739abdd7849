"""What the web page relies on from the API: refusals with allowed values, timeline items, one
limit policy, every filter on every list route, country points, compression and caching."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from api_factory import client

LIST_ROUTES = ["/api/observations", "/api/timeline", "/api/routes", "/api/map.geojson"]


@pytest.mark.parametrize(
    ("params", "allowed"),
    [
        ({"certainty": "bogus"}, "speculative"),
        ({"class": "bogus"}, "main battle tank"),
        ({"event": "bogus"}, "delivery"),
        ({"country": "Narnia"}, "ML"),
    ],
)
@pytest.mark.parametrize("path", LIST_ROUTES)
def test_unknown_filter_values_are_422_with_the_allowed_values(read_db, path, params, allowed):
    answer = client(read_db).get(path, params=params)
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert list(params.values())[0] in detail["message"] and allowed in detail["allowed"]


@pytest.mark.parametrize("path", LIST_ROUTES)
def test_since_after_until_is_422(read_db, path):
    answer = client(read_db).get(path, params={"since": "2025-03", "until": "2024"})
    assert answer.status_code == 422 and "after" in answer.json()["detail"]["message"]


def test_timeline_items_carry_what_a_timeline_draws(read_db):
    c = client(read_db)
    data = c.get("/api/timeline", params={"country": "ML"}).json()
    assert data["items"] and data["total"] >= len(data["items"])
    observations = {o["id"]: o for o in c.get("/api/observations", params={"country": "ML"}).json()["observations"]}
    for item in data["items"]:
        assert set(item) >= {"id", "label", "start", "end", "precision", "certainty", "group"}
        source = observations[item["id"]]
        assert item["start"] == source["first_seen"] and item["group"] == "ML"
        assert item["precision"] == {4: "year", 7: "month", 10: "day"}[len(item["start"])]
        assert (source["equipment"] or source["event_group"]) in item["label"] and item["end"] >= item["start"]


@pytest.mark.parametrize("path", LIST_ROUTES)
def test_one_limit_policy_pages_through_total(read_db, path):
    c = client(read_db)
    key = {
        "/api/observations": "observations",
        "/api/timeline": "items",
        "/api/routes": "routes",
        "/api/map.geojson": "features",
    }[path]
    whole = c.get(path).json()
    assert whole["limit"] == 500 and whole["offset"] == 0 and whole["total"] >= 2
    first, second = (c.get(path, params={"limit": 1, "offset": n}).json() for n in (0, 1))
    assert first["total"] == second["total"] == whole["total"]
    assert len(first[key]) == 1 and first[key][0] != second[key][0]
    assert c.get(path, params={"limit": 5001}).status_code == 422


def test_routes_honour_every_filter_including_since(read_db):
    c = client(read_db)
    every = c.get("/api/routes").json()
    assert every["routes"]
    dates = sorted(r["last_seen"] for r in every["routes"] if r["last_seen"])
    later = c.get("/api/routes", params={"since": dates[-1]}).json()["routes"]
    assert 0 < len(later) < len(every["routes"]) and all(r["last_seen"] >= dates[-1] for r in later)
    system = every["routes"][0]["equipment"]
    names = {r["equipment"] for r in c.get("/api/routes", params={"equipment": system}).json()["routes"]}
    # a system filter also finds its variants (Hürkuş finds Hürkuş-C), never anything else
    assert system in names and all(n.casefold().startswith(system.casefold()) for n in names)
    assert names < {r["equipment"] for r in every["routes"]}


def test_routes_have_a_point_for_each_stop(read_db):
    for route in client(read_db).get("/api/routes").json()["routes"]:
        assert route["destination_point"] and -90 <= route["destination_point"][0] <= 90
        assert [s["name"] for s in route["stops"]] == route["origins"][:1] + route["transit"]


def test_country_level_observations_sit_at_the_countrys_representative_point(copy_db, tmp_path):
    from tests.own_reports import COUNTRY_ONLY

    from orbat.brief.places import country_point
    from orbat.ingest import ingest
    from orbat.settings import Settings
    from orbat.store import open_store

    report = tmp_path / "mali-c295.md"  # the text places the sighting only at the country
    report.write_text(COUNTRY_ONLY, encoding="utf-8")
    with open_store(copy_db) as store:
        ingest([str(report)], store, Settings())
    rows = client(copy_db).get("/api/observations", params={"limit": 5000}).json()["observations"]
    vague = [o for o in rows if o["located"] == "country"]
    assert any(o["equipment"] == "Airbus C295" and o["country"] == "ML" for o in vague), vague
    for row in vague:
        assert [row["country_lat"], row["country_lon"]] == list(country_point(row["country"]))
    lat, lon = country_point("RU")
    # European Russia or Siberia, not the middle of the outline's box (which crosses 180°)
    assert 50 < lat < 70 and 30 < lon < 110


def test_actor_alias_finds_the_successors_observations(read_db):
    c = client(read_db)
    successor = c.get("/api/observations", params={"actor": "Africa Corps"}).json()["total"]
    assert successor > 0
    assert c.get("/api/observations", params={"actor": "Wagner"}).json()["total"] >= successor


def test_class_noun_finds_the_class(read_db):
    c = client(read_db)
    tanks = c.get("/api/observations", params={"class": "tank"}).json()
    assert tanks["total"] > 0 and {o["equipment_class"] for o in tanks["observations"]} == {"main battle tank"}
    assert c.get("/api/observations", params={"class": "main-battle-tank"}).json()["total"] == tanks["total"]


def test_openapi_parameters_are_described(read_db):
    schema = client(read_db).get("/openapi.json").json()
    paths = schema["paths"]
    assert set(LIST_ROUTES) | {"/api/posture/{country}", "/api/review-queue", "/api/export/{fmt}"} <= set(paths)
    for path, methods in paths.items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), f"{method} {path} {parameter['name']} has no description"
    for model in ("NewDocument", "NewReview"):
        for name, field in schema["components"]["schemas"][model]["properties"].items():
            assert field.get("description"), f"{model}.{name} has no description"


def test_page_files_are_compressed_and_cached(read_db):
    c = client(read_db)
    page = c.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["cache-control"] == "no-cache" and page.headers["content-encoding"] == "gzip"
    hashed = re.findall(r'(?:src|href|content)="(/(?:static|vendor)/[0-9a-f]{12}/[^"]+)"', page.text)
    assert "/vendor/" in " ".join(hashed) and any(h.endswith("/app.js") for h in hashed)
    assert any(h.endswith("/world-atlas/countries-50m.json") for h in hashed)  # the outlines too
    for address in hashed:
        answer = c.get(address, headers={"Accept-Encoding": "gzip"})
        assert answer.status_code == 200 and answer.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert answer.headers["content-encoding"] == "gzip"
    vendor = next(h for h in hashed if h.endswith("/leaflet.js"))
    raw = c.get(vendor, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers and len(gzip.compress(raw.content)) < len(raw.content) / 2
    brotli_answer = c.get(vendor, headers={"Accept-Encoding": "gzip, br"})
    assert brotli_answer.headers["content-encoding"] == "br"
    assert brotli_answer.content == raw.content  # httpx decoded the brotli body
    assert c.get(vendor, headers={"If-None-Match": raw.headers["etag"]}).status_code == 304
    # the unhashed addresses still work for other clients, revalidated rather than kept
    assert c.get("/app.js").headers["cache-control"] == "no-cache"
    assert c.get("/vendor/leaflet/dist/leaflet.js").headers["cache-control"] == "no-cache"
    stale = vendor.replace(vendor.split("/")[2], "0" * 12)
    assert c.get(stale).headers["cache-control"] == "no-cache"  # an outdated hash is never kept
    assert "cache-control" not in c.get("/api/observations").headers



def _first_page(html: str) -> dict | None:
    found = re.search(r'<script type="application/json" id="orbat-first-page">(.*?)</script>', html, re.S)
    return json.loads(found.group(1)) if found else None


def test_the_page_carries_the_first_page_of_observations_for_its_filters(read_db):
    c = client(read_db)
    page = c.get("/", params={"country": "ML", "q": " </script><b>x "})
    sent = _first_page(page.text)
    # the filters in the address, trimmed, in the page's order, with its page size
    assert sent["params"] == [["country", "ML"], ["q", "</script><b>x"], ["limit", "500"], ["offset", "0"]]
    assert page.text.count("</script>") == page.text.count("<script")  # the value cannot close the block
    assert sent["answer"] == c.get("/api/observations", params=dict(sent["params"])).json()
    mali = _first_page(c.get("/?country=ML").text)["answer"]
    assert mali == c.get("/api/observations?country=ML&limit=500&offset=0").json() and mali["total"] > 0
    assert "orbat-first-page" not in c.get("/?certainty=bogus").text  # the page asks, and shows the 422
    # a reader who needs a token gets the page without data; its own request carries the token
    guarded = client(read_db, remote=True, allow_anonymous_read=False).get("/")
    assert guarded.status_code == 200 and "app.js" in guarded.text and "orbat-first-page" not in guarded.text


def test_the_page_loads_without_its_first_page_when_the_query_fails(read_db, monkeypatch):
    from orbat.serve import routes

    def broken(*_args, **_kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(routes, "list_observations", broken)
    page = client(read_db).get("/")
    assert page.status_code == 200 and "app.js" in page.text and "orbat-first-page" not in page.text


def saved_sightings(db: str, sightings: list[tuple[str, str, str | None]]) -> None:
    """One short document per (system, town, date or None) in Mali; no publication date, so a
    sighting without its own date gives an undated observation."""
    import hashlib

    from orbat.model import (
        Claim,
        ClaimEquipment,
        CleanDocument,
        Entity,
        ExtractionRecord,
        Quantity,
        SourceDocument,
        Span,
    )
    from orbat.store import open_store

    with open_store(db) as store:
        for n, (system, town, day) in enumerate(sightings):
            text = f"Three {system} were seen in {town} (report {n})."
            raw = text.encode()
            doc = CleanDocument("sha256:" + hashlib.sha256(raw).hexdigest(), text,
                                SourceDocument(raw, "text/plain", f"test:{n}", publisher=f"Outlet {n}"))
            found = [Entity("e1", "equipment", system, catalog_id=system.lower()),
                     Entity("e2", "place", town, country="ML", lat=12.0 + n / 10, lon=-8.0, feature="city")]
            claim = Claim("deployment", Span(0, len(text), text), [ClaimEquipment("e1", Quantity(3, 3))],
                          place="e2", date=day)
            store.save(ExtractionRecord(doc, found, [], [claim], [], "orbat test", "test"))


def test_pages_of_the_list_and_the_map_follow_one_order_across_dated_and_undated(tmp_path):
    """Pages are read dated-first in index order, then undated by id: every page, wherever it
    falls (across the boundary too), must be the matching slice of the one whole list."""
    db = str(tmp_path / "pages.db")
    systems = ["T-72B3", "BMP-3", "BTR-80A", "T-90M", "Spartak", "Mi-24", "Su-25"]
    saved_sightings(db, [(system, f"Town {n}", f"2025-0{1 + n % 3}-1{n % 2}" if n % 3 else None)
                         for n, system in enumerate(systems)])
    c = client(db)
    whole = c.get("/api/observations", params={"limit": 5000}).json()["observations"]
    dated = [o for o in whole if o["first_seen"]]
    undated = [o for o in whole if not o["first_seen"]]
    assert len(dated) == 4 and len(undated) == 3
    assert whole == dated + undated
    assert [(o["first_seen"], o["id"]) for o in dated] == sorted((o["first_seen"], o["id"]) for o in dated)
    assert [o["id"] for o in undated] == sorted(o["id"] for o in undated)
    ids = [o["id"] for o in whole]
    for limit in (1, 3, 7):
        for offset in range(len(whole) + 1):
            page = c.get("/api/observations", params={"limit": limit, "offset": offset}).json()
            assert [o["id"] for o in page["observations"]] == ids[offset:offset + limit], (limit, offset)
            assert page["total"] == len(whole)
            geo = c.get("/api/map.geojson", params={"limit": limit, "offset": offset, "country": "ML"}).json()
            assert [f["id"] for f in geo["features"]] == ids[offset:offset + limit], (limit, offset)
