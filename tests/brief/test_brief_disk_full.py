"""A full disk stops a brief or an export with one line and leaves no truncated file (RELIABILITY row 29).

The disk is "full" for a real `orbat` process through its file-size limit (RLIMIT_FSIZE): every
write past the limit fails as a full disk does, on whatever file system the test runs on.
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import Markup

from orbat.brief.render import environment, markdown_escape

LIMIT = 64 * 1024  # the PDF and HTML briefs (with their map) and the GeoJSON export are larger


def _limited() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write with EFBIG instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def orbat_with_a_full_disk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orbat", *args], capture_output=True, text=True,
                          preexec_fn=_limited, env={**os.environ}, timeout=300)


@pytest.fixture
def fresh_kb(kb: str) -> str:
    """The brief knowledge base with its observation index up to date, so a brief only writes its file."""
    from orbat.observation_index import ensure_fresh
    from orbat.store import open_store

    with open_store(kb) as store:
        ensure_fresh(store)
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return kb


@pytest.mark.parametrize("name", ["mali.pdf", "mali.html"])
def test_row29_full_disk_brief_leaves_the_old_file_and_no_temp(fresh_kb, tmp_path, name):
    kb = fresh_kb
    target = tmp_path / name
    target.write_bytes(b"the previous brief")
    run = orbat_with_a_full_disk("brief", "ML", "-o", str(target), "--db", kb)
    err = run.stderr.strip()
    assert run.returncode == 1, err
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    # the map's outlines are unpacked to a temporary file first, so that write may be the one refused
    assert f"cannot write {target}" in err or "File too large" in err
    assert target.read_bytes() == b"the previous brief"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no .tmp left behind


def test_row29_full_disk_export_leaves_no_file(fresh_kb, tmp_path):
    kb = fresh_kb
    target = tmp_path / "all.geojson"
    run = orbat_with_a_full_disk("export", "--format", "geojson", "-o", str(target), "--db", kb)
    err = run.stderr.strip()
    assert run.returncode == 1 and len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert "cannot write" in err
    assert list(Path(tmp_path).iterdir()) == []


def test_row29_write_file_refused_by_the_disk_leaves_the_old_file(tmp_path):
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"old")
    code = ("from pathlib import Path; from orbat.atomic import write_file, WriteFailed\n"
            f"try:\n    write_file(Path({str(target)!r}), b'%PDF' + b'x' * {2 * LIMIT})\n"
            "except WriteFailed as exc:\n    print(exc)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, preexec_fn=_limited,
                         timeout=60)
    assert run.stdout.startswith(f"cannot write {target}: File too large; nothing was written"), run.stderr
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]


def test_row29_full_disk_during_ingest_is_one_line_and_loses_nothing_stored(tmp_path):
    from tests.brief.conftest import EXAMPLES, ingest_into

    db = tmp_path / "orbat.db"
    ingest_into(str(db), [EXAMPLES / "bamako-armour-rail-code.md"])
    before = sqlite3.connect(db).execute("SELECT count(*) FROM claims").fetchone()[0]
    big = tmp_path / "big.txt"
    big.write_text("Russia delivered 12 T-72B3 tanks to Gao, Mali on 3 January 2025. " * 3000)
    run = orbat_with_a_full_disk("ingest", str(big), "--db", str(db))
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode != 0 or "failed" in (run.stdout + run.stderr).lower()
    if run.returncode != 0:
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] == before


def test_row29_brief_written_in_full_when_there_is_room(kb, tmp_path):
    target = tmp_path / "mali.pdf"
    run = subprocess.run([sys.executable, "-m", "orbat", "brief", "ML", "-o", str(target), "--db", kb],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert target.read_bytes().startswith(b"%PDF") and target.stat().st_size > LIMIT


OVERRIDE = "Grad \u202eslaicifo\u202c launchers \u2067x\u2069 \u200fend"


def test_row21_rtl_override_never_reaches_html_or_markdown_briefs():
    html = environment("html").from_string("<p>{{ v }}</p>").render(v=OVERRIDE)
    assert html == "<p>Grad slaicifo launchers x end</p>"
    assert str(markdown_escape(OVERRIDE)) == "Grad slaicifo launchers x end"
    assert environment("html").from_string("{{ v }}").render(v=Markup("<b>\u202e</b>")) == "<b>\u202e</b>"


def test_row21_rtl_override_in_a_stored_publisher_is_gone_from_the_brief(tmp_path):
    from tests.brief.conftest import ingest_into

    note = tmp_path / "rtl.md"
    note.write_text("---\ntitle: \"Grad \u202eslaicifo\u202c report\"\npublisher: \"Wire \u202eevil\"\n"
                    "published: 2025-02-03\n---\nSix BM-21 Grad rocket launchers arrived in Kidal, Mali on "
                    "February 1, 2025.\n", encoding="utf-8")
    db = str(tmp_path / "orbat.db")
    ingest_into(db, [note])
    for fmt in ("md", "html"):
        out = tmp_path / f"brief.{fmt}"
        run = subprocess.run([sys.executable, "-m", "orbat", "brief", "ML", "--format", fmt, "-o", str(out),
                              "--db", db], capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        text = out.read_text(encoding="utf-8")
        assert "\u202e" not in text and "\u202c" not in text
        assert "Wire evil" in text or "Wire evil".replace(" ", "\\ ") in text
