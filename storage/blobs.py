"""A content-addressed file store: files named by SHA-256, written atomically, never overwritten."""

from __future__ import annotations

import errno
import hashlib
import importlib
import io
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from config.errors import (
    BlobCorrupted,
    BlobUnavailable,
    ConfigurationError,
    FileTooLarge,
    NotFound,
    StorageFull,
)
from config.settings import Settings

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BlobRef:
    """A stored file: its SHA-256 (the name), its size, and whether this write added it."""

    sha256: str
    size: int
    created: bool


class BlobStore(Protocol):
    """What sohoa needs of a file store; a shared volume or an object store can stand behind it.

    Every user is typed against this and gets its store from `blob_store(settings)`. Writes
    raise StorageFull when there is no room (nothing is stored); reads raise NotFound for a
    blob never stored, BlobUnavailable when the store cannot be read now (retried), and the
    checked reads BlobCorrupted when the bytes no longer hash to their name."""

    def put_stream(self, stream: BinaryIO, *, name: str, max_bytes: int | None = None) -> BlobRef:
        """Store a stream's bytes; FileTooLarge (naming `name`) past max_bytes."""
        ...

    def put_file(self, path: Path, *, max_bytes: int | None = None) -> BlobRef:
        """Store a file's bytes."""
        ...

    def put_bytes(self, data: bytes) -> BlobRef:
        """Store bytes held in memory."""
        ...

    def exists(self, sha256: str) -> bool:
        """Whether a blob with this checksum is stored."""
        ...

    def path(self, sha256: str) -> Path:
        """A local path to read the blob from (NotFound if absent), unchecked: for serving
        a file as it is, where a reader (fixity, the verifier) judges its bytes."""
        ...

    def verified_path(self, sha256: str) -> Path:
        """A local path to the blob after checking that its bytes still hash to its name
        (BlobCorrupted if not): for work that makes new records from it."""
        ...

    def read_bytes(self, sha256: str) -> bytes:
        """The blob's bytes, checked against its name (BlobCorrupted if they changed)."""
        ...

    def verify(self, sha256: str) -> bool:
        """Whether the stored bytes still hash to their name."""
        ...

    def remove(self, sha256: str) -> None:
        """Delete the blob (a disposal); absent is fine."""
        ...

    def names(self) -> Iterator[str]:
        """The name of every blob stored, in no order (a backup copies them all)."""
        ...


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _raise_storage_error(e: OSError, what: str) -> None:
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        raise StorageFull(f"no space left while storing {what}") from e
    raise e


class LocalBlobStore:
    """Blobs under root/sha256/ab/cd/<hex>, on one local or mounted file system.

    A write goes to a temporary file in root/tmp, is fsynced, then hard-linked to its name:
    link() fails if the name exists, so a stored blob is never replaced, and a crash leaves
    either the whole blob or nothing under its name.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._tmp = root / "tmp"
        self._tmp.mkdir(parents=True, exist_ok=True)

    def _final_path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise NotFound(f"{sha256!r} is not a SHA-256 blob name")
        return self.root / "sha256" / sha256[:2] / sha256[2:4] / sha256

    @contextmanager
    def _temporary(self) -> Iterator[tuple[BinaryIO, Path]]:
        fd, name = tempfile.mkstemp(dir=self._tmp, prefix="incoming-")
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as handle:
                yield handle, tmp
        finally:
            tmp.unlink(missing_ok=True)

    def put_stream(self, stream: BinaryIO, *, name: str, max_bytes: int | None = None) -> BlobRef:
        digest = hashlib.sha256()
        size = 0
        try:
            with self._temporary() as (handle, tmp):
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise FileTooLarge(name, f"larger than the limit of {max_bytes} bytes")
                    digest.update(chunk)
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
                return self._commit(tmp, digest.hexdigest(), size)
        except OSError as e:
            _raise_storage_error(e, name)
            raise  # unreachable: _raise_storage_error always raises

    def _commit(self, tmp: Path, sha256: str, size: int) -> BlobRef:
        final = self._final_path(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp.chmod(0o444)
        try:
            os.link(tmp, final)
        except FileExistsError:
            return BlobRef(sha256, size, created=False)
        _fsync_dir(final.parent)
        log.debug("stored blob %s (%d bytes)", sha256, size)
        return BlobRef(sha256, size, created=True)

    def put_file(self, path: Path, *, max_bytes: int | None = None) -> BlobRef:
        with path.open("rb") as handle:
            return self.put_stream(handle, name=path.name, max_bytes=max_bytes)

    def put_bytes(self, data: bytes) -> BlobRef:
        return self.put_stream(io.BytesIO(data), name="<bytes>")

    def exists(self, sha256: str) -> bool:
        return self._final_path(sha256).is_file()

    def path(self, sha256: str) -> Path:
        final = self._final_path(sha256)
        if not final.is_file():
            log.error("blob %s is missing from the store at %s", sha256, self.root)
            raise NotFound(f"blob {sha256} is not in the store")  # no server path in answers
        return final

    def verified_path(self, sha256: str) -> Path:
        if not self.verify(sha256):
            raise BlobCorrupted(sha256)
        return self.path(sha256)

    def read_bytes(self, sha256: str) -> bytes:
        try:
            data = self.path(sha256).read_bytes()
        except OSError as e:
            raise BlobUnavailable(f"blob {sha256} cannot be read: {e}") from e
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BlobCorrupted(sha256)
        return data

    def verify(self, sha256: str) -> bool:
        digest = hashlib.sha256()
        try:
            with self.path(sha256).open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
        except OSError as e:
            raise BlobUnavailable(f"blob {sha256} cannot be read: {e}") from e
        return digest.hexdigest() == sha256

    def remove(self, sha256: str) -> None:
        self._final_path(sha256).unlink(missing_ok=True)

    def names(self) -> Iterator[str]:
        # every file under sha256/, a stray one too: a backup refuses what is not a blob
        for _, _, filenames in os.walk(self.root / "sha256"):
            yield from filenames


def blob_store(settings: Settings) -> BlobStore:
    """The one place a blob store is built: `local` (files under the settings' blob_path),
    or `module:Class` of another BlobStore taking the settings (an object store; tests
    inject one that fails on purpose, tests.support.blobs)."""
    if settings.blob_store == "local":
        return LocalBlobStore(settings.blob_path)
    module_name, _, class_name = settings.blob_store.partition(":")
    try:
        store_class = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as e:
        raise ConfigurationError(f"blob store {settings.blob_store!r} cannot be loaded: {e}") from e
    store: BlobStore = store_class(settings)
    return store
