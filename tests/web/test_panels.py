"""The side panels analysts asked for in issue 13: a country's posture, the review queue, what is
new since the last visit (headless Debian chromium over the real API)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import urllib.request
from pathlib import Path

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
        " e.querySelector('[data-col=certainty]').textContent, e.closest('section').dataset.class])"
    )
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
    other = next(
        c
        for c in page.locator("#posture-country option").evaluate_all("els => els.map(e => e.value)")
        if c and c != "ML" and site.get(f"/api/posture/{c}")["posture"]
    )
    reload_with(page, lambda: page.select_option("#posture-country", other))
    page.wait_for_selector(f"#posture-body[data-country='{other}'] .posture-class")
    assert page.input_value("#f-country") == other
    assert watched.errors == []


def test_review_queue_puts_heavy_claims_first_and_reviews_from_the_keyboard(watched: Watched, site: Site):
    page = open_page(watched, site)
    reload_with(page, lambda: page.select_option("#f-country", "ML"))
    page.click("#tab-queue")
    page.wait_for_selector("#queue-list[data-loaded] .queue-item")
    expected = site.get("/api/review-queue?country=ML&limit=100")["claims"]
    shown = page.locator(".queue-item").evaluate_all("els => els.map(e => [e.dataset.claim, +e.dataset.impact])")
    assert [claim for claim, _ in shown] == [q["id"] for q in expected]
    impacts = [impact for _, impact in shown]
    assert impacts == sorted(impacts, reverse=True) and impacts[0] > 1
    assert f"behind {impacts[0]} observation(s)" in page.inner_text(".queue-item >> nth=0")
    assert page.locator(".queue-item.current").get_attribute("data-claim") == shown[0][0]
    shot(page, "review-queue")

    page.keyboard.press("a")  # no token yet: refused in words, nothing recorded
    page.wait_for_selector("#message.error")
    assert "token" in page.inner_text("#message")

    page.fill("#token", site.viewer)
    page.locator(".queue-item >> nth=0 >> .excerpt").click()
    page.keyboard.press("a")
    page.wait_for_function("() => document.getElementById('message').textContent.includes('403')")

    page.fill("#token", site.analyst)
    page.locator(".queue-item >> nth=0 >> .excerpt").click()
    page.keyboard.press("a")
    page.wait_for_selector(".queue-item[data-status='accepted']")
    assert page.locator(".queue-item.current").get_attribute("data-claim") == shown[1][0]  # on to the next
    page.keyboard.press("r")
    page.wait_for_selector(".queue-item[data-status='rejected']")
    page.keyboard.press("k")
    assert page.locator(".queue-item.current").get_attribute("data-claim") == shown[1][0]
    shot(page, "review-queue-reviewed")

    accepted, rejected = (site.get(f"/api/claims/{claim}") for claim, _ in shown[:2])
    assert accepted["status"] == "accepted" and rejected["status"] == "rejected"
    assert {r["reviewer"] for r in accepted["reviews"] + rejected["reviews"]} == {"web-test analyst"}
    left = [q["id"] for q in site.get("/api/review-queue?country=ML&limit=5000")["claims"]]
    assert shown[0][0] not in left and shown[1][0] not in left

    page.keyboard.press("j")
    page.keyboard.press("Enter")  # the current claim's observation, with the claim in its evidence
    page.wait_for_selector(f"#panel[data-observation] .claim[data-claim='{shown[2][0]}']")
    assert page.get_attribute("#tab-evidence", "aria-selected") == "true"
    tokens = (site.analyst, site.viewer)
    assert not [u for u in watched.requests if any(t in u for t in tokens)]
    assert watched.errors == []

    # put the rejected claim back, so the other tests see the examples' observations whole
    restore = urllib.request.Request(
        f"{site.base}/api/claims/{shown[1][0]}/reviews",
        method="POST",
        data=json.dumps({"action": "accept"}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {site.analyst}"},
    )
    with urllib.request.urlopen(restore, timeout=10) as answer:
        assert answer.status == 201


def test_new_since_my_last_visit_is_kept_in_local_storage(watched: Watched, site: Site):
    page = watched.page
    page.goto(site.base + "/?country=ML")  # first visit: Mali only
    page.wait_for_selector("body[data-loaded]")
    assert "First visit" in page.inner_text("#count")
    assert page.locator(".obs-marker.novelty").count() == 0
    mali = set(page.evaluate("orbat.state.observations.map(o => o.id)"))
    stored = page.evaluate("JSON.parse(localStorage.getItem('orbat.visits'))")
    assert set(stored["seen"]) == mali

    # as if one Mali observation had gained a claim since: the browser remembered one claim fewer
    grown = sorted(mali)[0]
    page.evaluate(
        "id => { const v = JSON.parse(localStorage.getItem('orbat.visits'));"
        " v.seen[id] -= 1; localStorage.setItem('orbat.visits', JSON.stringify(v)); }",
        grown,
    )

    page.goto(site.base + "/")  # next visit, every country
    page.wait_for_selector("body[data-loaded]")
    everything = page.evaluate("orbat.state.observations.map(o => [o.id, o.novelty])")
    fresh = {i for i, n in everything if n == "new"}
    assert fresh == {i for i, _ in everything} - mali  # what was never shown is new
    assert {i for i, n in everything if n == "updated"} == {grown}
    line = page.inner_text("#count .novelty-line")
    assert f"{len(fresh)} new, 1 with more evidence since your last visit" in line
    drawn_new = set(page.locator(".obs-marker.novelty").evaluate_all("els => els.map(e => e.dataset.id)"))
    assert drawn_new and drawn_new <= fresh | {grown}
    assert not drawn_new & (mali - {grown})

    page.check("#new-only")
    page.wait_for_function("document.querySelector('#count .novelty-line').textContent.includes('only these')")
    on_map = set(page.locator(".obs-marker").evaluate_all("els => els.map(e => e.dataset.id)"))
    assert on_map and on_map <= fresh | {grown}
    timeline = set(page.locator(".vis-item .tl-item").evaluate_all("els => els.map(e => e.dataset.id)"))
    assert timeline <= fresh | {grown}
    rows = set(page.locator("#obs-table tbody tr").evaluate_all("els => els.map(e => e.dataset.id)"))
    assert rows == fresh | {grown}
    shot(page, "new-since-last-visit")

    page.reload()  # everything has now been shown: nothing is new any more
    page.wait_for_selector("body[data-loaded]")
    assert page.evaluate("orbat.state.observations.filter(o => o.novelty).length") == 0
    assert "0 new, 0 with more evidence" in page.inner_text("#count .novelty-line")
    assert watched.errors == []


def _period_ms(first: str | None, last: str | None) -> tuple[float, float] | None:
    """An observation's period in ms since 1970 UTC, a partial date covering its whole year or month."""

    def bounds(text: str) -> tuple[dt.datetime, dt.datetime]:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 1:
            return dt.datetime(parts[0], 1, 1, tzinfo=dt.UTC), dt.datetime(parts[0] + 1, 1, 1, tzinfo=dt.UTC)
        if len(parts) == 2:
            start = dt.datetime(parts[0], parts[1], 1, tzinfo=dt.UTC)
            return start, (start + dt.timedelta(days=32)).replace(day=1)
        start = dt.datetime(*parts, tzinfo=dt.UTC)
        return start, start + dt.timedelta(days=1)

    if not first:
        return None
    start, end = bounds(first)[0], bounds(last or first)[1]
    return start.timestamp() * 1000, max(end, bounds(first)[1]).timestamp() * 1000


