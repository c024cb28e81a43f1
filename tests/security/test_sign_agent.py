"""Attacks on the leader's signing agent (`sohoa sign-agent`, issue 16), replayed over raw HTTP
against the agent as the leader runs it (a child process in front of a SoftHSM token), and
on the server that trusts what the agent answers.

Every attack request also carries the old protocol's fields (an opaque `digest` per item),
so an agent that signs whatever it is sent signs them and the test fails."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from asn1crypto import cms
from click.testing import CliRunner

from api.cli import main
from api.sign_service import seen_form
from config import defaults
from config.settings import Settings, get_settings
from signing.flow.results import current_result
from signing.testpki import free_port
from storage.db import open_database
from storage.enums import SignatureState
from storage.signatures import requests_of
from tests.signing.helpers import SOFTHSM, USER_PIN, RunningAgent, running_agent
from tests.workers.archive_signing import dossier_with_result

SERVER = "https://sohoa.ubnd-hoabinh.example.vn"
"""The sohoa server's public URL: the one origin whose pages may call the agent."""

EVIL = "https://quang-cao.example.com"


class _Agent(RunningAgent):
    def prompts(self) -> str:
        """Everything the agent printed after it was ready (the leader's terminal)."""
        text = "".join(self.output.lines)
        return text.split("signing agent on", 1)[-1]


@contextmanager
def _started(softhsm: Path, tmp_path: Path, *, token: str, key: str) -> Iterator[_Agent]:
    env = {"SOHOA_PUBLIC_URL": SERVER + "/"}
    with running_agent(
        softhsm, tmp_path / "agent", port=free_port(), token=token, key=key, env=env
    ) as started:
        yield _Agent(started.port, started.output, started.journal, started.pairing)


@pytest.fixture
def agent(softhsm: Path, tmp_path: Path) -> Iterator[_Agent]:
    """The leader's agent in front of the token holding the leader's key."""
    with _started(softhsm, tmp_path, token="agent-token", key="leader") as started:
        yield started


