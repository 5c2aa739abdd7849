"""The rules exports apply on their own: coordinates, dates, the ACLED mapping, STIX validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import stix2

from orbat.export.acled import EVENT_PRIORITY, EVENT_TYPES, cell, event_type
from orbat.export.data import period, point
from orbat.export.jsonl import line
from orbat.export.kml import clean
from orbat.export.stix import CONFIDENCE, StixValidationError, check_bundle, check_confidence, check_location
from orbat.model import CERTAINTY_ORDER

PATTERNS = Path(__file__).resolve().parents[2] / "src" / "orbat" / "patterns" / "events.jsonl"


@pytest.mark.parametrize("lat, lon", [(float("nan"), 1.0), (1.0, float("inf")), (-float("inf"), 0.0),
                                      (90.0001, 0.0), (0.0, -180.5), (95.0, 200.0), (None, 1.0), ("12", "3"),
                                      (True, 1.0)])
def test_unwritable_positions_are_refused(lat, lon):
    assert point(lat, lon) is None


def test_positions_are_rounded_to_seven_decimals():
    kept = point(12.639212345678912, -8.002912345678912)
    assert (kept.lat, kept.lon) == (12.6392123, -8.0029123) and kept.lon_lat == [-8.0029123, 12.6392123]
    assert point(-90, 180).lon_lat == [180.0, -90.0]


def test_periods_cover_the_precision_given():
    assert (period("2024").start.isoformat(), period("2024").end.isoformat()) == ("2024-01-01", "2024-12-31")
    assert period("2024-02").end.isoformat() == "2024-02-29" and period("2024-02").precision == "month"
    assert period("2025-01-17").precision == "day"
    for bad in ("2025-02-30", "2025-13", "17/01/2025", "", None, "2025-1-7"):
        assert period(bad) is None


def test_every_event_kind_has_an_acled_type():
    kinds = {json.loads(line)["value"] for line in PATTERNS.read_text(encoding="utf-8").splitlines() if line}
    assert kinds <= set(EVENT_TYPES) and set(EVENT_PRIORITY) == set(EVENT_TYPES)
    assert event_type(["delivery"], "main battle tank") == ("Strategic developments", "Change to group/activity")
    assert event_type(["delivery", "combat"], "combat drone") == ("Explosions/Remote violence", "Air/drone strike")
    assert event_type(["combat"], "main battle tank") == ("Battles", "Armed clash")
    assert event_type(["construction"], None)[1] == "Headquarters or base established"
    assert event_type([], None) == ("Strategic developments", "Other")


def test_csv_cells_defuse_formulas_but_not_numbers():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert cell(text) == "'" + text
    assert cell(-8.0029) == -8.0029 and cell(-5) == -5 and cell(None) == "" and cell("Bamako") == "Bamako"


def test_kml_text_drops_only_xml_illegal_characters():
    assert clean("a\x00b\x01c\x0bd\ufffee\tf\ng\rh]]>&<") == "abcde\tf\ng\rh]]>&<"


def test_jsonl_lines_never_break_inside_a_record():
    text = line({"t": "a\u2028b\u2029c\x85d\ne", "n": float("nan")})
    assert text.splitlines() == [text] and json.loads(text) == {"t": "a\u2028b\u2029c\x85d\ne", "n": None}


def test_confidence_table_covers_every_certainty_in_range():
    assert set(CONFIDENCE) == set(CERTAINTY_ORDER)
    values = [CONFIDENCE[c] for c in CERTAINTY_ORDER]  # strongest first: confidence never rises
    assert values == sorted(values, reverse=True) and all(0 <= v <= 100 for v in values)


@pytest.mark.parametrize("value", [101, -5, 100.5, "70", True, None])
def test_orbat_rejects_out_of_range_confidence(value):
    with pytest.raises(StixValidationError):
        check_confidence(value)


def test_stix2_alone_would_accept_101_so_the_bundle_is_checked():
    me = stix2.Identity(name="x", identity_class="system", confidence=101)  # stix2 3.0.2 takes it
    data = json.loads(stix2.Bundle(me).serialize())
    with pytest.raises(StixValidationError, match="101"):
        check_bundle(data)
    data["objects"][0]["confidence"] = -5
    with pytest.raises(StixValidationError, match="-5"):
        check_bundle(data)
    data["objects"][0]["confidence"] = 100
    check_bundle(data)


def test_locations_must_say_where():
    check_location({"id": "location--1", "country": "ML"})
    check_location({"id": "location--1", "latitude": -12.5, "longitude": -8.0})
    for bad in ({"id": "location--1", "name": "somewhere"}, {"id": "location--1", "latitude": 95, "longitude": 0},
                {"id": "location--1", "latitude": 5}):
        with pytest.raises(StixValidationError):
            check_location(bad)
