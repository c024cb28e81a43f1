"""`python -m api.cli`: the sohoa command, run from a checkout without its console script."""

from __future__ import annotations

from api.cli import main

main(prog_name="sohoa")
