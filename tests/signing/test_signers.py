"""Signers behind one interface, for real: key files, a SoftHSM token, a remote CSC service,
secrets that are never prompted for, and sources that fail on purpose."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyhanko.sign.signers import Signer

from api.cli import main
from config import labels
from config.errors import TransientError
from config.settings import get_settings
from signing.batch import BatchItem, sign_batch
from signing.credentials import sign_passphrase
from signing.csc import CscSource
from signing.errors import SecretMissing, ServiceUnavailable, TokenError, WrongPassphrase
from signing.keys import load_pkcs12
from signing.levels import PadesLevel
from signing.pades import SignOptions
from signing.services import ServiceConfig, SigningServices
from signing.sources import Pkcs11Source, Pkcs12Source
from signing.stamps import StampContent, StampKind
from signing.testpki import TestPki
from signing.trust import load_certificates
from signing.verification.report import Verdict
from signing.verification.run import VerifyOptions, verify_pdf
from tests.signing.cscserver import PIN, TOKEN, csc_service
from tests.signing.helpers import SOFTHSM, USER_PIN

OPTIONS = SignOptions(
    level=PadesLevel.B_T,
    stamp=StampContent(
        StampKind.PERSON, "Nguyễn Văn An", "Chủ tịch", "Ủy ban nhân dân xã Hòa Bình"
    ),
    field_name="lanh_dao",
)


def _verdicts(data: bytes, pki: TestPki) -> list[Verdict]:
    options = VerifyOptions(tuple(load_certificates(pki.root_cert)))
    return [s.verdict for s in verify_pdf(data, "x.pdf", options).signatures]


def _sign_with(source: object, result: bytes, services: ServiceConfig, n: int = 1) -> list[bytes]:
    items = [BatchItem(f"doc{i}.pdf", result, OPTIONS) for i in range(n)]
    outcomes = sign_batch(items, source, services)  # type: ignore[arg-type]
    assert all(o.signed for o in outcomes), [o.error for o in outcomes]
    return [o.signed.data for o in outcomes if o.signed]


def test_the_passphrase_comes_from_the_environment_or_a_secret_file_never_a_prompt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SecretMissing, match="SOHOA_SIGN_PASSPHRASE"):
        sign_passphrase(get_settings())
    secret = tmp_path / "passphrase"
    secret.write_text("từ tệp bí mật\n", encoding="utf-8")
    monkeypatch.setenv("SOHOA_SIGN_PASSPHRASE_FILE", str(secret))
    get_settings.cache_clear()
    assert sign_passphrase(get_settings()) == "từ tệp bí mật"
    monkeypatch.setenv("SOHOA_SIGN_PASSPHRASE", "từ biến môi trường")
    get_settings.cache_clear()
    assert sign_passphrase(get_settings()) == "từ biến môi trường"


def test_a_wrong_passphrase_is_refused_with_the_file_named(pki: TestPki) -> None:
    with pytest.raises(WrongPassphrase, match=str(pki.p12_path("leader"))):
        load_pkcs12(pki.p12_path("leader"), "not the passphrase")


def test_a_key_file_made_by_openssl_signs_from_the_command_line(
    result: bytes,
    pki: TestPki,
    pki_services: object,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`sohoa sign --pkcs12` with a key and certificate openssl made, then `sohoa verify`."""
    for args in (
        [
            "openssl",
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "k.pem",
            "-out",
            "r.csr",
            "-subj",
            "/CN=Phạm Thị Hoa/O=Ủy ban nhân dân xã Hòa Bình/C=VN",
            "-utf8",
        ],
        [
            "openssl",
            "x509",
            "-req",
            "-in",
            "r.csr",
            "-CA",
            str(pki.cert_path("interm")),
            "-CAkey",
            str(pki.key_path("interm")),
            "-CAcreateserial",
            "-days",
            "30",
            "-out",
            "c.pem",
            "-extfile",
            "ext.cnf",
        ],
        [
            "openssl",
            "pkcs12",
            "-export",
            "-inkey",
            "k.pem",
            "-in",
            "c.pem",
            "-certfile",
            str(pki.cert_path("interm")),
            "-out",
            "key.p12",
            "-passout",
            "pass:mật khẩu",
        ],
    ):
        (tmp_path / "ext.cnf").write_text("keyUsage=critical,digitalSignature,nonRepudiation\n")
        subprocess.run(args, cwd=tmp_path, check=True, capture_output=True)
    source = tmp_path / "result.pdf"
    source.write_bytes(result)
    monkeypatch.setenv("SOHOA_SIGN_PASSPHRASE", "mật khẩu")
    monkeypatch.setenv("SOHOA_TSA_URL", pki.tsa_url)
    get_settings.cache_clear()
    runner = CliRunner()
    signed = tmp_path / "signed.pdf"
    run = runner.invoke(
        main,
        [
            "sign",
            str(source),
            "--pkcs12",
            str(tmp_path / "key.p12"),
            "--level",
            "B-T",
            "--out",
            str(signed),
        ],
    )
    assert run.exit_code == 0, run.output
    assert f"{source}: {labels.RUN_LINES['signed']} (B-T) -> {signed}" in run.output
    run = runner.invoke(main, ["verify", str(signed), "--trust", str(pki.root_cert)])
    assert run.exit_code == 0, run.output
    assert "Người ký: Phạm Thị Hoa" in run.output
    assert run.output.splitlines()[0] == f"{signed}: {labels.VERDICTS['valid']}"
    titles = {line.strip().split(":")[0] for line in run.output.splitlines()[2:]}
    assert titles <= set(labels.VERIFY_LINES.values()), titles


