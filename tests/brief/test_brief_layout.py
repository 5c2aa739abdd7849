"""The Mali brief as printed: rows kept whole across pages, no empty section, nothing under 7 pt.

Read back from the PDF with pypdf, the way a reader meets it, not from the template.
"""

from __future__ import annotations

import io

from pypdf import PdfReader

MIN_PT = 7.0


def pages(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def sizes(pdf: bytes) -> list[tuple[float, str]]:
    """Every run of text with the size it is printed at (font size × text and page matrices)."""
    found: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip():
            found.append((size * abs(tm[3] or 1) * abs(cm[3] or 1), text.strip()))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return found


def test_no_text_under_7_pt(mali):
    small = [(round(s, 1), t) for s, t in sizes(mali.pdf) if s < MIN_PT - 0.05]
    assert not small, small[:5]


def test_no_empty_section_is_printed(mali):
    text = " ".join(pages(mali.pdf))
    for section in mali.brief.sections:
        assert section.has_rows, section.title
        assert section.empty not in text
    assert "Nothing reported." not in text


def test_table_rows_are_not_split_across_pages(mali):
    printed = pages(mali.pdf)
    checked = 0
    for section in mali.brief.sections:
        for row in (r for t in section.tables for r in t.rows):
            first = " ".join(row.cells[0].split())[:14]
            last = " ".join(next((c for c in reversed(row.cells) if c.strip()), "").split())[:14]
            homes = [n for n, page in enumerate(printed) if first in page]
            if len(first) < 6 or len(last) < 6 or len(homes) != 1 or sum(last in p for p in printed) != 1:
                continue  # not unique enough to place on one page
            assert last in printed[homes[0]], (section.title, row.cells[0][:40])
            checked += 1
    assert checked >= 5  # the check actually looked at rows
