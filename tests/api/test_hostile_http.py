"""The hostile files of tests/support/hostile.py (the set `sohoa digitize` is tried with)
through the HTTP upload route of a real `sohoa serve` and a real `sohoa worker`, each in a
child process limited in address space and time: every file is refused at the door or by
its job with a JSON error naming it and its reason, or neutralised; the good files of the
same multipart upload go on; names are labels only; nothing is written outside the data
directory (the processes' TMPDIR included)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pikepdf
import pytest

from api.accounts import Principal, issue_token
from api.services import open_dossier
from config.settings import Settings
from digitize.activecontent import find_active
from signing.testpki import free_port
from storage.accounts import add_user
from storage.db import open_database
from storage.enums import TokenKind, UserRole
from tests.digitize.test_hostile import MEMORY_LIMIT, REFUSED
from tests.storage.archive_support import jpeg_bytes
from tests.support import hostile

REPO = Path(__file__).resolve().parents[2]
NEUTRALISED = {
    "active.pdf": hostile.active_content_pdf,
    "polyglot-zip.pdf": hostile.pdf_zip_polyglot,
}
"""Files whose active content or trailing payload is removed, the rest kept."""


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _environment(settings: Settings, redis_url: str, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    return env | {
        "PYTHONPATH": str(REPO),
        "SOHOA_DATA_DIR": str(settings.data_path),
        "SOHOA_REDIS_URL": redis_url,
        "SOHOA_OCR_ENGINE": "tests.support.engines:NoText",
        "SOHOA_JOB_RETRIES": "0",
        "TMPDIR": str(tmp),
        "OMP_THREAD_LIMIT": "1",
    }


def _peak_mb(pid: int) -> int:
    """A live process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    raise AssertionError("no VmHWM")


