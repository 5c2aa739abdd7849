"""fetch_url against a local server: SSRF rules, redirects, caps, bombs, timeouts, TLS."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpcore
import pytest

from orbat.acquire import SourceError, decoders
from orbat.acquire.web import fetch_url
from orbat.settings import Settings

from .conftest import PAGE, QuietServer, _send, local_settings, make_resolver

PRIVATE = "refused:private-address"

# RELIABILITY row 7, plus the neighbours of each rule: (URL, words the error must contain)
REFUSED_URLS = [
    ("http://127.0.0.1/", "loopback"),
    ("http://127.0.0.1:8080/admin", "loopback"),
    ("http://localhost/", "loopback"),
    ("http://10.0.0.1/", "private (RFC 1918)"),
    ("http://10.255.255.254/", "private (RFC 1918)"),
    ("http://172.16.0.1/", "private (RFC 1918)"),
    ("http://172.31.255.255/", "private (RFC 1918)"),
    ("http://192.168.1.1/", "private (RFC 1918)"),
    ("http://100.64.0.1/", "CGNAT"),
    ("http://100.127.255.254/", "CGNAT"),
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
    ("http://169.254.1.1/", "link-local"),
    ("http://[::1]/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://[::ffff:7f00:1]/", "loopback"),
    ("http://[::ffff:10.0.0.1]/", "private"),
    ("http://[::ffff:169.254.169.254]/", "cloud metadata"),
    ("http://0177.0.0.1/", "loopback"),
    ("http://2130706433/", "loopback"),
    ("http://0x7f.1/", "loopback"),
    ("http://0x7f000001/", "loopback"),
    ("http://127.1/", "loopback"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://0/", "unspecified"),
    ("http://[::]/", "unspecified"),
    ("http://[fc00::1]/", "unique local"),
    ("http://[fd12:3456::1]/", "unique local"),
    ("http://[fe80::1]/", "link-local"),
    ("http://224.0.0.1/", "multicast"),
    ("http://[ff02::1]/", "multicast"),
    ("http://[2002:7f00:1::]/", "loopback"),  # 6to4 wrapping 127.0.0.1
    ("http://[64:ff9b::a00:1]/", "private"),  # NAT64 wrapping 10.0.0.1
    ("http://192.0.2.1/", "not globally routable"),
    ("https://user:pw@127.0.0.1:443/", "loopback"),
]


@pytest.fixture
def no_connect(monkeypatch):
    """Fail the test if any TCP connection is even attempted."""
    def refuse(*args, **kwargs):
        raise AssertionError("a connection was attempted")
    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", refuse)


@pytest.mark.parametrize(("url", "rule"), REFUSED_URLS)
def test_private_addresses_refused_before_connecting(url, rule, no_connect):
    with pytest.raises(SourceError) as caught:
        fetch_url(url, Settings(allow_hosts=()))
    assert caught.value.code == PRIVATE
    assert rule in str(caught.value)
    assert "refused" in str(caught.value) and "ORBAT_ALLOW_HOSTS" in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/",
                                 "data:text/html,<script>alert(1)</script>", "javascript:alert(1)",
                                 "FILE:///etc/passwd", "example.org/page", "//example.org/page"])
def test_only_http_and_https(url, no_connect):
    with pytest.raises(SourceError) as caught:
        fetch_url(url, Settings())
    assert caught.value.code == "refused:scheme"
    assert "only http and https" in str(caught.value)


def test_hostname_resolving_to_private_address_refused(no_connect):
    resolver = make_resolver({"news.example": "10.1.2.3"})
    with pytest.raises(SourceError) as caught:
        fetch_url("http://news.example/story", Settings(allow_hosts=()), resolver=resolver)
    assert caught.value.code == PRIVATE
    assert "news.example resolves to 10.1.2.3" in str(caught.value)


def test_any_private_answer_refuses_the_host(no_connect):
    def resolver(host, port):
        return ["93.184.216.34", "127.0.0.1"]
    with pytest.raises(SourceError) as caught:
        fetch_url("http://mixed.example/", Settings(allow_hosts=()), resolver=resolver)
    assert caught.value.code == PRIVATE


def test_dns_rebinding_connects_to_the_checked_address(monkeypatch):
    """The first answer is public, any later one private: the socket must go to the first."""
    answers = [["93.184.216.34"], ["127.0.0.1"]]
    calls, connected = [], []

    def rebinding_resolver(host, port):
        calls.append(host)
        return answers[min(len(calls) - 1, 1)]

    def fake_connect(self, host, port, *args, **kwargs):
        connected.append(host)
        raise httpcore.ConnectError("test: no network")

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", fake_connect)
    with pytest.raises(SourceError) as caught:
        fetch_url("http://rebind.example/", Settings(allow_hosts=()), resolver=rebinding_resolver)
    assert caught.value.code == "network"
    assert calls == ["rebind.example"]
    assert connected == ["93.184.216.34"]


def test_loopback_server_refused_by_default(web_server):
    before = web_server.hits["/page.html"]
    with pytest.raises(SourceError) as caught:
        fetch_url(web_server.url("/page.html"), Settings(allow_hosts=()))
    assert caught.value.code == PRIVATE
    assert web_server.hits["/page.html"] == before


@pytest.mark.parametrize("settings", [
    local_settings(),
    local_settings(allow_hosts=("127.0.0.0/8",)),
    local_settings(allow_hosts=(), allow_private=True),
], ids=["ip", "network", "allow-private"])
def test_allowed_hosts_fetch(web_server, settings):
    document = fetch_url(web_server.url("/page.html"), settings)
    assert document.raw == PAGE
    assert document.content_type == "text/html"
    assert document.origin == web_server.url("/page.html")
    assert document.url == web_server.url("/page.html")
    assert document.retrieved and document.retrieved.endswith("+00:00")


def test_allowlisted_host_name(web_server):
    resolver = make_resolver({"mirror.test": "127.0.0.1"})
    url = f"http://mirror.test:{web_server.port}/plain.txt"
    document = fetch_url(url, local_settings(allow_hosts=("mirror.test",)), resolver=resolver)
    assert document.raw == b"Five BMP-3 seen at Air Base 101."
    assert document.content_type == "text/plain"


def test_redirect_records_canonical_final_url(web_server):
    document = fetch_url(web_server.url("/to-page"), local_settings())
    assert document.url == web_server.url("/page.html")
    assert document.origin == web_server.url("/to-page")
    assert document.raw == PAGE


@pytest.mark.parametrize(("path", "words"), [
    ("/to-private", "redirect to http://127.0.0.1"),
    ("/to-internal-name", "internal.test resolves to 127.0.0.1"),
    ("/to-metadata", "cloud metadata"),
])
def test_redirect_from_allowed_host_to_private_refused_at_the_hop(web_server, path, words):
    resolver = make_resolver({"mirror.test": "127.0.0.1", "internal.test": "127.0.0.1"})
    settings = local_settings(allow_hosts=("mirror.test",))
    before = web_server.hits["/page.html"]
    with pytest.raises(SourceError) as caught:
        fetch_url(f"http://mirror.test:{web_server.port}{path}", settings, resolver=resolver)
    assert caught.value.code == PRIVATE
    assert words in str(caught.value)
    assert web_server.hits["/page.html"] == before


def test_redirect_to_file_scheme_refused(web_server):
    with pytest.raises(SourceError) as caught:
        fetch_url(web_server.url("/to-file"), local_settings())
    assert caught.value.code == "refused:scheme"
    assert "redirect to file:" in str(caught.value)


def test_redirect_cap(web_server):
    with pytest.raises(SourceError) as caught:
        fetch_url(web_server.url("/hop/0"), local_settings(fetch_max_redirects=3))
    assert caught.value.code == "too-many-redirects"
    assert fetch_url(web_server.url("/hop/16"), local_settings(fetch_max_redirects=3)).raw == PAGE


def test_http_error_status(web_server):
    with pytest.raises(SourceError) as caught:
        fetch_url(web_server.url("/missing"), local_settings())
    assert caught.value.code == "http-status"
    assert "404" in str(caught.value)


@pytest.mark.parametrize("path", ["/endless", "/big"])
def test_byte_cap(web_server, path):
    with pytest.raises(SourceError) as caught:
        fetch_url(web_server.url(path), local_settings(max_document_bytes=200_000))
    assert caught.value.code == "too-large"
    assert "200,000-byte cap" in str(caught.value)


def test_gzip_bomb_counts_decompressed_bytes(web_server):
    with pytest.raises(SourceError) as caught:
        fetch_url(web_server.url("/gzip-bomb"), local_settings(max_document_bytes=1_000_000))
    assert caught.value.code == "too-large"


@pytest.mark.parametrize(("path", "encoding"), [("/br-bomb", "br"), ("/zstd-bomb", "zstd")])
def test_brotli_and_zstd_bombs(web_server, path, encoding):
    """Decoded under the cap when the library is installed, refused as unsupported otherwise."""
    with pytest.raises(SourceError) as caught:
        fetch_url(web_server.url(path), local_settings(max_document_bytes=1_000_000))
    expected = "too-large" if encoding in decoders.DECODERS else "unsupported-encoding"
    assert caught.value.code == expected


def test_gzip_page_is_decoded(web_server):
    assert fetch_url(web_server.url("/gzip-page"), local_settings()).raw == PAGE


def test_server_that_never_answers(web_server):
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        fetch_url(web_server.url("/stall"), local_settings(fetch_read_timeout=0.5))
    assert caught.value.code == "timeout"
    assert "read timeout" in str(caught.value)
    assert time.monotonic() - started < 3


def test_trickling_server_hits_total_deadline(web_server):
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        fetch_url(web_server.url("/trickle"), local_settings(fetch_read_timeout=2, fetch_total_timeout=1))
    assert caught.value.code == "timeout"
    assert "total deadline" in str(caught.value)
    assert time.monotonic() - started < 3


def test_connection_refused_is_a_network_error():
    with ThreadingHTTPServer(("127.0.0.1", 0), None) as probe:
        port = probe.server_address[1]
    with pytest.raises(SourceError) as caught:
        fetch_url(f"http://127.0.0.1:{port}/", local_settings())
    assert caught.value.code == "network"


@pytest.fixture
def tls_server(tmp_path):
    """An HTTPS server whose self-signed certificate names mirror.test; yields (port, cert path)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=mirror.test", "-addext", "subjectAltName=DNS:mirror.test", "-keyout", str(key),
                    "-out", str(cert)], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            _send(self, PAGE)

    httpd = QuietServer(("127.0.0.1", 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True, do_handshake_on_connect=False)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], cert
    httpd.shutdown()
    httpd.server_close()


