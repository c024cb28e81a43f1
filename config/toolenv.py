"""The environment an external program runs with: the few variables it needs, no secrets.

A worker's environment holds the signing passphrase, token PINs, remote signing tokens and
the database URL (SOHOA_*, or whatever names the signer profiles give). Tesseract, poppler
or redis-server need none of them, and a child that inherits them can leak them (a core
dump, /proc/PID/environ, a crash report, a hostile input exploiting the program). So every
external program sohoa starts gets an allow-list of its parent's variables, never the rest.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

PASSED = (
    "PATH",
    "HOME",
    "TMPDIR",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TESSDATA_PREFIX",
    "OMP_THREAD_LIMIT",
)
"""Variables an external program inherits when its parent has them: where programs and
Tesseract's language data are, where temporary files go, how text is encoded, and how many
threads Tesseract may use. Nothing else crosses, whatever its name."""

SETTINGS_PREFIX = "SOHOA_"
"""Settings (and secrets) are SOHOA_* variables: never passed, not even on purpose."""


def tool_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for an external program: PASSED from this process, then `extra`
    (the program's own settings, e.g. OMP_THREAD_LIMIT=1). ValueError for an `extra`
    naming a SOHOA_* variable: a program's settings are never sohoa's."""
    env = {name: os.environ[name] for name in PASSED if name in os.environ}
    for name, value in (extra or {}).items():
        if name.upper().startswith(SETTINGS_PREFIX):
            raise ValueError(f"{name} is a sohoa setting; it is not passed to external programs")
        env[name] = value
    return env
