"""Where packages live on disk, and the file operations that keep them sealed.

Each version of a record is a directory `<record code>/v<version>` under the archive root,
and the same under the replica root. Once written, a package's files are read-only
(0444) and its directories too (0555), and it is only ever replaced whole: a staging
directory beside it is renamed into place. Only a fixity repair (putting back a file from
the good copy) and a disposal (removing the package) open a sealed directory again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from config.errors import ConfigurationError
from config.settings import Settings
from storage.enums import ArchiveCopy

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024
STAGING = ".staging"
QUARANTINE = ".quarantine"
"""Unexpected files found in a package are moved here, never deleted: they are evidence."""
FILE_MODE = 0o444
DIR_MODE = 0o555


@dataclass(frozen=True)
class ArchiveRoots:
    """The archive's two copies: the primary and the replica, on different volumes ideally."""

    primary: Path
    replica: Path

    @classmethod
    def from_settings(cls, settings: Settings) -> ArchiveRoots:
        """The configured roots; ConfigurationError if they are the same or nested."""
        primary, replica = settings.archive_path, settings.archive_replica_path
        if primary == replica or primary in replica.parents or replica in primary.parents:
            raise ConfigurationError(
                f"the archive ({primary}) and its replica ({replica}) must be separate "
                "directories, neither inside the other (SOHOA_ARCHIVE_DIR, "
                "SOHOA_ARCHIVE_REPLICA_DIR)"
            )
        return cls(primary, replica)

    def root(self, copy: ArchiveCopy) -> Path:
        """The root of one copy."""
        return self.primary if copy is ArchiveCopy.PRIMARY else self.replica

    def package(self, copy: ArchiveCopy, relative: str) -> Path:
        """A package's directory in one copy."""
        return self.root(copy) / relative

    def staging(self, copy: ArchiveCopy) -> Path:
        """A fresh staging directory on the copy's volume (so renaming it in is atomic)."""
        path = self.root(copy) / STAGING / uuid.uuid4().hex
        path.mkdir(parents=True)
        return path


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in large blocks."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def copy_verified(source: Path, target: Path, expected: str | None = None) -> tuple[str, int]:
    """Copy a file, fsync it, and return the SHA-256 and size of what was read; ValueError
    if `expected` is given and the bytes do not hash to it."""
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src, target.open("wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    found = digest.hexdigest()
    if expected is not None and found != expected:
        target.unlink()
        raise ValueError(f"{source} hashes to {found}, not {expected}")
    return found, size


def write_durably(target: Path, data: bytes) -> None:
    """Write a file and fsync it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def files_under(directory: Path) -> dict[str, Path]:
    """Every file under a directory by its POSIX path relative to it (symlinks count as
    files, so one planted in a package is reported, never followed)."""
    found: dict[str, Path] = {}
    for dirpath, dirnames, filenames in os.walk(directory):
        base = Path(dirpath)
        for name in filenames + [d for d in dirnames if (base / d).is_symlink()]:
            path = base / name
            found[path.relative_to(directory).as_posix()] = path
    return found


def fsync_tree(directory: Path) -> None:
    """fsync every file and directory under `directory` (and itself)."""
    for dirpath, _, filenames in os.walk(directory):
        for name in filenames:
            fd = os.open(Path(dirpath) / name, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fd = os.open(dirpath, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def seal(directory: Path) -> None:
    """Make a package read-only: files 0444, directories 0555, bottom-up."""
    for dirpath, _, filenames in os.walk(directory, topdown=False):
        for name in filenames:
            path = Path(dirpath) / name
            if not path.is_symlink():
                path.chmod(FILE_MODE)
        Path(dirpath).chmod(DIR_MODE)


def is_sealed(directory: Path) -> bool:
    """Whether every file and directory of a package is read-only."""
    writable = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    for dirpath, _, filenames in os.walk(directory):
        if Path(dirpath).stat().st_mode & writable:
            return False
        if any((Path(dirpath) / n).lstat().st_mode & writable for n in filenames):
            return False
    return True


def _unseal(directory: Path) -> None:
    for dirpath, _, _ in os.walk(directory):
        Path(dirpath).chmod(0o755)


@contextmanager
def opened(directory: Path) -> Iterator[Path]:
    """A sealed package's directories made writable for the block, sealed again after."""
    if directory.exists():
        _unseal(directory)
    try:
        yield directory
    finally:
        if directory.exists():
            seal(directory)


def put_in_place(staging: Path, final: Path) -> None:
    """Rename a finished, sealed staging directory to its final place. A directory already
    there that the database does not know (left by a crash before commit) is moved to the
    quarantine first, never overwritten in place."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        aside = final.parent / QUARANTINE / f"{final.name}-{uuid.uuid4().hex[:8]}"
        aside.parent.mkdir(parents=True, exist_ok=True)
        log.warning("moving a leftover %s aside to %s", final, aside)
        final.rename(aside)
    staging.rename(final)
    fd = os.open(final.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_tree(directory: Path) -> None:
    """Delete a sealed directory (a disposal, or a staging directory given up)."""
    if not directory.exists():
        return
    _unseal(directory)
    shutil.rmtree(directory)
