"""What stamp parts (the font, the signature and seal images) keep between documents and
between processes: prepared once, reused by every document a batch signs."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import BasePdfFileWriter

log = logging.getLogger(__name__)


def cache_file(source: Path, kind: str, suffix: str, *salt: object) -> Path:
    """Where the prepared form of `source` is kept in the user's cache directory (an rq work
    horse is a new process per job): named by the file's path, size and time and by `salt`
    (what else shapes the prepared form), so a changed file is prepared anew."""
    stat = source.stat()
    keyed = "|".join(str(p) for p in (source.resolve(), stat.st_size, stat.st_mtime_ns, *salt))
    key = hashlib.sha256(keyed.encode()).hexdigest()[:24]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "sohoa" / kind / f"{source.stem}-{key}{suffix}"


def write_cached(target: Path, data: bytes, what: str) -> None:
    """Keep `data` at `target`, whole or not at all (a reader never sees half a file); a
    cache that cannot be written (a read-only home) only means preparing again next time."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
            handle.write(data)
        Path(handle.name).replace(target)
    except OSError as e:
        log.debug("cannot cache %s at %s: %s", what, target, e)


class WriterObjects:
    """The objects each writer already holds, by key, so a part is added once per signed
    revision. Kept by object number: an IndirectObject would refer to the writer and keep it
    (with the whole document it read) alive as long as the process."""

    def __init__(self) -> None:
        self._held: weakref.WeakKeyDictionary[BasePdfFileWriter, dict[str, tuple[int, int]]]
        self._held = weakref.WeakKeyDictionary()

    def get(
        self,
        writer: BasePdfFileWriter,
        key: str,
        add: Callable[[BasePdfFileWriter], generic.IndirectObject],
    ) -> generic.IndirectObject:
        """The object `key` in this writer, added with `add` on first use, then reused."""
        held = self._held.setdefault(writer, {})
        added = held.get(key)
        if added is None:
            ref = add(writer)
            held[key] = (ref.idnum, ref.generation)
            return ref
        return generic.IndirectObject(*added, writer)
