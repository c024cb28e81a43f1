"""Keeps libraries' warnings off the terminal of a clerk or leader and out of operators' logs.

A library warning (cryptography's "DSA is deprecated" printed when pyHanko is imported, say)
tells a clerk nothing and reads as an error in a log. The versions sohoa runs are locked
(requirements/*.lock) and upgraded on purpose by `make lock`, where the tests, run with every
warning shown, are the place to read them. sohoa's own warnings still go through.
"""

from __future__ import annotations

import warnings

OWN_PACKAGES = ("config", "storage", "digitize", "signing", "workers", "api")
"""Modules whose warnings are sohoa's own and are shown."""

NOT_OURS = r"(?!(?:%s)(?:\.|$))" % "|".join(OWN_PACKAGES)  # noqa: UP031
"""Matches (at its start) the name of any module that is not sohoa's: warnings.filterwarnings
compares its `module` pattern with re.match against the module the warning is attributed to."""


def quiet_library_warnings() -> None:
    """Ignore every warning a third-party module raises, for the rest of this process."""
    warnings.filterwarnings("ignore", module=NOT_OURS)
