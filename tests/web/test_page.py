"""The page as an analyst uses it: filter, map, timeline, evidence, review (headless Chromium)."""

from __future__ import annotations

import re

from tests.web.conftest import IMG, SCRIPT, Site, Watched, rewrite_observations, shot


def open_page(watched: Watched, site: Site):
    page = watched.page
    page.goto(site.base + "/")
    page.wait_for_selector("body[data-loaded]")
    return page


def reload_with(page, action) -> None:
    """Run `action` (a filter change) and wait until the page has drawn the new result."""
    before = page.get_attribute("body", "data-loaded")
    action()
    page.wait_for_function("before => document.body.getAttribute('data-loaded') !== before", arg=before)


def mali_t72b3(site: Site) -> dict:
    rows = site.get("/api/observations?country=ML")["observations"]
    found = [o for o in rows if o["equipment"] == "T-72B3" and o["lat"] is not None]
    assert found, "examples/ should give a located T-72B3 observation in Mali"
    return max(found, key=lambda o: o["sources"])


def open_evidence(page, obs_id: str) -> None:
    """Click the observation's timeline item (brought into view first, as a user would scroll)."""
    page.evaluate("id => orbat.showInTimeline(id)", obs_id)
    page.locator(f".vis-item .tl-item[data-id='{obs_id}']").click()
    page.wait_for_selector(f"#panel[data-observation='{obs_id}'] .claim mark")


def test_mali_t72b3_on_map_timeline_and_evidence(watched: Watched, site: Site):
    page = open_page(watched, site)
    shot(page, "all")
    reload_with(page, lambda: page.select_option("#f-country", "ML"))
    obs = mali_t72b3(site)

    countries = page.evaluate("orbat.state.observations.map(o => o.country)")
    assert countries and set(countries) == {"ML"}
    marker = page.locator(f".leaflet-marker-pane .obs-marker[data-id='{obs['id']}']")
    assert marker.count() == 1 and marker.get_attribute("src").startswith("data:image/svg+xml")
    item = page.locator(f".vis-item .tl-item[data-id='{obs['id']}']")
    assert "T-72B3" in item.inner_text()

    open_evidence(page, obs["id"])
    assert page.locator(f".leaflet-marker-pane .obs-marker.selected[data-id='{obs['id']}']").count() == 1
    claims = site.get(f"/api/observations/{obs['id']}")["claims"]
    page.wait_for_function("n => document.querySelectorAll('#panel .claim mark').length === n", arg=len(claims))
    documents = page.locator("#panel .doc").evaluate_all("els => els.map(e => e.dataset.document)")
    assert sorted(documents) == sorted({c["document_id"] for c in claims})  # each document once
    dates = [next(c["published"] or "9999" for c in claims if c["document_id"] == d) for d in documents]
    assert dates == sorted(dates)  # oldest first
    for claim in claims:
        box = page.locator(f"#panel .claim[data-claim='{claim['id']}']")
        assert box.locator("mark").inner_text() == claim["sentence"]
        text = site.get(f"/api/documents/{claim['document_id']}")["text"]
        doc = page.locator(f"#panel .doc[data-document='{claim['document_id']}']")
        assert doc.locator(".whole .source-text").text_content() == text
        assert doc.locator(".doc-head .publisher").inner_text() == (claim["publisher"] or "unknown publisher")
        assert claim["certainty"] in box.locator(".certainty-badge").inner_text().lower()
    head = page.locator("#panel .doc-head").first  # dark text on the panel's light ground, not the page header's
    assert head.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    # one scroll area: the panel scrolls, nothing inside it does
    inner = page.evaluate("""() => [...document.querySelectorAll('#panel *')].filter(e => {
        const s = getComputedStyle(e);
        return /(auto|scroll)/.test(s.overflowY) && e.scrollHeight > e.clientHeight; }).length""")
    assert inner == 0
    shot(page, "mali-evidence")


def test_filters_narrow_map_and_timeline_together(watched: Watched, site: Site):
    page = open_page(watched, site)
    everything = page.evaluate("orbat.state.observations.length")
    reload_with(page, lambda: page.select_option("#f-country", "ML"))
    reload_with(page, lambda: page.select_option("#f-certainty", "confirmed"))
    shown = page.evaluate("orbat.state.observations.map(o => [o.country, o.certainty, o.id])")
    assert 0 < len(shown) < everything
    assert {(c, k) for c, k, _ in shown} == {("ML", "confirmed")}
    items = page.locator(".vis-item .tl-item").evaluate_all("els => els.map(e => e.dataset.id)")
    dated = page.evaluate("orbat.state.observations.filter(o => o.first_seen).map(o => o.id)")
    assert sorted(items) == sorted(dated)
    on_map = page.locator(".obs-marker").evaluate_all("els => els.map(e => e.dataset.id)")
    assert set(on_map) <= {i for _, _, i in shown}


