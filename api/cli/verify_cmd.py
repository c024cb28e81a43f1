"""`sohoa verify FILE...`: every signature's signer, trust, time, integrity and level."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from api.cli.output import print_json
from api.cli.sign_cmd import quiet_signing_libraries
from config.errors import ExitCode, InvalidRequest
from config.settings import get_settings


def _moment(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as e:
        raise InvalidRequest(f"--at {value!r} is not an ISO 8601 date and time") from e
    return moment if moment.tzinfo else moment.astimezone()


@click.command("verify")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--json", "as_json", is_flag=True, help="One JSON report per file on stdout.")
@click.option(
    "--trust",
    "trust",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Also trust these root certificates (files or folders), besides SOHOA_TRUST_ROOTS.",
)
@click.option("--offline", is_flag=True, help="Never fetch OCSP responses or CRLs.")
@click.option("--at", "at", help="Judge as of this ISO 8601 time (offline), e.g. 2025-03-14.")
def verify(
    files: tuple[Path, ...], as_json: bool, trust: tuple[Path, ...], offline: bool, at: str | None
) -> None:
    """Verify the signatures of PDFs: signer, chain and trust, signing time and its source,
    intact or modified (and what changed), revocation, PAdES level, and the data relied on.
    Exits 0 if every file's signatures are all valid, 1 otherwise."""
    from signing.trust import load_trust_roots
    from signing.verification.report import Verdict, format_text
    from signing.verification.run import VerifyOptions, verify_pdf

    quiet_signing_libraries()

    options = VerifyOptions.from_settings(
        get_settings(),
        extra_roots=tuple(load_trust_roots(trust)),
        online=False if offline else None,
        at=_moment(at),
    )
    all_valid = True
    for path in files:
        report = verify_pdf(path.read_bytes(), str(path), options)
        all_valid &= report.verdict is Verdict.VALID
        if as_json:
            print_json(report.to_dict())
        else:
            for line in format_text(report):
                click.echo(line)
    if not all_valid:
        raise SystemExit(ExitCode.FAILED)


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(verify)
