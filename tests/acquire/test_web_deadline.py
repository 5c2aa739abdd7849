"""The fetch's total deadline covers the headers too (RELIABILITY row 10).

The issue's reproducer: a server that sends its status line and headers a byte at a time held a
fetch 70 s past its 30 s deadline, because each byte restarted the per-read timeout.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from orbat.acquire import SourceError
from orbat.acquire.web import fetch_url

from .conftest import local_settings


class SlowHeaderServer:
    """A raw socket server on 127.0.0.1: answers each request with headers trickled byte by byte."""

    def __init__(self, interval: float, body_after_headers: bool = False):
        self.interval = interval
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.served = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.listener.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        self.served += 1
        with conn:
            conn.recv(65536)
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" + b"X-Padding: " + b"a" * 10_000
            for byte in head:
                if self.stop.is_set():
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:  # the client gave up: what the test wants
                    return
                time.sleep(self.interval)

    def close(self) -> None:
        # the accept loop wakes every 0.2 s to see `stop`; closing the socket under it would raise
        self.stop.set()
        self.thread.join(timeout=5)
        self.listener.close()


@pytest.fixture
def slow_headers() -> Iterator[SlowHeaderServer]:
    server = SlowHeaderServer(interval=0.05)
    yield server
    server.close()


def test_row10_headers_sent_slowly_stop_at_the_total_deadline(slow_headers):
    settings = local_settings(fetch_read_timeout=2.0, fetch_total_timeout=1.5)
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        fetch_url(f"http://127.0.0.1:{slow_headers.port}/page", settings)
    elapsed = time.monotonic() - started
    assert caught.value.code == "timeout"
    assert "1.5 s total deadline" in str(caught.value) and "\n" not in str(caught.value)
    assert 1.4 <= elapsed < 3.0  # the deadline, not the 10 KB of headers at 20 bytes/s (~500 s)
    assert slow_headers.served == 1


def test_row10_deadline_shorter_than_the_connect_timeout_still_wins(slow_headers):
    settings = local_settings(fetch_connect_timeout=5.0, fetch_read_timeout=5.0, fetch_total_timeout=0.5)
    started = time.monotonic()
    with pytest.raises(SourceError, match="total deadline"):
        fetch_url(f"http://127.0.0.1:{slow_headers.port}/", settings)
    assert time.monotonic() - started < 2.0
