"""orbat installs from a wheel like any other tool, and says under which licences it ships.

The wheel test proves nothing is read from the source tree: catalogs, patterns, templates and
the web page's static files must all be inside the wheel, or `orbat extract` in a clean
environment fails. It installs nothing from the network: the wheel is built without
dependencies and run with the already-installed ones on the path, never the editable install.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "mali-2025-01-21.txt"


def test_the_wheel_alone_extracts_the_seed_exactly_as_the_source_tree_does(tmp_path):
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("orbat-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("orbat/catalogs/actors.csv", "orbat/catalogs/us_counties.csv", "orbat/serve/static/index.html",
                   "orbat/brief/templates/brief.j2"):
        assert needed in names, needed
    assert any(n.startswith("orbat/patterns/") for n in names)
    assert any(n.endswith("LICENSE") for n in names)
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    # the installed dependencies, without the editable finder (its .pth is only read by `site`)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), sysconfig.get_paths()["purelib"],
                                                         sysconfig.get_paths()["platlib"]])}
    code = ("import sys, orbat; from orbat.cli import main; print(orbat.__file__, file=sys.stderr); "
            "main(['extract', sys.argv[1], '--published', '2025-01-21', '--format', 'json'])")
    run = subprocess.run([sys.executable, "-S", "-c", code, str(SEED)], capture_output=True, text=True,
                         cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    assert str(site) in run.stderr.splitlines()[0]
    from_tree = subprocess.run([sys.executable, "-m", "orbat", "extract", str(SEED), "--published", "2025-01-21",
                                "--format", "json"], capture_output=True, text=True)
    wheel_record, tree_record = json.loads(run.stdout), json.loads(from_tree.stdout)
    assert wheel_record["claims"] == tree_record["claims"] and len(wheel_record["claims"]) >= 10


def test_licence_file_and_bundled_data_attribution():
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    licences = (ROOT / "docs" / "licences.md").read_text(encoding="utf-8")
    packages = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]
    for name in ["GeoNames", "CC BY 4.0", "Natural Earth", *packages]:
        assert name in licences, name
    page = (ROOT / "src" / "orbat" / "serve" / "static" / "index.html").read_text(encoding="utf-8")
    assert "GeoNames" in page and "CC BY 4.0" in page
