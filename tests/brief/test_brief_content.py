"""What a brief says: the facts of the examples, in Markdown, HTML and PDF, from the real pipeline."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from orbat.brief.certainty import SCALE, estimate
from orbat.brief.sections import quantity
from orbat.model import CERTAINTY_ORDER
from orbat.query import posture
from orbat.store import open_store


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def section(brief, key: str):
    return next(s for s in brief.sections if s.key == key)


def cells(brief, key: str) -> list[list[str]]:
    return [row.cells for table in section(brief, key).tables for row in table.rows]


def test_pdf_holds_the_facts(mali, kb):
    text = pdf_text(mali.pdf)
    assert mali.pdf.startswith(b"%PDF")
    assert "T-72B3" in text and "Bamako" in text
    with open_store(kb) as store:
        counted = [r for r in posture(store, "ML", "2024-10-01") if r.quantity_min is not None]
    assert counted, "the examples give at least one figure (twelve armoured vehicles, five tanks)"
    assert any(f"{r.equipment} {quantity(r.quantity_min, r.quantity_max)} " in text for r in counted)
    note = next(n for n in mali.brief.notes if n.publisher == "Sahel Defence Monitor")
    assert f"Sahel Defence Monitor, {note.published}" in text
    assert "very likely" in text and "Admiralty" in text and "ICD 203" in text.replace("\n", " ")


def test_every_format_has_every_section(mali):
    titles = [s.title for s in mali.brief.sections]
    assert titles == ["Key judgments", "New since 2024-10-01", "Equipment by class", "Infrastructure",
                      "Routes as sources state them", "Competing explanations",
                      "Forces: arrivals, renamings and departures", "Who operates what", "Where sources disagree"]
    pdf = pdf_text(mali.pdf)
    for title in [*titles, "Likelihood words", "Source notes"]:
        assert f"## {title}" in mali.markdown or f"## † {title}" in mali.markdown
        assert f"<h2>{title}" in mali.html or f"<h2>† {title}" in mali.html
        assert title in pdf


def test_headline_names_the_best_attested_new_system_with_its_likelihood(mali):
    headline = mali.brief.headline
    assert headline.startswith("Since 2024-10-01, sources report")
    assert "Best attested:" in headline and "likelihood" in headline and "Admiralty" in headline
    assert mali.brief.headline_notes and mali.markdown.index("## Key judgments") < mali.markdown.index(headline[:40])


def test_new_sightings_and_equipment_by_class(mali):
    new = cells(mali.brief, "new")
    t72 = next(c for c in new if c[1] == "T-72B3")
    assert t72[2] == "main battle tank" and t72[3] == "Bamako (ML)"
    classes = [t.caption for t in section(mali.brief, "equipment").tables]
    assert "main battle tank" in classes and "infantry fighting vehicle" in classes
    tanks = next(t for t in section(mali.brief, "equipment").tables if t.caption == "main battle tank")
    row = next(r for r in tanks.rows if r.cells[0] == "T-72B3")
    # Six outlets, one broadcast: one independent source, and the class-level "at least five
    # tanks" folded in as a reading beside "seven", not as a second sighting.
    assert row.cells[2] and row.cells[3] and row.cells[5] == "1" and row.notes
    assert row.cells[1] == "at least 5 to 7" and not any(r.cells[0] == "main battle tank" for r in tanks.rows)


def test_infrastructure_routes_operators_and_disagreements(mali):
    infrastructure = cells(mali.brief, "infrastructure")
    assert any("101" in c[2] or "Bamako" in c[2] for c in infrastructure)  # Base 101's construction
    routes = cells(mali.brief, "routes")
    syria = next(c for c in routes if c[0].startswith("Syria → ") and c[0].endswith(" → Bamako, ML"))
    assert syria[4].split(" · ")[0] == "unlikely"  # its weakest leg is speculation, whatever the sighting
    forces = [c[0] for c in cells(mali.brief, "operators")]
    departed = "Africa Corps (includes claims about Wagner Group, which announced its departure on 6 June 2025)"
    assert departed in forces and "2023-11" not in " ".join(forces)  # the source's date, not the catalog's
    assert departed in mali.markdown and departed in mali.html
    readings = cells(mali.brief, "disagreements")
    assert any(c[0] == "T-72B3 at Bamako" and c[1] == "recipient" for c in readings)


def test_source_notes_are_numbered_with_url_publisher_date_and_sentence(mali):
    notes = mali.brief.notes
    assert [n.number for n in notes] == list(range(1, len(notes) + 1))
    cited = {n for s in mali.brief.sections for t in s.tables for r in t.rows for n in r.notes}
    assert cited | set(mali.brief.headline_notes) == set(range(1, len(notes) + 1))  # every note is cited
    note = next(n for n in notes if n.url == "https://example.org/bamako-armour-footage-confirms")
    assert note.publisher == "Sahel Defence Monitor" and note.published == "2025-01-18" and note.sentence
    assert f"<{note.url}>" in mali.markdown and f'href="{note.url}"' in mali.html
    assert re.search(rf"^{note.number}\. Sahel Defence Monitor, 2025-01-18", mali.markdown, re.M)


def test_likelihood_words_follow_icd_203_and_admiralty():
    assert {r.level for r in SCALE} == set(CERTAINTY_ORDER)
    assert estimate("confirmed", 3).word == "almost certainly" and estimate("confirmed", 3).admiralty == 1
    assert estimate("confirmed", 1).word == "very likely" and estimate("confirmed", 1).admiralty == 2
    assert estimate("reported", 2).word == "very likely" and estimate("reported", 1).word == "likely"
    assert estimate("possible").word == "roughly even chance" and estimate("speculative").word == "unlikely"
    assert estimate("denied").word == "very unlikely" and estimate("no such level").level == "reported"
    lows = [int(r.estimate.band.split("–")[0]) for r in SCALE]
    assert lows == sorted(lows, reverse=True)  # strongest first, bands never rise
    assert all(1 <= r.estimate.admiralty <= 6 for r in SCALE)


def test_equipment_brief_covers_every_place_the_system_was_seen(kb):
    from orbat.brief.draft import equipment_brief

    with open_store(kb) as store:
        brief = equipment_brief(store, "T-72B3")
    equipment = section(brief, "equipment")
    assert equipment.title == "Equipment by country" and "Mali" in [t.caption for t in equipment.tables]
    assert all(r.cells[0] == "T-72B3" for t in equipment.tables for r in t.rows)
    assert "T-72B3" in brief.headline and brief.notes


def test_an_empty_period_still_renders(kb):
    from orbat.brief.draft import country_brief
    from orbat.brief.render import draw, render_html, render_markdown

    with open_store(kb) as store:
        brief = country_brief(store, "ML", "2030-01-01")
    figures = draw(brief)
    assert figures.timeline_png is None and figures.map_png
    markdown = render_markdown(brief)
    assert "## New since" not in markdown and "## Key judgments" not in markdown  # empty sections left out
    assert "report no equipment" in render_html(brief, figures) and "report no equipment" in markdown


@pytest.mark.parametrize("low, high, text", [(None, None, ""), (5, 5, "5"), (5, 12, "5–12"), (None, 7, "7")])
def test_quantity_ranges(low, high, text):
    assert quantity(low, high) == text


def test_every_format_credits_the_place_data_as_its_licence_requires(mali):
    import io

    from pypdf import PdfReader

    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(mali.pdf)).pages)
    for text in (mali.markdown, mali.html, " ".join(pdf_text.split())):
        assert "GeoNames" in text and "CC BY 4.0" in text
