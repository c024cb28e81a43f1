"""docker/compose.yaml ships no database password: started without SOHOA_DB_PASSWORD, the
stack refuses to come up instead of running PostgreSQL with a password every reader of the
repository knows."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "docker" / "compose.yaml"
_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


class Unset(Exception):
    """A `${VAR:?message}` whose variable is unset: compose stops with the message."""


def _interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's interpolation of one string: ${V}, ${V:-d}, ${V-d}, ${V:?m}, ${V?m}."""

    def one(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"] or ""
        given = env.get(name)
        empty = given is None or (given == "" and op is not None and op.startswith(":"))
        if op in ("-", ":-"):
            return arg if empty else str(given)
        if op in ("?", ":?") and empty:
            raise Unset(f"{name}: {arg}")
        return given or ""

    return _VARIABLE.sub(one, value)


def _database_settings() -> dict[str, str]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return {
        "POSTGRES_PASSWORD": data["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"],
        "SOHOA_DATABASE_URL": data["x-sohoa"]["environment"]["SOHOA_DATABASE_URL"],
    }


@pytest.mark.parametrize("setting", ["POSTGRES_PASSWORD", "SOHOA_DATABASE_URL"])
def test_the_stack_without_a_database_password_is_refused_with_a_reason(setting: str) -> None:
    """ATTACK: an operator runs `docker compose up` as documented and never sets a password;
    the database then listens with the password written in the repository.
    BOUNDARY: compose's `${SOHOA_DB_PASSWORD:?...}` interpolation: unset or empty, the stack
    does not start and the message says what to set; set, both sides get the same value."""
    value = _database_settings()[setting]
    for env in ({}, {"SOHOA_DB_PASSWORD": ""}):
        with pytest.raises(Unset, match="SOHOA_DB_PASSWORD"):
            _interpolate(value, env)
    chosen = _interpolate(value, {"SOHOA_DB_PASSWORD": "k7-hard-to-guess"})
    assert "k7-hard-to-guess" in chosen
    assert not re.search(r":sohoa@|^sohoa$", chosen)


def test_the_database_password_has_no_default_anywhere_in_the_compose_file() -> None:
    """No `${SOHOA_DB_PASSWORD:-...}` (or `-...`) default and no literal POSTGRES_PASSWORD."""
    text = COMPOSE.read_text(encoding="utf-8")
    uses = [m for m in _VARIABLE.finditer(text) if m["name"] == "SOHOA_DB_PASSWORD"]
    assert uses, "the database password is not taken from SOHOA_DB_PASSWORD"
    assert all(m["op"] == ":?" and m["arg"].strip() for m in uses), [m[0] for m in uses]
    assert _VARIABLE.fullmatch(_database_settings()["POSTGRES_PASSWORD"])


def _compose_missing() -> bool:
    if shutil.which("docker") is None:
        return True
    version = ["docker", "compose", "version"]
    return subprocess.run(version, capture_output=True, check=False).returncode != 0


@pytest.mark.skipif(
    _compose_missing(),
    reason="no docker compose v2 plugin here; the interpolation above checks the same rule",
)
def test_docker_compose_itself_refuses_the_file_without_the_password() -> None:
    """The real `docker compose config` fails and names the variable."""
    env = {k: v for k, v in os.environ.items() if k != "SOHOA_DB_PASSWORD"}
    done = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE), "config", "--quiet"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode != 0 and "SOHOA_DB_PASSWORD" in done.stderr
