"""A local HTTP server for the acquire tests: pages, feeds, redirects and hostile responses.

Everything is served from 127.0.0.1; no test touches the internet. The fetcher refuses
loopback by default, so tests that fetch from this server allow 127.0.0.1 explicitly.
"""

from __future__ import annotations

import base64
import gzip
import http.server
import threading
import time
from collections import Counter
from collections.abc import Callable

import pytest

from orbat.settings import Settings

# 50 MB of zeros, brotli-compressed to 80 bytes; 5 MB of zeros, zstd-compressed to 173 bytes.
BROTLI_BOMB = base64.b64decode(
    "y///P/gnAOKxQCD3/o///3/wTwDEYRGA7v0f////4J8AiMMCAN37P/7//8E/ARCHBQC693/8//+DfwIgDgsAdO//8g9eD/8E"
    "QBwWAOig6wE=")
ZSTD_BOMB = base64.b64decode(
    "KLUv/aBAS0wATAAACAABAPz/ORACAgAQAAIAEAACABAAAgAQAAIAEAACABAAAgAQAAIAEAACABAAAgAQAAIAEAACABAAAgAQ"
    "AAIAEAACABAAAgAQAAIAEAACABAAAgAQAAIAEAACABAAAgAQAAIAEAACABAAAgAQAAIAEAACABAAAgAQAAIAEAACABAAAgAQ"
    "AAIAEAACABAAAgAQAAIAEAACABAAAgAQAANaAgA=")
GZIP_BOMB = gzip.compress(b"\0" * 20_000_000)  # ~20 KB on the wire

PAGE = (b"<!DOCTYPE html><html><head><title>Convoy seen in Bamako</title></head>"
        b"<body><p>Seven T-72B3 tanks were filmed in Bamako.</p></body></html>")

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Sahel Monitor</title><link>http://news.test/</link>
<item><title>T-72B3 tanks in Bamako</title><link>http://news.test/a?utm_source=rss&amp;id=1</link>
<guid>urn:sahel:1</guid><pubDate>Tue, 21 Jan 2025 01:30:00 +0300</pubDate>
<description>&lt;p&gt;Seven &lt;b&gt;T-72B3&lt;/b&gt; tanks.&lt;/p&gt;
&lt;script&gt;alert(1)&lt;/script&gt;</description></item>
<item><title>BMP-3 at Air Base 101</title><link>http://news.test/b</link><guid>urn:sahel:2</guid>
<pubDate>Mon, 20 Jan 2025 12:00:00 GMT</pubDate><description>Five BMP-3 were seen.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Defense Notes</title><id>urn:notes</id>
<updated>2025-01-22T09:00:00Z</updated>
<entry><title type="html">Trucks &amp;amp; &lt;i&gt;Spartak&lt;/i&gt;</title><id>urn:notes:1</id>
<link href="http://notes.test/1#comments"/><updated>2025-01-22T09:00:00+01:00</updated>
<content type="html">&lt;p&gt;KamAZ-4385 trucks arrived.&lt;/p&gt;</content></entry>
<entry><title>Plain note</title><id>urn:notes:2</id><published>2025-01-23T23:30:00-05:00</published>
<content type="text">&lt;img src=x onerror=alert(1)&gt; Linza vehicles seen.</content></entry>
</feed>"""


def opml(port: int) -> str:
    return f"""<?xml version="1.0"?><opml version="2.0"><head><title>Feeds</title></head><body>
