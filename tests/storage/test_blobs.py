"""The content-addressed blob store: named by SHA-256, atomic, never overwritten."""

from __future__ import annotations

import errno
import hashlib
import io
import os
from pathlib import Path

import pytest

from config.errors import FileTooLarge, NotFound, StorageFull
from storage.blobs import LocalBlobStore


def test_a_blob_is_named_by_its_sha256_and_reads_back(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "blobs")
    data = "Giấy khai sinh".encode() * 1000
    ref = store.put_bytes(data)
    assert ref.sha256 == hashlib.sha256(data).hexdigest()
    assert (ref.size, ref.created) == (len(data), True)
    assert store.path(ref.sha256).read_bytes() == data
    assert store.verify(ref.sha256)


def test_storing_the_same_bytes_again_changes_nothing(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    first = store.put_bytes(b"same")
    stat = store.path(first.sha256).stat()
    second = store.put_bytes(b"same")
    assert (second.sha256, second.created) == (first.sha256, False)
    assert store.path(first.sha256).stat().st_ino == stat.st_ino
    assert list((tmp_path / "tmp").iterdir()) == []


def test_stored_blobs_are_read_only(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    path = store.path(store.put_bytes(b"x").sha256)
    assert path.stat().st_mode & 0o222 == 0


def test_a_stream_past_the_limit_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    with pytest.raises(FileTooLarge, match=r"upload\.pdf"):
        store.put_stream(io.BytesIO(b"x" * 5000), name="upload.pdf", max_bytes=4096)
    assert list((tmp_path / "tmp").iterdir()) == []
    assert not (tmp_path / "sha256").exists()


def test_a_full_disk_is_a_transient_storage_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = LocalBlobStore(tmp_path)

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(StorageFull) as caught:
        store.put_bytes(b"scan")
    assert caught.value.transient
    assert list((tmp_path / "tmp").iterdir()) == []


def test_verify_detects_a_changed_blob(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    ref = store.put_bytes(b"original")
    path = store.path(ref.sha256)
    path.chmod(0o644)
    path.write_bytes(b"tampered")
    assert not store.verify(ref.sha256)


def test_names_that_are_not_checksums_are_refused(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    with pytest.raises(NotFound):
        store.path("../../etc/passwd")
    with pytest.raises(NotFound):
        store.path("0" * 64)
