"""`/api/export/{fmt}`: the page's view as CSV, GeoJSON or KML, under every list filter."""

from __future__ import annotations

import csv
import io

from api_factory import client
from lxml import etree

KML = "{http://www.opengis.net/kml/2.2}"


def test_each_format_holds_exactly_the_filtered_observations(read_db):
    c = client(read_db)
    view = {"country": "ML", "class": "tank"}
    listed = c.get("/api/observations", params={**view, "limit": 5000}).json()
    wanted = {o["id"] for o in listed["observations"]}
    assert wanted and listed["total"] < c.get("/api/observations", params={"country": "ML"}).json()["total"]

    answer = c.get("/api/export/csv", params=view)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["x-total-count"] == answer.headers["x-exported-count"] == str(len(wanted))
    assert "attachment" in answer.headers["content-disposition"] and ".csv" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert {r["observation_id"] for r in rows} == wanted and len(rows) == len(wanted)
    assert {r["country"] for r in rows} == {"Mali"}

    collection = c.get("/api/export/geojson", params=view).json()
    observations = [f for f in collection["features"] if f["properties"]["kind"] == "observation"]
    assert {f["id"] for f in observations} == wanted
    classes = {f["properties"]["equipment_class"] for f in observations}
    assert classes == {o["equipment_class"] for o in listed["observations"]} and all("tank" in k for k in classes)

    root = etree.fromstring(c.get("/api/export/kml", params=view).content)
    marks = {m.get("id") for m in root.iter(f"{KML}Placemark") if m.get("id", "").startswith("obs-")}
    assert marks == wanted


def test_limit_is_reported_and_unknown_formats_and_values_refused(read_db):
    c = client(read_db)
    total = c.get("/api/observations").json()["total"]
    cut = c.get("/api/export/geojson", params={"limit": 3})
    assert cut.headers["x-total-count"] == str(total) and cut.headers["x-exported-count"] == "3"
    assert c.get("/api/export/stix").status_code == 422
    refused = c.get("/api/export/csv", params={"certainty": "bogus"})
    assert refused.status_code == 422 and "confirmed" in refused.json()["detail"]["allowed"]
