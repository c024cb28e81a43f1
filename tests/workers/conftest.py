"""Worker fixtures: a test PKI served on loopback and settings that sign with it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from config.settings import Settings, get_settings
from signing.testpki import TestPki, create_test_pki
from tests.signing.helpers import PkiSwitch, result_pdf


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestPki]:
    """A test PKI with its TSA, OCSP and CRLs on loopback, for the workers' tests."""
    made = create_test_pki(tmp_path_factory.mktemp("pki"))
    switch = PkiSwitch(made)
    switch.start()
    yield made
    switch.stop()


@pytest.fixture(scope="session")
def result(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A born-digital giay_khai_sinh, PDF/A-2b, unsigned."""
    return result_pdf(tmp_path_factory.mktemp("result"))


@pytest.fixture
def signing_settings(pki: TestPki, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings that sign and verify with the test PKI."""
    monkeypatch.setenv("SOHOA_SIGNING_KEY_DIR", str(pki.directory / "keys"))
    monkeypatch.setenv("SOHOA_SIGN_PASSPHRASE", pki.passphrase)
    monkeypatch.setenv("SOHOA_TSA_URL", pki.tsa_url)
    monkeypatch.setenv("SOHOA_TRUST_ROOTS", str(pki.root_cert))
    get_settings.cache_clear()
    return get_settings()
