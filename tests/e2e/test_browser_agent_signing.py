"""A leader signs a batch with their own USB token from the browser (issue 19): Debian's
chromium, driven by Playwright, on a real `sohoa serve` and real workers, talking to a real
`sohoa sign-agent` in front of a SoftHSM2 token (the PIN from a variable: test mode only).

The leader's signer profile is a token ("agent" kind): the worker prepares each result and
stops at awaiting_token; the inbox page then reads the agent's certificate, has the server
prepare the batch, has the agent sign it after one PIN entry, and has the server embed the
signatures. Pages are photographed at desktop and phone size (SOHOA_SCREENSHOTS or tmp).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from asn1crypto import pem
from playwright.sync_api import Page, expect, sync_playwright
from pyhanko.pdf_utils.reader import PdfFileReader

from api.accounts import create_user
from config.settings import Settings, get_settings
from signing.flow.results import current_result
from signing.testpki import TestPki, free_port
from signing.trust import load_certificates
from signing.verification.report import Verdict
from signing.verification.run import VerifyOptions, verify_pdf
from storage.enums import UserRole
from tests.e2e.test_browser_journeys import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORD,
    REPO,
    World,
    _wait_ready,
    shoot,
)
from tests.signing.conftest import pki, pki_services, signing_settings, softhsm
from tests.signing.helpers import RunningAgent, result_pdf, running_agent
from tests.workers.archive_signing import dossier_with_result

__all__ = ["pki", "pki_services", "signing_settings", "softhsm"]  # the signing tests' fixtures

pytestmark = pytest.mark.slow

SHIPPED_SIGNERS = REPO / "config" / "data" / "signers.yaml"
TOKEN_PROFILE = "lanh-dao-token"
SHOTS = os.environ.get("SOHOA_SCREENSHOTS")
"""Read at import: each test's environment is emptied of SOHOA_* variables before it runs."""


def _signers(pki: TestPki) -> str:
    """The shipped profiles, and the chairman's as a token of his own: the server holds only
    his certificate, the key is on the token (SoftHSM's "agent-token")."""
    signers = yaml.safe_load(SHIPPED_SIGNERS.read_text("utf-8"))
    signers["profiles"].append(
        {
            "name": TOKEN_PROFILE,
            "role": "leader",
            "full_name": "Nguyễn Văn An",
            "title": "Chủ tịch",
            "unit": "Ủy ban nhân dân xã Hòa Bình",
            "unit_code": "demo",
            "location": "Hòa Bình",
            "key": {"kind": "agent", "certificate": str(pki.cert_path("leader"))},
            "signature_image": "signature-leader.png",
        }
    )
    return yaml.safe_dump(signers, allow_unicode=True, sort_keys=False)


Agent = RunningAgent


@contextmanager
def _agent(softhsm: Path, port: int, origin: str, state: Path) -> Iterator[Agent]:
    with running_agent(softhsm, state, port=port, options=("--allow-origin", origin)) as started:
        assert started.pairing != "none-printed", started.output.lines
        yield started


