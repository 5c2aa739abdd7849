"""`orbat extract` ends its process without the interpreter's teardown (`orbat.cli._exit_now`):
what a user or a wrapping script relies on at exit must still happen."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPORT = "Two T-72B3 tanks were filmed in Bamako on 3 January 2025, state television reported.\n"
# `python -m orbat ARGS` with an exit handler of the caller's, as a wrapping script could register
WRAPPED = (
    "import atexit, runpy, sys\n"
    "marker = sys.argv[1]\n"
    "atexit.register(lambda: open(marker, 'w').write('ran'))\n"
    "sys.argv = ['orbat', *sys.argv[2:]]\n"
    "runpy.run_module('orbat', run_name='__main__')\n"
)


def run_wrapped(marker: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", WRAPPED, str(marker), *args], capture_output=True, text=True, timeout=120
    )


def test_extract_output_is_whole_and_exit_handlers_run(tmp_path: Path):
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    marker = tmp_path / "marker"
    run = run_wrapped(marker, "extract", str(report), "--format", "json", "--published", "2025-01-05")
    assert run.returncode == 0, run.stderr[-2000:]
    record = json.loads(run.stdout)  # the whole record reached stdout, flushed before the exit
    assert any(claim["equipment"] for claim in record["claims"])
    assert marker.read_text() == "ran"


def test_extract_keeps_its_exit_status_on_an_error(tmp_path: Path):
    marker = tmp_path / "marker"
    run = run_wrapped(marker, "extract", str(tmp_path / "missing.txt"), "--format", "json")
    assert run.returncode == 2
    assert "no such file" in run.stderr
    assert marker.read_text() == "ran"
