"""Running an external program with a time limit, its stderr logged under its name, and
only the environment it needs (config.toolenv: never the worker's secrets)."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from config.errors import ToolFailed, ToolMissing, ToolTimeout
from config.toolenv import tool_env

log = logging.getLogger(__name__)


def run_tool(
    args: Sequence[str | Path],
    *,
    timeout: float,
    env: Mapping[str, str] | None = None,
    what: str,
) -> subprocess.CompletedProcess[bytes]:
    """Run a program to completion; ToolTimeout past `timeout`, ToolFailed on a non-zero exit.

    `what` names the input (file and page) in error messages and logs; `env` adds the
    program's own variables to the minimal environment it runs with (config.toolenv).
    """
    program = Path(str(args[0])).name
    try:
        proc = subprocess.run(
            [str(a) for a in args],
            capture_output=True,
            timeout=timeout,
            env=tool_env(env),
            check=False,
        )
    except subprocess.TimeoutExpired as e:
        raise ToolTimeout(f"{program} took longer than {timeout:.0f} s on {what}") from e
    except FileNotFoundError as e:
        raise ToolMissing(f"{program} is not installed (run `make setup`)") from e
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    if stderr:
        log.debug("%s on %s: %s", program, what, stderr)
    if proc.returncode != 0:
        last = stderr.splitlines()[-1] if stderr else f"exit status {proc.returncode}"
        raise ToolFailed(f"{program} failed on {what}: {last}")
    return proc
