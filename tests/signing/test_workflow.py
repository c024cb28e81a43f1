"""A dossier's result through the signing workflow: requested in order, signed by workers
(or the leader's agent), the number and date filled by văn thư's step, recorded."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pikepdf
import pytest
import redis
from click.testing import CliRunner
from sqlalchemy import select

from api.cli import main
from api.services import open_dossier, route
from api.sign_service import seen_form
from config.settings import Settings, get_settings
from config.text import fold
from signing.agent import AgentPolicy, AgentToken, new_pairing_code, running_agent
from signing.flow.results import current_result
from signing.levels import PadesLevel
from signing.placement import read_layout
from signing.profiles import signing_policy
from signing.testpki import TestPki
from signing.trust import load_certificates
from signing.verification.report import Verdict
from signing.verification.run import VerifyOptions, verify_pdf
from storage.db import open_database
from storage.dossiers import get_dossier
from storage.enums import DocumentStatus, DossierStatus, EventKind, SignatureState
from storage.events import events_of_dossier
from storage.models import IssueSerial
from storage.signatures import requests_of
from tests.signing.helpers import SOFTHSM, USER_PIN
from tests.workers.archive_signing import dossier_with_result
from workers.jobs import JOBS, JobKind
from workers.reconcile import requeue_owed
from workers.worker import run_worker


@pytest.fixture
def workflow_settings(
    signing_settings: Settings, redis_server: str, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """The signing settings, with the session's redis-server as the queue."""
    monkeypatch.setenv("SOHOA_REDIS_URL", redis_server)
    get_settings.cache_clear()
    return get_settings()


def _check_signed(
    settings: Settings, code: str, document_id: int, pki: TestPki, tmp_path: Path
) -> None:
    with open_database(settings).session() as session:
        requests = requests_of(session, document_id)
        assert [(r.role, r.status) for r in requests] == [
            ("leader", SignatureState.SIGNED),
            ("organisation", SignatureState.SIGNED),
        ]
        year = datetime.now().year  # a birth certificate: numbered from the civil-status book
        written = requests[1].fill["so_van_ban"]  # 01, 02... in the unit's book of the year
        assert re.fullmatch(rf"\d{{2,}}, Quyển số: 01/{year}", written), written
        assert requests[1].fill["ngay_ban_hanh"].endswith(f"năm {year}")
        assert get_dossier(session, code).status is DossierStatus.SIGNED
        kinds = [e.kind for e in events_of_dossier(session, get_dossier(session, code).id)]
    assert kinds.count(EventKind.DOCUMENT_SIGNED.value) == 2
    assert EventKind.NUMBER_ISSUED.value in kinds
    out = tmp_path / "signed.pdf"
    run = CliRunner().invoke(main, ["dossier", "result", code, "--out", str(out)])
    assert run.exit_code == 0, run.output
    _check_book_printed(out.read_bytes(), written)
    options = VerifyOptions(tuple(load_certificates(pki.root_cert)))
    report = verify_pdf(out.read_bytes(), "signed.pdf", options)
    assert report.verdict is Verdict.VALID
    assert [s.field for s in report.signatures if s.kind == "signature"] == ["lanh_dao", "co_quan"]
    assert report.signatures[0].level == "B-LTA"  # signing.yaml: civil status results are B-LTA


def _check_book_printed(signed: bytes, written: str) -> None:
    """The number field reads `written` right after the draft's "Số:" and covers (white)
    the draft's own "313 Quyển số: 01/2024": page 1 reads "Số: 01, Quyển số: 01/<year>"."""
    layout = asyncio.run(read_layout(signed))
    words = [(fold(t), box) for t, box in layout.first_words]
    label = next(box for text, box in words if text == "so:")
    # the draft's book and the field's own (pdftotext reads both): the last to end
    book_end = max(words[i + 2][1][2] for i, (t, _) in enumerate(words) if t == "quyen")
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        field = next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == "so_van_ban")
        x0, y0, x1, y1 = (float(v) for v in field.Rect)
        assert str(field.V) == written
    assert label[2] < x0 < label[2] + 4 and y0 < label[1] < y1  # after "Số:", on its line
    assert x1 >= book_end  # the draft's book is under the field, not beside it


def _shown(settings: Settings, code: str) -> str:
    """The result as `sohoa dossier sign` names it: as the leader reviewed it."""
    return seen_form(current_result(settings, code))


def test_a_result_is_signed_by_workers_leader_then_seal(
    workflow_settings: Settings,
    redis_conn: redis.Redis,
    result: bytes,
    pki: TestPki,
    tmp_path: Path,
) -> None:
    code, document_id = dossier_with_result(workflow_settings, result)
    run = CliRunner().invoke(main, ["dossier", "sign", _shown(workflow_settings, code)])
    assert run.exit_code == 0, run.output
    assert "chờ ký" in run.output
    again = CliRunner().invoke(
        main, ["dossier", "sign", _shown(workflow_settings, code), "--json"]
    )  # asking twice: same requests
    assert again.exit_code == 0 and again.output.count('"position"') == 2
    run_worker(redis_conn, workflow_settings, burst=True)
    _check_signed(workflow_settings, code, document_id, pki, tmp_path)


