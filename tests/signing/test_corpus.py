"""`sohoa verify` on PDFs signed by other software (pyHanko's own test files) gives the
verdicts pyHanko's test suite expects of them, the sneaky form updates included."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from api.cli import main
from signing.trust import load_certificates
from signing.verification.report import SignatureReport, Verdict
from signing.verification.run import VerifyOptions, verify_pdf
from tests.conftest import CORPORA

PDF = CORPORA / "pyhanko" / "pdf"
ROOT = CORPORA / "pyhanko" / "crypto" / "testing-ca" / "root" / "root.cert.pem"
AT = datetime(2020, 11, 1, tzinfo=UTC)
"""pyHanko's tests run at this frozen time; its test certificates expired in 2022."""


@dataclass(frozen=True)
class Expect:
    """What pyHanko's test suite asserts of a signature (None: it does not say)."""

    intact: bool = True
    coverage: str | None = "ENTIRE_FILE"
    modification: str | None = "NONE"
    trusted: bool | None = None
    verdict: Verdict | None = None
    says: str | None = None
    """Text the changes or reasons must contain."""


FORM_FILLED = Expect(coverage="ENTIRE_REVISION", modification="FORM_FILLING")
SNEAKY = Expect(
    coverage="ENTIRE_REVISION", modification="OTHER", verdict=Verdict.MODIFIED, says=".FooBar"
)
ODD = Expect(coverage="UNCLEAR", modification="OTHER", trusted=False, verdict=Verdict.MODIFIED)
TRUSTED = Expect(trusted=True, verdict=Verdict.VALID)
UNREADABLE = Expect(
    intact=False,
    coverage=None,
    modification=None,
    verdict=Verdict.INDETERMINATE,
    says="encapsulated",
)
DISALLOWED = Expect(
    intact=True, coverage=None, modification=None, verdict=Verdict.INDETERMINATE, says="algorithm"
)

EXPECTATIONS: dict[str, list[Expect]] = {
    # test_sign.py: val_trusted / val_untrusted
    "certified-with-indirect-refs-in-dir.pdf": [TRUSTED],
    "pades-with-old-style-signing-cert-attr.pdf": [TRUSTED],
    "pades-with-old-style-signing-cert-attr-issser.pdf": [TRUSTED],
    "sig-no-signed-attrs.pdf": [Expect()],
    "sig-with-ski-sid.pdf": [Expect()],
    "ed448-shake256-nolen.pdf": [Expect()],
    # DisallowedAlgorithmError, and "detached ... encapsulated" SignatureValidationError
    "ed448-disallowed-hash.pdf": [DISALLOWED],
    "pdf-sig-with-econtent.pdf": [UNREADABLE],
    # test_diff_analysis.py: double signatures by Adobe Reader, first one extended by form filling
    "minimal-two-fields-signed-twice.pdf": [FORM_FILLED, Expect()],
    "minimal-signed-twice-second-created.pdf": [FORM_FILLED, Expect()],
    "minimal-signed-twice-both-created.pdf": [FORM_FILLED, Expect()],
    "minimal-signed-twice-no-sig-type.pdf": [FORM_FILLED, Expect()],
    "extensions-direct.pdf": [FORM_FILLED, Expect()],
    "extensions-indirect.pdf": [FORM_FILLED, Expect()],
    "extensions-update-direct.pdf": [FORM_FILLED, Expect()],
    "extensions-update-indirect.pdf": [FORM_FILLED, Expect()],
    "extensions-indirect-not-all-paths.pdf": [
        Expect(
            coverage="ENTIRE_REVISION",
            modification="OTHER",
            verdict=Verdict.MODIFIED,
            says="DontOverrideMe",
        ),
        Expect(),
    ],
    "form-update-override-appearance-stream.pdf": [FORM_FILLED, Expect()],
    "form-update-override-appearance-stream-ap-indirect.pdf": [FORM_FILLED, Expect()],
    "form-update-no-override-appearance-stream-ap-indirect.pdf": [FORM_FILLED, Expect()],
    "form-update-original-ap-type-wrong.pdf": [FORM_FILLED, Expect()],
    "form-update-override-appearance-stream-sneaky.pdf": [SNEAKY, Expect()],
    "form-update-override-appearance-stream-ap-indirect-sneaky.pdf": [SNEAKY, Expect()],
    "form-update-no-override-appearance-stream-ap-indirect-sneaky.pdf": [SNEAKY, Expect()],
    "form-update-ap-indirect-sneaky-trailer.pdf": [SNEAKY, Expect()],
    # test_anomalous_coverage: valid and intact, not trusted, nonstandard coverage
    "coverage-anomalies/tail-uncovered.pdf": [
        Expect(
            coverage="CONTIGUOUS_BLOCK_FROM_START",
            modification="OTHER",
            trusted=False,
            verdict=Verdict.MODIFIED,
        )
    ],
    "coverage-anomalies/signature-gap-too-big.pdf": [ODD],
    "coverage-anomalies/one-byterange.pdf": [ODD],
    "coverage-anomalies/weird-byterange.pdf": [ODD],
}


