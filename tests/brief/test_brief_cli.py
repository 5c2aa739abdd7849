"""`orbat brief` on the command line, on SQLite and on PostgreSQL (`db_url`)."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from orbat.cli import main

from .conftest import EXAMPLES, ingest_into

BAMAKO_REPORTS = ["bamako-armour-footage-confirms.md", "bamako-chars-t72b3-fr.md", "bamako-armour-syria-link.md",
                  "mali-wagner-quitte-fr.md"]


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == code, (result.output, result.stderr)
    return result


def test_brief_on_each_backend(db_url, tmp_path):
    ingest_into(db_url, [EXAMPLES / name for name in BAMAKO_REPORTS])
    out = tmp_path / "mali.md"
    result = run("brief", "Mali", "--since", "2024-10-01", "--format", "md", "-o", str(out), "--db", db_url)
    assert "wrote" in result.stderr and (tmp_path / "mali-map.png").exists()
    text = out.read_text(encoding="utf-8")
    assert "T-72B3" in text and "Bamako" in text and "Sahel Defence Monitor, 2025-01-18" in text
    assert "Africa Corps (includes claims about Wagner Group" in text


def test_pdf_and_html_files_and_stdout(kb, tmp_path):
    pdf = tmp_path / "mali.pdf"
    run("brief", "ML", "--since", "2024-10-01", "-o", str(pdf), "--db", kb)  # format from the suffix
    assert "T-72B3" in "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    html = tmp_path / "t72b3.html"
    run("brief", "--equipment", "T-72B3", "--format", "html", "-o", str(html), "--db", kb)
    assert html.read_text(encoding="utf-8").count("data:image/png;base64,") == 2
    assert "# Mali: military equipment" in run("brief", "ML", "--db", kb).stdout


@pytest.mark.parametrize("args, message", [
    ([], "name a COUNTRY or give --equipment"),
    (["ML", "--equipment", "T-72B3"], "one of the two"),
    (["ML", "--format", "pdf"], "needs a file"),
    (["ML", "--since", "2024-13"], "is not a date"),
    (["Atlantis"], "unknown country"),
    (["--equipment", "Zorg-9"], "no sighting of Zorg-9"),
])
def test_bad_input_gets_one_line(kb, args, message):
    result = run("brief", *args, "--db", kb, code=1 if args[:1] == ["--equipment"] else 2)
    assert message in result.stderr and "Traceback" not in result.output