<outline text="Sahel"><outline type="rss" text="RSS" xmlUrl="http://127.0.0.1:{port}/rss.xml"/>
<outline type="rss" text="Atom" xmlUrl="http://127.0.0.1:{port}/atom.xml"/></outline>
<outline type="rss" text="again" xmlUrl="http://127.0.0.1:{port}/rss.xml"/></body></opml>"""


class Server:
    """The running server: its base URL, a hit counter per path, and a release for stalled handlers."""

    def __init__(self, httpd: http.server.ThreadingHTTPServer):
        self.httpd = httpd
        self.port = httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.hits: Counter[str] = Counter()
        self.release = threading.Event()

    def url(self, path: str) -> str:
        return self.base + path


def _send(handler, body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200,
          headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(body)


def _redirect(handler, location: str, status: int = 302) -> None:
    handler.send_response(status)
    handler.send_header("Location", location)
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def _endless(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.end_headers()
    chunk = b"x" * 65536
    try:
        for _ in range(10_000):  # ~650 MB: far past any cap, but finite if the client misbehaves
            handler.wfile.write(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass


def _stall(handler, server: Server) -> None:
    server.release.wait(10)


def _trickle(handler, server: Server) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.end_headers()
    try:
        while not server.release.is_set():
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(0.1)
    except (BrokenPipeError, ConnectionResetError):
        pass


def _routes(server: Server) -> dict[str, Callable]:
    port, xml = server.port, "application/xml"
    routes: dict[str, Callable] = {
        "/page.html": lambda h: _send(h, PAGE),
        "/plain.txt": lambda h: _send(h, b"Five BMP-3 seen at Air Base 101.", "text/plain; charset=utf-8"),
        "/untyped": lambda h: _send(h, PAGE, ""),
        "/image.png": lambda h: _send(h, b"\x89PNG\r\n\x1a\n", "image/png"),
        "/missing": lambda h: _send(h, b"gone", status=404),
        "/rss.xml": lambda h: _send(h, RSS.encode(), "application/rss+xml"),
        "/rss-as-xml": lambda h: _send(h, RSS.encode(), "text/xml"),
        "/atom.xml": lambda h: _send(h, ATOM.encode(), "application/atom+xml; charset=utf-8"),
        "/feeds.opml": lambda h: _send(h, opml(port).encode(), "text/x-opml"),
        "/bad.opml": lambda h: _send(h, f'<opml><body><outline xmlUrl="http://127.0.0.1:{port}/page.html"/>'
                                        f'<outline xmlUrl="http://127.0.0.1:{port}/atom.xml"/></body></opml>'
                                        .encode(), xml),
        "/evil.dtd": lambda h: _send(h, b'<!ENTITY x "owned">', "application/xml-dtd"),
        "/big": lambda h: _send(h, b"x" * 300_000, "text/plain"),
        "/endless": _endless,
        "/gzip-bomb": lambda h: _send(h, GZIP_BOMB, "text/html", headers={"Content-Encoding": "gzip"}),
        "/br-bomb": lambda h: _send(h, BROTLI_BOMB, "text/html", headers={"Content-Encoding": "br"}),
        "/zstd-bomb": lambda h: _send(h, ZSTD_BOMB, "text/html", headers={"Content-Encoding": "zstd"}),
        "/gzip-page": lambda h: _send(h, gzip.compress(PAGE), headers={"Content-Encoding": "gzip"}),
        "/stall": lambda h: _stall(h, server),
        "/trickle": lambda h: _trickle(h, server),
        "/to-page": lambda h: _redirect(h, "/page.html?utm_medium=email&fbclid=abc"),
        "/to-private": lambda h: _redirect(h, f"http://127.0.0.1:{port}/page.html"),
        "/to-internal-name": lambda h: _redirect(h, f"http://internal.test:{port}/page.html"),
        "/to-metadata": lambda h: _redirect(h, "http://169.254.169.254/latest/meta-data/"),
        "/to-file": lambda h: _redirect(h, "file:///etc/passwd"),
    }
    for n in range(20):
        routes[f"/hop/{n}"] = (lambda h, n=n: _redirect(h, f"/hop/{n + 1}") if n < 19
                               else _send(h, PAGE))
    return routes


class QuietServer(http.server.ThreadingHTTPServer):
    """Clients that hang up early (byte caps, timeouts) are expected; no tracebacks for them."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


@pytest.fixture(scope="session")
def web_server():
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep test output clean
            pass

        def do_GET(self):  # noqa: N802  (http.server's naming)
            path = self.path.split("?", 1)[0]
            state.hits[path] += 1
            route = routes.get(path)
            if route is None:
                _send(self, b"not found", "text/plain", 404)
            else:
                route(self)

    httpd = QuietServer(("127.0.0.1", 0), Handler)
    state = Server(httpd)
    routes = _routes(state)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    state.release.set()
    httpd.shutdown()
    httpd.server_close()


def local_settings(**overrides) -> Settings:
    """Settings that allow the loopback test server and fail fast."""
    values = dict(allow_private=False, allow_hosts=("127.0.0.1",), fetch_connect_timeout=2.0,
                  fetch_read_timeout=2.0, fetch_total_timeout=5.0, max_document_bytes=1_000_000,
                  fetch_max_redirects=5, feed_max_items=500)
    values.update(overrides)
    return Settings(**values)


def make_resolver(mapping: dict[str, str]):
    """A resolver for made-up host names; anything else is a resolution failure (no DNS in tests)."""
    def resolve(host: str, port: int) -> list[str]:
        if host in mapping:
            return [mapping[host]]
        raise OSError(f"test resolver: unknown host {host}")
    return resolve
