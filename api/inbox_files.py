"""The inbox's folders and files as the scan meets them, never followed out of the inbox root.

The inbox is a share office scanners (and whoever else reaches the share) write to, so
nothing in it is trusted: a unit's folder is named by a unit code (config.identifiers
UNIT_CODE: no separator, never "..") and must be a real directory under the root; a file is
opened once with O_NOFOLLOW and judged by what was opened (fstat: a regular file), so a
symbolic link to /etc/passwd, a FIFO that would block the scan or a device is never read.
Such an entry is set aside in the folder's `.rejected/` (the link itself, renamed: its
target is never touched) with the reason logged, and the rest of the batch goes on.
"""

from __future__ import annotations

import logging
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from config.errors import InvalidRequest
from config.identifiers import is_unit_code

log = logging.getLogger(__name__)

REJECTED_DIR = ".rejected"


class NotRegular(Exception):
    """An inbox entry that is no regular file of its own: a link, a FIFO, a device."""


@dataclass(frozen=True)
class Entry:
    """One entry of a unit's folder, as lstat saw it (a link is not followed)."""

    path: Path
    mtime: float
    problem: str | None
    """Why it is not taken (a link, not a regular file), None for a regular file."""


def _problem(mode: int) -> str | None:
    if stat.S_ISLNK(mode):
        return "a symbolic link (never followed)"
    if not stat.S_ISREG(mode):
        return "not a regular file (a FIFO, socket or device)"
    return None


def _checked_folder(root: Path, unit: str) -> Path:
    """The unit's real folder under the root (made if absent); InvalidRequest otherwise."""
    if not is_unit_code(unit):
        raise InvalidRequest(f"{unit!r} is not a unit code (letters, digits, . - _)")
    folder = root / unit
    if folder.is_symlink():
        raise InvalidRequest(f"the inbox folder of unit {unit} is a symbolic link")
    folder.mkdir(exist_ok=True)
    if not folder.resolve().is_relative_to(root.resolve()):
        raise InvalidRequest(f"the inbox folder of unit {unit} is outside the inbox")
    return folder


def unit_folders(root: Path, unit: str | None) -> list[tuple[str, Path]]:
    """The folders to scan: the unit's (refused if its name is no unit code or its folder a
    link), or every real folder under the root named by a unit code, others logged."""
    root.mkdir(parents=True, exist_ok=True)
    if unit is not None:
        return [(unit, _checked_folder(root, unit))]
    found = []
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if entry.name.startswith(".") or entry.is_file(follow_symlinks=False):
            continue
        if entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
            log.warning("inbox: %s skipped: not a real folder (links are not followed)", entry.name)
        elif not is_unit_code(entry.name):
            log.warning("inbox: folder %r skipped: its name is not a unit code", entry.name)
        else:
            found.append((entry.name, Path(entry.path)))
    return found


def entries(folder: Path) -> list[Entry]:
    """The folder's entries (not hidden, not sub-folders) in name order, by lstat."""
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        info = path.lstat()
        if stat.S_ISDIR(info.st_mode):
            continue
        found.append(Entry(path, info.st_mtime, _problem(info.st_mode)))
    return found


def open_regular(path: Path) -> tuple[BinaryIO, int]:
    """The file opened for reading without following a link, and its size; NotRegular if
    what is there now (it may have changed since it was listed) is no regular file."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except OSError as e:
        problem = _problem(path.lstat().st_mode) if path.is_symlink() else None
        if problem is None:
            raise
        raise NotRegular(problem) from e
    info = os.fstat(fd)
    problem = _problem(info.st_mode)
    if problem is not None:
        os.close(fd)
        raise NotRegular(problem)
    return os.fdopen(fd, "rb"), info.st_size


def set_aside(path: Path, prefix: str) -> Path:
    """Move an entry into its folder's `.rejected/` (a rename: a link moves as a link)."""
    aside = path.parent / REJECTED_DIR
    aside.mkdir(exist_ok=True)
    target = aside / f"{prefix}-{path.name}"
    path.rename(target)  # rename(2): a link is moved, never followed
    return target


def skip(unit: str, path: Path, reason: str) -> None:
    """Set aside an entry that is not taken, logging why."""
    set_aside(path, f"skipped-{int(time.time())}")
    log.warning("inbox %s: %s skipped: %s", unit, path.name, reason)
