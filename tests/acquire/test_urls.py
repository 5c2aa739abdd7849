"""canonical_url: one source however a link was shared (RELIABILITY row 25); address rules."""

from __future__ import annotations

import ipaddress

import pytest

from orbat.acquire.netguard import AddressPolicy, address_rule, parse_ip_literal
from orbat.acquire.urls import canonical_url


@pytest.mark.parametrize(("url", "canonical"), [
    ("https://Example.COM:443/a/b?utm_source=x&utm_medium=y&b=2&a=1#top", "https://example.com/a/b?a=1&b=2"),
    ("http://example.com:80", "http://example.com/"),
    ("http://example.com:8080/x", "http://example.com:8080/x"),
    ("HTTPS://news.example/story?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&igshid=5&ref=tw&ref_src=twsrc&spm=a.b"
     "&yclid=6&_ga=1.2&xtor=RSS-1&id=42", "https://news.example/story?id=42"),
    ("https://news.example/story?UTM_Campaign=x&page=2", "https://news.example/story?page=2"),
    ("https://user:secret@news.example/x", "https://news.example/x"),
    ("https://news.example/x?q=a+b&empty=", "https://news.example/x?empty=&q=a+b"),
    ("https://news.example./x", "https://news.example/x"),
    ("http://[2001:DB8::1]:80/x", "http://[2001:db8::1]/x"),
    ("  https://news.example/x  ", "https://news.example/x"),
])
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


def test_tracking_variants_are_one_source():
    variants = ["https://news.example/a?id=1", "https://NEWS.example/a?utm_source=tw&id=1",
                "https://news.example:443/a?id=1&fbclid=XYZ#comments", "https://news.example/a?gclid=1&id=1"]
    assert len({canonical_url(v) for v in variants}) == 1


def test_meaningful_parameters_are_kept():
    assert canonical_url("https://news.example/a?id=1") != canonical_url("https://news.example/a?id=2")


@pytest.mark.parametrize("url", ["not a url", "mailto:someone@example.org", "http://[::1/"])
def test_unparseable_or_non_web_urls_are_left_alone(url):
    assert canonical_url(url).strip() in (url, url.strip())


@pytest.mark.parametrize(("host", "address"), [
    ("0177.0.0.1", "127.0.0.1"), ("2130706433", "127.0.0.1"), ("0x7f.1", "127.0.0.1"), ("127.1", "127.0.0.1"),
    ("[::ffff:127.0.0.1]", "::ffff:7f00:1"), ("10.0.0.1", "10.0.0.1"), ("news.example", None), ("", None),
])
def test_parse_ip_literal(host, address):
    parsed = parse_ip_literal(host)
    assert (str(parsed) if parsed else None) == address


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address):
    assert address_rule(ipaddress.ip_address(address)) is None


def test_allowlist_by_name_and_network():
    policy = AddressPolicy.build(False, ["mirror.intranet", "10.20.0.0/16", "192.168.1.7"])
    assert policy.refusal("mirror.intranet", ipaddress.ip_address("10.9.9.9")) is None
    assert policy.refusal("other.intranet", ipaddress.ip_address("10.20.3.4")) is None
    assert policy.refusal("x", ipaddress.ip_address("192.168.1.7")) is None
    assert "private" in policy.refusal("other.intranet", ipaddress.ip_address("10.9.9.9"))
    assert "loopback" in policy.refusal("x", ipaddress.ip_address("127.0.0.1"))
