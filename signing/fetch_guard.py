"""The requests a verification may make: to public addresses only (or to hosts the operator
named), no redirects, small answers, short timeouts, a few per check, within its deadline.

The URLs come from certificates inside a document someone uploaded. pyHanko's own fetchers
would request whatever they name, follow redirects and wait 10 s for each of up to 200
requests; this guard is the only way verification reaches the network (signing.fetchers).
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import math
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from config import defaults
from config.errors import VerificationTimeout

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
"""IPv6 addresses that a NAT64 gateway turns into the IPv4 address in their last 32 bits."""

_CHUNK = 64 * 1024


class FetchRefused(Exception):
    """A request the guard would not make, or an answer it would not take. It never leaves
    signing: the fetchers turn it into pyHanko's fetch errors (revocation then unknown)."""


@dataclass(frozen=True)
class FetchPolicy:
    """What one verification may fetch, from where, and how much."""

    allowed_hosts: frozenset[str] = frozenset()
    """`host` or `host:port` (lower case) exempt from the public-address rule: revocation
    servers the operator configured (SOHOA_VERIFY_REVOCATION_HOSTS)."""
    timeout: float = defaults.VERIFY_FETCH_TIMEOUT
    """Seconds one request may take in all, cut to what is left of the deadline."""
    max_bytes: int = defaults.VERIFY_FETCH_MAX_BYTES
    """Largest answer taken."""
    max_fetches: int = defaults.VERIFY_MAX_FETCHES
    """Requests one verification may make."""

    def allows_any_address(self, host: str, port: int) -> bool:
        """Whether the operator named this host (with or without its port)."""
        shown = f"[{host}]" if ":" in host else host
        return bool({host, f"{shown}:{port}"} & self.allowed_hosts)


class Deadline:
    """The wall-clock end of one verification of the file `name` (None: no end)."""

    def __init__(self, seconds: float | None, name: str) -> None:
        self.seconds = seconds
        self.name = name
        self._end = None if seconds is None else time.monotonic() + seconds

    def remaining(self) -> float | None:
        """Seconds left (never below 0), or None without a deadline."""
        return None if self._end is None else max(0.0, self._end - time.monotonic())

    def check(self) -> None:
        """VerificationTimeout once the deadline has passed."""
        if self.remaining() == 0.0:
            raise VerificationTimeout(self.name, f"verification took more than {self.seconds} s")


def is_public(address: IPAddress) -> bool:
    """Whether an address is a public unicast one: not loopback, private, link-local,
    multicast, reserved, shared or unspecified, nor an IPv6 form of such an IPv4 address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if address.teredo is not None:
            embedded = address.teredo[1]
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and not is_public(embedded):
            return False
        if address.is_site_local:
            return False
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_unspecified
    )


class FetchGuard:
    """The requests of one verification: counted, timed, and only where the policy allows."""

    def __init__(self, policy: FetchPolicy, deadline: Deadline) -> None:
        self.policy = policy
        self.deadline = deadline
        self.made = 0
        """Requests made so far (refused ones before connecting included)."""

    def get(self, url: str) -> bytes:
        """The body of a GET (a CRL)."""
        return self._request("GET", url, None, {"Accept": "application/pkix-crl"})

    def post(self, url: str, body: bytes, content_type: str) -> bytes:
        """The body of a POST (an OCSP request)."""
        headers = {"Content-Type": content_type, "Accept": "application/ocsp-response"}
        return self._request("POST", url, body, headers)

    def _request(self, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> bytes:
        if self.made >= self.policy.max_fetches:
            raise FetchRefused(f"{url}: already {self.made} requests in this verification")
        self.deadline.check()
        self.made += 1
        left = self.deadline.remaining()
        end = time.monotonic() + min(self.policy.timeout, math.inf if left is None else left)
        parts = urlsplit(url)
        host, port = _host_and_port(parts)
        sock = _connect(host, port, self.policy.allows_any_address(host, port), end)
        try:
            if parts.scheme == "https":
                sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            request = _Request(method, host, port, path, body, headers)
            return _exchange(sock, request, self.policy.max_bytes, end)
        except (OSError, http.client.HTTPException) as e:
            raise FetchRefused(f"{url}: {type(e).__name__}: {e}") from e
        finally:
            sock.close()


def _host_and_port(parts: SplitResult) -> tuple[str, int]:
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(f"{parts.geturl()}: only http and https are fetched")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as e:
        raise FetchRefused(f"{parts.geturl()}: {e}") from e
    if not parts.hostname:
        raise FetchRefused(f"{parts.geturl()}: no host")
    return parts.hostname.lower(), port


def _connect(host: str, port: int, any_address: bool, end: float) -> socket.socket:
    """A socket connected to an address the host resolves to, every one of which must be
    public unless the operator named the host; the connected peer is checked again."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    except (OSError, ValueError) as e:
        raise FetchRefused(f"{host}: cannot resolve ({e})") from e
    refused = [str(a) for a in addresses if not is_public(a)]
    if refused and not any_address:
        raise FetchRefused(f"{host}: resolves to non-public addresses {refused}")
    for address in addresses:
        try:
            sock = socket.create_connection((str(address), port), timeout=_left(end))
        except OSError as e:
            log.debug("revocation fetch: %s (%s) unreachable: %s", host, address, e)
            continue
        peer = ipaddress.ip_address(sock.getpeername()[0])
        if peer != address or (not any_address and not is_public(peer)):
            sock.close()
            raise FetchRefused(f"{host}: connected to {peer}, not a public address")
        return sock
    raise FetchRefused(f"{host}: no address answered")


def _left(end: float) -> float:
    left = end - time.monotonic()
    if left <= 0:
        raise FetchRefused("out of time")
    return left


@dataclass(frozen=True)
class _Request:
    method: str
    host: str
    port: int
    path: str
    body: bytes | None
    headers: dict[str, str]


def _exchange(sock: socket.socket, request: _Request, max_bytes: int, end: float) -> bytes:
    """Send one request and read its answer: 200 only (a redirect is not followed), at most
    max_bytes, by `end`."""
    host = request.host
    connection = http.client.HTTPConnection(host, request.port, timeout=_left(end))
    connection.sock = sock
    headers = {"User-Agent": "sohoa", **request.headers}
    connection.request(request.method, request.path, body=request.body, headers=headers)
    sock.settimeout(_left(end))
    response = connection.getresponse()
    if response.status != 200:
        raise FetchRefused(f"{host}: answered {response.status} (redirects are not followed)")
    declared = response.getheader("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise FetchRefused(f"{host}: answer of {declared} bytes is too large")
    chunks: list[bytes] = []
    size = 0
    while not response.isclosed():  # closed (with its socket) once the body is all read
        sock.settimeout(_left(end))
        chunk = response.read1(min(_CHUNK, max_bytes + 1 - size))  # one recv: a drip is timed
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise FetchRefused(f"{host}: answer larger than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
