"""Making a BagIt bag (RFC 8493) of a staged package with the Library of Congress's `bagit`.

bagit.make_bag turns a directory's files into the bag's payload (under data/), writes the
SHA-256 manifest, bag-info.txt and the tag manifest. It works by changing the process's
current directory while it runs, so calls are serialised by a lock (a threaded server
must not have two bags made at once, nor rely on its working directory meanwhile).
bagit.py declares BagIt 0.97; the bag is declared 1.0 (RFC 8493, the same layout) and its
tag manifest rewritten to cover that.
"""

from __future__ import annotations

import logging
import threading
from importlib import metadata
from pathlib import Path
from typing import Any

import bagit

from storage.archive.layout import sha256_file

ALGORITHM = "sha256"
MANIFEST = f"manifest-{ALGORITHM}.txt"
TAG_MANIFEST = f"tagmanifest-{ALGORITHM}.txt"
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

_lock = threading.Lock()
logging.getLogger("bagit").setLevel(logging.WARNING)  # it logs every file it moves


def software_agent() -> str:
    """Bag-Software-Agent: sohoa and the bagit library, with versions."""
    try:
        own = metadata.version("sohoa")
    except metadata.PackageNotFoundError:
        own = "dev"
    return f"sohoa {own} (bagit.py {bagit.VERSION})"


def make_bag(directory: Path, info: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Make `directory` (its files now) a BagIt 1.0 bag; returns every file of the bag,
    tag files included, with its SHA-256 and size."""
    info = {"Bag-Software-Agent": software_agent(), **info}
    with _lock:
        bagit.make_bag(str(directory), bag_info=info, checksums=[ALGORITHM])
        (directory / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8")
        bagit.Bag(str(directory)).save()  # rewrites the tag manifest over the new bagit.txt
    return inventory(directory)


def _manifest(path: Path) -> dict[str, str]:
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            entries[name.strip()] = digest.lower()
    return entries


def inventory(directory: Path) -> dict[str, dict[str, Any]]:
    """The bag's files as its manifests give them (the tag manifest hashed here), with sizes."""
    digests = {
        **_manifest(directory / MANIFEST),
        **_manifest(directory / TAG_MANIFEST),
        TAG_MANIFEST: sha256_file(directory / TAG_MANIFEST),
    }
    return {
        name: {"sha256": digest, "size": (directory / name).stat().st_size}
        for name, digest in sorted(digests.items())
    }


def validate(directory: Path) -> None:
    """bagit's own full validation (structure, Payload-Oxum, every checksum); raises
    bagit.BagValidationError listing what is wrong. Fixity does more (see fixity.py)."""
    bagit.Bag(str(directory)).validate()
