"""The `sohoa` command line: the one boundary where errors become messages and exit codes."""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from config.errors import SohoaError
from config.filemodes import restrict_umask, tighten_data_dirs
from config.quiet import quiet_library_warnings
from config.settings import get_settings


class _Boundary(click.Group):
    """Maps every SohoaError to one stderr message (English reason, Vietnamese hint) and its
    exit code; anything else is a bug and keeps its traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SohoaError as e:
            click.echo(f"error: {e.message}", err=True)
            click.echo(f"  {e.hint_vi}", err=True)
            ctx.exit(e.exit_code)


def _configure_logging(verbose: bool) -> None:
    level = (
        logging.DEBUG
        if verbose
        else getattr(logging, get_settings().log_level.upper(), logging.INFO)
    )
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("pikepdf", "pdfminer", "PIL", "fontTools", "alembic"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
    # pyHanko logs each validation problem as a WARNING with a traceback; sohoa reports the
    # verdict itself (signing.verification.report), so only its errors are an operator's business
    for chatty in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(chatty).setLevel(max(level, logging.ERROR))


@click.group(cls=_Boundary)
@click.option("-v", "--verbose", is_flag=True, help="Log debug details to stderr.")
@click.version_option(package_name="sohoa")
def main(verbose: bool) -> None:
    """sohoa: digitize, sign and archive the dossiers of a one-stop office.

    Configured by SOHOA_* environment variables; with none, everything lives under
    ./sohoa-data (SQLite, blob store, a private redis-server).
    """
    quiet_library_warnings()
    restrict_umask()  # before anything is written: every file sohoa makes is its user's
    _configure_logging(verbose)
    tighten_data_dirs(get_settings())


def _register() -> None:
    """Add every command module's commands to the group, by what they are for. `dossier`
    is a group others extend (`dossier sign`, `dossier backlog`...), so it comes first."""
    from api.cli import (
        archive_cmd,
        audit_cmd,
        backup_cmd,
        db_cmd,
        digitize_cmd,
        document_cmd,
        dossier_cmd,
        dossier_sign_cmd,
        exchange_cmd,
        export_cmd,
        forms_cmd,
        inbox_cmd,
        model_cmd,
        office_cmd,
        samples_cmd,
        search_cmd,
        serve_cmd,
        sign_agent_cmd,
        sign_cmd,
        stats_cmd,
        testpki_cmd,
        user_cmd,
        verify_cmd,
        worker_cmd,
    )

    for module in (
        # a dossier's life: intake, digitizing, signing, archiving and finding it again
        dossier_cmd,
        document_cmd,
        inbox_cmd,
        digitize_cmd,
        dossier_sign_cmd,
        sign_cmd,
        verify_cmd,
        sign_agent_cmd,
        archive_cmd,
        search_cmd,
        export_cmd,
        # the office's figures, deadlines and data exchange
        stats_cmd,
        office_cmd,
        exchange_cmd,
        forms_cmd,
        # running the service: web, workers, database, accounts, audit trail, backups
        serve_cmd,
        worker_cmd,
        db_cmd,
        user_cmd,
        audit_cmd,
        backup_cmd,
        # dev tools: sample dossiers, the test PKI, training the type model
        samples_cmd,
        testpki_cmd,
        model_cmd,
    ):
        module.register(main)


_register()