class Server:
    """`sohoa serve` in a child process under MEMORY_LIMIT, and an HTTP client of it."""

    def __init__(self, env: dict[str, str], token: str, log: Path) -> None:
        self.port = free_port()
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "api.cli", "serve", "--port", str(self.port)],
                env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        # limited from its first milliseconds on (no preexec_fn in a threaded process)
        resource.prlimit(self.process.pid, resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        self.client = httpx.Client(
            base_url=f"http://127.0.0.1:{self.port}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=300,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.client.get("/api/health").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError("sohoa serve did not answer")

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        self.process.wait(timeout=30)
        output = self.log.read_text(encoding="utf-8", errors="replace")
        assert "Traceback" not in output, output[-3000:]


@pytest.fixture
def office(settings: Settings, password_hash: str) -> tuple[str, Principal]:
    """A dossier of the default unit, and its clerk."""
    code = open_dossier(
        settings, procedure_code="1.001193", applicant_name="Lê Thị Hoa",
        applicant_id_number=None, unit_code=settings.unit_code, actor="test",
    )  # fmt: skip
    with open_database(settings).session() as session:
        user = add_user(
            session, username="mot_cua", full_name="Đỗ Thị Giang", role=UserRole.CLERK,
            unit_code=settings.unit_code, password_hash=password_hash, signer_profile=None,
            actor="test",
        )  # fmt: skip
        return code, Principal.of(user)


@pytest.fixture
def server(
    settings: Settings, redis_server: str, office: tuple[str, Principal], tmp_path: Path
) -> Iterator[Server]:
    (tmp_path / "tmp").mkdir()
    token = issue_token(settings, office[1], TokenKind.API).token
    env = _environment(settings, redis_server, tmp_path / "tmp")
    running = Server(env, token, tmp_path / "server.log")
    yield running
    if running.process.poll() is None:
        running.stop()


def _parts(inputs: Path) -> list[tuple[str, Path]]:
    """(name sent, file): a good scan first and last, the hostile files between."""
    good = [("dau.jpg", inputs / "good-1.jpg"), ("cuoi.jpg", inputs / "good-2.jpg")]
    for i, (_, path) in enumerate(good):
        path.write_bytes(jpeg_bytes(90 + i))
    made = [(name, make(inputs)) for name, (make, _) in REFUSED.items()]
    made += [(name, make(inputs)) for name, make in NEUTRALISED.items()]
    return [good[0], *made, *hostile.named_copies(inputs), good[1]]


@pytest.mark.slow
def test_hostile_files_over_http_are_refused_or_neutralised_and_the_rest_goes_on(
    server: Server,
    settings: Settings,
    office: tuple[str, Principal],
    redis_server: str,
    tmp_path: Path,
) -> None:
    code = office[0]
    inputs = tmp_path / "in"
    inputs.mkdir()
    parts = _parts(inputs)
    started = time.monotonic()
    with_files = [("files", (name, path.read_bytes(), "application/octet-stream"))
                  for name, path in parts]  # fmt: skip
    reply = server.client.post(f"/api/dossiers/{code}/files", files=with_files)
    upload_seconds = time.monotonic() - started
    assert reply.status_code == 201, reply.text
    answers = reply.json()["files"]
    assert len(answers) == len(parts)
    at_door = {a["file"]: a for a in answers if a["status"] == "rejected"}
    assert set(at_door) == {"noise.pdf"}  # the rest are a PDF or an image by their bytes
    assert at_door["noise.pdf"]["error"]["code"] == "unsupported_type"
    assert "noise.pdf" in at_door["noise.pdf"]["error"]["message"]
    ids = {name: a["document_id"] for (name, _), a in zip(parts, answers, strict=True)}

    started = time.monotonic()
    worker = subprocess.run(
        [sys.executable, "-m", "api.cli", "worker", "--burst"],
        env=_environment(settings, redis_server, tmp_path / "tmp"), cwd=REPO,
        preexec_fn=_limit, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    worker_seconds = time.monotonic() - started
    assert worker.returncode == 0, worker.stderr[-3000:]
    server_peak = _peak_mb(server.process.pid)
    documents = {d["id"]: d for d in server.client.get(f"/api/dossiers/{code}").json()["documents"]}
    refused = 0
    for name, (_, codes) in REFUSED.items():
        if name in at_door:
            refused += 1
            continue
        document = server.client.get(f"/api/documents/{ids[name]}").json()
        assert document["status"] == "failed", (name, document)
        assert document["error"]["code"] in codes and name in document["error"]["message"]
        refused += 1
    for name in NEUTRALISED:
        assert documents[ids[name]]["status"] == "digitized", name
        pdf = server.client.get(f"/api/documents/{ids[name]}/pdf")
        assert pdf.status_code == 200
        (tmp_path / "check.pdf").write_bytes(pdf.content)
        with pikepdf.open(tmp_path / "check.pdf") as opened:
            assert find_active(opened) == [] and not opened.attachments, name
    for label in (*hostile.HOSTILE_NAMES, "dau.jpg", "cuoi.jpg"):
        document = documents[ids[label]]
        assert document["status"] == "digitized", (label, document)
        shown = document["file"]
        assert "/" not in shown and "\\" not in shown and ".." not in shown.strip(".")
        assert all(unicodedata.category(c)[0] != "C" for c in shown), repr(shown)
        assert shown == unicodedata.normalize("NFC", shown)
    server.stop()
    assert not Path("/tmp/sohoa-escape.pdf").exists()
    assert not list((tmp_path / "tmp").iterdir()), "temporary files were left behind"
    assert not list((settings.data_path / "tmp" / "uploads").iterdir())
    assert {p.name for p in tmp_path.iterdir()} <= {"in", "tmp", "data", "check.pdf", "server.log"}
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    bounds: dict[str, Any] = {"upload s": upload_seconds, "worker s": worker_seconds,
                              "server MB": server_peak, "worker MB": worker_peak}  # fmt: skip
    print(f"hostile files over HTTP: {refused} refused, {len(NEUTRALISED)} neutralised, "
          f"{len(hostile.HOSTILE_NAMES)} hostile names cleaned; {bounds}")  # fmt: skip
    assert upload_seconds < 120 and worker_seconds < 300, bounds
    assert server_peak < 2000 and worker_peak < 2000, bounds


def test_a_file_name_breaking_the_multipart_headers_is_refused_in_json(
    server: Server, office: tuple[str, Principal], settings: Settings
) -> None:
    """A raw line break inside a part's file name (no browser sends one; a hostile client
    may): the upload is refused whole with a JSON reason, and nothing is stored."""
    boundary = "sohoa-boundary"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="files"; filename="ban quet\r\nrm -rf.pdf"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + jpeg_bytes(3)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    reply = server.client.post(
        f"/api/dossiers/{office[0]}/files",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert reply.status_code == 400, reply.text
    assert reply.json()["error"]["code"] == "invalid_request"
    assert server.client.get(f"/api/dossiers/{office[0]}").json()["documents"] == []
