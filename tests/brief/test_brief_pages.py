"""The Mali brief printed: its PDF rendered to PNG pages with pdftoppm (poppler-utils), and read
back with pypdf for what a page image cannot say (where the map sits, how large it prints).

The PDF is the session's (`mali`, rendered once); pdftoppm runs once for the module.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread
from matplotlib.text import Text
from pypdf import PdfReader

from orbat.brief.figures import MIN_FONT, map_figure, timeline_figure

DPI = 50


@pytest.fixture(scope="module")
def page_images(mali, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm missing: install the Debian package poppler-utils (scripts/test.sh does)"
    folder = tmp_path_factory.mktemp("brief-pages")
    pdf = folder / "mali.pdf"
    pdf.write_bytes(mali.pdf)
    subprocess.run([pdftoppm, "-r", str(DPI), "-png", str(pdf), str(folder / "page")], check=True, timeout=120)
    return sorted(folder.glob("page-*.png"))


def images_drawn(pdf: bytes) -> list[tuple[int, float, float]]:
    """(page, printed width, printed height) in points of every image the pages draw."""
    found: list[tuple[int, float, float]] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):

        def visit(op, args, cm, tm, number=number) -> None:
            if op == b"Do":
                found.append((number, float(np.hypot(cm[0], cm[1])), float(np.hypot(cm[2], cm[3]))))

        page.extract_text(visitor_operand_before=visit)
    return found


def test_every_page_renders_and_none_is_blank(mali, page_images):
    assert len(page_images) == len(PdfReader(io.BytesIO(mali.pdf)).pages) >= 2
    for path in page_images:
        ink = imread(str(path))[..., :3]
        assert float((ink < 0.9).any(axis=-1).mean()) > 0.01, path.name  # more than a page number


def test_figures_print_at_their_own_size_so_labels_stay_at_7_pt(mali):
    drawn = [d for d in images_drawn(mali.pdf) if d[1] > 200]  # the map and the timeline
    assert len(drawn) == 2
    figures = [map_figure(mali.brief.map, mali.brief.title), timeline_figure(mali.brief.timeline)]
    for (_, width, _), fig in zip(sorted(drawn), figures, strict=True):
        scale = width / (fig.get_figwidth() * 72)  # printed points per figure point
        smallest = min(t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip())
        assert smallest * scale >= MIN_FONT - 0.25, (smallest, scale)


def test_the_map_page_shows_the_map_large(mali, page_images):
    drawn = [d for d in images_drawn(mali.pdf) if d[1] > 200]
    page, width, height = drawn[0]
    reader = PdfReader(io.BytesIO(mali.pdf))
    page_width = float(reader.pages[page].mediabox.width)
    assert width >= 0.8 * page_width - 80  # full text width of an A4 page (margins 14 mm)
    picture = imread(str(page_images[page]))[..., :3]
    assert len(np.unique((picture * 255).astype(int).reshape(-1, 3), axis=0)) > 100  # a map, not text alone
