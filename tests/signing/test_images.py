"""Stamp images prepared once, read back from the cache as decoded."""

from __future__ import annotations

from pathlib import Path

import pytest

from signing import images
from signing.testpki import TestPki


def test_a_cached_image_reads_back_as_decoded_and_a_damaged_copy_is_decoded_again(
    pki: TestPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = pki.directory / "keys" / "signature-leader.png"
    decoded = images._decode(path)
    assert decoded.alpha is not None  # a signature on a transparent background
    cached = images._cache_path(path)
    images._write_cached(cached, decoded)
    assert images._read_cached(cached, path) == decoded
    cached.write_bytes(cached.read_bytes()[:-10])  # truncated
    assert images._read_cached(cached, path) is None
    images.prepared_image.cache_clear()
    assert images.prepared_image(path) == decoded  # decoded again, and cached again
    assert images._read_cached(cached, path) == decoded