def _expected_in_window(site: Site, start: float, end: float) -> set[str]:
    rows = site.get("/api/observations?limit=5000")["observations"]
    located = [o for o in rows if o["located"]]
    periods = {o["id"]: _period_ms(o["first_seen"], o["last_seen"]) for o in located}
    return {i for i, p in periods.items() if p and p[0] < end and p[1] > start}


def _drawn(page) -> set[str]:
    return set(page.locator(".obs-marker").evaluate_all("els => els.map(e => e.dataset.id)"))


def test_brushing_the_timeline_filters_the_map_and_a_scale_bar_follows_the_zoom(watched: Watched, site: Site):
    page = open_page(watched, site)
    everything = _drawn(page)
    page.evaluate("orbat.timeline.setWindow(Date.UTC(2025, 0, 1), Date.UTC(2025, 2, 1), {animation: false})")
    page.check("#brush")
    window = page.evaluate("[+orbat.timeline.getWindow().start, +orbat.timeline.getWindow().end]")
    expected = _expected_in_window(site, *window)
    assert 0 < len(expected) < len(everything)
    assert _drawn(page) == expected
    assert "Map shows only the timeline's window, 2025-01-01" in page.inner_text("#count .brush-line")
    shot(page, "brushed")

    box = page.locator("#timeline").bounding_box()  # drag the timeline a year back, as a user pans
    y = box["y"] + box["height"] - 20
    page.mouse.move(box["x"] + 200, y)
    page.mouse.down()
    page.mouse.move(box["x"] + 600, y, steps=8)
    page.mouse.up()
    page.wait_for_function("w => +orbat.timeline.getWindow().start < w", arg=window[0])
    page.wait_for_timeout(300)
    moved = page.evaluate("[+orbat.timeline.getWindow().start, +orbat.timeline.getWindow().end]")
    assert moved[0] < window[0]
    assert _drawn(page) == _expected_in_window(site, *moved)

    page.uncheck("#brush")
    assert _drawn(page) == everything

    scale = page.locator(".leaflet-control-scale-line")
    assert scale.is_visible()
    wide = scale.inner_text()
    page.evaluate("orbat.map.setView([12.6, -8.0], 9, {animate: false})")
    page.wait_for_function("t => document.querySelector('.leaflet-control-scale-line').textContent !== t", arg=wide)
    close = scale.inner_text()

    def metres(text: str) -> float:
        number, unit = text.split()
        return float(number) * (1000 if unit == "km" else 1)

    assert metres(close) < metres(wide) and close.split()[1] in ("km", "m")
    shot(page, "scale-zoomed")


