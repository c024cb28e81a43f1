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
    # verdict itself (signing.report), so only its errors are an operator's business
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
    from api.cli import (
        db_cmd,
        digitize_cmd,
        document_cmd,
        dossier_cmd,
        dossier_sign_cmd,
        inbox_cmd,
        model_cmd,
        samples_cmd,
        serve_cmd,
        sign_agent_cmd,
        sign_cmd,
        testpki_cmd,
        verify_cmd,
        worker_cmd,
    )

    for module in (
        db_cmd,
        digitize_cmd,
        document_cmd,
        dossier_cmd,
        inbox_cmd,
        model_cmd,
        samples_cmd,
        serve_cmd,
        worker_cmd,
    ):
        module.register(main)
    # signing (issue 5): after dossier_cmd, whose `dossier` group gains `sign`
    for module in (sign_cmd, verify_cmd, sign_agent_cmd, dossier_sign_cmd, testpki_cmd):
        module.register(main)
    # archive and search (issue 6)
    from api.cli import archive_cmd, export_cmd, search_cmd

    for module in (archive_cmd, search_cmd, export_cmd):
        module.register(main)
    # the national index's figures, deadlines, reuse and data exchange (issue 10)
    from api.cli import exchange_cmd, forms_cmd, office_cmd, stats_cmd

    for module in (stats_cmd, office_cmd, exchange_cmd, forms_cmd):
        module.register(main)
    # accounts of the web service (issue 7)
    from api.cli import user_cmd

    user_cmd.register(main)
    # audit trail and backups (issue 8)
    from api.cli import audit_cmd, backup_cmd

    for module in (audit_cmd, backup_cmd):
        module.register(main)


_register()