MIRROR = make_resolver({"mirror.test": "127.0.0.1"})


def test_tls_certificate_error_fails_closed(tls_server, monkeypatch):
    port, _ = tls_server
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with pytest.raises(SourceError) as caught:
        fetch_url(f"https://mirror.test:{port}/", local_settings(allow_hosts=("mirror.test",)), resolver=MIRROR)
    assert caught.value.code == "tls"
    assert "not retried without verification" in str(caught.value)


def test_tls_checks_the_host_name_although_the_socket_goes_to_the_checked_ip(tls_server, monkeypatch):
    """The guard connects to 127.0.0.1, yet SNI and certificate checks still use mirror.test."""
    port, cert = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    settings = local_settings(allow_hosts=("mirror.test", "127.0.0.1"))
    assert fetch_url(f"https://mirror.test:{port}/", settings, resolver=MIRROR).raw == PAGE
    with pytest.raises(SourceError) as caught:  # same server, same trust, but not the certificate's name
        fetch_url(f"https://127.0.0.1:{port}/", settings, resolver=MIRROR)
    assert caught.value.code == "tls"


def test_proxy_environment_is_ignored(web_server, monkeypatch):
    """A proxy would connect on our behalf and bypass the address check, so none is used."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://10.0.0.1:3128")
    assert fetch_url(web_server.url("/page.html"), local_settings()).raw == PAGE
