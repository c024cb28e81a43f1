"""The fetch guard and the offline chain check: what verification may request, from where,
how much, and for which certificates."""

from __future__ import annotations

import ipaddress
import time
from pathlib import Path

import pytest
from asn1crypto import x509
from cryptography.hazmat.primitives.serialization import Encoding

from config.errors import VerificationTimeout
from signing.fetch_guard import Deadline, FetchGuard, FetchPolicy, FetchRefused, is_public
from signing.fetchers import chains_to_root
from tests.security.verify_attacks import Issued, Listener, issue, listening


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("fec0::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("::ffff:8.8.8.8", False),  # mapped forms are not taken at all
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),  # Teredo of 127.0.0.1
    ],
)
def test_only_public_unicast_addresses_are_public(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public


def _guard(listener: Listener, **policy: object) -> FetchGuard:
    allowed = frozenset({f"127.0.0.1:{listener.port}"})
    return FetchGuard(FetchPolicy(allowed_hosts=allowed, **policy), Deadline(10, "x.pdf"))  # type: ignore[arg-type]


def test_a_host_resolving_to_loopback_is_refused_unless_allowlisted() -> None:
    with listening(Listener(reply="200", body=b"crl")) as server:
        unlisted = FetchGuard(FetchPolicy(), Deadline(10, "x.pdf"))
        with pytest.raises(FetchRefused, match="non-public"):
            unlisted.get(f"{server.base}/a.crl")
        with pytest.raises(FetchRefused, match=r"non-public|cannot resolve"):  # per the resolver
            unlisted.get(f"http://localhost:{server.port}/a.crl")
        assert server.hits == []
        assert _guard(server).get(f"{server.base}/a.crl") == b"crl"


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "ldap://127.0.0.1/x", "file:///etc/passwd"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(FetchRefused, match="only http"):
        FetchGuard(FetchPolicy(), Deadline(10, "x.pdf")).get(url)


@pytest.mark.parametrize("declared", [True, False])
def test_an_answer_over_the_size_cap_is_refused(declared: bool) -> None:
    with listening(Listener(reply="200", body=bytes(5000), declared=declared)) as server:
        with pytest.raises(FetchRefused, match="large"):
            _guard(server, max_bytes=4096).get(f"{server.base}/big.crl")
        assert _guard(server, max_bytes=5000).get(f"{server.base}/big.crl") == bytes(5000)


def test_requests_past_the_count_are_not_made() -> None:
    with listening(Listener()) as server:
        guard = _guard(server, max_fetches=2)
        for _ in range(3):
            with pytest.raises(FetchRefused):
                guard.get(f"{server.base}/a.crl")
        assert len(server.hits) == 2


def test_a_fetch_is_cut_to_the_deadline_and_none_starts_after_it() -> None:
    with listening(Listener(reply="hold", hold=8.0)) as server:
        allowed = frozenset({f"127.0.0.1:{server.port}"})
        guard = FetchGuard(FetchPolicy(allowed_hosts=allowed), Deadline(0.5, "x.pdf"))
        started = time.monotonic()
        with pytest.raises(FetchRefused):
            guard.get(f"{server.base}/slow.crl")
        assert time.monotonic() - started < 2.0
        with pytest.raises(VerificationTimeout):
            guard.get(f"{server.base}/slow.crl")
        assert len(server.hits) == 1


def _asn1(issued: Issued) -> x509.Certificate:
    return x509.Certificate.load(issued.cert.public_bytes(Encoding.DER))


def test_a_chain_to_a_root_is_vouched_for_only_through_verified_ca_certificates(
    tmp_path: Path,
) -> None:
    """A certificate naming the configured CA as issuer but signed by another key, or
    issued by an end entity of the real CA, is not vouched for (no request is made for it)."""
    root = issue(tmp_path, "Root", ca=True)
    ca = issue(tmp_path, "CA", issuer=root, ca=True)
    leaf = issue(tmp_path, "Leaf", issuer=ca)
    other = tmp_path / "impostor"
    other.mkdir()
    impostor_ca = issue(other, "CA", ca=True)  # the CA's name, its own key
    forged = issue(other, "Forged", issuer=impostor_ca)
    below_leaf = issue(tmp_path, "Below leaf", issuer=leaf)
    roots, pool = [_asn1(root)], [_asn1(ca), _asn1(leaf)]
    assert chains_to_root(_asn1(leaf), roots, pool)
    assert chains_to_root(_asn1(root), roots, [])
    assert not chains_to_root(_asn1(leaf), roots, [])  # the CA not at hand: nothing fetched
    assert not chains_to_root(_asn1(forged), roots, pool)
    assert not chains_to_root(_asn1(below_leaf), roots, pool)