def test_review_as_analyst_is_recorded_and_viewer_is_refused(watched: Watched, site: Site):
    page = open_page(watched, site)
    reload_with(page, lambda: page.select_option("#f-country", "ML"))
    obs = mali_t72b3(site)
    open_evidence(page, obs["id"])
    claim = page.locator("#panel .claim").first
    claim_id = claim.get_attribute("data-claim")

    claim.locator(".accept").click()  # no token yet
    page.wait_for_selector("#message.error")

    page.fill("#token", site.viewer)
    claim.locator(".comment").fill("viewer tries")
    claim.locator(".accept").click()
    page.wait_for_function("() => document.getElementById('message').textContent.includes('403')")
    shot(page, "review-refused")

    page.fill("#token", site.analyst)
    claim.locator(".comment").fill("matches the footage")
    claim.locator(".accept").click()
    page.wait_for_selector("#message.ok")
    assert "recorded" in page.inner_text("#message")
    assert "matches the footage" in claim.locator(".reviews").inner_text()
    claim.locator(".status.accepted").wait_for()

    page.fill("#token", site.second_analyst)  # a second reviewer disagrees: the page shows the conflict
    claim.locator(".comment").fill("not in the imagery")
    claim.locator(".reject").click()
    claim.locator(".status.conflict").wait_for()
    assert "not in the imagery" in claim.locator(".reviews").inner_text()
    shot(page, "review-conflict")

    stored = next(c for c in site.get(f"/api/observations/{obs['id']}")["claims"] if c["id"] == claim_id)
    comments = [(r.get("action"), r.get("comment")) for r in stored["reviews"]]
    assert ("accept", "matches the footage") in comments and ("reject", "not in the imagery") in comments
    assert stored["status"] == "conflict"
    assert all(r.get("comment") != "viewer tries" for r in stored["reviews"])
    assert page.evaluate("sessionStorage.getItem('orbat.token')") == site.second_analyst
    tokens = (site.analyst, site.second_analyst, site.viewer)
    assert not [u for u in watched.requests if any(t in u for t in tokens)]


def test_every_request_stays_on_the_server(watched: Watched, site: Site):
    page = watched.page
    response = page.goto(site.base + "/")
    assert "default-src 'self'" in response.headers["content-security-policy"]  # else the CSP checks prove nothing
    page.wait_for_selector("body[data-loaded]")
    reload_with(page, lambda: page.select_option("#f-country", "ML"))
    obs = mali_t72b3(site)
    open_evidence(page, obs["id"])
    page.locator("#panel .entity-link[data-kind='equipment']").first.click()
    page.wait_for_selector("#panel[data-entity='equipment/t-72b3']")
    assert "T-72B3 @ Bamako" in page.inner_text("#panel .entity-observations")
    assert "Bamako — " in page.inner_text("#panel .entity-places")  # a profile, not a key/value dump
    assert page.locator("#panel dl.facts").count() == 0
    shot(page, "entity")
    page.locator("#panel .entity-link", has_text="back").click()
    page.locator(f"#panel[data-observation='{obs['id']}'] .entity-link[data-kind='actor']").first.click()
    page.wait_for_selector("#panel[data-entity^='actor/'] .entity-observations li")
    page.wait_for_load_state("networkidle")
    assert watched.requests, "the page made no request at all?"
    outside = [u for u in watched.requests if not u.startswith(site.base + "/") and not u.startswith("data:")]
    assert outside == []
    assert any(re.search(r"/vendor/[0-9a-f]{12}/world-atlas/", u) for u in watched.requests)  # content-hashed
    assert watched.errors == []
    assert [text for kind, text in watched.console if kind == "error"] == []  # no 404s, no failed loads
    assert watched.csp_violations() == []


def test_invalid_sidc_falls_back_to_a_generic_symbol(watched: Watched, site: Site):
    page = watched.page
    obs = mali_t72b3(site)

    def bad_sidc(data):
        for row in data["observations"]:
            if row["id"] == obs["id"]:
                row["sidc"] = "ZZZZ-not-a-sidc"

    rewrite_observations(page, bad_sidc)
    open_page(watched, site)
    marker = page.locator(f".obs-marker[data-id='{obs['id']}']")
    assert marker.get_attribute("src").startswith("data:image/svg+xml")
    warnings = [text for kind, text in watched.console if kind == "warning" and "invalid SIDC" in text]
    assert len(warnings) == 1 and "ZZZZ-not-a-sidc" in warnings[0]
    assert page.locator(".obs-marker").count() > 1 and page.locator(".vis-item").count() > 1
    assert watched.errors == []


def test_hostile_text_is_shown_as_text_everywhere(watched: Watched, site: Site):
    page = watched.page

    def poison(data):  # source-derived strings in every field the map and timeline show
        for row in data["observations"]:
            row["place"] = f"{row['place']} {SCRIPT}"
            row["headline"] = IMG

    rewrite_observations(page, poison)
    open_page(watched, site)
    hostile = [o for o in site.get("/api/observations?q=Grad")["observations"]]
    assert hostile, "the hostile report should give an observation"
    obs = hostile[0]

    item = page.locator(f".vis-item .tl-item[data-id='{obs['id']}']")
    assert SCRIPT in item.inner_text() and IMG in item.inner_text()
    if obs["lat"] is not None:
        page.evaluate("o => orbat.map.setView([o.lat, o.lon], 8, {animate: false})", obs)  # zoom in, as a reader would
        page.locator(f".obs-marker[data-id='{obs['id']}']").click()
        popup = page.locator(".leaflet-popup-content")
        assert SCRIPT in popup.inner_text() and IMG in popup.inner_text()
        page.wait_for_selector(f"#panel[data-observation='{obs['id']}'] .claim mark")
    else:
        open_evidence(page, obs["id"])
    panel = page.locator("#panel")
    text = panel.inner_text()
    assert SCRIPT in text and IMG in text and "javascript:window.pwned=1" in text
    assert "Hostile <b>Wire</b>" in text and "<script>window.pwned=1</script> Grad launchers" in text
    shot(page, "hostile")

    assert page.evaluate("window.pwned") is None
    assert page.locator("#panel img, #panel script, #panel b, .vis-item img, .leaflet-popup img").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    own = page.locator("script").evaluate_all("els => els.map(e => new URL(e.src).origin)")
    assert len(own) == 11 and set(own) == {site.base}  # the page's own, the timeline's included
    assert watched.csp_violations() == []
    assert watched.errors == []
