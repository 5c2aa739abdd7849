"""`orbat brief ML` with no options, read as an analyst would: independent evidence, hypotheses, key judgments.

All from the bundled examples through the real pipeline (the session's `kb`): five outlets
repeating one broadcast must read as one primary source, a disputed route must not be stated as
fact, and Wagner's announced departure must be there with the source's date.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from orbat.cli import main


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def markdown(kb: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("default-brief") / "mali.md"
    run("brief", "ML", "-o", str(out), "--db", kb)
    return out.read_text(encoding="utf-8")


def block(markdown: str, title: str) -> str:
    """The text of one `## title` section, up to the next `## ` heading."""
    start = markdown.index(f"## {title}")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end > 0 else None]


def judgments(markdown: str) -> list[str]:
    return [
        line
        for line in block(markdown, "Key judgments").splitlines()
        if line.startswith("| ") and not line.startswith(("| Judgment", "| ---"))
    ]


def test_default_window_is_the_whole_record_and_judgments_come_first(markdown):
    title = markdown.splitlines()[0]
    assert "whole record" in title
    headings = re.findall(r"^## (.+)$", markdown, re.M)
    assert headings[0] == "Key judgments" and 3 <= len(judgments(markdown)) <= 5
    for heading in headings:
        if heading not in ("Source notes",) and not heading.startswith("†"):
            assert "| --- |" in block(markdown, heading), f"empty section printed: {heading}"


def test_the_armour_is_one_broadcast_counted_at_least_5_to_7(markdown):
    sighting = next(j for j in judgments(markdown) if "T-72B3" in j)
    assert "BMP-3" in sighting and "Bamako" in sighting and "17 January 2025" in sighting
    assert "T-72B3 (counted at least 5 to 7)" in sighting
    assert "one independent primary source" in sighting and "Cap Mali+" in sighting
    reporters = sighting.split("reported by ", 1)[1]
    assert {"Le Veilleur du Sahel", "Sahel Defence Monitor", "Revue Défense Afrique"} <= {
        p.strip(" ;") for p in re.split(r", |; ", reporters)
    }
    assert "almost certainly" not in sighting  # one video is not confirmation by several sources


def test_route_and_origin_are_competing_hypotheses_none_above_even_chance(markdown):
    lines = judgments(markdown)
    origin = next(j for j in lines if "dispute the origin" in j)
    assert "Syria" in origin and "Russia" in origin
    section = block(markdown, "Competing explanations")
    rows = [r for r in section.splitlines() if r.startswith("| origin") or r.startswith("| route")]
    assert rows and any("Conakry" in r for r in rows)
    allowed = ("roughly even chance", "unlikely", "very unlikely")
    assert all(r.split(" | ")[2].split(" · ")[0] in allowed for r in rows), rows
    syria = next(r for r in rows if r.startswith("| origin | Syria"))
    assert "no image or flight record" in syria  # the counter-evidence, quoted
    routes = block(markdown, "Routes as sources state them")
    assert "almost certainly" not in routes and "very likely" not in routes


def test_recipient_is_disputed_between_africa_corps_and_fama(markdown):
    recipient = next(j for j in judgments(markdown) if "dispute the recipient" in j)
    assert "Africa Corps" in recipient and "FAMa" in recipient
    rows = [r for r in block(markdown, "Competing explanations").splitlines() if r.startswith("| recipient")]
    assert {r.split(" | ")[1] for r in rows} >= {"Africa Corps", "FAMa (the Malian state's forces)"}


def test_wagner_departure_is_dated_june_2025_and_no_catalog_date_contradicts_it(markdown):
    assert any("Wagner Group announced its departure from Mali in June 2025" in j for j in judgments(markdown))
    assert "6 June 2025" in block(markdown, "Forces: arrivals, renamings and departures")
    assert "until 2023-11" not in markdown


def test_africa_corps_taking_over_from_wagner_is_an_event_dated_by_its_report(markdown):
    forces = block(markdown, "Forces: arrivals, renamings and departures")
    row = next(r for r in forces.splitlines() if "| Africa Corps |" in r)
    assert "took over from Wagner Group" in row
    assert "reported on 18 January 2025" in row  # no source dates the takeover; the catalog's 2023-11 is not shown
    assert "2023" not in forces


def test_posture_does_not_sum_counts_read_from_one_footage(kb):
    rows = json.loads(run("posture", "ML", "--format", "json", "--db", kb))
    bmp = next(r for r in rows if r["equipment"] == "BMP-3")
    tank = next(r for r in rows if r["equipment"] == "T-72B3")
    # Two outlets counted five BMP-3 in the same broadcast: five, not ten.
    assert (bmp["quantity_min"], bmp["quantity_max"], bmp["observations"]) == (5, 5, 1)
    assert tank["quantity_max"] == 7 and tank["independent_sources"] == 1 and tank["sources"] >= 5


def test_a_disputed_route_is_drawn_dashed_on_the_map(mali):
    syria = [r for r in mali.brief.map.routes if r.label.endswith("from Syria")]
    assert syria and all(r.hedged for r in syria)  # speculation is not drawn as a solid arrow


def test_every_route_printed_cites_the_claims_stating_it(markdown):
    rows = [r for r in block(markdown, "Routes as sources state them").splitlines() if r.startswith("| ") and "→" in r]
    assert rows
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert int(cells[3]) >= 1 and "\\[" in cells[-1], row  # a route with no source is not a finding


def rows_of(markdown: str, title: str) -> list[str]:
    return [r for r in block(markdown, title).splitlines() if r.startswith("| ") and not r.startswith("| ---")][1:]


def test_what_a_drone_can_carry_is_not_a_sighting_and_its_maker_is_not_its_operator(markdown):
    """"the Akıncı, Baykar's largest drone, which can … carry guided bombs and missiles": one
    system (the Akıncı), made by Baykar and flown by Mali; no bombs, missiles or second drone seen."""
    new = rows_of(markdown, "New since 2021")
    assert any("Bayraktar Akıncı" in r for r in new)
    assert not [r for r in new if r.split(" | ")[1] in {"missile", "guided bomb", "drone"}], new
    akinci = next(r for r in block(markdown, "Equipment by class").splitlines() if r.startswith("| Bayraktar Akıncı"))
    assert "Mali" in akinci.split(" | ")[7] and "Baykar" not in akinci
    assert "Baykar" not in block(markdown, "Who operates what")


def test_earlier_deliveries_are_history_not_current_sightings(markdown):
    """"Earlier Russian deliveries to Mali, mostly combat aircraft and helicopters, were flown in
    by transport aircraft" tells the past: no fighter, helicopter or transport sighting from it."""
    new = rows_of(markdown, "New since 2021")
    assert not [r for r in new if r.split(" | ")[1] in {"fighter aircraft", "helicopter", "transport aircraft"}], new
    assert "Earlier Russian deliveries" not in markdown


