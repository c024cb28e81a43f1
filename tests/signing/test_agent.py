"""The leader's own token: the server prepares, `sohoa sign-agent` signs digests (SoftHSM
standing in for the USB token), the server embeds the signatures and timestamps."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from asn1crypto import x509
from click.testing import CliRunner

from api.cli import main
from config.settings import Settings
from signing.agent import AgentPolicy, AgentToken, new_pairing_code, running_agent
from signing.agent_batch import SignBatch
from signing.agent_client import AgentLink
from signing.batch import BatchItem, sign_via_agent
from signing.levels import PadesLevel
from signing.plan import options_for
from signing.profiles import signer_registry
from signing.services import ServiceConfig
from signing.testpki import TestPki, free_port
from signing.trust import load_certificates
from signing.verification.report import Verdict
from signing.verification.run import VerifyOptions, verify_pdf
from tests.signing.helpers import SOFTHSM, USER_PIN, ChildOutput


class _Pins:
    """Counts PIN entries, as a leader would at the agent's prompt, keeping what was shown."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, prompt: str) -> str:
        self.asked.append(prompt)
        return USER_PIN


@pytest.fixture
def agent(softhsm: Path, tmp_path: Path) -> Iterator[tuple[AgentLink, _Pins, AgentPolicy]]:
    """An agent in front of a SoftHSM token holding the leader's key, with its pairing."""
    pins = _Pins()
    policy = AgentPolicy(new_pairing_code(), tmp_path / "agent" / "signed.jsonl")
    token = AgentToken(SOFTHSM, "agent-token", "leader", None, pins)
    with running_agent(token, policy) as url:
        yield AgentLink(url, policy.pairing), pins, policy


def _valid(data: bytes, pki: TestPki) -> list[Verdict]:
    options = VerifyOptions(tuple(load_certificates(pki.root_cert)))
    return [
        s.verdict for s in verify_pdf(data, "x.pdf", options).signatures if s.kind == "signature"
    ]


def test_a_batch_through_the_agent_needs_one_pin_entry(
    agent: tuple[AgentLink, _Pins, AgentPolicy],
    result: bytes,
    signing_settings: Settings,
    pki: TestPki,
) -> None:
    link, pins, policy = agent
    profile = signer_registry(signing_settings).get("chu-tich")
    options = options_for(profile, signing_settings, PadesLevel.B_LTA)
    items = [BatchItem(f"ket-qua-{i}.pdf", result, options) for i in range(3)]
    outcomes = sign_via_agent(items, link, ServiceConfig.from_settings(signing_settings))
    assert all(o.signed is not None for o in outcomes), [o.error for o in outcomes]
    (prompt,) = pins.asked
    assert "Ký 3 văn bản" in prompt and all(f"ket-qua-{i}.pdf" in prompt for i in range(3))
    for outcome in outcomes:
        assert outcome.signed is not None and outcome.signed.pdfa
        assert _valid(outcome.signed.data, pki) == [Verdict.VALID]
    (line,) = policy.journal.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["count"] == 3 and record["origin"] is None
    assert [d["title"] for d in record["documents"]] == [i.name for i in items]


class _WrongKey:
    """An agent whose token holds another key than the certificate it presents."""

    def __init__(self, honest: AgentToken, other: AgentToken) -> None:
        self.honest, self.other = honest, other

    def certificates(self) -> list[x509.Certificate]:
        return self.honest.certificates()

    def sign(self, batch: SignBatch) -> list[bytes]:
        return self.other.sign(batch)


def test_a_signature_that_does_not_match_the_certificate_is_refused(
    result: bytes, signing_settings: Settings, pki: TestPki, softhsm: Path, tmp_path: Path
) -> None:
    honest = AgentToken(SOFTHSM, "two-keys", "leader", None, lambda _: USER_PIN)
    other = AgentToken(SOFTHSM, "two-keys", "deputy", None, lambda _: USER_PIN)
    policy = AgentPolicy(new_pairing_code(), tmp_path / "signed.jsonl")
    with running_agent(_WrongKey(honest, other), policy) as url:
        profile = signer_registry(signing_settings).get("chu-tich")
        options = options_for(profile, signing_settings, PadesLevel.B_T)
        (outcome,) = sign_via_agent(
            [BatchItem("x.pdf", result, options)],
            AgentLink(url, policy.pairing),
            ServiceConfig.from_settings(signing_settings),
        )
    assert outcome.signed is None and outcome.error is not None
    assert "does not verify with Nguyễn Văn An's certificate" in outcome.error.message


def test_the_command_line_signs_with_the_agent(
    agent: tuple[AgentLink, _Pins, AgentPolicy],
    result: bytes,
    signing_settings: Settings,
    pki: TestPki,
    tmp_path: Path,
) -> None:
    link, pins, _ = agent
    source = tmp_path / "in.pdf"
    source.write_bytes(result)
    out = tmp_path / "out.pdf"
    run = CliRunner().invoke(
        main,
        [
            "sign",
            str(source),
            "--agent",
            link.url,
            "--profile",
            "chu-tich",
            "--level",
            "B-LT",
            "--out",
            str(out),
        ],
        env={"SOHOA_AGENT_PAIRING": link.pairing},
    )
    assert run.exit_code == 0, run.output
    assert len(pins.asked) == 1
    assert _valid(out.read_bytes(), pki) == [Verdict.VALID]


def test_sohoa_sign_agent_serves_the_token_from_the_command_line(
    softhsm: Path, result: bytes, signing_settings: Settings, pki: TestPki, tmp_path: Path
) -> None:
    """`sohoa sign-agent` as the leader would run it (the PIN from a variable here, which
    only test mode allows); the requester is given the pairing code it printed."""
    port = free_port()
    env = {
        **os.environ,
        "SOFTHSM2_CONF": str(softhsm),
        "LEADER_PIN": USER_PIN,
        "SOHOA_TESTING": "1",
        "SOHOA_SIGN_AGENT_DIR": str(tmp_path / "agent"),
    }
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
    assert agent.stderr is not None
    output = ChildOutput(agent.stderr)
    try:
        output.wait_for(r"signing agent on http://127\.0\.0\.1:\d+")
        pairing = output.wait_for(r"pairing code\): ([A-Z0-9-]+)").group(1)
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
            env={"SOHOA_AGENT_PAIRING": pairing},
        )
        assert run.exit_code == 0, run.output
        output.wait_for(r"Ký 1 văn bản")
    finally:
        agent.terminate()
        agent.wait(timeout=10)
    assert _valid(out.read_bytes(), pki) == [Verdict.VALID]
    assert len((tmp_path / "agent" / "signed.jsonl").read_text().splitlines()) == 1
