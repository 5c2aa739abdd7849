"""A knowledge base for brief tests: the bundled examples plus two reports of our own, ingested for real.

Built once per session (ingest through the real pipeline into a SQLite file, then one brief
drafted and rendered in every format) so the whole brief suite stays well under a minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.own_reports import COUNTRY_ONLY

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# Everything a scraped page could smuggle into a brief: script, event handlers, a CDATA end,
# a Markdown javascript: link, a remote image and stylesheet, a bare web address, mathtext, a
# control character, and a javascript: URL as the document's own address.
HOSTILE = """---
title: "<script>alert(1)</script> Grad launchers <img src=x onerror=alert(1)> ]]>"
publisher: "Hostile <b>Wire</b> & Co ]]> [x](javascript:alert(1))"
url: "javascript:alert(1)"
published: 2025-02-03
---
Six BM-21 Grad rocket launchers were filmed arriving in Kidal on February 1, 2025 \
<script>alert(1)</script> <img src=x onerror=alert(1)> ]]> [link](javascript:alert(1)) \
<img src="http://example.com/x.png"> <link rel="stylesheet" href="http://example.com/x.css"> \
www.example.com/x $\\frac{1}{0}$ \x07.
"""


def ingest_into(db: str, paths: list[Path]) -> None:
    from orbat.ingest import ingest
    from orbat.settings import Settings
    from orbat.store import open_store

    with open_store(db) as store:
        ingest([str(p) for p in paths], store, Settings())


@pytest.fixture(scope="session")
def kb(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite knowledge base: examples/, the hostile report and a sighting placed at the country only."""
    root = tmp_path_factory.mktemp("brief-kb")
    hostile = root / "hostile-grad.md"
    hostile.write_text(HOSTILE, encoding="utf-8")
    country_only = root / "mali-c295.md"
    country_only.write_text(COUNTRY_ONLY, encoding="utf-8")
    db = str(root / "orbat.db")
    ingest_into(db, [EXAMPLES, hostile, country_only])
    return db


@dataclass
class Rendered:
    brief: object
    markdown: str
    markdown_files: list[Path]
    html: str
    pdf: bytes
    fetcher: object
    map_png: bytes
    timeline_png: bytes


@pytest.fixture(scope="session")
def mali(kb: str, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """`orbat brief ML --since 2024-10-01` in all three formats, from the same drafted brief."""
    from orbat.brief.draft import country_brief
    from orbat.brief.pdf import LocalOnlyFetcher
    from orbat.brief.render import draw, render_html, render_pdf, write
    from orbat.store import open_store

    with open_store(kb) as store:
        brief = country_brief(store, "ML", "2024-10-01")
    figures = draw(brief)
    out = tmp_path_factory.mktemp("brief-out") / "mali.md"
    files = write(brief, "md", out)
    fetcher = LocalOnlyFetcher()
    pdf = render_pdf(brief, figures, fetcher)
    return Rendered(brief, out.read_text(encoding="utf-8"), files, render_html(brief, figures), pdf, fetcher,
                    figures.map_png, figures.timeline_png)
