"""The leader's own token: the server prepares, `sohoa sign-agent` signs digests (SoftHSM
standing in for the USB token), the server embeds the signatures and timestamps."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from config.settings import Settings
from signing.agent import AgentToken, running_agent
from signing.batch import BatchItem, sign_via_agent
from signing.levels import PadesLevel
from signing.plan import options_for
from signing.profiles import signer_registry
from signing.report import Verdict
from signing.services import ServiceConfig
from signing.testpki import TestPki, free_port
from signing.trust import load_certificates
from signing.verify import VerifyOptions, verify_pdf
from tests.signing.helpers import SOFTHSM, USER_PIN


class _Pins:
    """Counts PIN entries, as a leader would at the agent's prompt."""

    def __init__(self) -> None:
        self.asked: list[list[str]] = []

    def __call__(self, names: list[str]) -> str:
        self.asked.append(names)
        return USER_PIN


@pytest.fixture
def agent(softhsm: Path) -> Iterator[tuple[str, _Pins]]:
    """An agent in front of a SoftHSM token holding the leader's key."""
    pins = _Pins()
    with running_agent(AgentToken(SOFTHSM, "agent-token", "leader", None, pins)) as url:
        yield url, pins


def _valid(data: bytes, pki: TestPki) -> list[Verdict]:
    options = VerifyOptions(tuple(load_certificates(pki.root_cert)))
    return [
        s.verdict for s in verify_pdf(data, "x.pdf", options).signatures if s.kind == "signature"
    ]


def test_a_batch_through_the_agent_needs_one_pin_entry(
    agent: tuple[str, _Pins], result: bytes, signing_settings: Settings, pki: TestPki
) -> None:
    url, pins = agent
    profile = signer_registry(signing_settings).get("chu-tich")
    options = options_for(profile, signing_settings, PadesLevel.B_LTA)
    items = [BatchItem(f"ket-qua-{i}.pdf", result, options) for i in range(3)]
    outcomes = sign_via_agent(items, url, ServiceConfig.from_settings(signing_settings))
    assert all(o.signed is not None for o in outcomes), [o.error for o in outcomes]
    assert pins.asked == [["ket-qua-0.pdf", "ket-qua-1.pdf", "ket-qua-2.pdf"]]
    for outcome in outcomes:
        assert outcome.signed is not None and outcome.signed.pdfa
        assert _valid(outcome.signed.data, pki) == [Verdict.VALID]


class _WrongKey:
    """An agent whose token holds another key than the certificate it presents."""

    def __init__(self, honest: AgentToken, other: AgentToken) -> None:
        self.honest, self.other = honest, other

    def certificates(self) -> object:
        return self.honest.certificates()

    def sign(self, md_algorithm: str, items: object) -> object:
        return self.other.sign(md_algorithm, items)  # type: ignore[arg-type]


def test_a_signature_that_does_not_match_the_certificate_is_refused(
    result: bytes, signing_settings: Settings, pki: TestPki, softhsm: Path
) -> None:
    honest = AgentToken(SOFTHSM, "two-keys", "leader", None, lambda _: USER_PIN)
    other = AgentToken(SOFTHSM, "two-keys", "deputy", None, lambda _: USER_PIN)
    with running_agent(_WrongKey(honest, other)) as url:  # type: ignore[arg-type]
        profile = signer_registry(signing_settings).get("chu-tich")
        options = options_for(profile, signing_settings, PadesLevel.B_T)
        (outcome,) = sign_via_agent(
            [BatchItem("x.pdf", result, options)],
            url,
            ServiceConfig.from_settings(signing_settings),
        )
    assert outcome.signed is None and outcome.error is not None
    assert "does not verify with Nguyễn Văn An's certificate" in outcome.error.message


def test_the_command_line_signs_with_the_agent(
    agent: tuple[str, _Pins],
    result: bytes,
    signing_settings: Settings,
    pki: TestPki,
    tmp_path: Path,
) -> None:
    url, pins = agent
    source = tmp_path / "in.pdf"
    source.write_bytes(result)
    out = tmp_path / "out.pdf"
    run = CliRunner().invoke(
        main,
        [
            "sign",
            str(source),
            "--agent",
            url,
            "--profile",
            "chu-tich",
            "--level",
            "B-LT",
            "--out",
            str(out),
        ],
    )
    assert run.exit_code == 0, run.output
    assert len(pins.asked) == 1
    assert _valid(out.read_bytes(), pki) == [Verdict.VALID]


def test_sohoa_sign_agent_serves_the_token_from_the_command_line(
    softhsm: Path, result: bytes, signing_settings: Settings, pki: TestPki, tmp_path: Path
) -> None:
    """`sohoa sign-agent` as the leader would run it (the PIN from a variable here)."""
    port = free_port()
    env = {**os.environ, "SOFTHSM2_CONF": str(softhsm), "LEADER_PIN": USER_PIN}
    agent = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "api.cli",
            "sign-agent",
            "--token-label",
            "agent-token",
            "--key-label",
            "leader",
            "--module",
            str(SOFTHSM),
            "--port",
            str(port),
            "--pin-env",
            "LEADER_PIN",
        ],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert agent.stderr is not None and "signing agent on" in agent.stderr.readline()
        source = tmp_path / "in.pdf"
        source.write_bytes(result)
        out = tmp_path / "out.pdf"
        run = CliRunner().invoke(
            main,
            [
                "sign",
                str(source),
                "--agent",
                f"http://127.0.0.1:{port}",
                "--level",
                "B-T",
                "--out",
                str(out),
            ],
        )
        assert run.exit_code == 0, run.output
    finally:
        agent.terminate()
        agent.wait(timeout=10)
    assert _valid(out.read_bytes(), pki) == [Verdict.VALID]
