"""One fact, one pin: a sighting placed only at its country sits at the same point in `orbat
extract`'s record, the exports, the API and a brief (docs/cli.md, "Where an area is pinned").

An analyst who compares `orbat extract` with the map must not see two pins for one fact; and the
point a country gets is chosen where the place index is built, so moving it there moves it in
every layer. The report is a short text written for the test about Iran's 2022 drone deliveries.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from api_factory import client
from click.testing import CliRunner

from orbat.cli import main

REPORT = """---
title: "Iranian drones for Russia"
publisher: "Test Desk"
url: https://example.org/test-shahed-russia
published: 2022-10-01
---
Russia received Shahed-136 drones from Iran in August 2022, according to US officials.
"""

LatLon = tuple[float, float]


def _extracted(report: Path) -> dict[str, LatLon]:
    """Each place of the `orbat extract` record by name, as (lat, lon)."""
    answer = CliRunner().invoke(main, ["extract", str(report), "--format", "json"])
    assert answer.exit_code == 0, answer.output
    record = json.loads(answer.output)
    return {e["name"]: (e["lat"], e["lon"]) for e in record["entities"] if e["kind"] == "place"}


def _ingested(report: Path, db: str) -> None:
    from orbat.ingest import ingest
    from orbat.settings import Settings
    from orbat.store import open_store

    with open_store(db) as store:
        assert ingest([str(report)], store, Settings()).new == 1


def _exported(db: str, fmt: str, tmp_path: Path) -> str:
    out = tmp_path / f"out.{fmt}"
    answer = CliRunner().invoke(main, ["export", "--db", db, "--format", fmt, "-o", str(out)])
    assert answer.exit_code == 0, answer.output
    return out.read_text(encoding="utf-8")


def _pins(tmp_path: Path) -> dict[str, LatLon]:
    """Where each layer puts Russia (the sighting's only place) and Iran (the route's origin)."""
    from orbat.brief.draft import country_brief
    from orbat.store import open_store

    tmp_path.mkdir(parents=True, exist_ok=True)
    report = tmp_path / "shahed-russia.md"
    report.write_text(REPORT, encoding="utf-8")
    extracted = _extracted(report)
    db = str(tmp_path / "orbat.db")
    _ingested(report, db)
    pins = {"extract Russia": extracted["Russia"], "extract Iran": extracted["Iran"]}

    feature = json.loads(_exported(db, "geojson", tmp_path))["features"]
    sighting = next(
        f
        for f in feature
        if f["geometry"] and f["geometry"]["type"] == "Point" and f["properties"].get("equipment") == "Shahed-136"
    )
    lon, lat = sighting["geometry"]["coordinates"]
    pins["GeoJSON export"] = (lat, lon)
    row = next(csv.DictReader(io.StringIO(_exported(db, "csv", tmp_path))))
    pins["CSV export"] = (float(row["latitude"]), float(row["longitude"]))

    api = client(db)
    observation = next(o for o in api.get("/api/observations").json()["observations"] if o["equipment"] == "Shahed-136")
    assert observation["located"] == "country"  # drawn with the country-level style
    pins["API observation"] = (observation["country_lat"], observation["country_lon"])
    lon, lat = api.get("/api/map.geojson").json()["features"][0]["geometry"]["coordinates"]
    pins["API map.geojson"] = (lat, lon)
    route = api.get("/api/routes").json()["routes"][0]
    pins["API route end"] = tuple(route["destination_point"])
    pins["API route origin Iran"] = tuple(route["stops"][0]["point"])

    with open_store(db) as store:
        drawn = country_brief(store, "RU").map.routes
    stops = {s.name: (s.lat, s.lon) for r in drawn for s in r.stops}
    pins["brief route end"] = stops["Russia"]
    pins["brief route origin Iran"] = stops["Iran"]
    return pins


def _by_country(pins: dict[str, LatLon]) -> dict[str, set[LatLon]]:
    out: dict[str, set[LatLon]] = {}
    for layer, where in pins.items():
        out.setdefault("Iran" if "Iran" in layer else "Russia", set()).add(tuple(round(v, 4) for v in where))
    return out


def test_a_country_only_sighting_has_one_point_in_every_layer(tmp_path: Path):
    from orbat.gazetteer import country_point

    pins = _pins(tmp_path)
    assert _by_country(pins) == {"Russia": {country_point("RU")}, "Iran": {country_point("IR")}}, pins
    lat, lon = pins["extract Russia"]
    assert 50 < lat < 70 and 40 < lon < 140  # on Russia's land, not the North Sea band of its box


@pytest.fixture
def moved_russia(tmp_path: Path, orbat_home: Path, monkeypatch: pytest.MonkeyPatch) -> LatLon:
    """A copy of the session's place index whose country point for Russia is elsewhere in Russia,
    as a rebuild under another convention would make it; ORBAT_HOME points at the copy."""
    home = tmp_path / "home"
    home.mkdir()
    for cached in orbat_home.iterdir():  # the compiled patterns and lexicon too: nothing is rebuilt
        if cached.is_file():
            shutil.copyfile(cached, home / cached.name)
    moved = (55.75, 37.62)  # Moscow: a point no layer would pick for Russia on its own
    with sqlite3.connect(home / "gazetteer.sqlite") as db:
        changed = db.execute(
            "UPDATE places SET lat = ?, lon = ? WHERE feature = 'country' AND country = 'RU'", moved
        ).rowcount
    assert changed == 1
    monkeypatch.setenv("ORBAT_HOME", str(home))
    return moved


def test_the_point_chosen_where_the_index_is_built_reaches_every_layer(tmp_path: Path, moved_russia: LatLon):
    pins = _pins(tmp_path / "run")
    assert _by_country(pins)["Russia"] == {moved_russia}, pins
