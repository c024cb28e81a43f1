"""Every file of the peer corpora (OCRmyPDF's and pyHanko's test inputs: malformed,
encrypted, JBIG2, CCITT, JPEG 2000, huge pages, certificates and keys that are not
documents at all), used in place, through `sohoa digitize` in one process bounded in time
and memory, and through the upload service: each is digitized or refused with a reason
naming it, never an internal error; outputs carry no active content; nothing is left
outside the data and output directories.

OCR is not under test here (tests.support.engines.NoText reads every page as blank):
parsing, rendering, limits and refusals are, on every file, within minutes."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
import redis

from api.services import add_file, open_dossier
from config.settings import get_settings
from digitize.activecontent import find_active
from storage.blobs import blob_store
from tests.conftest import CORPORA
from tests.digitize.test_hostile import run_digitize

REFUSALS = {"unsupported_type", "encrypted_pdf", "corrupt_file", "too_many_pages",
            "image_too_large", "empty_file", "file_too_large", "active_content"}  # fmt: skip


def _corpus() -> list[Path]:
    files = sorted(p for p in CORPORA.rglob("*") if p.is_file())
    assert len(files) > 250, f"the corpora at {CORPORA} are missing"
    return files


@pytest.mark.slow
def test_every_corpus_file_is_digitized_or_refused_by_name_within_bounds(tmp_path: Path) -> None:
    files = _corpus()
    lines, seconds, peak_mb = run_digitize(
        files, tmp_path, timeout=1200, engine="tests.support.engines:NoText"
    )
    by_file = {line["file"]: line for line in lines}
    assert sorted(by_file) == sorted(map(str, files))
    outcomes = {"ok": 0, "refused": 0}
    for path in files:
        line = by_file[str(path)]
        if line["status"] == "ok":
            output = Path(line["output"])
            assert output.parent == tmp_path / "out"
            with pikepdf.open(output) as pdf:
                assert line["signed_input"] or find_active(pdf) == [], path
            outcomes["ok"] += 1
        else:
            assert line["error_code"] in REFUSALS, line
            assert path.name in line["error"], line
            outcomes["refused"] += 1
    assert outcomes["ok"] > 100 and outcomes["refused"] > 100
    assert seconds < 900 and peak_mb < 2500, (seconds, peak_mb)
    print(f"corpora: {outcomes}, {seconds:.0f} s, peak {peak_mb} MB")


def test_every_corpus_file_is_stored_or_refused_by_name_on_upload(
    redis_conn: redis.Redis,
) -> None:
    settings = get_settings()
    code = open_dossier(
        settings,
        procedure_code="1.001193",
        applicant_name="Vũ Minh Tâm",
        applicant_id_number=None,
        unit_code=None,
        actor="test",
    )
    store = blob_store(settings)
    statuses: dict[str, int] = {}
    for path in _corpus():
        added = add_file(settings, redis_conn, code, path, name=None, actor="test")
        statuses[added.status] = statuses.get(added.status, 0) + 1
        if added.status == "rejected":
            assert added.error is not None and path.name in added.error["message"]
        else:
            assert added.sha256 is not None and store.verify(added.sha256)
    assert statuses["stored"] > 150 and statuses["rejected"] > 80
    assert all(p.is_relative_to(settings.data_path) for p in settings.blob_path.rglob("*"))
