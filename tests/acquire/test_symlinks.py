"""Folder walks do not follow symbolic links unless asked (issue: /etc/passwd was ingested)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from orbat.acquire import SourceError
from orbat.acquire.sources import iter_sources
from orbat.cli import main
from orbat.model import SourceDocument
from orbat.settings import Settings

REPORT = "Russia delivered 12 T-72B3 tanks to Gao, Mali on 3 January 2025.\n"


def _folder(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    (reports / "sub").mkdir(parents=True)
    (reports / "real.txt").write_text(REPORT)
    (reports / "passwd.txt").symlink_to("/etc/passwd")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("Secret: 3 Su-24 at Jufra.\n")
    (reports / "sub" / "linked").symlink_to(outside, target_is_directory=True)
    (reports / "sub" / "loop").symlink_to(reports, target_is_directory=True)
    return reports


def test_symlinked_files_and_folders_are_skipped_and_reported(tmp_path):
    items = list(iter_sources([str(_folder(tmp_path))], Settings()))
    read = [i.origin for i in items if isinstance(i, SourceDocument)]
    skipped = sorted(Path(i.origin).name for i in items if isinstance(i, SourceError))
    assert [Path(o).name for o in read] == ["real.txt"]
    assert skipped == ["linked", "loop", "passwd.txt"]
    assert all(i.code == "skipped:symlink" and "--follow-symlinks" in i.reason
               for i in items if isinstance(i, SourceError))
    assert not any(b"root:" in i.raw for i in items if isinstance(i, SourceDocument))


def test_follow_symlinks_reads_them_once_without_looping(tmp_path):
    settings = Settings()
    settings.follow_symlinks = True
    items = list(iter_sources([str(_folder(tmp_path))], settings))
    names = sorted(Path(i.origin).name for i in items if isinstance(i, SourceDocument))
    assert names == ["passwd.txt", "real.txt", "secret.md"]  # the loop back to reports/ is walked once


def test_ingest_cli_skips_the_link_to_etc_passwd(tmp_path):
    db = tmp_path / "orbat.db"
    result = CliRunner().invoke(main, ["ingest", str(_folder(tmp_path)), "--db", str(db), "--format", "json"])
    assert "symbolic link not followed" in result.output
    with sqlite3.connect(db) as conn:
        texts = [row[0] for row in conn.execute("SELECT text FROM documents")]
    assert texts and all("root:" not in t for t in texts)
    assert any("T-72B3" in t for t in texts)
