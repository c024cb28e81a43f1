"""Trust anchor sets by role (trust.yaml; Decree 68/2024, Decree 23/2025): a leader's or
seal's signature must chain to the official-duty CA, a timestamp to a timestamp authority;
a valid chain to another trusted root is reported as the wrong trust set."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.errors import ConfigurationError
from config.settings import Settings, get_settings
from signing.batch import BatchItem, sign_batch
from signing.levels import PadesLevel
from signing.pades import SignOptions
from signing.services import ServiceConfig
from signing.sources import Pkcs12Source
from signing.stamps import StampContent, StampKind
from signing.testpki import TestPki
from signing.trust import load_certificates
from signing.trust_sets import TrustConfig, TrustSets, build_trust_sets, trust_sets
from signing.verification.report import Verdict, VerificationReport, format_text
from signing.verification.run import VerifyOptions, verify_pdf
from tests.signing.helpers import pki_fetch_policy

ROLES = {"leader": ["official"], "organisation": ["official"], "clerk": ["official", "public"]}


def _signed(result: bytes, pki: TestPki, services: ServiceConfig, field: str) -> bytes:
    options = SignOptions(
        level=PadesLevel.B_T, stamp=StampContent(StampKind.INVISIBLE, "x"), field_name=field
    )
    source = Pkcs12Source(pki.p12_path("leader"), pki.passphrase)
    (signed,) = sign_batch([BatchItem("doc.pdf", result, options)], source, services)
    assert signed.signed is not None, signed.error
    return signed.signed.data


def _sets(pki: TestPki, **files: list[Path]) -> TrustSets:
    """The test root placed in the named sets (official, public, timestamp)."""
    sets = {name: {"name": name, "files": files.get(name, [])} for name in ("official", "public")}
    sets["timestamp"] = {"name": "TSA", "files": files.get("timestamp", [])}
    return build_trust_sets(TrustConfig.model_validate({"sets": sets, "roles": ROLES}), None)


def _verify(data: bytes, pki: TestPki, sets: TrustSets) -> VerificationReport:
    roots = tuple(load_certificates(pki.root_cert))
    options = VerifyOptions(roots, fetch=pki_fetch_policy(pki), trust_sets=sets)
    return verify_pdf(data, "doc.pdf", options)


def test_a_leaders_signature_chaining_only_to_a_public_ca_is_the_wrong_trust_set(
    result: bytes, services: ServiceConfig, pki: TestPki
) -> None:
    """GIVEN the test root configured as a public CA only WHEN a leader's signature
    (field lanh_dao) chaining to it is verified THEN it is not valid but wrong_trust_set,
    labelled in Vietnamese; a clerk's signature (ban_so_hoa) on the same root is valid."""
    public_only = _sets(pki, public=[pki.root_cert])
    report = _verify(_signed(result, pki, services, "lanh_dao"), pki, public_only)
    (signature,) = report.signatures
    assert (signature.verdict, signature.role, signature.trust_sets) == (
        Verdict.WRONG_TRUST_SET, "leader", ["public"],
    )  # fmt: skip
    assert "wrong trust set" in signature.reasons[0] and "official" in signature.reasons[0]
    assert report.verdict is Verdict.WRONG_TRUST_SET
    assert "sai tập tin cậy" in "\n".join(format_text(report))
    (clerk,) = _verify(_signed(result, pki, services, "ban_so_hoa"), pki, public_only).signatures
    assert (clerk.verdict, clerk.role) == (Verdict.VALID, "clerk")


def test_a_leaders_signature_on_the_official_duty_root_is_valid(
    result: bytes, services: ServiceConfig, pki: TestPki
) -> None:
    """GIVEN the test root configured as the official-duty CA and as the timestamp
    authorities' root WHEN a leader's signature is verified THEN it is valid."""
    sets = _sets(pki, official=[pki.root_cert], timestamp=[pki.root_cert])
    (signature,) = _verify(_signed(result, pki, services, "lanh_dao"), pki, sets).signatures
    assert (signature.verdict, signature.trust_sets) == (Verdict.VALID, ["official", "timestamp"])


def test_a_timestamp_outside_the_timestamp_authorities_set_is_the_wrong_trust_set(
    result: bytes, services: ServiceConfig, pki: TestPki
) -> None:
    """GIVEN a timestamp set that holds another root WHEN a leader's signature whose
    timestamp chains to the test root is verified THEN it is the wrong trust set."""
    official = _sets(pki, official=[pki.root_cert])
    sets = TrustSets(
        roots={**official.roots, "timestamp": frozenset({b"another TSA root"})},
        names={**official.names},
        roles=official.roles,
    )
    (signature,) = _verify(_signed(result, pki, services, "lanh_dao"), pki, sets).signatures
    assert signature.verdict is Verdict.WRONG_TRUST_SET
    assert "timestamp" in signature.reasons[0]


def test_trust_yaml_is_read_from_the_catalogue_dir_and_its_roots_are_trusted(
    pki: TestPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a trust.yaml naming a relative folder WHEN settings load THEN its roots are in
    the set and among the verification roots; a role naming an undefined set is refused;
    the shipped trust.yaml lists no certificate."""
    (tmp_path / "vgca").mkdir()
    (tmp_path / "vgca" / "root.pem").write_bytes(pki.root_cert.read_bytes())
    (tmp_path / "trust.yaml").write_text(
        "sets:\n  official: {name: VGCA, files: [vgca]}\n  public: {name: NEAC}\n"
        "roles:\n  leader: [official]\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SOHOA_CATALOGUE_DIR", str(tmp_path))
    monkeypatch.delenv("SOHOA_TRUST_ROOTS", raising=False)
    get_settings.cache_clear()
    settings: Settings = get_settings()
    (root,) = load_certificates(pki.root_cert)
    assert trust_sets(settings).sets_of(root) == ["official"]
    assert root.dump() in {c.dump() for c in VerifyOptions.from_settings(settings).trust_roots}
    with pytest.raises(ConfigurationError, match="does not define"):
        build_trust_sets(
            TrustConfig.model_validate({"sets": {}, "roles": {"leader": ["official"]}}), None
        )
    monkeypatch.delenv("SOHOA_CATALOGUE_DIR")
    get_settings.cache_clear()
    shipped = trust_sets(get_settings())
    assert set(shipped.roots) == {"official", "public", "timestamp"} and not shipped.certificates
