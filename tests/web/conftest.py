"""The web page in headless Chromium against the real API over a real knowledge base.

One SQLite file per session (examples/ plus two reports of our own, ingested through the real
pipeline), the real app (`orbat.serve.app.create_app`) served by uvicorn on 127.0.0.1 in a
thread, and Debian's `chromium` driven by Playwright over a pipe. Nothing is downloaded:
`playwright install` is never run; `scripts/test.sh` installs `chromium` with apt-get and the
page's libraries with `npm ci`. Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tests.own_reports import COUNTRY_ONLY

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A scraped page that tries everything: a script, an event handler, a javascript: link in the
# text, markup in the title and publisher, and a javascript: URL as the document's address.
HOSTILE = """---
title: "<script>window.pwned=1</script> Grad launchers <img src=x onerror=\\"window.pwned=1\\">"
publisher: "Hostile <b>Wire</b> <img src=x onerror=\\"window.pwned=1\\">"
url: "javascript:window.pwned=1"
published: 2025-02-03
---
Six BM-21 Grad rocket launchers were filmed arriving in Kidal on February 1, 2025 \
<script>window.pwned=1</script> <img src=x onerror="window.pwned=1"> \
<a href="javascript:window.pwned=1">see the footage</a>.
"""
SCRIPT = "<script>window.pwned=1</script>"
IMG = '<img src=x onerror="window.pwned=1">'


@dataclass
class Site:
    base: str
    db: str
    analyst: str
    second_analyst: str
    viewer: str

    def get(self, path: str):
        with urllib.request.urlopen(self.base + path, timeout=10) as response:
            return json.loads(response.read())


def _ingest(db: str, paths: list[Path]) -> None:
    from orbat.ingest import ingest
    from orbat.settings import Settings
    from orbat.store import open_store

    with open_store(db) as store:
        ingest([str(p) for p in paths], store, Settings())


def _tokens(db: str) -> tuple[str, str, str]:
    from orbat.store import open_store
    from orbat.tokens import create_token

    with open_store(db) as store:
        analyst, _ = create_token(store, "analyst", "web-test analyst")
        second, _ = create_token(store, "analyst", "web-test second analyst")
        viewer, _ = create_token(store, "viewer", "web-test viewer")
    return analyst, second, viewer


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real app over examples/ + our two reports, on a free loopback port."""
    if not (ROOT / "node_modules" / "leaflet").is_dir():
        pytest.fail("node_modules/ is missing: run `bash scripts/test.sh` (it runs `npm ci`)", pytrace=False)
    import uvicorn

    from orbat.serve.app import create_app

    root = tmp_path_factory.mktemp("web-kb")
    hostile = root / "hostile-grad.md"
    hostile.write_text(HOSTILE, encoding="utf-8")
    country_only = root / "mali-c295.md"
    country_only.write_text(COUNTRY_ONLY, encoding="utf-8")
    db = str(root / "orbat.db")
    _ingest(db, [EXAMPLES, hostile, country_only])
    analyst, second, viewer = _tokens(db)

    server = uvicorn.Server(
        uvicorn.Config(create_app(db), host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the orbat app did not start under uvicorn", pytrace=False)
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    # The first read builds the observation index and loads the country points; done here so the
    # first test's page load is not the one that pays for it on a busy machine.
    urllib.request.urlopen(f"http://127.0.0.1:{port}/api/observations", timeout=120).read()
    yield Site(f"http://127.0.0.1:{port}", db, analyst, second, viewer)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `bash scripts/test.sh`, which installs Debian's `chromium`", pytrace=False
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watched:
    """A page plus everything it did: requests, console lines, page errors, CSP violations."""

    page: object
    requests: list[str]
    console: list[tuple[str, str]]
    errors: list[str]

    def csp_violations(self) -> list[str]:
        found = self.page.evaluate("window.__cspViolations || []")
        return found + [text for _, text in self.console if "Content Security Policy" in text]


@pytest.fixture
def watched(browser, site: Site) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script("""
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation',
            e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
    """)
    page = context.new_page()
    page.set_default_timeout(10_000)
    seen = Watched(page, [], [], [])
    page.on("request", lambda r: seen.requests.append(r.url))
    page.on("console", lambda m: seen.console.append((m.type, m.text)))
    page.on("pageerror", lambda e: seen.errors.append(str(e)))
    yield seen
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"))


FIRST_PAGE = re.compile(r'(<script type="application/json" id="orbat-first-page">)(.*?)(</script>)', re.S)


def rewrite_observations(page, change, ask=None) -> None:
    """Pass every page of observations the browser gets through `change(answer)`: the answers of
    `/api/observations` (asked at `ask(url)` when given) and the first page the server sends
    inside index.html."""

    def api(route):
        data = route.fetch(url=ask(route.request.url) if ask else None).json()
        change(data)
        route.fulfill(json=data)

    def document(route):
        response = route.fetch()
        html = response.text()
        found = FIRST_PAGE.search(html)
        assert found, "the page should carry its first page of observations"
        sent = json.loads(found.group(2))
        change(sent["answer"])
        text = json.dumps(sent).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        route.fulfill(status=200, headers={"Content-Type": "text/html; charset=utf-8",
                                           "Content-Security-Policy": response.headers["content-security-policy"]},
                      body=html[: found.start(2)] + text + html[found.end(2):])

    page.route("**/api/observations?*", api)
    page.route("**/api/observations", api)
    page.route(lambda url: urlsplit(url).path in ("/", "/index.html"), document)
