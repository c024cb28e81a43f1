"""The locks (requirements/*.lock) agree with pyproject.toml, and every pin carries its hashes:
a fresh clone installs exactly what was tested, and a dependency changed without `make lock`
fails here rather than on someone's machine."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ("app", "dev", "bench")
EXTRAS = {"app": (), "dev": ("dev",), "bench": ("dev", "bench")}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")
TARGET = {"python_version": "3.11", "sys_platform": "linux", "platform_system": "Linux"}


def _lockdigest() -> str:
    spec = importlib.util.spec_from_file_location("lockdigest", ROOT / "scripts" / "lockdigest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    digest: str = module.lock_inputs_digest(ROOT)
    return digest


def _pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / f"{lock}.lock").read_text(encoding="utf-8")
    return {
        canonicalize_name(m.group(1)): m.group(2)
        for line in text.splitlines()
        if (m := PIN.match(line))
    }


def _requirements(lock: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in EXTRAS[lock]:
        lines += project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


@pytest.mark.parametrize("lock", LOCKS)
def test_each_lock_was_made_from_todays_pyproject(lock: str) -> None:
    header = (ROOT / "requirements" / f"{lock}.lock").read_text(encoding="utf-8")[:1000]
    assert f"# inputs-sha256: {_lockdigest()}" in header, (
        "pyproject.toml's dependencies or requirements/build.in changed: run `make lock`"
    )


@pytest.mark.parametrize("lock", LOCKS)
def test_every_requirement_is_pinned_within_its_range(lock: str) -> None:
    pins = _pins(lock)
    for req in _requirements(lock):
        if req.marker and not req.marker.evaluate(TARGET):
            continue
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in requirements/{lock}.lock"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"{req.name}=={pins[name]} in {lock}.lock is outside {req.specifier}"
        )


@pytest.mark.parametrize("lock", LOCKS)
def test_every_pin_carries_hashes(lock: str) -> None:
    entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / "requirements" / f"{lock}.lock").read_text())
    pinned = [e for e in entries if PIN.match(e)]
    assert len(pinned) > 50
    for entry in pinned:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]


def test_the_locks_nest_with_the_same_versions() -> None:
    app, dev, bench = (_pins(lock) for lock in LOCKS)
    assert app.items() <= dev.items() <= bench.items()


def test_the_build_tools_are_locked_too() -> None:
    """scripts/install-locked.sh builds without isolation from these: none is fetched unhashed."""
    pins = _pins("dev")
    for tool in ("pip", "setuptools", "wheel", "setuptools-scm"):
        assert tool in pins