def test_one_outlet_is_never_more_than_one_independent_source(kb):
    """The tracker that reported the Akıncı handover and then "the number delivered was not
    announced" is one source: its own sentences rest on one piece of evidence."""
    rows = json.loads(run("posture", "ML", "--format", "json", "--db", kb))
    akinci = next(r for r in rows if r["equipment"] == "Bayraktar Akıncı")
    assert akinci["sources"] == 1 and akinci["independent_sources"] == 1  # one tracker's report, said twice
    assert all(r["independent_sources"] <= r["sources"] for r in rows), rows


def test_a_government_that_has_not_commented_is_not_an_operator(markdown):
    """"The Malian government has not commented on the arrival": silence names no operator, so
    the Malian junta is listed nowhere as holding the armour and no note cites it as one."""
    assert "Malian junta" not in block(markdown, "Who operates what")
    assert "Malian junta" not in block(markdown, "Equipment by class")
    assert "Malian junta" not in block(markdown, "Where sources disagree")


def test_counter_evidence_disputes_the_explanation_it_is_listed_against(markdown):
    """"no image … linking the convoy to Syria …, and the rail markings … point instead to a direct
    shipment from Russia" counts against Syria, not against Russia; the Akıncı handover is no
    evidence in the dispute over whom the armour is for."""
    rows = {tuple(r.split(" | ")[:2]): r for r in block(markdown, "Competing explanations").splitlines()
            if r.startswith(("| origin", "| recipient"))}
    assert "no image or flight record" in rows[("| origin", "Syria")].split(" | ")[4]
    assert "no image or flight record" not in rows[("| origin", "Russia")].split(" | ")[4]
    assert "Turkish Defence Exports Tracker" not in block(markdown, "Competing explanations")


def test_a_class_count_within_the_named_systems_range_is_not_a_disagreement(markdown):
    """"at least five tanks" folded into the T-72B3 counted "at least 5 to 7" agrees with it; the
    real disagreement (5+ against 7) is shown once, side by side."""
    rows = [r for r in block(markdown, "Where sources disagree").splitlines()
            if r.startswith("| T-72B3 at Bamako | quantity")]
    assert len(rows) == 1, rows
    assert "5+ (" in rows[0] and "7 (" in rows[0] and "main battle tank" not in rows[0]


def test_every_vehicle_of_the_filmed_convoy_takes_the_day_it_was_filmed(markdown):
    """"Selon notre analyse des images, le convoi comprenait également des … BTR-80/82A …": "le
    convoi" is the convoy filmed on 17 January, so no vehicle of it is dated by publication."""
    new = {r.split(" | ")[1]: r.split(" | ")[0].lstrip("| ") for r in rows_of(markdown, "New since 2021")}
    convoy = ["T-72B3", "BMP-3", "BTR-80A", "BTR-82A", "Spartak", "Tigr", "Linza"]
    assert {name: new.get(name) for name in convoy} == dict.fromkeys(convoy, "2025-01-17")


CAR_REPORTS = {
    "car-diplomat.md": """---
title: "Russian armoured cars reach Bangui"
publisher: "Test Desk"
url: https://example.org/test-car-brdm-1
published: 2020-10-16
---
Russia delivered ten BRDM-2 armoured reconnaissance vehicles to Bangui on 15 October 2020.
Russian instructors of the Wagner Group will operate the BRDM-2 vehicles, a diplomat said.
""",
    "car-ministry.md": """---
title: "Central African army receives armour"
publisher: "Test Desk"
url: https://example.org/test-car-brdm-2
published: 2020-10-17
---
The Central African Armed Forces (FACA) received ten BRDM-2 armoured vehicles in Bangui
on 15 October 2020, the defence ministry said.
""",
}


def test_a_recipient_dispute_outside_mali_names_that_state_and_the_force_of_the_time(tmp_path):
    """The state's own side is labelled from the catalog for any country (not a Mali-only name),
    and a 2020 claim about Wagner is not filed under the Africa Corps that succeeded it in 2023."""
    for name, text in CAR_REPORTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = str(tmp_path / "car.db")
    run("ingest", str(tmp_path / "car-diplomat.md"), str(tmp_path / "car-ministry.md"), "--db", db)
    out = tmp_path / "car.md"
    run("brief", "CF", "-o", str(out), "--db", db)
    rows = [r for r in block(out.read_text(encoding="utf-8"), "Competing explanations").splitlines()
            if r.startswith("| recipient")]
    assert {r.split(" | ")[1] for r in rows} == {"FACA (the Central African state's forces)", "Wagner Group"}