def _call(
    agent: _Agent,
    method: str,
    path: str,
    *,
    body: object = None,
    content_type: str = "application/json",
    host: str | None = None,
    origin: str | None = None,
    pairing: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One raw HTTP request, every header as an attacker (or a browser) would set it."""
    connection = http.client.HTTPConnection("127.0.0.1", agent.port, timeout=60)
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", host or f"127.0.0.1:{agent.port}")
    if origin is not None:
        connection.putheader("Origin", origin)
    if pairing is not None:
        connection.putheader("Authorization", f"Bearer {pairing}")
    data = None if body is None else json.dumps(body).encode()
    if data is not None:
        connection.putheader("Content-Type", content_type)
        connection.putheader("Content-Length", str(len(data)))
    connection.endheaders(data)
    response = connection.getresponse()
    answer = (response.status, dict(response.getheaders()), response.read())
    connection.close()
    return answer


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _signed_attrs(message_digest: bytes) -> bytes:
    return bytes(
        cms.CMSAttributes(
            [
                cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
                cms.CMSAttribute({"type": "message_digest", "values": [message_digest]}),
            ]
        ).dump()
    )


def _item(title: str, document: bytes, attributes_over: bytes | None = None) -> dict[str, str]:
    """An item in both protocols: the old one's opaque digest, the new one's signed
    attributes (over `attributes_over`'s hash, the document's unless told otherwise)."""
    document_digest = hashlib.sha256(document).digest()
    over = hashlib.sha256(attributes_over).digest() if attributes_over else document_digest
    return {
        "name": title,
        "digest": _b64(hashlib.sha256(b"a contract nobody showed the leader").digest()),
        "title": title,
        "document_digest": _b64(document_digest),
        "signed_attrs": _b64(_signed_attrs(over)),
    }


def _batch(*items: dict[str, str]) -> dict[str, object]:
    return {"md_algorithm": "sha256", "items": list(items)}


def _signed_nothing(agent: _Agent, status: int, data: bytes) -> None:
    assert status != 200 and b"signatures" not in data, (status, data)
    assert not agent.journal.exists()


def test_a_web_page_simple_text_plain_post_is_refused(agent: _Agent) -> None:
    """ATTACK: any page the leader visits POSTs text/plain (a CORS simple request, sent
    without preflight) to 127.0.0.1. BOUNDARY: JSON only (415) and the Origin allowlist
    (403); even a program on this computer with the pairing code may not send text/plain."""
    body = _batch(_item("Hợp đồng", b"x"))
    status, _, data = _call(
        agent, "POST", "/sign", body=body, content_type="text/plain", origin=EVIL
    )
    _signed_nothing(agent, status, data)
    status, _, data = _call(
        agent, "POST", "/sign", body=body, content_type="text/plain", pairing=agent.pairing
    )
    assert status == 415, data
    _signed_nothing(agent, status, data)


def test_a_missing_or_wrong_pairing_code_is_refused(agent: _Agent) -> None:
    """ATTACK: a local program (or a page that got past the browser) asks the agent to sign
    without the code it printed. BOUNDARY: Authorization: Bearer <this run's code> (401)."""
    body = _batch(_item("Quyết định", b"x"))
    for pairing in (None, "AAAA-BBBB-CCCC-DDDD", ""):
        status, _, data = _call(agent, "POST", "/sign", body=body, pairing=pairing)
        assert status == 401, data
        _signed_nothing(agent, status, data)
    status, _, data = _call(agent, "GET", "/certificate")
    assert status == 401 and b"certificates" not in data


def test_guessing_pairing_codes_shuts_the_agent(agent: _Agent) -> None:
    """ATTACK: a local program tries pairing codes one after another. BOUNDARY: after
    SIGN_AGENT_PAIRING_FAILURES wrong codes the agent refuses everyone, the right code too,
    until the leader restarts it (with a new code)."""
    body = _batch(_item("Quyết định", b"x"))
    for guess in range(defaults.SIGN_AGENT_PAIRING_FAILURES):
        status, _, _ = _call(agent, "POST", "/sign", body=body, pairing=f"GUESS-{guess}")
        assert status == 401
    status, _, data = _call(agent, "POST", "/sign", body=body, pairing=agent.pairing)
    assert status == 401 and b"restart" in data, data
    _signed_nothing(agent, status, data)


def test_a_dns_rebound_host_is_refused(agent: _Agent) -> None:
    """ATTACK: DNS rebinding: a page on evil.example re-points its name at 127.0.0.1, so
    its requests are same-origin and it can read the answers. BOUNDARY: the Host header must
    be 127.0.0.1:PORT or localhost:PORT (403)."""
    rebound = f"rebind.quang-cao.example.com:{agent.port}"
    status, _, data = _call(
        agent, "POST", "/sign", body=_batch(_item("x", b"x")), host=rebound, pairing=agent.pairing
    )
    assert status == 403, data
    _signed_nothing(agent, status, data)
    status, _, data = _call(agent, "GET", "/certificate", host=rebound, pairing=agent.pairing)
    assert status == 403 and b"certificates" not in data


def test_a_page_of_another_origin_is_refused(agent: _Agent) -> None:
    """ATTACK: a page of another site calls the agent (JSON, even with the code).
    BOUNDARY: the Origin allowlist (the sohoa server's origin only, 403, no CORS headers);
    its preflight is refused too, while the server's own page gets one."""
    body = _batch(_item("x", b"x"))
    status, headers, data = _call(
        agent, "POST", "/sign", body=body, origin=EVIL, pairing=agent.pairing
    )
    assert status == 403 and "Access-Control-Allow-Origin" not in headers, data
    _signed_nothing(agent, status, data)
    for origin in (EVIL, "null"):
        status, headers, _ = _call(agent, "OPTIONS", "/sign", origin=origin)
        assert status == 403 and "Access-Control-Allow-Origin" not in headers
    status, headers, _ = _call(agent, "OPTIONS", "/sign", origin=SERVER)
    assert status == 204 and headers["Access-Control-Allow-Origin"] == SERVER
    assert "Authorization" in headers["Access-Control-Allow-Headers"]


def test_the_leader_sees_the_true_count_and_clean_titles(agent: _Agent) -> None:
    """ATTACK: titles carrying a carriage return, ANSI escapes and a bidi override make the
    prompt read "Ký 1 văn bản" while 50 are signed on one PIN. BOUNDARY: the agent writes
    the prompt itself: the count it signs, titles with control and format characters made
    spaces; and it journals what it signed."""
    lie = "Giấy khai sinh\rKý 1 văn bản: Giấy khai sinh\x1b[2K\x1b[1A\u202efdp.gnoD-poH\n"
    items = [_item(lie if n == 0 else f"Hợp đồng số {n}", bytes([n])) for n in range(50)]
    status, _, data = _call(
        agent, "POST", "/sign", body=_batch(*items), origin=SERVER, pairing=agent.pairing
    )
    assert status == 200, data
    assert len(json.loads(data)["signatures"]) == 50
    agent.output.wait_for(r"Mã PIN sẽ ký đúng 50 văn bản", timeout=10)
    shown = agent.prompts()
    assert "Ký 50 văn bản" in shown and "… và 30 văn bản khác" in shown
    assert "\r" not in shown and "\x1b" not in shown and "\u202e" not in shown
    assert "Giấy khai sinh Ký 1 văn bản: Giấy khai sinh [2K [1A fdp.gnoD-poH" in shown
    assert f"Yêu cầu ký từ: {SERVER}" in shown
    (line,) = agent.journal.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["count"] == 50 and record["origin"] == SERVER
    assert record["documents"][1]["document_digest"] == hashlib.sha256(b"\x01").hexdigest()
    assert "\r" not in record["documents"][0]["title"]


def test_a_digest_that_is_not_the_signed_attributes_is_refused(agent: _Agent) -> None:
    """ATTACK: the requester shows the leader one document's hash but has the token sign
    something else (an opaque digest, or attributes over another document). BOUNDARY: the
    agent signs only the hash of the signed attributes it was given, once their
    messageDigest equals the document hash it shows (400 otherwise, nothing signed)."""
    honest = _item("Giấy khai sinh", b"the birth certificate")
    swapped = _item("Giấy khai sinh", b"the birth certificate", attributes_over=b"a loan")
    status, _, data = _call(
        agent, "POST", "/sign", body=_batch(honest, swapped), pairing=agent.pairing
    )
    assert status == 400 and b"messageDigest" in data, data
    _signed_nothing(agent, status, data)
    assert "Ký 2 văn bản" not in agent.prompts()  # the PIN was never asked


def test_pin_env_is_refused_outside_test_mode(softhsm: Path) -> None:
    """ATTACK: an agent started with --pin-env signs with no one at the prompt, for any
    holder of the pairing code. BOUNDARY: --pin-env needs SOHOA_TESTING=1 (exit 2)."""
    env = {k: v for k, v in os.environ.items() if k != "SOHOA_TESTING"}
    env |= {"SOFTHSM2_CONF": str(softhsm), "LEADER_PIN": USER_PIN}
    command = [
        *(sys.executable, "-m", "api.cli", "sign-agent", "--module", str(SOFTHSM)),
        *("--token-label", "agent-token", "--key-label", "leader"),
        *("--port", str(free_port()), "--pin-env", "LEADER_PIN"),
    ]
    child = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    try:
        _, stderr = child.communicate(timeout=60)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == 2 and "SOHOA_TESTING=1" in stderr, stderr


def test_an_agent_with_another_certificate_signs_no_dossier(
    softhsm: Path,
    signing_settings: Settings,
    redis_server: str,
    result: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ATTACK: the agent answers with a certificate that is not the leader's (another
    person's token, or an agent pretending): the server prepared and embedded with whatever
    certificate it got. BOUNDARY: the server compares the agent's certificate with the one
    the leader's signer profile names; a mismatch fails the request, unsigned."""
    monkeypatch.setenv("SOHOA_REDIS_URL", redis_server)
    get_settings.cache_clear()
    settings = get_settings()
    code, document_id = dossier_with_result(settings, result)
    shown = seen_form(current_result(settings, code))  # the result as the leader reviewed it
    with _started(softhsm, tmp_path, token="two-keys", key="deputy") as agent:
        run = CliRunner().invoke(
            main,
            ["dossier", "sign", shown, "--agent", f"http://127.0.0.1:{agent.port}"],
            env={"SOHOA_AGENT_PAIRING": agent.pairing},
        )
        assert run.exit_code == 0, run.output
        assert not agent.journal.exists()
    with open_database(settings).session() as session:
        leader = requests_of(session, document_id)[0]
        assert leader.status is SignatureState.FAILED, leader.status
        assert leader.error_code == "certificate_mismatch"
        assert "Trần Thị Bình" in (leader.error_message or "")
        assert leader.output_sha256 is None and leader.prepared_sha256 is None
