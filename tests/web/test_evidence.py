"""The evidence panel's reviews as an analyst uses them: the Correct box's own example works, a
rejected claim stays visible struck through with an undo, and messages are in words."""

from __future__ import annotations

from tests.web.conftest import Site, Watched, shot
from tests.web.test_page import open_evidence, open_page


def _observation_with_claims(site: Site, least: int, skip: set[str]) -> dict:
    rows = site.get("/api/observations")["observations"]
    found = [o for o in rows if o["claim_count"] >= least and o["first_seen"] and o["equipment"]
             and o["equipment"] not in skip and o["country"] != "ML"]
    assert found, f"examples/ should give an observation outside Mali with {least}+ claims"
    return found[0]


def test_correct_box_example_is_accepted(watched: Watched, site: Site):
    page = open_page(watched, site)
    obs = _observation_with_claims(site, 1, set())
    open_evidence(page, obs["id"])
    page.fill("#token", site.analyst)
    claim = page.locator("#panel .claim").first
    claim_id = claim.get_attribute("data-claim")
    claim.locator(".correct").click()
    box = claim.locator(".fields")
    assert '{"quantity": 7}' in box.get_attribute("placeholder")
    box.fill('{"quantity": 7}')
    claim.locator(".correct").click()
    page.wait_for_selector("#message.ok")
    said = page.inner_text("#message")
    assert "recorded" in said and "corrected" in said and claim_id not in said
    stored = site.get(f"/api/claims/{claim_id}")
    fields = [r["fields"] for r in stored["reviews"] if r["action"] == "correct"]
    assert {"quantity_min": 7, "quantity_max": 7}.items() <= fields[-1].items()
    assert "quantity min → 7" in claim.locator(".reviews").inner_text()
    page.locator("#message .dismiss").click()
    assert page.inner_text("#message") == ""


def test_rejected_claim_is_struck_through_and_undo_is_a_new_review(watched: Watched, site: Site):
    page = open_page(watched, site)
    obs = _observation_with_claims(site, 2, {"T-72B3"})
    open_evidence(page, obs["id"])
    page.fill("#token", site.analyst)
    claim = page.locator("#panel .claim").last
    claim_id = claim.get_attribute("data-claim")
    claim.locator(".reject").click()
    page.wait_for_selector(f"#panel .claim.rejected[data-claim='{claim_id}'] .undo")
    assert page.evaluate("""id => getComputedStyle(document.querySelector(`#panel .claim[data-claim='${id}'] .excerpt`))
                              .textDecorationLine""", claim_id) == "line-through"
    shot(page, "rejected-claim")
    page.evaluate("id => orbat.select(id, 'test')", obs["id"])  # open the panel again: still shown
    page.wait_for_selector(f"#panel .claim.rejected[data-claim='{claim_id}']")
    page.locator(f"#panel .claim[data-claim='{claim_id}'] .undo").click()
    page.wait_for_selector(f"#panel .claim:not(.rejected)[data-claim='{claim_id}']")
    actions = [r["action"] for r in site.get(f"/api/claims/{claim_id}")["reviews"]]
    assert actions[-2:] == ["reject", "accept"]  # undo appends; nothing is deleted
    assert site.get(f"/api/claims/{claim_id}")["status"] == "accepted"
