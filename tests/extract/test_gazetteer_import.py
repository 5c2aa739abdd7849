"""`orbat gazetteer import`: GeoNames dumps (plain or zipped) and admin code files, streamed into a
copy of the index that replaces the old one only when everything went in."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from orbat.gazetteer import Gazetteer
from orbat.gazetteer_import import DumpError, import_files

DUMPS = Path(__file__).resolve().parents[3] / "shared" / "data" / "geonames"
REPORT = "Gunmen attacked the market of Ayorou (Tillabéri) on Friday."


def orbat(*args: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orbat", *args], capture_output=True, text=True,
                          env={**os.environ, "ORBAT_HOME": str(home)})


@pytest.fixture
def home(tmp_path: Path, orbat_home: Path) -> Path:
    """A private copy of the session's default index."""
    folder = tmp_path / "home"
    folder.mkdir()
    shutil.copy(orbat_home / "gazetteer.sqlite", folder / "gazetteer.sqlite")
    return folder


def count(home: Path) -> int:
    with sqlite3.connect(home / "gazetteer.sqlite") as db:
        return db.execute("SELECT count(*) FROM places").fetchone()[0]


def dump_line(geonameid: int, name: str, lat: str, lon: str) -> str:
    """One line in GeoNames' 19-column layout: a populated place in Niger."""
    return "\t".join([str(geonameid), name, name, "", lat, lon, "P", "PPL", "NE", "", "08", "", "", "", "0", "",
                      "250", "Africa/Niamey", "2020-01-01"]) + "\n"


def test_a_zipped_dump_and_admin_codes_are_imported(home: Path, tmp_path: Path):
    archive = tmp_path / "NE.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.write(DUMPS / "NE.txt", "NE.txt")
        out.writestr("readme.txt", "not a dump\n")
    admin1 = tmp_path / "admin1CodesASCII.txt"
    admin1.write_text("NE.08\tRegion Huit\tRegion Huit\t999999001\n", encoding="utf-8")
    admin2 = tmp_path / "admin2Codes.txt"
    admin2.write_text("NE.08.999999002\tDistrict Neuf\tDistrict Neuf\t999999002\n", encoding="utf-8")
    run = orbat("gazetteer", "import", str(archive), str(admin1), str(admin2), home=home)
    assert run.returncode == 0, run.stderr
    assert "places imported" in run.stdout and "NE.txt: " in run.stderr and "lines read" in run.stderr
    gazetteer = Gazetteer(home / "gazetteer.sqlite")
    ayorou = gazetteer.lookup(["Ayorou"])["ayorou"]
    assert any(p.country == "NE" and abs(p.lat - 14.73) < 0.1 for p in ayorou)
    # A code whose own feature the dumps lack is placed at the middle of the places filed under it.
    region = gazetteer.lookup(["Region Huit"])["region huit"][0]
    assert region.feature == "admin1" and 11 < region.lat < 16 and -1 < region.lon < 5
    gazetteer.close()
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    record = orbat("extract", str(report), "--format", "json", home=home)
    assert '"name": "Ayorou"' in record.stdout and '"country": "NE"' in record.stdout


def test_a_dump_keeps_the_indexs_point_and_name_for_its_country(home: Path, tmp_path: Path):
    # GeoNames files Mali as "Republic of Mali" at 18 N 2 W; the index has Mali at its own point.
    # Importing ML.txt must not move or rename the country: one convention, dumps imported or not.
    before = Gazetteer(home / "gazetteer.sqlite")
    mali = before.by_id("geonames:2453866")
    before.close()
    assert mali is not None and mali.name == "Mali" and (mali.lat, mali.lon) != (18.0, -2.0)
    dump = tmp_path / "ML.txt"
    dump.write_text("\t".join(["2453866", "Republic of Mali", "Republic of Mali", "Mali,Republique du Mali", "18",
                               "-2", "A", "PCLI", "ML", "", "00", "", "", "", "14000000", "", "300",
                               "Africa/Bamako", "2020-01-01"]) + "\n", encoding="utf-8")
    import_files(home / "gazetteer.sqlite", [dump], progress=lambda _: None)
    after = Gazetteer(home / "gazetteer.sqlite")
    kept = after.by_id("geonames:2453866")
    by_formal_name = after.lookup(["Republic of Mali"])["republic of mali"]
    after.close()
    assert (kept.name, kept.lat, kept.lon, kept.feature) == (mali.name, mali.lat, mali.lon, "country")
    assert [p.id for p in by_formal_name] == ["geonames:2453866"]  # the dump's names still find it


def test_reimporting_the_same_file_adds_nothing(home: Path):
    import_files(home / "gazetteer.sqlite", [DUMPS / "ML.txt"], progress=lambda _: None)
    once = count(home)
    import_files(home / "gazetteer.sqlite", [DUMPS / "ML.txt"], progress=lambda _: None)
    assert count(home) == once


def test_an_interrupted_import_leaves_the_index_as_it_was(home: Path):
    before = count(home)

    def interrupt(message: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_files(home / "gazetteer.sqlite", [DUMPS / "ML.txt"], progress=interrupt, every=1000)
    assert count(home) == before
    assert sorted(p.name for p in home.iterdir()) == ["gazetteer.sqlite"]  # no half-written copy left
    import_files(home / "gazetteer.sqlite", [DUMPS / "ML.txt"], progress=lambda _: None)  # a rerun completes
    assert count(home) > before


@pytest.mark.parametrize("case", ["truncated zip", "not utf-8", "out of range", "wrong columns"])
def test_bad_files_are_refused_with_file_and_line(home: Path, tmp_path: Path, case: str):
    before = count(home)
    if case == "truncated zip":
        whole = tmp_path / "whole.zip"
        with zipfile.ZipFile(whole, "w", zipfile.ZIP_DEFLATED) as out:
            out.write(DUMPS / "ML.txt", "ML.txt")
        bad = tmp_path / "ML.zip"
        bad.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
        expected = f"{bad}:"
    elif case == "not utf-8":
        bad = tmp_path / "NE.txt"
        lines = dump_line(1, "Kouré", "13.3", "2.6") + dump_line(2, "Sabon Gari", "13.5", "2.7")
        bad.write_bytes(lines.encode("utf-8") + dump_line(3, "Tér\xe9", "14.0", "0.75").encode("latin-1"))
        expected = f"{bad}:3: not UTF-8"
    elif case == "out of range":
        bad = tmp_path / "NE.txt"
        bad.write_text(dump_line(1, "Kouré", "13.3", "2.6") + dump_line(2, "Nowhere", "95.0", "2.7"), encoding="utf-8")
        expected = f"{bad}:2: coordinates out of range"
    else:
        bad = tmp_path / "notes.txt"
        bad.write_text("Ayorou\t14.7\n", encoding="utf-8")
        expected = f"{bad}:1: not a GeoNames dump line"
    run = orbat("gazetteer", "import", str(bad), home=home)
    assert run.returncode == 2 and expected in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert "index is unchanged" in run.stderr
    assert count(home) == before
    report = home / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    assert orbat("extract", str(report), "--format", "json", home=home).returncode == 0  # still usable


def test_dump_errors_name_the_line_in_process(home: Path, tmp_path: Path):
    bad = tmp_path / "NE.txt"
    bad.write_text(dump_line(1, "Kouré", "13.3", "2.6") + dump_line(2, "Nowhere", "13.0", "-190"), encoding="utf-8")
    with pytest.raises(DumpError, match=r"NE\.txt:2: coordinates out of range"):
        import_files(home / "gazetteer.sqlite", [bad], progress=lambda _: None)