def test_a_softhsm_token_signs_a_batch_with_one_login(
    result: bytes, pki: TestPki, services: ServiceConfig, softhsm: Path
) -> None:
    """GIVEN a token made by softhsm2-util with the leader's key and certificate WHEN a
    batch of three is signed THEN all verify (and the token was logged into once)."""
    signed = _sign_with(
        Pkcs11Source(SOFTHSM, "lanh-dao", "leader", None, USER_PIN), result, services, n=3
    )
    with pytest.raises(TokenError, match="cannot log in"):
        _sign_with(Pkcs11Source(SOFTHSM, "lanh-dao", "leader", None, "000000"), result, services)
    for data in signed:
        assert _verdicts(data, pki) == [Verdict.VALID]


def test_a_remote_csc_service_signs_through_the_same_interface(
    result: bytes, pki: TestPki, services: ServiceConfig
) -> None:
    certs = [pki.cert_path("leader"), pki.cert_path("interm")]
    with csc_service(pki.key_path("leader"), certs) as (url, calls):
        local = True  # the test service speaks plain http on loopback
        signed = _sign_with(CscSource(url, "cred-1", TOKEN, PIN, local), result, services, n=2)
        with pytest.raises(Exception, match=r"401|refused"):
            _sign_with(CscSource(url, "cred-1", "wrong-token", PIN, local), result, services)
    assert calls.count("/csc/v1/credentials/authorize") == 1  # one authorisation per batch
    for data in signed:
        assert _verdicts(data, pki) == [Verdict.VALID]


class _TimesOut:
    """A key source whose signer never answers in time (an HSM behind a dead link)."""

    def __init__(self, pki: TestPki) -> None:
        self.pki = pki

    def describe(self) -> str:
        return "a signer that times out"

    @asynccontextmanager
    async def open(self, services: SigningServices) -> AsyncIterator[Signer]:
        yield _SlowSigner(load_pkcs12(self.pki.p12_path("leader"), self.pki.passphrase))


class _SlowSigner(Signer):
    def __init__(self, inner: Signer) -> None:
        super().__init__(signing_cert=inner.signing_cert, cert_registry=inner.cert_registry)

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:
            return bytes(256)
        raise TimeoutError("the HSM did not answer within 30 s")


def test_a_signer_that_times_out_fails_the_document_as_transient_and_the_batch_goes_on(
    result: bytes, pki: TestPki, services: ServiceConfig
) -> None:
    items = [BatchItem("a.pdf", result, OPTIONS), BatchItem("b.pdf", result, OPTIONS)]
    outcomes = sign_batch(items, _TimesOut(pki), services)
    assert [o.signed for o in outcomes] == [None, None]
    for outcome in outcomes:
        assert isinstance(outcome.error, ServiceUnavailable) and isinstance(
            outcome.error, TransientError
        )
        assert "did not answer" in outcome.error.message


def test_a_level_that_needs_a_timestamp_is_refused_without_a_tsa(
    result: bytes, pki: TestPki
) -> None:
    outcomes = sign_batch(
        [BatchItem("a.pdf", result, OPTIONS)],
        Pkcs12Source(pki.p12_path("leader"), pki.passphrase),
        ServiceConfig(),
    )
    assert outcomes[0].error is not None and "SOHOA_TSA_URL" in outcomes[0].error.message
