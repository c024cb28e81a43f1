"""One real OCR check: Tesseract reads a clean rendered form, so the fonts draw Vietnamese."""

from __future__ import annotations

import dataclasses
import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bench.metrics import cer
from digitize.synthetic import FontFamily, make_document, render_page

LEADER_DOTS = re.compile(r"[.…]{3,}")


def test_character_error_rate_ignores_layout_whitespace() -> None:
    assert cer("Hà  Nội", "Hà Nội") == 0.0
    assert cer("kitten", "sitting") == pytest.approx(3 / 7)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_clean_birth_form_ocr_character_error_rate_under_5_percent(
    family: FontFamily, tmp_path: Path
) -> None:
    """GIVEN a clean 300 dpi tờ khai đăng ký khai sinh WHEN Tesseract (vie) reads it THEN the
    character error rate against the truth text is under 5%.

    Dotted leaders are switched off for this check: Tesseract turns them into runs of
    dots and junk characters, which says nothing about how Vietnamese glyphs render.
    """
    doc = make_document("to_khai_khai_sinh", random.Random(1))
    lines = [dataclasses.replace(line, leader=False) for line in doc.pages[0]]
    image = render_page(lines, family, dpi=300)
    path = tmp_path / "page.png"
    image.save(path)
    result = subprocess.run(
        ["tesseract", str(path), "-", "-l", "vie"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    got = LEADER_DOTS.sub(" ", result.stdout)
    error_rate = cer(got, doc.page_text(0))
    assert error_rate < 0.05, f"CER {error_rate:.1%}\n{got}"
    assert doc.fields["id_number"] in got
