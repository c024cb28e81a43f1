"""The data directory is the sohoa user's alone: password hashes, webhook secrets and
citizens' scans are not readable by other local users (security review, issue 16)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def sohoa(*args: str, data: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """Run the checkout's `sohoa` on this data directory, started with the usual umask 022."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env = {**clean, "SOHOA_DATA_DIR": str(data), "PYTHONPATH": str(REPO), **extra}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=120, check=True,
        preexec_fn=lambda: os.umask(0o022),
    )  # fmt: skip


def _modes(root: Path) -> Iterator[tuple[Path, int]]:
    yield root, stat.S_IMODE(root.stat().st_mode)
    for path in root.rglob("*"):
        if not path.is_symlink():
            yield path, stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_directory_is_private(tmp_path: Path) -> None:
    """Attack: any local user reads DATA/sohoa.db (password hashes, webhook secrets): it was
    0644 in a 0755 directory.
    Boundary: every sohoa entry point sets umask 077 first (config.filemodes), so the files
    it writes are 0600 and its directories 0700 whatever umask it was started with."""
    data = tmp_path / "data"
    sohoa("user", "add", "quantri", "--role", "admin", data=data,
          SOHOA_NEW_PASSWORD="mat-khau-rat-dai-1")  # fmt: skip
    modes = dict(_modes(data))
    assert modes[data] == 0o700
    assert modes[data / "sohoa.db"] == 0o600
    assert {p.name: m for p, m in modes.items() if m & 0o077} == {}


@pytest.fixture
def old_install(tmp_path: Path) -> Path:
    """A data directory as an older sohoa left it: 0755, with a 0644 database."""
    data = tmp_path / "old"
    sohoa("db", "upgrade", data=data)
    for path in (data, data / "sohoa.db"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (data / "blobs").mkdir(mode=0o755)
    (data / "blobs").chmod(0o755)
    return data


def test_an_existing_data_directory_is_tightened_at_start_with_a_warning(
    old_install: Path,
) -> None:
    """Boundary: at start sohoa takes group and other bits off the data roots and the files
    directly in the data directory, and logs each change."""
    done = sohoa("db", "upgrade", data=old_install)
    assert stat.S_IMODE(old_install.stat().st_mode) == 0o700
    assert stat.S_IMODE((old_install / "sohoa.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((old_install / "blobs").stat().st_mode) == 0o700
    assert "readable by other users" in done.stderr
