"""Files sohoa writes are its own user's: a umask of 077 in every process, and the data
directories of an older install tightened at start.

The data directory holds password hashes, webhook secrets, signing keys and citizens' scans;
no other local user may read any of it. The umask makes every new file 0600 and directory
0700 (files made read-only on purpose, blobs and archived packages, keep their owner-only
bits under a 0700 root). Roots made by an older sohoa (0755, 0644) are narrowed once with a
warning: a root no other user can enter protects everything below it, so only the roots
and the files directly in the data directory (sohoa.db and its WAL) are changed, never a
walk through millions of blobs.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from config.settings import Settings

log = logging.getLogger(__name__)

PRIVATE_UMASK = 0o077
"""Group and others get no bit of anything sohoa creates."""


def restrict_umask() -> None:
    """Set the process's umask (inherited by forked work horses and subprocesses)."""
    os.umask(PRIVATE_UMASK)


def _roots(settings: Settings) -> Iterator[Path]:
    yield settings.data_path
    yield settings.blob_path
    yield settings.archive_path
    yield settings.archive_replica_path
    yield settings.key_path.expanduser().resolve()
    if settings.database_url is None and settings.data_path.is_dir():
        yield from (p for p in settings.data_path.iterdir() if not p.is_symlink())


def tighten_data_dirs(settings: Settings) -> list[Path]:
    """Take group and other bits off the data roots and the data directory's own entries;
    each change is logged as a warning. The scanners' inbox is left as it is when it lives
    elsewhere (a share the scanners write to). Returns what changed."""
    changed = []
    for path in dict.fromkeys(_roots(settings)):
        try:
            mode = stat.S_IMODE(path.lstat().st_mode)
            if mode & PRIVATE_UMASK and not path.is_symlink():
                path.chmod(mode & ~PRIVATE_UMASK)
                log.warning("%s was %o, readable by other users: now %o", path, mode,
                            mode & ~PRIVATE_UMASK)  # fmt: skip
                changed.append(path)
        except FileNotFoundError:
            continue
        except OSError as e:  # not ours (a read-only copy): say so, do not stop
            log.warning("cannot restrict %s: %s", path, e)
    return changed
