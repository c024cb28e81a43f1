"""Attack: a worker holding the signing passphrase (SOHOA_SIGN_PASSPHRASE), token PINs and a
remote signing token in its environment starts Tesseract, pdftoppm and pdftotext on hostile
inputs, and redis-server as a daemon; each child inherited every one of those secrets (one
exploited OCR run, a core dump or /proc/PID/environ gave them away).

Boundary: config.toolenv.tool_env, the one environment every external program sohoa starts
gets (digitize._exec.run, signing._exec.pdftotext, workers.redis_embedded): an allow-list
of PATH, HOME, TMPDIR, the locale, TESSDATA_PREFIX and OMP_THREAD_LIMIT, nothing else.
Each program here is the real one, behind a script first on PATH that writes down the
environment it was given."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw

from config.toolenv import tool_env
from digitize._exec.pdftoppm import render_page
from digitize._exec.tesseract import recognize
from signing.placement import read_layout
from workers.redis_embedded import EmbeddedRedis

PLANTED = {
    "SOHOA_SIGN_PASSPHRASE": "planted-passphrase-41",
    "SOHOA_TOKEN_PIN": "planted-pin-42",
    "CSC_LEADER_TOKEN": "planted-oauth-token-43",  # a profile's token_env: any name
}


@pytest.fixture
def spied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Secrets planted in this process; tesseract, pdftoppm, pdftotext and redis-server each
    replaced on PATH by a script that writes its environment to DUMPS/<program> then runs
    the real one (redis-server rewrites its /proc/PID/environ, so that cannot be read)."""
    dumps = tmp_path / "dumps"
    bin_dir = tmp_path / "bin"
    dumps.mkdir()
    bin_dir.mkdir()
    for program in ("tesseract", "pdftoppm", "pdftotext", "redis-server"):
        real = shutil.which(program)
        assert real is not None, f"{program} must be installed"
        script = bin_dir / program
        script.write_text(f'#!/bin/sh\nenv > "{dumps / program}"\nexec "{real}" "$@"\n')
        script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    for name, value in PLANTED.items():
        monkeypatch.setenv(name, value)
    return dumps


def _environment(dump: Path) -> dict[str, str]:
    lines = dump.read_text(encoding="utf-8", errors="replace").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def _assert_clean(env: dict[str, str], program: str) -> None:
    leaked = {name for name, value in env.items() if value in PLANTED.values()}
    assert not leaked, f"{program} inherited {sorted(leaked)}"
    assert not [name for name in env if name.startswith("SOHOA_")], program
    assert "PATH" in env, f"{program} still finds its own helpers"


def test_ocr_and_rendering_programs_get_none_of_the_workers_secrets(
    spied: Path, tmp_path: Path
) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 100))
    pdf.save(tmp_path / "page.pdf")
    image = Image.new("L", (600, 200), 255)
    ImageDraw.Draw(image).text((20, 80), "GIAY CHUNG NHAN 2024", fill=0)
    image.save(tmp_path / "page.png", dpi=(300, 300))

    render_page(tmp_path / "page.pdf", 1, tmp_path / "render", dpi=50, timeout=30, what="page")
    words_dir = tmp_path / "ocr"
    words_dir.mkdir()
    recognize(tmp_path / "page.png", words_dir, language="vie", dpi=300, timeout=60, what="page")
    asyncio.run(read_layout((tmp_path / "page.pdf").read_bytes()))

    for program in ("pdftoppm", "tesseract", "pdftotext"):
        env = _environment(spied / program)
        _assert_clean(env, program)
    assert _environment(spied / "tesseract").get("OMP_THREAD_LIMIT") == "1"  # its own setting


def test_the_embedded_redis_daemon_gets_none_of_the_secrets(spied: Path, tmp_path: Path) -> None:
    with EmbeddedRedis(tmp_path / "queue") as url:
        assert url
    _assert_clean(_environment(spied / "redis-server"), "redis-server")


def test_a_programs_own_settings_may_not_name_a_sohoa_variable() -> None:
    with pytest.raises(ValueError, match="SOHOA_SIGN_PASSPHRASE"):
        tool_env({"SOHOA_SIGN_PASSPHRASE": "x"})
