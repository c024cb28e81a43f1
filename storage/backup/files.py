"""Copying the blob store and the archive's two copies in and out of a backup, each file
hashed as it is copied."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import unquote

from config.errors import NotFound, SohoaError
from storage.archive.layout import STAGING, copy_verified, files_under, seal
from storage.blobs import BlobStore

BLOBS_DIR = "blobs"
ARCHIVE_DIR = "archive"
REPLICA_DIR = "archive-replica"


class BackupFailed(SohoaError):
    """A backup that cannot be made or restored as it is: a damaged file, a missing one."""

    code = "backup_failed"
    hint_vi = "Sao lưu hoặc khôi phục không thành công; hãy báo cho quản trị hệ thống."


def safe_relative(name: str, what: str) -> str:
    """A path a backup names (manifest entry, package directory, file of a package), checked
    before anything is written: relative, POSIX, of plain parts (no empty part, no "." or
    ".."), no backslash or NUL; BackupFailed otherwise."""
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or "\0" in name or {"", ".", ".."} & set(parts):
        raise BackupFailed(f"{what} names {name!r}, a path outside its place: restore refused")
    return name


def inside(root: Path, name: str, what: str) -> Path:
    """root/name, refused (BackupFailed) unless it stays under root."""
    target = root / safe_relative(name, what)
    if not target.resolve().is_relative_to(root.resolve()):
        raise BackupFailed(f"{what} names {name!r}, which leads outside {root.name}")
    return target


def check_tree(source: Path) -> None:
    """Every entry of a backup is a real directory or a regular file: a symbolic link (to
    /etc/shadow, to another disk) or a special file is refused before anything is read
    through it or written from it."""
    if source.is_symlink() or not source.is_dir():
        raise BackupFailed(f"{source} is not a backup directory")
    for dirpath, dirnames, filenames in os.walk(source):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            mode = path.lstat().st_mode
            if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                relative = path.relative_to(source).as_posix()
                raise BackupFailed(f"{relative} in the backup is a link or special file")


def check_manifests(source: Path) -> None:
    """Every path the bag's manifests name is a plain relative path (bagit percent-encodes
    line breaks; decoded first)."""
    for manifest in sorted(source.glob("*manifest-*.txt")):
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if line.strip():
                digest_and_path = line.split(None, 1)
                name = unquote(digest_and_path[-1].strip())
                safe_relative(name, f"the backup's {manifest.name}")


def copy_blobs(store: BlobStore, out: Path) -> set[str]:
    """Copy every stored blob to out/sha256/ab/cd/<sha256>, read through the store and
    checked against its name (a blob that no longer hashes to its name, or a file in the
    store that is not a blob, is damaged: the backup stops rather than carry it)."""
    copied: set[str] = set()
    for sha256 in store.names():
        target = out / "sha256" / sha256[:2] / sha256[2:4] / sha256
        try:
            copy_verified(store.path(sha256), target, expected=sha256)
        except (ValueError, NotFound) as e:
            raise BackupFailed(f"blob {sha256} is damaged in the store: {e}") from e
        copied.add(sha256)
    return copied


def store_is_empty(store: BlobStore) -> bool:
    """Whether the store holds no blob (a fresh deployment's)."""
    return next(iter(store.names()), None) is None


def restore_blobs(source: Path, store: BlobStore) -> int:
    """Put every blob of a backup into the store (written atomically, re-hashed)."""
    count = 0
    for name, path in files_under(source / "sha256").items():
        ref = store.put_file(path)
        if ref.sha256 != Path(name).name:
            raise BackupFailed(f"blob {name} in the backup hashes to {ref.sha256}")
        count += 1
    return count


def copy_archive(root: Path, out: Path) -> dict[str, str]:
    """Copy one archive copy's packages (and its quarantine: evidence), leaving out
    unfinished staging directories; every file's SHA-256 by its path under the root."""
    digests: dict[str, str] = {}
    if not root.is_dir():
        return digests
    for name, path in files_under(root).items():
        if name.split("/", 1)[0] == STAGING or path.is_symlink():
            continue
        digests[name], _ = copy_verified(path, out / name)
    return digests


def restore_archive(source: Path, root: Path, packages: list[str]) -> int:
    """Copy a backup's archive copy into place and seal each package read-only again."""
    count = 0
    for name, path in files_under(source).items():
        copy_verified(path, inside(root, name, "the backup's archive"))
        count += 1
    for relative in packages:
        folder = inside(root, relative, "an archived package of the backup")
        if folder.is_dir():
            seal(folder)
    return count


def is_empty(directory: Path, *, ignore: tuple[str, ...] = ()) -> bool:
    """Whether a directory is absent or holds no file (outside the names ignored)."""
    if not directory.is_dir():
        return True
    for dirpath, _, filenames in os.walk(directory):
        top = Path(dirpath).relative_to(directory).parts
        if top and top[0] in ignore:
            continue
        if filenames:
            return False
    return True
