"""The embedded Redis's socket directory, when the data directory's path is too long for a
unix socket, is not one another local user prepared.

The attack: the socket goes to `<tmp>/sohoa-<digest of the data directory>`, a name anyone
can compute; a local user creates it first, as a symlink to a directory they own or as a
directory open to all, and then owns or swaps the socket every job and every worker goes
through. The boundary: workers.redis_embedded puts it under $XDG_RUNTIME_DIR when set, and
uses a directory only if it is a real directory (no symlink), ours, and closed to others
(0700); otherwise it refuses to start, saying why."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pytest

from config.errors import ConfigurationError
from workers.redis_embedded import EmbeddedRedis


def _long_data_dir(tmp_path: Path) -> Path:
    return tmp_path / ("d" * 60) / ("e" * 60)


def _predicted(runtime: Path, data_dir: Path) -> Path:
    """Where an attacker computes the socket's directory to be."""
    digest = hashlib.sha256(str(data_dir / "redis").encode()).hexdigest()[:16]
    return runtime / f"sohoa-{digest}"


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A shared temporary directory standing in for /tmp (and the runtime directory)."""
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    monkeypatch.setenv("TMPDIR", str(shared))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(shared))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    return shared


def test_a_socket_directory_planted_as_a_symlink_is_refused(runtime: Path, tmp_path: Path) -> None:
    data_dir = _long_data_dir(tmp_path)
    attacker = tmp_path / "attacker"
    attacker.mkdir(mode=0o777)
    _predicted(runtime, data_dir).symlink_to(attacker)
    with pytest.raises(ConfigurationError, match="not a private directory"):
        EmbeddedRedis(data_dir)


def test_a_socket_directory_open_to_others_is_refused(runtime: Path, tmp_path: Path) -> None:
    data_dir = _long_data_dir(tmp_path)
    planted = _predicted(runtime, data_dir)
    planted.mkdir()
    planted.chmod(0o777)
    with pytest.raises(ConfigurationError, match="not a private directory"):
        EmbeddedRedis(data_dir)


def test_the_socket_directory_it_makes_itself_is_private(runtime: Path, tmp_path: Path) -> None:
    server = EmbeddedRedis(_long_data_dir(tmp_path))
    assert server.socket.parent == _predicted(runtime, _long_data_dir(tmp_path))
    assert server.socket.parent.stat().st_mode & 0o777 == 0o700
