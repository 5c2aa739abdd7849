"""Village-level places come from GeoNames dumps the user imports; nothing is fetched."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.extract.helpers import extract_text

SHARED_DUMP = Path(__file__).resolve().parents[3] / "shared" / "data" / "geonames" / "ML.txt"
REPORT = "Drones struck a FAMa position near Douamkara in central Mali on Tuesday."


def orbat(*args: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orbat", *args], capture_output=True, text=True,
                          env={**os.environ, "ORBAT_HOME": str(home)})


def test_import_adds_villages_to_the_index(tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(Path(os.environ["ORBAT_HOME"]) / "gazetteer.sqlite", home / "gazetteer.sqlite")
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")

    before = orbat("extract", str(report), "--format", "json", home=home)
    assert before.returncode == 0, before.stderr
    # the default index lacks the village: at best it stands at the area the text puts it in
    village = _place(before.stdout, "Douamkara")
    assert village is None or (village["precision"] == "region" and not village["gazetteer_id"])

    imported = orbat("gazetteer", "import", str(SHARED_DUMP), home=home)
    assert imported.returncode == 0, imported.stderr
    assert "places imported" in imported.stdout

    after = orbat("extract", str(report), "--format", "json", home=home)
    village = _place(after.stdout, "Douamkara")
    assert village["country"] == "ML" and village["gazetteer_id"] == "geonames:2380198"
    assert abs(village["lat"] - 15.53) < 0.05 and abs(village["lon"] + 5.51) < 0.05


def _place(stdout: str, name: str) -> dict | None:
    """The place entity of that name in `orbat extract --format json` output, if any."""
    places = [e for e in json.loads(stdout)["entities"] if e["kind"] == "place" and e["name"] == name]
    return places[0] if places else None


def test_a_file_that_is_not_a_dump_is_refused_with_its_line(tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(Path(os.environ["ORBAT_HOME"]) / "gazetteer.sqlite", home / "gazetteer.sqlite")
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes\nabout places\n", encoding="utf-8")
    run = orbat("gazetteer", "import", str(bad), home=home)
    assert run.returncode == 2 and f"{bad}:1" in run.stderr and "Traceback" not in run.stderr
    missing = orbat("gazetteer", "import", str(tmp_path / "nope.txt"), home=home)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_large_towns_resolve_without_any_import():
    record = extract_text("The convoy reached Gao and then Timbuktu in Mali.")
    places = {e["name"]: e for e in record["entities"] if e["kind"] == "place"}
    assert places["Gao"]["country"] == "ML" and abs(places["Gao"]["lat"] - 16.27) < 0.2


def test_a_two_word_key_also_reads_as_one_word_only_for_a_sizeable_town():
    from orbat.gazetteer import Gazetteer, joined_key
    from orbat.settings import Settings

    assert joined_key("dogu beyazit") == "dogubeyazit"
    assert joined_key("al bab") == "al bab" and joined_key("new south wales") == "new south wales"
    gazetteer = Gazetteer(Settings().gazetteer_path)
    try:
        found = gazetteer.lookup(["Dogu Beyazit", "Van"])
        assert [p.country for p in found["dogu beyazit"]] == ["TR"]
        assert all(p.id != found["dogu beyazit"][0].id for p in found["van"])  # a written key keeps its own
    finally:
        gazetteer.close()
