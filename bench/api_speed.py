"""HTTP API p50/p95 on a synthetic knowledge base, and the page's first render in headless Chromium.

    .venv/bin/python bench/api_speed.py --claims 1000000 --db /tmp/orbat-api-bench.db

The issue's figures: API p95 for posture, timeline and map on 10⁶ claims ≤ 100 ms; the page's
first render with 10 k observations ≤ 2 s in headless Chromium; its first symbols drawn ≤ 1.5 s on
localhost and ≤ 4 s over a 1.6 Mbit/s link with 150 ms latency (issue 13).

1. Builds (or reuses) a synthetic SQLite database with `query_speed.generate` — the same
   generator, imported, not copied — and brings its observation index up to date once, before
   anything is timed (the time is printed).
2. Starts the real server, `python -m orbat serve --db … --port …` (the app of
   `orbat.serve.app.create_app` under uvicorn on 127.0.0.1), as a child process, so the client's
   work never competes with the server for the GIL.
3. Times `GET /api/posture/ML`, `GET /api/timeline?country=ML` and `GET /api/map.geojson?country=ML`
   over HTTP with httpx (one keep-alive connection, `--warmup` untimed requests, then `--reps`
   timed ones): wall time from sending the request to having read the whole body.
4. On a second, smaller database (`--page-claims`, ~10 k observations) opens `/` in Debian's
   Chromium through Playwright (the launch flags of tests/web; `playwright install` is never
   run) and measures, from navigation start (`performance.timeOrigin`), the moment the page
   sets `body[data-loaded]` — markers, timeline items, routes and map features drawn — and the
   next painted frame after it. One untimed load, then `--page-loads` timed ones, each in a
   fresh browser context (empty HTTP cache). It also records when the first symbol enters the
   map and the frame after (`first symbol on screen`), and the bytes received (CDP
   `Network.loadingFinished`). Then the same again with Chromium's network emulation (CDP
   `Network.emulateNetworkConditions`: 1.6 Mbit/s each way, 150 ms per request) unless
   `--skip-throttled`.

It prints figures and met/MISSED against the targets; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from query_speed import generate, percentiles  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
# the same flags as tests/web/conftest.py
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
ROUTES = [
    ("posture", "/api/posture/ML"),
    ("timeline", "/api/timeline?country=ML"),
    ("map", "/api/map.geojson?country=ML"),
]
# Not targets: the same two list routes at their maximum limit of 5000 (every list route defaults
# to 500), to show how much of their time grows with the answer's size.
CONTRAST = [
    ("timeline/5000", "/api/timeline?country=ML&limit=5000"),
    ("map/5000", "/api/map.geojson?country=ML&limit=5000"),
]
API_P95_MS, PAGE_S = 100.0, 2.0
FIRST_SYMBOLS_S = {"localhost": 1.5, "throttled": 4.0}  # issue 13's targets for the first symbols drawn
# Chromium's own network emulation (CDP Network.emulateNetworkConditions): a 1.6 Mbit/s link each way
# with 150 ms added to every request.
THROTTLE = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 1_600_000 / 8}

# Recorded in the page: when the first symbol enters the map (and the frame after, when it is on
# screen), and when app.js sets body[data-loaded] (everything drawn) and the frame after.
READY_PROBE = """
window.__bench = {};
new MutationObserver(function (records, observer) {
  if (!document.querySelector('.obs-marker')) return;
  observer.disconnect();
  window.__bench.firstSymbol = performance.now();
  requestAnimationFrame(function () { requestAnimationFrame(function () {
    window.__bench.firstSymbolPainted = performance.now();
  }); });
}).observe(document, { childList: true, subtree: true });
new MutationObserver(function (records, observer) {
  if (!document.body || !document.body.hasAttribute('data-loaded')) return;
  observer.disconnect();
  window.__bench.loaded = performance.now();
  requestAnimationFrame(function () { requestAnimationFrame(function () {
    window.__bench.painted = performance.now();
  }); });
}).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-loaded'] });
"""


def prepare(path: Path, claims: int, regenerate: bool) -> int:
    """Generate the database unless it exists; bring its observation index up to date (untimed).

    Returns how many observations it holds."""
    from orbat import query
    from orbat.observation_index import refresh
    from orbat.store import open_store

    if regenerate or not path.exists():
        for stale in path.parent.glob(path.name + "*"):
            stale.unlink()
        seconds = generate(path, claims)
        print(f"generated {claims:,} claims in {seconds:.0f} s -> {path} ({path.stat().st_size / 1e6:.0f} MB)")
    else:
        print(f"reusing {path} ({path.stat().st_size / 1e6:.0f} MB); --regenerate to rebuild it")
    store = open_store(str(path))
    try:
        built = refresh(store.engine)
        if built.partitions:
            print(
                f"  observation index: {built.observations:,} observations from {built.partitions:,} "
                f"partitions in {built.seconds:.1f} s (built once, untimed)"
            )
        else:
            print(f"  observation index: already up to date ({built.seconds:.2f} s to check)")
        counts = query.stats(store)
        print(
            f"  database: {counts.documents:,} documents, {counts.claims:,} claims, {counts.facts:,} facts, "
            f"{counts.observations:,} observations"
        )
        return counts.observations
    finally:
        store.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m orbat serve` on a free loopback port, as a child process."""

    def __init__(self, db: Path, log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "orbat", "serve", "--db", str(db), "--port", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
        )

    def __enter__(self) -> Server:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"orbat serve exited with {self.process.returncode}; see {self.log.name}")
            try:
                if httpx.get(self.base + "/openapi.json", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"orbat serve did not answer within 60 s; see {self.log.name}")
            time.sleep(0.2)

    def __exit__(self, *_exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def items_in(path: str, body: dict) -> str:
    if path.startswith("/api/posture"):
        return f"{len(body['posture'])} rows"
    if path.startswith("/api/timeline"):
        return f"{len(body['items'])} items of {body['total']}"
    return f"{len(body['features'])} features"


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux `/proc/PID/stat`, in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_api(base: str, warmup: int, reps: int, server_pid: int) -> dict[str, float]:
    """p50/p95/max wall time per route, and the server's own CPU per request (steady under load)."""
    import httpx

    p95s = {}
    print(
        f"{'route':10} {'GET':34} {'status':>6} {'items':>14} {'bytes':>11} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
        f" {'server CPU ms':>14}"
    )
    with httpx.Client(base_url=base, timeout=120) as client:
        for name, path in ROUTES + CONTRAST:
            for _ in range(warmup):
                client.get(path).raise_for_status()
            samples, response = [], None
            cpu_before = cpu_seconds(server_pid)
            for _ in range(reps):
                started = time.perf_counter()
                response = client.get(path)
                body = response.content  # read in full before the clock stops
                samples.append((time.perf_counter() - started) * 1000)
            cpu_ms = (cpu_seconds(server_pid) - cpu_before) * 1000 / reps
            assert response is not None
            response.raise_for_status()
            p50, p95 = percentiles(samples)
            if (name, path) in ROUTES:
                p95s[name] = p95
            print(
                f"{name:10} {path:34} {response.status_code:>6} {items_in(path, response.json()):>14} "
                f"{len(body):>11,} {p50:>8.1f} {p95:>8.1f} {max(samples):>8.1f} {cpu_ms:>14.1f}"
            )
    return p95s


def one_load(browser, base: str, limit: int | None, throttled: bool = False) -> dict:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        context.add_init_script(READY_PROBE)
        page = context.new_page()
        page.set_default_timeout(120_000)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        if throttled:
            cdp.send("Network.emulateNetworkConditions", THROTTLE)
        received: list[float] = []
        cdp.on("Network.loadingFinished", lambda e: received.append(e["encodedDataLength"]))
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        if limit is not None:  # ask /api/observations for more than the page's default 500

            def more(route):
                url = route.request.url
                route.continue_(url=url + ("&" if "?" in url else "?") + f"limit={limit}")

            page.route("**/api/observations", more)
        page.goto(base + "/", wait_until="commit")
        page.wait_for_function("() => window.__bench && window.__bench.painted !== undefined")
        page.wait_for_load_state("networkidle")
        figures = page.evaluate("""() => ({
            loaded: window.__bench.loaded, painted: window.__bench.painted,
            first: window.__bench.firstSymbol, firstPainted: window.__bench.firstSymbolPainted,
            observations: window.orbat.state.observations.length,
            markers: document.querySelectorAll('.obs-marker').length,
            items: document.querySelectorAll('#timeline .tl-item').length,
            dataset: window.orbat.timeline.itemsData.length,
            // the page's own marks (app.js), navigation timing, and what was asked before the first symbol
            marks: Object.fromEntries(performance.getEntriesByType('mark')
                .filter(m => m.name.startsWith('orbat:')).map(m => [m.name.slice(6), m.startTime])),
            html: (n => ({ server: n.responseStart - n.requestStart, end: n.responseEnd,
                           parsed: n.domInteractive, dcl: n.domContentLoadedEventStart }))(
                performance.getEntriesByType('navigation')[0]),
            before: performance.getEntriesByType('resource')
                .filter(r => r.startTime < window.__bench.firstSymbol).length,
            apiBefore: performance.getEntriesByType('resource')
                .filter(r => r.startTime < window.__bench.firstSymbol && r.name.includes('/api/')).length,
            error: document.getElementById('message').className === 'error'
                ? document.getElementById('message').textContent : ''})""")
        figures["errors"] = errors
        figures["bytes"] = sum(received)
        return figures
    finally:
        context.close()


def time_page(base: str, loads: int, limit: int | None, throttled: bool = False) -> tuple[float, int, float] | None:
    """Median (first render, observations drawn, first symbols painted) over `loads` fresh loads."""
    if not Path(CHROMIUM).exists():
        print(f"page: {CHROMIUM} is missing (scripts/test.sh installs Debian's chromium); skipped")
        return None
    if not (ROOT / "node_modules" / "leaflet").is_dir():
        print("page: node_modules/ is missing (run `npm ci`); skipped")
        return None
    from playwright.sync_api import sync_playwright

    label = "as shipped" if limit is None else f"with /api/observations?limit={limit} (route rewritten)"
    if throttled:
        label += ", link throttled to 1.6 Mbit/s and 150 ms (CDP Network.emulateNetworkConditions)"
    print(f"page load, {label}: 1 untimed load, then {loads} timed, each in a fresh context")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            one_load(browser, base, limit, throttled)
            results = []
            for n in range(loads):
                r = one_load(browser, base, limit, throttled)
                results.append(r)
                problem = f"  PAGE ERROR: {r['error'] or r['errors']}" if r["error"] or r["errors"] else ""
                print(
                    f"  load {n + 1}: first symbol on screen at {r['firstPainted'] / 1000:.2f} s, "
                    f"data-loaded at {r['loaded'] / 1000:.2f} s, painted at "
                    f"{r['painted'] / 1000:.2f} s; {r['observations']:,} observations fetched, "
                    f"{r['markers']:,} markers, {r['dataset']:,} timeline items "
                    f"({r['items']:,} in the DOM); {r['bytes'] / 1e6:.2f} MB received{problem}"
                )
                html, nan = r["html"], float("nan")
                start, data, built = (r["marks"].get(name, nan) for name in ("start", "observations", "markers"))
                print(
                    f"          page: HTML answered in {html['server']:.0f} ms, received by {html['end']:.0f} ms, "
                    f"parsed {html['parsed']:.0f}, DOMContentLoaded {html['dcl']:.0f}; app.js start "
                    f"{start:.0f}, observations in hand {data:.0f}, markers built {built:.0f}, "
                    f"first symbol on screen {r['firstPainted']:.0f} ms; {r['before']} requests before the first "
                    f"symbol ({r['apiBefore']} to /api/)"
                )
        finally:
            browser.close()
    median = statistics.median(r["painted"] for r in results) / 1000
    first = statistics.median(r["firstPainted"] for r in results) / 1000
    print(f"  median first symbols on screen (navigation start → first frame with a symbol): {first:.2f} s")
    print(f"  median first render (navigation start → first frame after data-loaded): {median:.2f} s")
    return median, results[-1]["observations"], first


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages: figures taken at a high load are indicative only."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000, help="Claims in the API database.")
    parser.add_argument("--db", default="/tmp/orbat-api-bench.db", help="The API database (reused if present).")
    parser.add_argument(
        "--page-claims",
        type=int,
        default=19_000,
        help="Claims in the page's database, chosen to give ~10 k observations.",
    )
    parser.add_argument("--page-db", default="/tmp/orbat-page-bench.db", help="The page's database.")
    parser.add_argument("--reps", type=int, default=30, help="Timed requests per route.")
    parser.add_argument("--warmup", type=int, default=2, help="Untimed requests per route first.")
    parser.add_argument("--page-loads", type=int, default=3, help="Timed page loads (the median is reported).")
    parser.add_argument(
        "--page-limit",
        type=int,
        default=None,
        help="Also time the page asking /api/observations for this many (≤ 5000).",
    )
    parser.add_argument("--regenerate", action="store_true", help="Rebuild both databases even if they exist.")
    parser.add_argument("--skip-api", action="store_true")
    parser.add_argument("--skip-page", action="store_true")
    parser.add_argument("--skip-throttled", action="store_true", help="Time the page on localhost only.")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    print(f"orbat commit {commit or '?'}; {os.cpu_count()} CPUs; load average {load_average()}")

    p95s: dict[str, float] = {}
    if not args.skip_api:
        db = Path(args.db)
        print(f"API database ({args.claims:,} claims asked for):")
        prepare(db, args.claims, args.regenerate)
        with Server(db, Path(str(db) + ".serve.log")) as server:
            print(f"server: python -m orbat serve on {server.base} (pid {server.process.pid})")
            p95s = time_api(server.base, args.warmup, args.reps, server.process.pid)

    render = shipped = throttled = None
    held = 0
    if not args.skip_page:
        db = Path(args.page_db)
        print(f"page database ({args.page_claims:,} claims asked for):")
        held = prepare(db, args.page_claims, args.regenerate)
        with Server(db, Path(str(db) + ".serve.log")) as server:
            shipped = render = time_page(server.base, args.page_loads, None)
            if not args.skip_throttled:
                throttled = time_page(server.base, args.page_loads, None, throttled=True)
            if args.page_limit:
                render = time_page(server.base, args.page_loads, args.page_limit)

    print(f"summary (load average now {load_average()}):")
    for name, p95 in p95s.items():
        verdict = "met" if p95 <= API_P95_MS else "MISSED"
        print(f"  target API p95 {name} ≤ {API_P95_MS:.0f} ms on {args.claims:,} claims: {verdict} ({p95:.1f} ms)")
    if shipped is not None:
        verdict = "met" if shipped[0] <= PAGE_S else "MISSED"
        print(
            f"  target page first render ≤ {PAGE_S:.0f} s, page as shipped on {held:,} observations: {verdict} "
            f"({shipped[0]:.2f} s; it drew {shipped[1]:,} of them: /api/observations answers 500 by default)"
        )
    for condition, figures in (("localhost", shipped), ("throttled", throttled)):
        if figures is not None:
            target = FIRST_SYMBOLS_S[condition]
            verdict = "met" if figures[2] <= target else "MISSED"
            where = "on localhost" if condition == "localhost" else "at 1.6 Mbit/s and 150 ms"
            print(
                f"  target first symbols drawn ≤ {target:g} s {where}, {held:,} observations in the database: "
                f"{verdict} ({figures[2]:.2f} s)"
            )
    if args.page_limit and render is not None:
        verdict = "met" if render[0] <= PAGE_S else "MISSED"
        print(
            f"  page first render ≤ {PAGE_S:.0f} s asking for limit={args.page_limit}: {verdict} "
            f"({render[0]:.2f} s; {render[1]:,} observations drawn)"
        )


if __name__ == "__main__":
    main()
