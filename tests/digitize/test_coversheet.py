"""Cover sheets: the receipt's QR code survives print, scan and damage, and files the batch."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
from pathlib import Path

import numpy as np
import pytest
import segno
from PIL import Image

from config.catalogue import get_catalogue
from config.errors import InvalidRequest
from digitize.coversheet import dossier_code_in, read_cover_sheet
from digitize.doctype import classify
from digitize.fields import extract_fields
from digitize.receipt import Receipt, ReceiptItem, receipt_pdf, write_receipt
from digitize.synthetic import degrade

CODE = "000.00.12.H42-250314-0012"


def _receipt(code: str = CODE) -> Receipt:
    return Receipt(
        dossier_code=code,
        agency="Ủy ban nhân dân xã An Khánh",
        place="Xã An Khánh",
        applicant="Nguyễn Thị Lan",
        procedure="Đăng ký khai sinh",
        items=(
            ReceiptItem("Tờ khai đăng ký khai sinh theo mẫu"),
            ReceiptItem("Giấy chứng sinh hoặc văn bản của người làm chứng", "01 bản sao"),
        ),
        received_at=dt.datetime(2025, 3, 14, 9, 30),
        appointment=dt.datetime(2025, 3, 17, 15, 0),
        processing_time="01 ngày làm việc",
        receiver="Trần Văn Bình",
        id_number="001190012345",
    )


@pytest.fixture(scope="module")
def scanned_receipt(tmp_path_factory: pytest.TempPathFactory) -> Image.Image:
    """The receipt printed to PDF and rasterized at 200 dpi, greyscale, as a scanner would."""
    directory = tmp_path_factory.mktemp("receipt")
    pdf = write_receipt(_receipt(), directory / "receipt.pdf")
    base = directory / "page"
    subprocess.run(
        ["pdftoppm", "-r", "200", "-gray", "-png", "-singlefile", str(pdf), str(base)],
        check=True,
        timeout=60,
    )
    image = Image.open(base.with_suffix(".png"))
    image.load()
    image.info["dpi"] = (200, 200)
    return image


@pytest.mark.parametrize(("level", "seed"), [("clean", 0), ("mild", 1), ("hard", 0), ("hard", 1)])
def test_the_receipt_qr_code_is_read_back_from_a_damaged_scan(
    scanned_receipt: Image.Image, level: str, seed: int
) -> None:
    """GIVEN a printed receipt WHEN scanned (skewed, noisy, turned for the hard level)
    THEN the dossier code is read from its QR code."""
    damaged, degradation = degrade(scanned_receipt, level, random.Random(seed))  # type: ignore[arg-type]
    if level == "hard":
        assert degradation.rotation or seed == 1
    found = read_cover_sheet(damaged)
    assert found is not None and found.dossier_code == CODE


def test_a_page_without_a_dossier_qr_code_is_no_cover_sheet(tmp_path: Path) -> None:
    blank = np.full((800, 600), 255, dtype=np.uint8)
    assert read_cover_sheet(blank) is None
    other = tmp_path / "other.png"
    segno.make("https://dichvucong.gov.vn", error="m").save(str(other), scale=8, border=4)
    assert read_cover_sheet(other) is None


def test_a_dossier_code_is_found_inside_a_link_but_not_with_an_impossible_date() -> None:
    assert dossier_code_in(f"https://dvc.example.vn/tra-cuu?ma={CODE}") == CODE
    assert dossier_code_in("000.00.12.H42-251314-0012") is None


def test_a_receipt_with_a_malformed_code_is_refused() -> None:
    with pytest.raises(InvalidRequest):
        receipt_pdf(_receipt("000.00.12.H42-0012"))


def test_the_receipt_is_reproducible_and_reads_as_a_receipt(tmp_path: Path) -> None:
    assert receipt_pdf(_receipt()) == receipt_pdf(_receipt())
    pdf = write_receipt(_receipt(), tmp_path / "r.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"Mã hồ sơ: {CODE}" in text and "Giấy chứng sinh" in text
    got = classify([text], get_catalogue(), threshold=0.5)
    assert got.document_type == "giay_tiep_nhan_ho_so"
    fields = extract_fields([text], get_catalogue().provinces)
    assert fields["dossier_code"].value == CODE
    assert fields["full_name"].value == "Nguyễn Thị Lan"
    assert fields["id_number"].value == "001190012345"


@pytest.mark.slow
def test_a_scanned_receipt_is_ocred_classified_and_its_code_extracted(
    scanned_receipt: Image.Image, tmp_path: Path
) -> None:
    damaged, _ = degrade(scanned_receipt, "mild", random.Random(3))
    path = tmp_path / "scan.png"
    damaged.save(path, dpi=(200, 200))
    text = subprocess.run(
        ["tesseract", str(path), "-", "-l", "vie", "--dpi", "200"],
        capture_output=True,
        text=True,
        check=True,
        timeout=180,
        env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
    ).stdout
    assert classify([text], get_catalogue(), threshold=0.5).document_type == "giay_tiep_nhan_ho_so"
    assert extract_fields([text], get_catalogue().provinces)["dossier_code"].value == CODE
