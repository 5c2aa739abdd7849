"""Each export read back by a parser of its format, with hostile text inside (RELIABILITY 16–19)."""

from __future__ import annotations

import csv
import io
import json
import math

import lxml.html
import pytest
import stix2
from export_factory import FORMULA, HOSTILE, HOSTILE_ACTOR, HOSTILE_LON, HOSTILE_PLACE, export_bytes
from lxml import etree

from orbat.export.acled import COLUMNS
from orbat.export.stix import CONFIDENCE, EXTENSION_ID
from orbat.model import SCHEMA
from orbat.query import timeline
from orbat.store import open_store

NUMERIC = ("year", "time_precision", "iso", "latitude", "longitude", "geo_precision", "quantity", "quantity_min",
           "quantity_max")
KML = "{http://www.opengis.net/kml/2.2}"
CONTROLS = "\x01\x02\x07\x0b"


@pytest.fixture(scope="module")
def observations(example_db):
    with open_store(example_db) as store:
        return {row.id: row for row in timeline(store)}


@pytest.fixture
def folder(tmp_path):
    return tmp_path


def strip_controls(text: str) -> str:
    return text.translate({ord(c): None for c in CONTROLS})


# --- CSV -------------------------------------------------------------------------------------


def test_csv_is_acled_shaped_excel_safe_and_complete(example_db, folder, observations):
    raw = export_bytes(example_db, folder, "csv")
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == COLUMNS
    assert {r["observation_id"] for r in rows} == set(observations)
    for row in rows:
        for name, value in row.items():
            if name in NUMERIC:
                assert value == "" or math.isfinite(float(value)), (name, value)
            else:
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (name, value)
        assert row["time_precision"] in ("1", "2", "3")
    crafted = next(r for r in rows if r["location"] == HOSTILE_PLACE)
    assert float(crafted["longitude"]) == HOSTILE_LON and crafted["longitude"] == str(HOSTILE_LON)
    assert crafted["latitude"] == "14.1234568"  # 15 decimals in, 7 out
    assert crafted["actor1"] == HOSTILE_ACTOR and crafted["quantity"] == "3"
    assert crafted["source"] == "'-" + HOSTILE  # the whole cell, control characters kept as text
    convoy = next(r for r in rows if HOSTILE in r["source"])  # merged with the examples' Bamako convoy
    assert convoy["location"] == "Bamako" and float(convoy["longitude"]) < 0
    assert any(r["source"] == "'@evil & <b>co</b>" for r in rows)


def test_csv_unlocated_positions_stay_empty(example_db, folder):
    rows = list(csv.DictReader(io.StringIO(export_bytes(example_db, folder, "csv").decode("utf-8-sig"))))
    for place in ("Nowhere", "Off the map"):  # NaN and lat 95 / lon 200 are never written
        row = next(r for r in rows if r["location"] == place)
        assert row["latitude"] == row["longitude"] == ""


# --- GeoJSON ---------------------------------------------------------------------------------


def decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def positions(geometry: dict) -> list[list[float]]:
    return [geometry["coordinates"]] if geometry["type"] == "Point" else geometry["coordinates"]


def test_geojson_is_rfc7946(example_db, folder, observations):
    raw = export_bytes(example_db, folder, "geojson")
    assert b"NaN" not in raw and b"Infinity" not in raw
    data = json.loads(raw)
    assert data["type"] == "FeatureCollection"
    features = data["features"]
    for feature in features:
        assert all(not isinstance(v, dict | list) for v in feature["properties"].values())  # flat
        if feature["geometry"] is None:
            continue
        for lon, lat in positions(feature["geometry"]):
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert decimals(lon) <= 7 and decimals(lat) <= 7
    found = {f["id"]: f for f in features if f["properties"]["kind"] == "observation"}
    assert set(found) == set(observations)
    for obs_id, row in observations.items():  # lon first, where the database has a position
        geometry = found[obs_id]["geometry"]
        if row.place_lat is not None and abs(row.place_lat) <= 90 and abs(row.place_lon) <= 180:
            assert geometry["coordinates"] == [round(row.place_lon, 7), round(row.place_lat, 7)]
    unlocated = [f for f in found.values() if f["geometry"] is None]
    assert data["unlocated"] == len(unlocated) > 0
    assert {"Nowhere", "Off the map"} <= {f["properties"]["place"] for f in unlocated}
    assert any(f["geometry"] and f["geometry"]["type"] == "LineString" for f in features)
    assert any(f["properties"]["kind"] == "place" for f in features)


