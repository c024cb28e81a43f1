"""Prints the digest of what the locks are made from: pyproject.toml's dependency tables and
requirements/build.in. scripts/lock.sh writes it into each lock's header, and
tests/test_lock.py recomputes it, so a dependency changed without `make lock` fails the tests."""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from pathlib import Path


def lock_inputs_digest(root: Path) -> str:
    """SHA-256 of the dependency tables and the build tools' list, in a canonical form."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    inputs = {
        "dependencies": project["dependencies"],
        "optional-dependencies": project.get("optional-dependencies", {}),
        "requires-python": project.get("requires-python"),
        "build.in": (root / "requirements" / "build.in").read_text(encoding="utf-8"),
    }
    canonical = json.dumps(inputs, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(canonical).hexdigest()


if __name__ == "__main__":
    print(lock_inputs_digest(Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
