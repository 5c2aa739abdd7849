"""The page an analyst can trust at a glance (issue 13): geometry, time, nothing hidden, honest
counts, errors in words, shareable filters. Headless Debian chromium over the real API."""

from __future__ import annotations

import datetime as dt

from tests.web.conftest import Site, Watched, rewrite_observations, shot
from tests.web.test_page import open_page, reload_with

JUMPS = """() => {
  let n = 0;
  const walk = layer => { if (layer.getLatLngs) n += orbatGeo.longJumps(layer.getLatLngs());
                          if (layer.eachLayer) layer.eachLayer(walk); };
  orbat.map.eachLayer(walk);
  return n;
}"""
HEADS = "() => [...document.querySelectorAll('path.arrowhead')].map(p => { const b = p.getBoundingClientRect(); " \
        "return Math.max(b.width, b.height); })"


def test_outlines_and_routes_never_jump_across_the_180_line(watched: Watched, site: Site):
    page = open_page(watched, site)
    page.wait_for_function("orbat.state.routes.length > 0 && document.querySelectorAll('path.route-line').length > 0")
    assert page.evaluate(JUMPS) == 0  # Russia's, Fiji's and Antarctica's rings step over 180° in the data
    # a route from the Russian Far East to Fiji is cut at the line, not drawn round the world
    lines = page.evaluate("orbatGeo.splitAtAntimeridian([[64.7, 177.5], [-17.7, 178.4], [-16.8, -179.9]])")
    assert len(lines) == 2 and lines[0][-1][1] == 180 and lines[1][0][1] == -180
    assert abs(lines[0][-1][0] - lines[1][0][0]) < 1e-9


def test_routes_start_at_the_countrys_representative_point(watched: Watched, site: Site):
    page = open_page(watched, site)
    page.wait_for_function("orbat.state.routes.length > 0")
    from orbat.brief.places import country_point

    russia = list(country_point("RU"))
    starts = page.evaluate("""() => orbat.state.routes.filter(r => r.origins[0] === 'Russia')
                                .map(r => r.stops[0].point)""")
    assert starts and all(s == russia for s in starts)
    assert 50 < russia[0] < 70  # not the North Sea band the outline's box gives


def test_arrowheads_keep_their_size_on_screen_when_zoomed(watched: Watched, site: Site):
    page = open_page(watched, site)
    page.wait_for_function("document.querySelectorAll('path.arrowhead').length > 0")
    wide = page.evaluate(HEADS)
    page.evaluate("orbat.map.setView([12.6, -8.0], 9, {animate: false})")
    page.wait_for_timeout(300)
    close = page.evaluate(HEADS)
    assert wide and close and max(wide + close) <= 16  # 12 px long at every zoom
    shot(page, "zoomed-arrowheads")