def test_geojson_keeps_hostile_text_verbatim_with_dates_for_qgis(example_db, folder):
    data = json.loads(export_bytes(example_db, folder, "geojson"))
    crafted = next(f for f in data["features"] if f["properties"].get("place") == HOSTILE_PLACE)
    assert crafted["geometry"]["coordinates"] == [HOSTILE_LON, 14.1234568]
    assert crafted["properties"]["actors"] == HOSTILE_ACTOR
    assert crafted["properties"]["start"] == crafted["properties"]["end"] == "2025-03-01"
    assert any(HOSTILE in (f["properties"].get("publishers") or "") for f in data["features"])
    yearly = next(f for f in data["features"] if f["properties"].get("first_seen") == "2019")
    assert (yearly["properties"]["start"], yearly["properties"]["end"]) == ("2019-01-01", "2019-12-31")


# --- KML -------------------------------------------------------------------------------------


def test_kml_parses_and_hostile_text_is_inert(example_db, folder, observations):
    root = etree.fromstring(export_bytes(example_db, folder, "kml"))  # a strict XML parse
    assert root.tag == KML + "kml"
    marks = {m.get("id"): m for m in root.iter(KML + "Placemark") if m.get("id")}
    assert set(marks) == set(observations)
    for coordinates in root.iter(KML + "coordinates"):
        for position in coordinates.text.split():
            lon, lat = (float(v) for v in position.split(","))
            assert -180 <= lon <= 180 and -90 <= lat <= 90
    crafted = next(m for m in marks.values() if HOSTILE_PLACE.replace("\x07", "") in m.findtext(KML + "name"))
    assert crafted.findtext(f"{KML}Point/{KML}coordinates") == f"{HOSTILE_LON},14.1234568"
    assert crafted.findtext(f"{KML}TimeSpan/{KML}begin") == "2025-03-01"
    for mark in marks.values():  # Google Earth renders descriptions as HTML: no live markup from sources
        balloon = lxml.html.fragment_fromstring(mark.findtext(KML + "description"), create_parent="div")
        assert not balloon.xpath("//script|//img|//iframe|//*[@onerror]")
        assert all(a.get("href").startswith(("http://", "https://")) for a in balloon.iter("a"))
    texts = [lxml.html.fragment_fromstring(m.findtext(KML + "description"), create_parent="div").text_content()
             for m in marks.values()]
    assert any(HOSTILE_ACTOR in t for t in texts)
    assert any(strip_controls(HOSTILE) in t for t in texts)


# --- STIX ------------------------------------------------------------------------------------


def test_stix_bundle_reparses_strictly(example_db, folder, observations):
    raw = export_bytes(example_db, folder, "stix")
    bundle = stix2.parse(raw.decode("utf-8"), allow_custom=False)
    objects = bundle.objects
    kinds = {o.type for o in objects}
    assert {"identity", "location", "report", "note", "sighting", "relationship", "extension-definition"} <= kinds
    for obj in objects:
        if "confidence" in obj:
            assert obj.confidence in CONFIDENCE.values()
    definition = next(o for o in objects if o.type == "extension-definition")
    assert definition.id == EXTENSION_ID and definition.extension_types == ["property-extension"]
    assert not definition.schema.startswith(("http://", "https://"))
    notes = [o for o in objects if o.type == "note"]
    assert len(notes) == len(observations)
    tank = next(n for n in notes if n.extensions[EXTENSION_ID].get("equipment") == "T-72B3"
                and "disagreements" in n.extensions[EXTENSION_ID])
    assert tank.extensions[EXTENSION_ID]["quantity_min"] >= 1
    names = {o.name for o in objects if o.type == "identity"}
    assert HOSTILE in names and HOSTILE_ACTOR in names and "-" + HOSTILE in names
    assert any(o.type == "location" and o.name == HOSTILE_PLACE and o.longitude == HOSTILE_LON for o in objects)
    for location in (o for o in objects if o.type == "location"):
        assert "country" in location or "latitude" in location


# --- JSONL -----------------------------------------------------------------------------------


def test_jsonl_is_one_extraction_record_per_document(example_db, folder):
    raw = export_bytes(example_db, folder, "jsonl")
    lines = raw.decode("utf-8").split("\n")
    assert lines[-1] == ""
    records = [json.loads(line) for line in lines[:-1]]
    with open_store(example_db) as store:
        documents = store.documents()
        assert [r["document"]["id"] for r in records] == [d.id for d in documents]
        assert all(r["schema"] == SCHEMA for r in records)
        first = store.record(documents[0].id)
    assert records[0] == json.loads(json.dumps(first))
    assert len(raw.decode("utf-8").splitlines()) == len(records)  # no U+2028 or U+0085 splits a record
    crafted = next(r for r in records if r["document"]["publisher"] == "-" + HOSTILE)
    nowhere = next(e for e in crafted["entities"] if e["name"] == "Nowhere")
    assert nowhere["lat"] is None and nowhere["lon"] is None  # NaN written as null, never as NaN
    assert FORMULA in crafted["document"]["title"]
