"""PAdES signing for real: every level, stamps, certification, văn thư's seal, PDF/A kept."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pikepdf
import pytest

from config.settings import Settings
from signing.batch import BatchItem, sign_batch
from signing.levels import PadesLevel
from signing.pades import DATE_FIELD, NUMBER_FIELD, BatchCache, SignOptions, sign_document
from signing.plan import options_for
from signing.profiles import signer_registry
from signing.services import ServiceConfig, SigningServices
from signing.sources import Pkcs12Source, key_source
from signing.stamps import StampContent, StampKind
from signing.testpki import TestPki
from signing.trust import load_certificates
from signing.verification.report import Verdict
from signing.verification.run import VerifyOptions, verify_pdf
from tests.signing.helpers import pdfsig

FILL = {NUMBER_FIELD: "15/GKS", DATE_FIELD: "ngày 23 tháng 11 năm 2026"}


def _sign(data: bytes, settings: Settings, profile: str, level: PadesLevel, **kw: object) -> bytes:
    chosen = signer_registry(settings).get(profile)
    options = options_for(chosen, settings, level, **kw)  # type: ignore[arg-type]
    (result,) = sign_batch(
        [BatchItem("result.pdf", data, options)],
        key_source(chosen.key, settings),
        ServiceConfig.from_settings(settings),
    )
    assert result.error is None, result.error
    assert result.signed is not None
    return result.signed.data


def _verify(data: bytes, pki: TestPki, *, online: bool = True) -> list[object]:
    report = verify_pdf(
        data, "signed.pdf", VerifyOptions(tuple(load_certificates(pki.root_cert)), online)
    )
    return report.signatures  # type: ignore[return-value]


def _leader_then_seal(result: bytes, settings: Settings, level: PadesLevel) -> bytes:
    signed = _sign(result, settings, "chu-tich", level)
    return _sign(signed, settings, "van-thu", level, fill=FILL)


@pytest.mark.parametrize("level", list(PadesLevel))
def test_leader_and_seal_at_each_level_verify_and_keep_pdfa(
    level: PadesLevel, result: bytes, signing_settings: Settings, pki: TestPki
) -> None:
    """GIVEN a PDF/A result WHEN the leader signs (certifying) and văn thư fills the number
    and date and applies the seal THEN both signatures are valid at that level, the leader's
    untouched by the form filling, and the file is still PDF/A-2b."""
    signed = _leader_then_seal(result, signing_settings, level)
    reports = [s for s in _verify(signed, pki) if s.kind == "signature"]  # type: ignore[attr-defined]
    assert [(s.field, s.verdict, s.level) for s in reports] == [  # type: ignore[attr-defined]
        ("lanh_dao", Verdict.VALID, level.value),
        ("co_quan", Verdict.VALID, level.value),
    ]
    leader, seal = reports
    assert leader.certification and "điền biểu mẫu" in leader.certification  # type: ignore[attr-defined]
    assert leader.modification == "FORM_FILLING"  # type: ignore[attr-defined]
    expected_source = "claimed" if level is PadesLevel.B_B else "timestamp"
    assert seal.signing_time_source == expected_source  # type: ignore[attr-defined]
    report = pikepdf.pdfa.validate_written(__import__("io").BytesIO(signed), "2b")
    assert not [f for f in report.findings if f.kind == "violation"]


def test_pdfsig_reports_every_signature_valid_and_trusted(
    result: bytes, signing_settings: Settings, nss: Path, tmp_path: Path
) -> None:
    """Poppler (NSS, an independent implementation) agrees with pyHanko on what sohoa signs."""
    path = tmp_path / "signed.pdf"
    path.write_bytes(_leader_then_seal(result, signing_settings, PadesLevel.B_LTA))
    found = pdfsig(path, nss)
    signatures = [s for s in found if s.get("Signature Type") == "ETSI.CAdES.detached"]
    assert {s["Signature Field Name"] for s in signatures} == {"lanh_dao", "co_quan"}
    for signature in signatures:
        assert signature["Signature Validation"] == "Signature is Valid."
        assert signature["Certificate Validation"] == "Certificate is Trusted."
    # Poppler 22 cannot check RFC 3161 document timestamps; pyHanko does (test above).
    assert len(found) == 4


def test_stamps_write_vietnamese_text_the_way_decree_30_places_it(
    result: bytes, signing_settings: Settings, tmp_path: Path
) -> None:
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(_leader_then_seal(result, signing_settings, PadesLevel.B_B))
    text = subprocess.run(
        ["pdftotext", str(signed), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "Ký bởi: Nguyễn Văn An",
        "Chức vụ: Chủ tịch",
        "Cơ quan: Ủy ban nhân dân xã Hòa Bình",
    ):
        assert expected in text
    with pikepdf.open(signed) as pdf:
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        assert {name: str(fields[name].V) for name in FILL} == FILL
        leader, seal = (
            [float(v) for v in fields["lanh_dao"].Rect],
            [float(v) for v in fields["co_quan"].Rect],
        )
    # the seal's right edge lies within the left third of the leader's signature image
    assert leader[0] < seal[2] < leader[0] + (leader[2] - leader[0]) * 0.42 / 2


def test_an_electronic_copy_carries_its_notice_top_right_with_iso_time(
    result: bytes, signing_settings: Settings, tmp_path: Path
) -> None:
    signed = _sign(result, signing_settings, "van-thu", PadesLevel.B_T, copy_type="SAO Y")
    path = tmp_path / "copy.pdf"
    path.write_bytes(signed)
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        width, height = float(page.mediabox[2]), float(page.mediabox[3])
        (field,) = [f for f in pdf.Root.AcroForm.Fields if str(f.T) == "ban_sao"]
        x0, y0, _x1, _y1 = (float(v) for v in field.Rect)
    assert x0 > width / 2 and y0 > height * 0.9
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "SAO Y" in text
    assert any(
        line.strip().endswith("+07:00") and line.strip()[:4].isdigit() for line in text.splitlines()
    )


def test_a_batch_measures_once_and_reuses_the_container_size_and_chain_validation(
    result: bytes, signing_settings: Settings, pki: TestPki
) -> None:
    options = SignOptions(
        level=PadesLevel.B_LT, stamp=StampContent(StampKind.INVISIBLE, "x"), field_name="chu_ky"
    )

    async def run() -> tuple[BatchCache, list[bytes]]:
        cache = BatchCache()
        source = Pkcs12Source(pki.p12_path("leader"), pki.passphrase)
        config = ServiceConfig.from_settings(signing_settings)
        async with SigningServices(config) as svc, source.open(svc) as signer:
            outs = [
                (await sign_document(result, signer, options, svc, cache)).data for _ in range(3)
            ]
        return cache, outs

    cache, outs = asyncio.run(run())
    assert len(cache.reserved) == 1 and len(cache.presign) == 1
    for out in outs:
        assert [s.verdict for s in _verify(out, pki)] == [Verdict.VALID]  # type: ignore[attr-defined]


def test_a_reservation_too_small_costs_a_retry_not_a_signature(
    result: bytes, signing_settings: Settings, pki: TestPki
) -> None:
    options = SignOptions(
        level=PadesLevel.B_T, stamp=StampContent(StampKind.INVISIBLE, "x"), field_name="s"
    )

    async def run() -> bytes:
        source = Pkcs12Source(pki.p12_path("leader"), pki.passphrase)
        config = ServiceConfig.from_settings(signing_settings)
        async with SigningServices(config) as svc, source.open(svc) as signer:
            cache = BatchCache()
            await sign_document(result, signer, options, svc, cache)
            for key in cache.reserved:
                cache.reserved[key] = 200  # far too small
            return (await sign_document(result, signer, options, svc, cache)).data

    assert [s.verdict for s in _verify(asyncio.run(run()), pki)] == [Verdict.VALID]  # type: ignore[attr-defined]
