"""Verification: each way a signature can go wrong is reported distinctly, and archived
B-LT/B-LTA results verify offline from their own data once the CA's servers are gone."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from signing.batch import BatchItem, sign_batch
from signing.levels import PadesLevel
from signing.pades import SignOptions
from signing.plan import key_file_options
from signing.services import ServiceConfig
from signing.sources import KeySource, PemSource, Pkcs12Source
from signing.stamps import StampContent, StampKind
from signing.testpki import TestPki
from signing.trust import load_certificates
from signing.verification.report import SignatureReport, TimeSource, Verdict
from signing.verification.run import VerifyOptions, verify_pdf
from tests.signing.helpers import PkiSwitch, pki_fetch_policy


def _sign(data: bytes, source: KeySource, config: ServiceConfig, level: PadesLevel) -> bytes:
    options = SignOptions(
        level=level, stamp=StampContent(StampKind.INVISIBLE, "x"), field_name="chu_ky"
    )
    (result,) = sign_batch([BatchItem("doc.pdf", data, options)], source, config)
    assert result.signed is not None, result.error
    return result.signed.data


def _report(data: bytes, pki: TestPki, **kw: object) -> list[SignatureReport]:
    roots = tuple(load_certificates(pki.root_cert))
    options = VerifyOptions(roots, fetch=pki_fetch_policy(pki), **kw)  # type: ignore[arg-type]
    return verify_pdf(data, "doc.pdf", options).signatures


def _leader(pki: TestPki, label: str = "leader") -> Pkcs12Source:
    return Pkcs12Source(pki.p12_path(label), pki.passphrase)


def test_a_byte_changed_in_the_signed_range_is_reported_as_tampering(
    result: bytes, services: ServiceConfig, pki: TestPki
) -> None:
    signed = bytearray(_sign(result, _leader(pki), services, PadesLevel.B_T))
    at = signed.index(b"/MediaBox [") + len(b"/MediaBox [")
    signed[at] = ord("1") if signed[at] != ord("1") else ord("2")
    (report,) = _report(bytes(signed), pki)
    assert (report.verdict, report.intact) == (Verdict.TAMPERED, False)
    assert "digest does not match" in report.reasons[0]


def test_an_appended_update_changing_page_content_is_reported_as_modified(
    result: bytes, services: ServiceConfig, pki: TestPki
) -> None:
    signed = _sign(result, _leader(pki), services, PadesLevel.B_T)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    overlay = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 100 Td (DA DUYET) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(overlay))
    out = io.BytesIO()
    writer.write(out)
    (report,) = _report(out.getvalue(), pki)
    assert (report.verdict, report.intact, report.modification) == (Verdict.MODIFIED, True, "OTHER")
    assert report.changes and "revision 2" in report.changes


def test_a_certificate_expired_before_signing_is_reported_as_expired(
    result: bytes, services: ServiceConfig, pki: TestPki
) -> None:
    (report,) = _report(
        _sign(result, _leader(pki, "leader-expired"), services, PadesLevel.B_T), pki
    )
    assert report.verdict is Verdict.EXPIRED
    assert report.signing_time_source is TimeSource.TIMESTAMP
    assert "2022-01-01" in report.reasons[0]


def test_a_revoked_certificate_is_reported_as_revoked_with_its_date_and_reason(
    result: bytes, services: ServiceConfig, pki: TestPki
) -> None:
    (report,) = _report(
        _sign(result, _leader(pki, "leader-revoked"), services, PadesLevel.B_T), pki
    )
    assert report.verdict is Verdict.REVOKED
    assert report.revocation.status == "revoked"
    assert report.revocation.reason and "key_compromise" in report.revocation.reason
    assert any("fetched online" in s for s in report.revocation.sources)


def test_revoked_certificates_are_refused_when_signing_at_b_lt(
    result: bytes, services: ServiceConfig, pki: TestPki
) -> None:
    options = SignOptions(
        level=PadesLevel.B_LT, stamp=StampContent(StampKind.INVISIBLE, "x"), field_name="s"
    )
    (outcome,) = sign_batch(
        [BatchItem("doc.pdf", result, options)], _leader(pki, "leader-revoked"), services
    )
    assert outcome.signed is None and outcome.error is not None
    assert "could not be validated" in outcome.error.message


def test_a_key_made_with_openssl_signs_and_its_self_made_root_is_untrusted(
    result: bytes, services: ServiceConfig, pki: TestPki, tmp_path: Path
) -> None:
    key, cert = tmp_path / "k.pem", tmp_path / "c.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "30",
            "-subj",
            "/CN=Văn phòng tự ký/O=Không ai",
            "-utf8",
            "-addext",
            "keyUsage=critical,digitalSignature,nonRepudiation",
        ],
        check=True,
        capture_output=True,
    )
    signed = _sign(result, PemSource(key, cert, None), services, PadesLevel.B_T)
    (report,) = _report(signed, pki)
    assert (report.verdict, report.intact, report.trusted) == (Verdict.UNTRUSTED, True, False)
    assert report.signer == "Văn phòng tự ký"
    assert "self-signed" in report.reasons[0]


@pytest.mark.parametrize("level", [PadesLevel.B_LT, PadesLevel.B_LTA])
def test_archived_results_verify_offline_from_their_own_data(
    level: PadesLevel,
    result: bytes,
    services: ServiceConfig,
    pki: TestPki,
    pki_services: PkiSwitch,
) -> None:
    """GIVEN a B-LT/B-LTA result WHEN the CA's OCSP, CRL and TSA servers are gone THEN it
    still verifies, and the report names the embedded data it relied on."""
    signed = _sign(result, _leader(pki), services, level)
    with pki_services.down():
        reports = _report(signed, pki, online=True)
    signature = reports[0]
    assert signature.verdict is Verdict.VALID and signature.level == level.value
    assert signature.revocation.status == "good"
    assert all("embedded in the document" in s for s in signature.revocation.sources)
    assert any(s.startswith("document security store") for s in signature.validation_data)
    if level is PadesLevel.B_LTA:
        assert [r.kind for r in reports] == ["signature", "document_timestamp"]
        assert reports[1].verdict is Verdict.VALID


def test_a_b_lta_result_still_verifies_decades_later(
    result: bytes, services: ServiceConfig, pki: TestPki, pki_services: PkiSwitch
) -> None:
    """Judged as of 2050 (the leader's certificate long expired), offline."""
    signed = _sign(result, _leader(pki), services, PadesLevel.B_LTA)
    with pki_services.down():
        (signature, archive) = _report(signed, pki, online=False)
    assert signature.verdict is Verdict.VALID
    assert signature.validated_at and signature.validated_at.year < 2050
    assert archive.kind == "document_timestamp"
    # judged *as of* 2050 on request (not as of its proven signing time), it is not valid
    late = _report(signed, pki, online=False, at=datetime(2050, 1, 1, tzinfo=UTC))[0]
    assert late.verdict is not Verdict.VALID, late


def test_a_signature_on_a_b_b_result_without_data_warns_that_revocation_is_unknown(
    result: bytes, services: ServiceConfig, pki: TestPki
) -> None:
    signed = _sign(result, _leader(pki), services, PadesLevel.B_B)
    (report,) = _report(signed, pki, online=False)
    assert report.verdict is Verdict.VALID
    assert report.revocation.status == "unknown" and report.warnings
    assert report.signing_time_source is TimeSource.CLAIMED and report.level == "B-B"


def test_an_unsigned_or_broken_file_is_indeterminate_not_a_crash(
    pki: TestPki, result: bytes
) -> None:
    assert verify_pdf(result, "u.pdf", VerifyOptions()).verdict is Verdict.INDETERMINATE
    broken = verify_pdf(b"%PDF-1.7\nnothing", "b.pdf", VerifyOptions())
    assert broken.verdict is Verdict.INDETERMINATE and broken.error


def test_the_key_file_options_name_the_certificate_holder(
    result: bytes, services: ServiceConfig, pki: TestPki
) -> None:
    options = key_file_options(PadesLevel.B_B)
    (outcome,) = sign_batch(
        [BatchItem("doc.pdf", result, options)], _leader(pki, "deputy"), services
    )
    assert outcome.signed is not None and outcome.signed.signer == "Trần Thị Bình"
