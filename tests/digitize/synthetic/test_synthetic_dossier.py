"""Sample dossiers: the files a scanner produces for one applicant, with truth.json."""

from __future__ import annotations

import hashlib
import json
import re
import time
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from config.catalogue import get_catalogue
from config.errors import NotFound
from digitize.synthetic import write_sample_dossier
from digitize.synthetic.dossier import TRUTH_FILE

NAME = re.compile(r"^\d{2}-[a-z-]+(-\d)?\.(jpg|tif|pdf)$")


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_birth_dossier_at_300_dpi_is_quick_and_complete(tmp_path: Path) -> None:
    started = time.perf_counter()
    files = write_sample_dossier(tmp_path, "1.001193", seed=1, dpi=300)
    elapsed = time.perf_counter() - started
    assert elapsed < 10, f"took {elapsed:.1f} s (budget ~5 s)"
    kinds = [f.kind for f in files]
    assert kinds.count("pdf") == 1 and kinds.count("tiff") == 1 and "jpeg" in kinds
    assert [f.level for f in files].count("hard") == 1
    assert all(f.level == ("clean" if f.kind == "pdf" else f.level) for f in files)
    required = {c.type for c in get_catalogue().procedure("1.001193").components if c.required}
    assert required <= {f.doc_type for f in files}
    for f in files:
        assert f.path.exists() and NAME.match(f.path.name), f.path.name
        if f.kind == "jpeg":
            with Image.open(f.path) as image:
                assert image.format == "JPEG" and round(image.info["dpi"][0]) in (200, 300)
        if f.kind == "tiff":
            with Image.open(f.path) as image:
                assert getattr(image, "n_frames", 1) == f.pages == len(f.page_texts)


def test_one_applicant_across_the_dossier(tmp_path: Path) -> None:
    for seed in range(3):
        folder = tmp_path / str(seed)
        files = write_sample_dossier(folder, "1.001193", seed=seed, dpi=50)
        truth = json.loads((folder / TRUTH_FILE).read_text(encoding="utf-8"))
        applicant = truth["applicant"]
        forms = [f for f in files if f.doc_type in ("to_khai_khai_sinh", "cccd")]
        assert forms
        for f in forms:
            assert f.fields["full_name"] == applicant["full_name"]
            assert f.fields["id_number"] == applicant["id_number"]


def test_truth_json_is_nfc_and_readable_vietnamese(tmp_path: Path) -> None:
    files = write_sample_dossier(tmp_path, "1.004227", seed=2, dpi=50)
    raw = (tmp_path / TRUTH_FILE).read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", raw)
    assert "\\u" not in raw and "Đăng ký" in raw
    truth = json.loads(raw)
    assert truth["procedure_code"] == "1.004227"
    assert [entry["file"] for entry in truth["files"]] == [f.path.name for f in files]
    multi = [f for f in files if f.kind == "tiff"]
    assert multi and multi[0].pages == 2, "the land procedure has 2-page documents"
    for entry in truth["files"]:
        assert entry["page_texts"] and entry["fields"]["full_name"]
        assert len(entry["degradations"]) == (0 if entry["kind"] == "pdf" else entry["pages"])


@pytest.mark.parametrize("code", [p.code for p in get_catalogue().procedures])
def test_every_procedure_makes_a_dossier_the_same_way_twice(code: str, tmp_path: Path) -> None:
    first = write_sample_dossier(tmp_path / "a", code, seed=4, dpi=50)
    write_sample_dossier(tmp_path / "b", code, seed=4, dpi=50)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    assert len(first) >= 2


def test_unknown_procedure_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match=r"1\.001193"):
        write_sample_dossier(tmp_path, "9.999999")
