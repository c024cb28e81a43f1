"""Signing fixtures: one test PKI made by the repo for the session, served on loopback."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from config.settings import Settings, get_settings
from signing.services import ServiceConfig
from signing.testpki import TestPki, create_test_pki
from tests.signing.helpers import (
    PkiSwitch,
    nss_db,
    provision_tokens,
    result_pdf,
    softhsm_config,
)

_MADE: dict[str, Any] = {}
"""The PKI, its servers and SoftHSM, made once per test process. tests/security re-exports
these fixtures, which makes pytest hold a second definition of each: without this, a session
running both folders would make a second PKI that the first SoftHSM tokens (SoftHSM reads its
configuration once per process) and the first servers' ports know nothing of."""


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TestPki:
    """Root, issuing CA, OCSP responder, TSA, leaders, the seal: generated, not downloaded."""
    if "pki" not in _MADE:
        _MADE["pki"] = create_test_pki(tmp_path_factory.mktemp("pki"))
    made: TestPki = _MADE["pki"]
    return made


@pytest.fixture(scope="session")
def pki_services(pki: TestPki) -> Iterator[PkiSwitch]:
    """The PKI's CRLs, OCSP responder and TSA answering on loopback for the session."""
    if "switch" in _MADE:
        yield _MADE["switch"]
        return
    switch = _MADE["switch"] = PkiSwitch(pki)
    switch.start()
    yield switch
    switch.stop()


@pytest.fixture
def signing_settings(
    pki: TestPki, pki_services: PkiSwitch, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """Settings using the test PKI: its keys, passphrase, TSA and root, and its loopback
    OCSP responder and CRLs allowlisted for verification."""
    monkeypatch.setenv("SOHOA_SIGNING_KEY_DIR", str(pki.directory / "keys"))
    monkeypatch.setenv("SOHOA_SIGN_PASSPHRASE", pki.passphrase)
    monkeypatch.setenv("SOHOA_TSA_URL", pki.tsa_url)
    monkeypatch.setenv("SOHOA_TRUST_ROOTS", str(pki.root_cert))
    monkeypatch.setenv("SOHOA_VERIFY_REVOCATION_HOSTS", f"127.0.0.1:{pki.port}")
    get_settings.cache_clear()
    return get_settings()


@pytest.fixture
def services(signing_settings: Settings) -> ServiceConfig:
    """The signing services of those settings."""
    return ServiceConfig.from_settings(signing_settings)


@pytest.fixture(scope="session")
def result(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A born-digital giay_khai_sinh as PDF/A-2b, unsigned."""
    return result_pdf(tmp_path_factory.mktemp("result"))


TOKENS = {
    "lanh-dao": ("leader",),
    "agent-token": ("leader",),
    "two-keys": ("leader", "deputy"),
    "web-lanh-dao": ("leader",),
}
"""SoftHSM2 tokens of the session: label -> keys on it."""


@pytest.fixture(scope="session")
def softhsm(pki: TestPki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """SoftHSM2 pointed at a token directory of the session's own, with TOKENS made."""
    if "softhsm" in _MADE:
        os.environ["SOFTHSM2_CONF"] = str(_MADE["softhsm"])
        yield _MADE["softhsm"]
        return
    conf = _MADE["softhsm"] = softhsm_config(tmp_path_factory.mktemp("softhsm"))
    old = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    provision_tokens(pki, TOKENS)
    yield conf
    if old is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = old


@pytest.fixture(scope="session")
def nss(pki: TestPki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An NSS database trusting the test root, for pdfsig."""
    return nss_db(tmp_path_factory.mktemp("nss") / "db", pki.root_cert)
