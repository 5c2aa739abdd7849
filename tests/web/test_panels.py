"""The side panels analysts asked for in issue 13: a country's posture, the review queue, what is
new since the last visit (headless Debian chromium over the real API)."""

from __future__ import annotations

from tests.web.conftest import Site, Watched, shot
from tests.web.test_page import open_page, reload_with


def test_posture_panel_tallies_a_country_by_class_and_system(watched: Watched, site: Site):
    page = open_page(watched, site)
    reload_with(page, lambda: page.select_option("#f-country", "ML"))
    page.click("#tab-posture")
    page.wait_for_selector("#posture-body[data-country='ML'] .posture-class")
    rows = site.get("/api/posture/ML")["posture"]
    assert rows, "examples/ should put equipment in Mali"

    assert "Mali" in page.inner_text("#posture-body h2")
    shown = page.locator(".posture-table tr[data-system]").evaluate_all(
        "els => els.map(e => [e.dataset.system, e.querySelector('[data-col=count]').textContent,"
        " e.querySelector('[data-col=certainty]').textContent, e.closest('section').dataset.class])")
    assert sorted(s for s, _, _, _ in shown) == sorted(r["equipment"] for r in rows)
    for system, count, certainty, klass in shown:
        row = next(r for r in rows if r["equipment"] == system)
        assert certainty == row["certainty"] and klass == (row["equipment_class"] or "")
        low, high = row["quantity_min"], row["quantity_max"]
        if low is not None and high is not None:
            assert count == (str(low) if low == high else f"{low}–{high}")
    for section in page.locator(".posture-class").all():
        systems = section.locator("tr[data-system]").count()
        assert f"— {systems} system(s)" in section.locator("h3").inner_text()
    shot(page, "posture-mali")

    # a system in the tally leads to its observations on the map
    tank = next(r for r in rows if r["equipment"] == "T-72B3")
    reload_with(page, lambda: page.locator(".posture-table tr[data-system='T-72B3'] button").click())
    assert page.input_value("#f-equipment") == "T-72B3"
    ids = page.evaluate("orbat.state.observations.map(o => o.id)")
    assert set(tank["observation_ids"]) <= set(ids)
    assert set(page.evaluate("orbat.state.observations.map(o => o.equipment)")) <= {"T-72B3"}

    # another country from the panel's own picker moves the filter and the tally
    other = next(c for c in page.locator("#posture-country option").evaluate_all("els => els.map(e => e.value)")
                 if c and c != "ML" and site.get(f"/api/posture/{c}")["posture"])
    reload_with(page, lambda: page.select_option("#posture-country", other))
    page.wait_for_selector(f"#posture-body[data-country='{other}'] .posture-class")
    assert page.input_value("#f-country") == other
    assert watched.errors == []
