"""The stamp font's metrics kept beside its cached cut read back as parsed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signing import fonts


def test_metrics_read_back_from_the_cache_as_parsed_and_a_stale_one_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = fonts.find_font()
    program = fonts._prepared_program(path)
    parsed = fonts._read_metrics(program, path)
    assert fonts._metrics(path, program) == parsed  # parsed, then written beside the cut
    sidecar = fonts._cache_path(path).with_suffix(".json")
    assert json.loads(sidecar.read_text(encoding="utf-8")) == parsed
    stale = dict(parsed, program_sha256="0" * 64, ascent=1)
    sidecar.write_text(json.dumps(stale), encoding="utf-8")
    assert fonts._metrics(path, program) == parsed  # another program's metrics: parsed again
    sidecar.write_text("{not json", encoding="utf-8")
    assert fonts._metrics(path, program) == parsed
    assert parsed["gid_of"]["ệ"] and parsed["widths"][str(parsed["gid_of"]["ệ"])] > 0