def _options() -> VerifyOptions:
    return VerifyOptions(tuple(load_certificates(ROOT)), online=False, at=AT)


def _check(sig: SignatureReport, expect: Expect) -> None:
    assert sig.intact is expect.intact, sig.reasons
    if expect.coverage is not None:
        assert sig.coverage == expect.coverage
    if expect.modification is not None:
        assert sig.modification == expect.modification
    if expect.trusted is not None:
        assert sig.trusted is expect.trusted
    if expect.verdict is not None:
        assert sig.verdict is expect.verdict, sig.reasons
    if expect.says is not None:
        assert expect.says in " ".join([sig.changes or "", *sig.reasons])


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_pyhanko_corpus_verdicts(name: str) -> None:
    path = PDF / name
    report = verify_pdf(path.read_bytes(), name, _options())
    signatures = [s for s in report.signatures if s.kind == "signature"]
    assert len(signatures) == len(EXPECTATIONS[name])
    for sig, expect in zip(signatures, EXPECTATIONS[name], strict=True):
        _check(sig, expect)


def test_the_pades_lta_file_verifies_from_its_embedded_data() -> None:
    """test_pades_lta_dss_indirect_arrs: pyHanko's own B-LTA file, no fetching allowed."""
    report = verify_pdf(
        (PDF / "pades-lta-dss-indirect-arrs-test.pdf").read_bytes(),
        "lta.pdf",
        VerifyOptions(tuple(load_certificates(ROOT)), online=False),
    )
    signature = report.signatures[0]
    assert (signature.intact, signature.trusted, signature.level) == (True, True, "B-LTA")
    assert signature.verdict is Verdict.VALID, signature.reasons
    assert any(s.startswith("document security store") for s in signature.validation_data)


def test_an_encrypted_signed_file_is_reported_not_crashed() -> None:
    report = verify_pdf(
        (PDF / "signed-encrypted-pubkey-with-catalog-ref.pdf").read_bytes(), "e.pdf", _options()
    )
    assert report.verdict is Verdict.INDETERMINATE and report.error


def test_the_command_line_gives_the_same_verdicts_as_json() -> None:
    names = [
        "form-update-override-appearance-stream-sneaky.pdf",
        "form-update-override-appearance-stream.pdf",
    ]
    run = CliRunner().invoke(
        main,
        ["verify", "--json", "--offline", "--at", AT.isoformat(), "--trust", str(ROOT)]
        + [str(PDF / n) for n in names],
    )
    assert run.exit_code == 1  # not every file is valid
    sneaky, plain = [json.loads(line) for line in run.output.splitlines() if line.startswith("{")]
    assert sneaky["signatures"][0]["verdict"] == "modified"
    assert ".FooBar" in sneaky["signatures"][0]["changes"]
    assert plain["signatures"][0]["modification"] == "FORM_FILLING"
