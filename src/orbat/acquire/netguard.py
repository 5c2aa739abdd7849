"""Which network addresses orbat may connect to, enforced on the socket it actually opens.

Why the check lives inside the connection: a check made on the URL before the request, followed
by the HTTP library's own DNS lookup when it connects, can see two different answers (DNS
rebinding: the first lookup says 93.184.216.34, the second says 127.0.0.1). `GuardedBackend` is
the httpcore network backend behind our httpx client: it resolves the host once, refuses the
connection if any resolved address breaks a rule, and then opens the socket to that very
address, so there is no second lookup to poison. httpcore still sends the original host name
in the Host header and as TLS SNI, and verifies the certificate against it, so HTTPS keeps
checking the name the user asked for. Redirects open their connections through the same
backend, so every hop is checked at connect time; a pooled connection is only reused for the
origin it was checked for.

`check_literal` additionally refuses IP literals (including spellings such as `0177.0.0.1`,
`2130706433`, `0x7f.1`, `[::ffff:127.0.0.1]`) before any client is built, so the user gets the
rule's name without a DNS query.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
#: Turns (host, port) into IP address strings; tests pass a mapping-based one.
Resolver = Callable[[str, int], list[str]]

ALLOW_HINT = "pass --allow-private or list the host in ORBAT_ALLOW_HOSTS to allow it"
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
RFC1918 = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
METADATA = ipaddress.ip_address("169.254.169.254")
#: Resolved addresses tried per connection; each may take the full connect timeout.
MAX_ADDRESSES_TRIED = 3


class BlockedAddress(Exception):
    """A connection refused by the address rules; the message names the rule."""


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, NAT64, IPv4-compatible), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64 or (address in IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_rule(address: IPAddress) -> str | None:
    """Name the rule `address` breaks, or None when orbat may connect to it."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            rule = address_rule(embedded)
            return f"{rule} (IPv4 {embedded} embedded in IPv6)" if rule else None
    if address.is_loopback:
        return "loopback"
    if address.is_unspecified:
        return "unspecified"
    if address == METADATA:
        return "link-local (cloud metadata service)"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address in CGNAT:
        return "shared address space (CGNAT 100.64.0.0/10)"
    if any(address in net for net in RFC1918):
        return "private (RFC 1918)"
    if address in UNIQUE_LOCAL:
        return "unique local (fc00::/7)"
    if address.is_private or address.is_reserved or not address.is_global:
        return "reserved, not globally routable"
    return None


def parse_ip_literal(host: str) -> IPAddress | None:
    """Read `host` as an IP address the way the C resolver would, or None for a name.

    `inet_aton` accepts the odd IPv4 spellings (octal, hex, one 32-bit number, `127.1`) that
    `ipaddress` refuses but `getaddrinfo` happily connects to.
    """
    bare = host.strip("[]")
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    if not bare or not all(c.isalnum() or c == "." for c in bare):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(bare))
    except OSError:
        return None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host`, in its order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(slots=True)
class AddressPolicy:
    """The rules for one fetch: everything private is refused unless allowed by name or network."""

    allow_private: bool = False
    allowed_names: frozenset[str] = frozenset()
    allowed_networks: tuple[Network, ...] = ()
    resolver: Resolver = field(default=system_resolver)

    @classmethod
    def build(cls, allow_private: bool, allow_hosts: Iterable[str], resolver: Resolver | None = None):
        names, networks = set(), []
        for entry in allow_hosts:
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                names.add(entry.lower().rstrip("."))
        return cls(allow_private, frozenset(names), tuple(networks), resolver or system_resolver)

    def refusal(self, host: str, address: IPAddress) -> str | None:
        """Why connecting to `address` (reached through `host`) is refused, or None."""
        if self.allow_private or host.lower().rstrip(".") in self.allowed_names:
            return None
        if any(address in net for net in self.allowed_networks):
            return None
        rule = address_rule(address)
        if rule is None:
            return None
        bare = host.strip("[]")
        if bare == str(address):
            via = ""
        elif parse_ip_literal(bare) is not None:
            via = f"{bare} means "
        else:
            via = f"{host} resolves to "
        return f"refused: {via}{address}, a {rule} address ({ALLOW_HINT})"

    def check_literal(self, url: str) -> None:
        """Refuse a URL whose host is a forbidden IP literal, before anything is built."""
        host = urlsplit(url).hostname or ""
        address = parse_ip_literal(host)
        if address is not None and (reason := self.refusal(host, address)):
            raise BlockedAddress(reason)

    def vet(self, host: str, port: int) -> list[str]:
        """Resolve `host` once and return its addresses, or raise if any of them is forbidden.

        All addresses must pass, not just one: a host listing a public and a private address
        would otherwise let the connection fall through to the private one.
        """
        literal = parse_ip_literal(host)
        try:
            addresses = [str(literal)] if literal is not None else self.resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host} ({exc})") from exc
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host} (no address)")
        for text in addresses:
            reason = self.refusal(host, ipaddress.ip_address(text))
            if reason:
                raise BlockedAddress(reason)
        return addresses


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, but every TCP connection goes to an address `policy` vetted.

    With a `deadline` (a `time.monotonic()` value), every socket operation of every connection
    waits at most until then (`DeadlineStream`), so a server that sends its headers one byte at a
    time cannot hold the fetch past the total deadline: per-read timeouts alone restart with each
    byte.
    """

    def __init__(self, policy: AddressPolicy, deadline: float | None = None):
        self.policy = policy
        self.deadline = deadline

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options=None) -> httpcore.NetworkStream:
        addresses = self.policy.vet(host, port)
        failure: Exception | None = None
        for address in addresses[:MAX_ADDRESSES_TRIED]:
            try:
                timeout = _within(self.deadline, timeout, httpcore.ConnectTimeout)
                stream = super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            return DeadlineStream(stream, self.deadline) if self.deadline is not None else stream
        assert failure is not None
        raise failure

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options=None):
        raise BlockedAddress("refused: unix sockets are never used for fetching")


def _within(deadline: float | None, timeout: float | None, error: type[Exception]) -> float | None:
    """`timeout` cut to what is left before `deadline`; `error` when nothing is left."""
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("total deadline reached")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read, write and TLS handshake ends by the fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float):
        self.stream = stream
        self.deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, _within(self.deadline, timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, _within(self.deadline, timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        timeout = _within(self.deadline, timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self.stream.start_tls(ssl_context, server_hostname, timeout), self.deadline)

    def get_extra_info(self, info: str):
        return self.stream.get_extra_info(info)
