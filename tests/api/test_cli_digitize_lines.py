"""`sohoa digitize`'s line per file as a clerk reads it: in Vietnamese, the document type by
its printed name (config.labels.RUN_LINES and the catalogue), not by its code."""

from __future__ import annotations

from api.cli.digitize_cmd import _summary
from config import labels
from config.catalogue import get_catalogue


def test_a_digitized_files_line_names_its_type_in_vietnamese() -> None:
    """GIVEN a birth certificate digitized into 2 pages of PDF/A WHEN its line is written
    THEN it reads "2 trang, Giấy khai sinh (0.97), PDF/A-2b -> out.pdf", and a failed file
    reads "lỗi: <reason>"."""
    name = get_catalogue().document_type("giay_khai_sinh").name
    record = {
        "status": "ok",
        "pages": 2,
        "document_type": "giay_khai_sinh",
        "type_confidence": 0.97,
        "pdfa": True,
        "output": "out.pdf",
    }
    assert _summary(record) == f"2 {labels.RUN_LINES['pages']}, {name} (0.97), PDF/A-2b -> out.pdf"
    failed = {"status": "error", "error": "tệp không phải tài liệu"}
    assert _summary(failed) == f"{labels.RUN_LINES['error']}: tệp không phải tài liệu"
