"""Attack: a signer profile (or a tampered signers.yaml) points a remote signing (CSC) key at
a plain http URL; every batch then sends the service's OAuth token, the credential's PIN
and the digests to sign in clear, for anyone on the path to read, replay or answer.

Boundary: signing.csc.require_https, checked when the profile's key source is built
(signing.sources.key_source) and again before the first request (signing.csc.csc_signer):
a CSC URL must be https; plain http only to this machine, and only with the test setting
SOHOA_CSC_ALLOW_HTTP_LOOPBACK. The service here is a real CSC server on loopback: the
refusals must come before it receives a single request."""

from __future__ import annotations

import pytest

from config.errors import ConfigurationError
from config.settings import Settings, get_settings
from signing.batch import BatchItem, sign_batch
from signing.csc import CscSource
from signing.levels import PadesLevel
from signing.plan import key_file_options
from signing.profiles import CscKey
from signing.services import ServiceConfig
from signing.sources import key_source
from signing.testpki import TestPki
from tests.signing.cscserver import PIN, TOKEN, csc_service


def _key(url: str) -> CscKey:
    return CscKey(service_url=url, credential_id="cred-1", token_env="CSC_LEADER_TOKEN")


def test_a_csc_profile_on_plain_http_is_refused_before_any_request(
    signing_settings: Settings, pki: TestPki, result: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSC_LEADER_TOKEN", TOKEN)
    certs = [pki.cert_path("leader"), pki.cert_path("interm")]
    with csc_service(pki.key_path("leader"), certs) as (url, calls):
        with pytest.raises(ConfigurationError, match="must be an https URL"):
            key_source(_key(url), signing_settings)
        item = BatchItem("result.pdf", result, key_file_options(PadesLevel.B_B))
        direct = CscSource(url, "cred-1", TOKEN, PIN)  # built by hand, past key_source
        with pytest.raises(ConfigurationError, match="must be an https URL"):
            sign_batch([item], direct, ServiceConfig.from_settings(signing_settings))
    assert calls == []  # neither the token nor the PIN ever left


def test_plain_http_elsewhere_than_loopback_is_refused_even_with_the_test_setting(
    signing_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSC_LEADER_TOKEN", TOKEN)
    monkeypatch.setenv("SOHOA_CSC_ALLOW_HTTP_LOOPBACK", "1")
    get_settings.cache_clear()
    settings = get_settings()
    for url in (
        "http://csc.example.vn/csc/v1",
        "http://10.0.0.5/csc/v1",
        "http://127.0.0.1.attacker.example/csc/v1",
        "ftp://127.0.0.1/csc/v1",
        "https:///csc/v1",
    ):
        with pytest.raises(ConfigurationError, match="https"):
            key_source(_key(url), settings)
    loopback = key_source(_key("http://127.0.0.1:8443/csc/v1"), settings)
    assert isinstance(loopback, CscSource) and loopback.allow_http_loopback
    assert isinstance(key_source(_key("https://csc.example.vn/csc/v1"), settings), CscSource)


def test_the_refusal_names_the_service_but_never_credentials_in_its_url(
    signing_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSC_LEADER_TOKEN", TOKEN)
    with pytest.raises(ConfigurationError) as refused:
        key_source(_key("http://user:s3cret@csc.example.vn/csc/v1"), signing_settings)
    assert "csc.example.vn" in refused.value.message
    assert "s3cret" not in refused.value.message