def test_export_links_download_the_current_view(watched: Watched, site: Site):
    page = open_page(watched, site)
    reload_with(page, lambda: page.select_option("#f-country", "ML"))
    reload_with(page, lambda: page.select_option("#f-certainty", "confirmed"))
    shown = set(page.evaluate("orbat.state.observations.map(o => o.id)"))
    assert shown and page.evaluate("orbat.state.total") == len(shown)

    with page.expect_download() as csv_download:
        page.click("#export-csv")
    text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["observation_id"] for r in rows} == shown
    assert {(r["country"], r["certainty"]) for r in rows} == {("Mali", "confirmed")}
    assert csv_download.value.suggested_filename.endswith(".csv")

    with page.expect_download() as geo_download:
        page.click("#export-geojson")
    collection = json.loads(Path(geo_download.value.path()).read_text(encoding="utf-8"))
    assert {f["id"] for f in collection["features"] if f["properties"]["kind"] == "observation"} == shown

    with page.expect_download() as kml_download:
        page.click("#export-kml")
    kml = Path(kml_download.value.path()).read_text(encoding="utf-8")
    assert all(f'id="{i}"' in kml for i in shown) and kml.count('<Placemark id="obs-') == len(shown)
    assert watched.errors == []


def test_page_arrives_compressed_and_a_second_visit_reuses_its_files(browser, site: Site):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    seen: dict[str, dict] = {}
    sent: dict[str, float] = {}
    cached: set[str] = set()
    cdp.on("Network.responseReceived", lambda e: seen.__setitem__(e["requestId"], e["response"]))
    cdp.on("Network.loadingFinished", lambda e: sent.__setitem__(e["requestId"], e["encodedDataLength"]))
    cdp.on("Network.requestServedFromCache", lambda e: cached.add(e["requestId"]))
    try:
        page.goto(site.base + "/")
        page.wait_for_selector("body[data-loaded]")
        page.wait_for_load_state("networkidle")
        files = {i: r for i, r in seen.items() if re.search(r"/(static|vendor)/[0-9a-f]{12}/", r["url"])}
        names = " ".join(r["url"] for r in files.values())
        assert "leaflet.js" in names and "app.js" in names and "countries-50m.json" in names
        for response in files.values():
            headers = {k.lower(): v for k, v in response["headers"].items()}
            assert headers["cache-control"] == "public, max-age=31536000, immutable"
            if response["url"].endswith((".js", ".css", ".json")) and int(headers.get("content-length", 2000)) > 1024:
                assert headers.get("content-encoding") in ("gzip", "br"), response["url"]
        raw = sum(len(urllib.request.urlopen(r["url"], timeout=10).read()) for r in files.values())
        over_the_wire = sum(sent.get(i, 0) for i in files)
        assert over_the_wire < raw / 2.5  # 2.4 MB of files travel as well under 1 MB

        seen.clear()
        sent.clear()
        cached.clear()
        page.goto(site.base + "/?country=ML")  # a later visit: the hashed files come from the cache
        page.wait_for_selector("body[data-loaded]")
        page.wait_for_load_state("networkidle")
        again = {i: r for i, r in seen.items() if re.search(r"/(static|vendor)/[0-9a-f]{12}/", r["url"])}
        assert again and all(
            r.get("fromDiskCache") or r.get("fromMemoryCache") or i in cached for i, r in again.items()
        )
        shot(page, "second-visit-cached")
    finally:
        context.close()