def test_a_routed_dossiers_result_is_numbered_in_the_competent_units_book(
    workflow_settings: Settings, redis_conn: redis.Redis, result: bytes
) -> None:
    """GIVEN a birth registration received at one commune and routed to Xã Hòa Bình WHEN
    its result is signed THEN its number comes from Hòa Bình's civil-status book (the body
    that registers the birth), not from the receiving unit's."""
    code, _ = dossier_with_result(workflow_settings, result)
    route(workflow_settings, code, to="xa-hoa-binh", reason=None, actor="clerk")
    run = CliRunner().invoke(main, ["dossier", "sign", _shown(workflow_settings, code)])
    assert run.exit_code == 0, run.output
    run_worker(redis_conn, workflow_settings, burst=True)
    with open_database(workflow_settings).session() as session:
        books = session.scalars(select(IssueSerial)).all()
        assert [(b.unit_code, b.register, b.last) for b in books] == [
            ("xa-hoa-binh", "so-ho-tich-khai-sinh", 1)
        ]


@pytest.fixture
def agent_url(softhsm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The leader's agent, its pairing code where `sohoa dossier sign --agent` reads it."""
    policy = AgentPolicy(new_pairing_code(), tmp_path / "agent" / "signed.jsonl")
    monkeypatch.setenv("SOHOA_AGENT_PAIRING", policy.pairing)
    token = AgentToken(SOFTHSM, "agent-token", "leader", None, lambda _: USER_PIN)
    with running_agent(token, policy) as url:
        yield url


def test_the_leader_signs_several_results_with_the_agent_and_workers_add_the_seal(
    workflow_settings: Settings,
    redis_conn: redis.Redis,
    result: bytes,
    pki: TestPki,
    agent_url: str,
    tmp_path: Path,
) -> None:
    dossiers = [dossier_with_result(workflow_settings, result) for _ in range(2)]
    shown = [_shown(workflow_settings, c) for c, _ in dossiers]
    run = CliRunner().invoke(main, ["dossier", "sign", *shown, "--agent", agent_url])
    assert run.exit_code == 0, run.output
    assert run.output.count("đã ký") == 2 and run.output.count("chờ ký") == 2
    run_worker(redis_conn, workflow_settings, burst=True)
    for code, document_id in dossiers:
        _check_signed(workflow_settings, code, document_id, pki, tmp_path / code)


def test_a_dossier_missing_a_required_component_cannot_go_to_signing(
    workflow_settings: Settings, result: bytes
) -> None:
    code, document_id = dossier_with_result(workflow_settings, result)
    with open_database(workflow_settings).session() as session:
        dossier = get_dossier(session, code)
        birth_form = next(c for c in dossier.components if c.expected_type == "to_khai_khai_sinh")
        for document in birth_form.documents:
            document.status = DocumentStatus.FAILED  # as if its scan could not be read
    run = CliRunner().invoke(main, ["dossier", "sign", _shown(workflow_settings, code)])
    assert run.exit_code == 2, run.output
    assert "not complete" in run.output and birth_form.label in run.output
    with open_database(workflow_settings).session() as session:
        assert requests_of(session, document_id) == []


def test_a_result_that_is_not_digitized_yet_cannot_be_queued(workflow_settings: Settings) -> None:
    code = open_dossier(
        workflow_settings,
        procedure_code="1.001193",
        applicant_name="Lê Văn C",
        applicant_id_number=None,
        unit_code=None,
        actor="test",
    )
    run = CliRunner().invoke(main, ["dossier", "sign", f"{code}:1:{'0' * 64}"])
    assert run.exit_code == 3 and "no digitized giay_khai_sinh" in run.output


def test_a_named_leader_is_queued_and_levels_follow_the_policy(
    workflow_settings: Settings, redis_conn: redis.Redis, result: bytes
) -> None:
    code, document_id = dossier_with_result(workflow_settings, result)
    shown = _shown(workflow_settings, code)
    run = CliRunner().invoke(main, ["dossier", "sign", shown, "--leader", "pho-chu-tich"])
    assert run.exit_code == 0, run.output
    assert "Trần Thị Bình [leader, B-LTA]" in run.output
    with open_database(workflow_settings).session() as session:
        assert [r.profile for r in requests_of(session, document_id)] == ["pho-chu-tich", "van-thu"]
    refused = CliRunner().invoke(main, ["dossier", "sign", shown, "--leader", "van-thu"])
    assert refused.exit_code == 2 and "not a leader" in refused.output  # the seal's profile
    policy = signing_policy(workflow_settings)
    assert policy.level_for("1.004227", "giay_chung_nhan_qsdd") is PadesLevel.B_LTA  # procedure
    assert policy.level_for("1.001612", "giay_tiep_nhan_ho_so") is PadesLevel.B_T  # type
    assert policy.level_for(None, "khac") is PadesLevel.B_LT  # default


def test_a_signature_whose_job_was_lost_is_requeued(
    workflow_settings: Settings,
    redis_conn: redis.Redis,
    result: bytes,
    pki: TestPki,
    tmp_path: Path,
) -> None:
    code, document_id = dossier_with_result(workflow_settings, result)
    shown = _shown(workflow_settings, code)
    assert CliRunner().invoke(main, ["dossier", "sign", shown]).exit_code == 0
    redis_conn.flushall()  # Redis lost its last writes
    sign = JOBS[JobKind.SIGN]
    assert requeue_owed(redis_conn, workflow_settings, sign) == 1
    assert requeue_owed(redis_conn, workflow_settings, sign) == 0  # the new job covers it
    run_worker(redis_conn, workflow_settings, burst=True)
    _check_signed(workflow_settings, code, document_id, pki, tmp_path)