def test_year_and_month_dates_are_drawn_over_their_period(watched: Watched, site: Site):
    page = open_page(watched, site)
    rows = site.get("/api/observations")["observations"]
    year = next(o for o in rows if o["first_seen"] and len(o["first_seen"]) == 4 and o["last_seen"] == o["first_seen"])
    month = next(o for o in rows if o["first_seen"] and len(o["first_seen"]) == 7 and o["last_seen"] == o["first_seen"])
    spans = page.evaluate("""() => orbat.items.get().map(i => [i.id, new Date(i.start).toISOString(),
                                  i.end ? new Date(i.end).toISOString() : null])""")
    by_id = {i: (start, end) for i, start, end in spans}
    y = int(year["first_seen"])
    assert by_id[year["id"]] == (f"{y}-01-01T00:00:00.000Z", f"{y + 1}-01-01T00:00:00.000Z")
    m = dt.date.fromisoformat(month["first_seen"] + "-01")
    after = (m.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    assert by_id[month["id"]] == (f"{m.isoformat()}T00:00:00.000Z", f"{after.isoformat()}T00:00:00.000Z")
    assert min(start for start, _ in by_id.values()) >= "1990"  # nothing read as milliseconds since 1970
    assert "(year only)" in page.locator(f".tl-item[data-id='{year['id']}']").get_attribute("title")
    assert "(month only)" in page.locator(f".tl-item[data-id='{month['id']}']").get_attribute("title")
    page.evaluate("id => orbat.showInTimeline(id)", year["id"])
    shot(page, "partial-dates")


def test_country_level_observations_are_drawn_and_counted(watched: Watched, site: Site):
    page = open_page(watched, site)
    shot(page, "first-load")  # the state itself, kept even when a check below fails
    answer = site.get("/api/observations")
    rows = answer["observations"]
    vague = {o["id"] for o in rows if o["located"] == "country"}
    placed = {o["id"] for o in rows if o["located"] == "place"}
    assert vague and placed
    drawn = page.locator(".obs-marker").evaluate_all("els => els.map(e => [e.dataset.id, e.dataset.located])")
    assert {i for i, where in drawn if where == "country"} == vague
    assert {i for i, where in drawn if where == "place"} == placed
    assert page.locator(".obs-marker.country-level").count() == len(vague)
    count = page.locator("#count").inner_text()
    assert f"Showing {len(rows)} of {answer['total']}" in count and f"{len(vague)} at country level" in count



def test_a_country_only_sighting_is_drawn_where_orbat_extract_puts_it(watched: Watched, site: Site, tmp_path):
    """One fact, one pin: the map's symbol for "the Malian Air Force operates two C295" stands on
    the point `orbat extract` gives Mali for the same text, not on another convention's."""
    import json

    from click.testing import CliRunner
    from tests.own_reports import COUNTRY_ONLY

    from orbat.cli import main

    report = tmp_path / "mali-c295.md"
    report.write_text(COUNTRY_ONLY, encoding="utf-8")
    record = json.loads(CliRunner().invoke(main, ["extract", str(report), "--format", "json"]).output)
    mali = next([e["lat"], e["lon"]] for e in record["entities"] if e["kind"] == "place" and e["country"] == "ML")
    c295 = next(o for o in site.get("/api/observations?country=ML&limit=5000")["observations"]
                if o["equipment"] == "Airbus C295" and o["located"] == "country")
    page = open_page(watched, site)
    drawn = page.evaluate("id => { const p = orbat.state.markers[id].getLatLng(); return [p.lat, p.lng]; }", c295["id"])
    assert drawn == mali
    assert page.locator(f".obs-marker[data-id='{c295['id']}']").get_attribute("data-located") == "country"

def test_symbols_at_one_place_are_spread_and_labelled(watched: Watched, site: Site):
    page = open_page(watched, site)
    bamako = [o for o in site.get("/api/observations?place=Bamako")["observations"] if o["located"] == "place"]
    assert len(bamako) > 3
    page.evaluate("o => orbat.map.setView([o.lat, o.lon], 9, {animate: false})", bamako[0])
    centres = [page.locator(f".obs-marker[data-id='{o['id']}']").bounding_box() for o in bamako]
    spots = {(round(b["x"] + b["width"] / 2), round(b["y"] + b["height"] / 2)) for b in centres}
    assert len(spots) == len(bamako)  # no symbol hides exactly behind another
    tank = max((o for o in bamako if o["equipment"] == "T-72B3"), key=lambda o: o["sources"])
    page.locator(f".obs-marker[data-id='{tank['id']}']").hover()
    label = page.locator(".leaflet-tooltip .hover-label").inner_text()
    assert "T-72B3" in label and f"certainty: {tank['certainty']}" in label
    assert f"count: {tank['headline'] or ''}" in label or "count not given" in label
    shot(page, "cluster-opened")
    page.locator(f".obs-marker[data-id='{tank['id']}']").click()
    page.wait_for_selector(f"#panel[data-observation='{tank['id']}']")


def test_n_of_m_and_loading_the_next_page(watched: Watched, site: Site):
    page = watched.page

    def first_30(data):  # pages of 30: the page's first, sent inside it, and the ones it asks for
        data["observations"], data["limit"] = data["observations"][:30], 30

    rewrite_observations(page, first_30, ask=lambda url: url.replace("limit=500", "limit=30"))
    total = site.get("/api/observations")["total"]
    assert total > 60  # three pages of 30
    open_page(watched, site)
    assert f"Showing 30 of {total}" in page.locator("#count").inner_text()
    reload_with(page, lambda: page.locator("#load-more").click())
    assert f"Showing 60 of {total}" in page.locator("#count").inner_text()
    reload_with(page, lambda: page.locator("#load-more").click())
    assert f"Showing {total} of {total}" in page.locator("#count").inner_text()
    assert page.locator("#load-more").count() == 0
    assert len(set(page.evaluate("orbat.state.observations.map(o => o.id)"))) == total


def test_a_refused_filter_is_explained_in_words(watched: Watched, site: Site):
    page = watched.page
    page.goto(site.base + "/?certainty=bogus")
    page.wait_for_selector("#message.error .retry")
    text = page.locator("#message").inner_text()
    assert "certainty 'bogus' is not one of the certainty levels" in text and "Allowed: confirmed, reported" in text
    page.select_option("#f-certainty", "confirmed")
    page.wait_for_selector("body[data-loaded]")
    assert page.locator("#message.error").count() == 0
    shot(page, "error-then-fixed")


def test_filters_live_in_the_address_and_survive_a_reload(watched: Watched, site: Site):
    page = open_page(watched, site)
    assert page.locator("#f-country option[value='ML']").inner_text() == "Mali (ML)"
    assert page.locator("#dl-actor option[value='Africa Corps']").count() == 1  # autocomplete from what is loaded
    assert page.locator("#dl-equipment option[value='T-72B3']").count() == 1
    reload_with(page, lambda: page.select_option("#f-country", "ML"))
    page.fill("#f-since", "2025")
    reload_with(page, lambda: page.press("#f-since", "Enter"))
    assert "country=ML" in page.url and "since=2025" in page.url
    page.reload()
    page.wait_for_selector("body[data-loaded]")
    assert page.input_value("#f-country") == "ML" and page.input_value("#f-since") == "2025"
    shown = page.evaluate("orbat.state.observations.map(o => [o.country, o.last_seen])")
    assert shown and all(c == "ML" and last >= "2025" for c, last in shown)
    shot(page, "mali-filtered")


def test_table_sorts_filters_and_links_to_map_and_timeline(watched: Watched, site: Site):
    page = open_page(watched, site)
    page.click("#tab-table")
    rows = page.locator("#obs-table tbody tr")
    total = page.evaluate("orbat.state.observations.length")
    assert rows.count() == total
    page.click("#obs-table th[data-col='certainty']")
    order = ["confirmed", "reported", "probable", "possible", "speculative", "denied"]
    shown = [order.index(t) for t in page.locator("#obs-table td[data-col='certainty']").all_inner_texts()]
    assert shown == sorted(shown)
    page.click("#obs-table th[data-col='certainty']")
    shown = [order.index(t) for t in page.locator("#obs-table td[data-col='certainty']").all_inner_texts()]
    assert shown == sorted(shown, reverse=True)
    page.fill("#table-filter", "T-72B3")
    systems = page.locator("#obs-table td[data-col='equipment']").all_inner_texts()
    assert systems and all("T-72B3" in s for s in systems) and len(systems) < total
    tank = page.locator("#obs-table tbody tr").first
    tank_id = tank.get_attribute("data-id")
    tank.click()
    page.wait_for_selector(f"#obs-table tr.selected[data-id='{tank_id}']")
    assert page.locator(f".obs-marker.selected[data-id='{tank_id}']").count() == 1
    assert page.evaluate("orbat.timeline.getSelection()") == [tank_id]
    assert page.locator("#table-pane").is_visible()  # the table stays open; evidence is one tab away
    # symbols are filled by operator, and the legend names the colours
    assert page.locator("#legend-operators li").count() >= 2
    shot(page, "table")
