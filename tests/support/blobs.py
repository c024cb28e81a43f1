"""Blob stores that fail on purpose, injected with SOHOA_BLOB_STORE=tests.support.blobs:Name.

Each is a second implementation of storage.blobs.BlobStore standing in front of the real
local store: a full disk, a read that fails once, a file changed on disk under the store.
Work horses are forked processes, so what happened once is remembered in a marker file in
the data directory, not in memory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from config.errors import BlobUnavailable, StorageFull
from config.settings import Settings
from storage.blobs import BlobRef, LocalBlobStore


class _Delegating:
    """The real local store behind every method a fault does not replace."""

    def __init__(self, settings: Settings) -> None:
        self.real = LocalBlobStore(settings.blob_path)
        self.markers = settings.data_path

    def put_stream(self, stream: BinaryIO, *, name: str, max_bytes: int | None = None) -> BlobRef:
        return self.real.put_stream(stream, name=name, max_bytes=max_bytes)

    def put_file(self, path: Path, *, max_bytes: int | None = None) -> BlobRef:
        return self.real.put_file(path, max_bytes=max_bytes)

    def put_bytes(self, data: bytes) -> BlobRef:
        return self.real.put_bytes(data)

    def exists(self, sha256: str) -> bool:
        return self.real.exists(sha256)

    def path(self, sha256: str) -> Path:
        self._reading(sha256)
        return self.real.path(sha256)

    def verified_path(self, sha256: str) -> Path:
        self._reading(sha256)
        return self.real.verified_path(sha256)

    def read_bytes(self, sha256: str) -> bytes:
        self._reading(sha256)
        return self.real.read_bytes(sha256)

    def verify(self, sha256: str) -> bool:
        self._reading(sha256)
        return self.real.verify(sha256)

    def remove(self, sha256: str) -> None:
        self.real.remove(sha256)

    def names(self) -> Iterator[str]:
        return self.real.names()

    def _reading(self, sha256: str) -> None:
        """Called before every read; faults on reads override it."""

    def _first_time(self, what: str, sha256: str) -> bool:
        """True the first time `what` happens to this blob (across forked processes)."""
        marker = self.markers / f"{what}-{sha256}"
        if marker.exists():
            return False
        marker.touch()
        return True


class FullDisk(_Delegating):
    """Every write fails as on a disk with no room left; reads work."""

    def put_stream(self, stream: BinaryIO, *, name: str, max_bytes: int | None = None) -> BlobRef:
        stream.read(1)  # a write starts, then the disk refuses it
        raise StorageFull(f"no space left while storing {name}")

    def put_file(self, path: Path, *, max_bytes: int | None = None) -> BlobRef:
        with path.open("rb") as handle:
            return self.put_stream(handle, name=path.name, max_bytes=max_bytes)

    def put_bytes(self, data: bytes) -> BlobRef:
        raise StorageFull("no space left while storing <bytes>")


class UnreadableOnce(_Delegating):
    """The first read of each blob fails (a network volume or object store that did not
    answer); later reads work."""

    def _reading(self, sha256: str) -> None:
        if self._first_time("unreadable", sha256):
            raise BlobUnavailable(f"blob {sha256} cannot be read: injected I/O error")


class ChangedUnderneath(_Delegating):
    """Before the first read of each blob, its file is changed on disk (bit rot, or an edit
    by hand around sohoa): one byte near its end is flipped."""

    def _reading(self, sha256: str) -> None:
        if not self._first_time("changed", sha256):
            return
        path = self.real.path(sha256)
        path.chmod(0o644)
        with path.open("r+b") as handle:
            handle.seek(-2, os.SEEK_END)
            byte = handle.read(1)
            handle.seek(-2, os.SEEK_END)
            handle.write(bytes([byte[0] ^ 0x01]))
        path.chmod(0o444)
