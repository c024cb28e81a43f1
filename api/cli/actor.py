"""Who the event log names when a change comes from the command line."""

from __future__ import annotations

CLI_ACTOR = "cli"
"""The actor of every event a `sohoa` command records: commands run as the machine's
operator, not as a web account."""
