"""Whole journeys through the `sohoa` command, as a clerk's script would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPORA
from tests.support.samples import born_digital, scan, word_recall
from workers.redis_embedded import process_alive

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
SOHOA = [sys.executable, "-m", "api.cli"]
"""The sohoa command of the checkout under test (not whatever an editable install points at)."""


def sohoa(
    *args: str | Path, data_dir: Path, check: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env["SOHOA_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.run(
        [*SOHOA, *map(str, args)], capture_output=True, text=True, env=env, timeout=600, check=False
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"sohoa {args} exited {proc.returncode}: {proc.stderr}")
    return proc


def _lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_digitize_json_reports_every_file_and_goes_past_bad_ones(tmp_path: Path) -> None:
    good, truth = scan(tmp_path, "giay_chung_sinh", dpi=300, level="mild", leaders=False)
    pdf, _ = born_digital(tmp_path, "quyet_dinh")
    (tmp_path / "random.pdf").write_bytes(os.urandom(4096))
    (tmp_path / "empty.jpg").write_bytes(b"")
    encrypted = CORPORA / "pyhanko/pdf/minimal-aes256.pdf"
    files = [good, tmp_path / "random.pdf", pdf, tmp_path / "empty.jpg", encrypted]
    proc = sohoa(
        "digitize",
        "--json",
        "--out",
        tmp_path / "out",
        *files,
        data_dir=tmp_path / "data",
        check=False,
    )
    assert proc.returncode == 1  # some files failed
    records = _lines(proc.stdout)
    assert [r["file"] for r in records] == [str(f) for f in files]
    assert [r["status"] for r in records] == ["ok", "error", "ok", "error", "error"]
    ok = records[0]
    assert word_recall(ok["text"], truth.text) > 0.9
    assert ok["document_type"] == "giay_chung_sinh"
    assert Path(ok["output"]).parent == tmp_path / "out"
    assert ok["page_info"][0]["source"] == "ocr"
    assert records[2]["page_info"][0]["source"] == "text_layer"
    assert "random.pdf" in records[1]["error"]
    assert "empty" in records[3]["error"] and records[3]["error_code"] == "empty_file"
    assert records[4]["error_code"] == "encrypted_pdf"
    assert "Độc lập" in ok["text"]  # NFC Vietnamese as printed


def test_a_dossier_from_reception_to_attached_searchable_pdfs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    code = sohoa(
        "dossier",
        "new",
        "--procedure",
        "1.001193",
        "--applicant",
        "Phạm Thị Lan",
        "--id-number",
        "036190000123",
        data_dir=data,
    ).stdout.strip()
    form, _ = scan(tmp_path, "to_khai_khai_sinh", level="mild", leaders=False)
    card, _ = scan(tmp_path, "cccd", fmt="PNG", leaders=False)
    tiff, _ = scan(tmp_path, "giay_chung_sinh", fmt="TIFF", leaders=False)
    (tmp_path / "notes.txt").write_text("không phải tài liệu")
    added = sohoa(
        "dossier",
        "add",
        "--json",
        code,
        form,
        card,
        tiff,
        tmp_path / "notes.txt",
        data_dir=data,
        check=False,
    )
    assert added.returncode == 1
    assert [r["status"] for r in _lines(added.stdout)] == ["stored", "stored", "stored", "rejected"]

    sohoa("worker", "--burst", data_dir=data)
    view = json.loads(sohoa("dossier", "show", "--json", code, data_dir=data).stdout)
    assert {d["file"]: d["status"] for d in view["documents"]} == {
        "to_khai_khai_sinh.jpg": "digitized",
        "cccd.png": "digitized",
        "giay_chung_sinh.tif": "digitized",
    }
    states = {c["expected_type"]: c["state"] for c in view["components"]}
    assert states["to_khai_khai_sinh"] == states["cccd"] == states["giay_chung_sinh"] == "digitized"
    completeness = view["completeness"]
    assert completeness["complete"] is True
    assert completeness["missing"] == completeness["uncertain"] == []
    assert len(completeness["present"]) == 3
    for document in view["documents"]:
        assert document["pdfa"] is True
        text = subprocess.run(
            ["pdftotext", document["pdf"], "-"], capture_output=True, text=True, check=True
        ).stdout
        assert len(text.split()) > 10

    human = sohoa("dossier", "show", code, data_dir=data).stdout
    assert f"Hồ sơ {code}" in human and "Đủ thành phần bắt buộc." in human
    pidfile = data / "redis" / "redis.pid"
    assert not pidfile.exists() or not process_alive(int(pidfile.read_text()))