@pytest.fixture
def deployment(
    signing_settings: Settings,
    softhsm: Path,
    pki: TestPki,
    redis_server: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[World, Agent, Settings]]:
    """`sohoa serve` with the token profile, two dossiers whose results wait for it, the
    leader's agent on another loopback port (the one the server's pages may call), chromium."""
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir()
    (catalogue / "signers.yaml").write_text(_signers(pki), "utf-8")
    agent_port, port = free_port(), free_port()
    for name, value in (
        ("SOHOA_CATALOGUE_DIR", str(catalogue)),
        ("SOHOA_REDIS_URL", redis_server),
        ("SOHOA_SIGN_AGENT_PORT", str(agent_port)),
        ("SOHOA_LOG_LEVEL", "WARNING"),
    ):
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    settings = get_settings()
    create_user(
        settings, username="lanhdao", password=PASSWORD, full_name="Nguyễn Văn An",
        role=UserRole.LEADER, unit_code=settings.unit_code, signer_profile=TOKEN_PROFILE,
        actor="test", one_time=False,
    )  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_THREAD_LIMIT": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    shots = Path(SHOTS or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    try:
        _wait_ready(base, server)
        with (
            _agent(softhsm, agent_port, base, tmp_path / "agent") as agent,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield World(base, env, shots, browser), agent, settings
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        print(f"\nscreenshots: {shots}")


def _first_signer(data: bytes) -> str:
    """The SHA-256 of the certificate that made the result's first signature (the leader's)."""
    signature = PdfFileReader(io.BytesIO(data)).embedded_regular_signatures[0]
    return hashlib.sha256(signature.signer_cert.dump()).hexdigest()


def _sign_with_the_token(page: Page, world: World, agent: Agent) -> None:
    """A wrong pairing code first (refused in Vietnamese), then the right one, once."""
    progress = page.locator("#agent-progress")
    page.get_by_label("Mã ghép nối").fill("AAAA-BBBB-CCCC-DDDD")
    page.get_by_role("button", name="Ký bằng USB token").click()
    expect(progress).to_contain_text("từ chối mã ghép nối", timeout=30_000)
    shoot(world, page, "token-2-wrong-pairing")
    page.get_by_label("Mã ghép nối").fill(agent.pairing.lower())  # as a leader may type it
    page.get_by_role("button", name="Ký bằng USB token").click()
    expect(progress).to_contain_text("Đã ký 2 hồ sơ bằng USB token", timeout=180_000)
    shoot(world, page, "token-3-signed")
    kept = page.evaluate("sessionStorage.getItem('sohoa.agentPairing')")
    assert kept == agent.pairing.lower()


def test_a_leader_signs_a_batch_with_their_own_token_through_the_agent(
    deployment: tuple[World, Agent, Settings], pki: TestPki, tmp_path: Path
) -> None:
    """GIVEN a leader whose profile is a token, two results asked and prepared by a worker
    WHEN the leader types the agent's pairing code on the inbox page and signs both
    THEN the agent asked the PIN once for both, the results are signed by the token's
    certificate (valid, trusted), the seal follows, and no page was refused by the CSP."""
    world, agent, settings = deployment
    codes = [dossier_with_result(settings, result_pdf(tmp_path, seed=n))[0] for n in (7, 8)]
    page = world.page("lanhdao")
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    expect(page).to_have_url(world.base + "/leader")
    for code in codes:
        shown = current_result(settings, code)
        assert page.get_by_label(f"Chọn {code}").get_attribute("value") == (
            f"{code}:{shown.document_id}:{shown.sha256}"
        )
        page.get_by_label(f"Chọn {code}").check()
    page.get_by_role("button", name="Ký số các hồ sơ đã chọn").click()
    expect(page.get_by_role("status")).to_contain_text("Đã chuyển 2 hồ sơ đi ký số")
    world.worker()  # prepares each for the token: awaiting_token
    page.reload()
    expect(page.get_by_role("heading", name="Ký bằng USB token của lãnh đạo")).to_be_visible()
    expect(page.get_by_label("Địa chỉ chương trình ký")).to_have_value(agent.url)
    shoot(world, page, "token-1-awaiting")

    _sign_with_the_token(page, world, agent)
    agent.output.wait_for(r"Mã PIN sẽ ký đúng 2 văn bản")
    (batch,) = [json.loads(line) for line in agent.journal.read_text("utf-8").splitlines()]
    assert batch["count"] == 2 and batch["origin"] == world.base
    assert all(any(c in d["title"] for d in batch["documents"]) for c in codes)

    world.worker()  # the seal, queued when the leader's signatures were embedded
    page.reload()
    links = page.get_by_role("link", name="Tải kết quả đã ký")
    expect(links).to_have_count(2)
    shoot(world, page, "token-4-results")
    with page.expect_download() as download:
        links.first.click()
    signed = Path(download.value.path()).read_bytes()
    (world.shots / "token-signed-result.pdf").write_bytes(signed)
    token_cert = pem.unarmor(pki.cert_path("leader").read_bytes())[2]  # on "agent-token"
    assert _first_signer(signed) == hashlib.sha256(token_cert).hexdigest()
    options = VerifyOptions(tuple(load_certificates(pki.root_cert)))
    with ThreadPoolExecutor(1) as pool:  # off Playwright's event loop: the verifier runs its own
        report = pool.submit(verify_pdf, signed, "x.pdf", options).result()
    reports = [s for s in report.signatures if s.kind == "signature"]
    assert [r.verdict for r in reports] == [Verdict.VALID, Verdict.VALID], reports
    assert "Nguyễn Văn An" in reports[0].signer
    assert refused == [], refused
    page.context.close()