def test_docs_page_describes_every_route_offline_and_sends_a_query(watched: Watched, site: Site):
    page = watched.page
    page.goto(site.base + "/docs")
    schema = site.get("/openapi.json")
    routes = page.locator("section.route").evaluate_all("els => els.map(e => e.dataset.path)")
    assert set(routes) == set(schema["paths"])
    posture = page.locator("section.route[data-path='/api/posture/{country}']")
    table = posture.locator("table.parameters").inner_text()
    assert "country" in table and "ISO 3166-1 alpha-2" in table and "required" in table and "since" in table
    certainty = page.locator("section.route[data-path='/api/observations'] table.parameters tr", has_text="certainty")
    assert "speculative" in certainty.inner_text()
    review = page.locator("section.route[data-path='/api/claims/{claim_id}/reviews']").inner_text()
    assert "accept, reject or correct" in review and "quantity_min" in review
    shot(page, "docs")

    form = page.locator("section.route[data-path='/api/observations'] form.try")
    form.locator("input[name=country]").fill("ML")
    form.locator("input[name=limit]").fill("3")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/api/observations?*")
    answer = json.loads(page.locator("body").inner_text())
    assert answer["total"] == site.get("/api/observations?country=ML")["total"] and len(answer["observations"]) == 3
    outside = [u for u in watched.requests if not u.startswith(site.base + "/")]
    assert outside == [] and watched.csp_violations() == [] and watched.errors == []


def test_the_first_observations_come_with_the_page_and_the_timeline_comes_after_the_symbols(
    watched: Watched, site: Site
):
    page = watched.page
    page.add_init_script("""
        new MutationObserver(function (records, observer) {
          if (!document.querySelector('.obs-marker')) return;
          observer.disconnect();
          window.__firstSymbolAt = performance.now();
        }).observe(document, { childList: true, subtree: true });
    """)
    page.goto(site.base + "/?country=ML&certainty=confirmed")
    page.wait_for_selector("body[data-loaded]")
    assert [u for u in watched.requests if "/api/observations?" in u] == []  # sent inside the page
    expected = site.get("/api/observations?country=ML&certainty=confirmed")
    assert page.evaluate("orbat.state.observations.map(o => o.id)") == [o["id"] for o in expected["observations"]]
    assert page.evaluate("orbat.state.total") == expected["total"] > 0
    timing = page.evaluate("""() => ({
        timeline: performance.getEntriesByType('resource')
            .find(e => e.name.includes('vis-timeline-graph2d.min.js')).startTime,
        symbol: window.__firstSymbolAt })""")
    assert timing["timeline"] > timing["symbol"]  # the timeline library is fetched once symbols are on the map
    assert page.evaluate("orbat.timeline.itemsData.length") > 0
    # a new filter is asked for as before
    page.select_option("#f-certainty", "reported")
    page.wait_for_selector("body[data-loaded='2']")
    asked = [u for u in watched.requests if "/api/observations?" in u]
    assert len(asked) == 1 and "country=ML" in asked[0] and "certainty=reported" in asked[0]
    assert set(page.evaluate("orbat.state.observations.map(o => o.certainty)")) <= {"reported"}
    assert watched.errors == []


def test_the_map_and_table_work_when_the_timeline_library_does_not_load(watched: Watched, site: Site):
    page = watched.page
    page.route("**/vis-timeline-graph2d.min.js", lambda route: route.abort())
    page.goto(site.base + "/")
    page.wait_for_selector("body[data-loaded]")
    assert "did not load" in page.inner_text("#timeline")
    shown = page.evaluate("orbat.state.observations.length")
    assert page.locator(".obs-marker").count() > 0
    page.click("#tab-table")
    assert page.locator("#obs-table tbody tr").count() == shown
    row = page.locator("#obs-table tbody tr").first
    obs_id = row.get_attribute("data-id")
    row.click()  # selecting without a timeline: the map marks it, the evidence loads
    page.wait_for_selector(f"#panel[data-observation='{obs_id}'] .claim", state="attached")
    assert page.locator(f".obs-marker.selected[data-id='{obs_id}']").count() == 1
    page.click("#tab-evidence")
    assert page.locator(f"#panel[data-observation='{obs_id}'] .claim").first.is_visible()
    assert watched.errors == []
