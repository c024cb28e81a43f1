"""Thin rq task of the `archive` queue: a dossier's code in, signing.flow.archive's
run_archive called (the same use case as `sohoa archive`)."""

from __future__ import annotations

from config.settings import get_settings
from signing.flow.archive import run_archive
from workers.boundary import Finished, task
from workers.jobs import JobKind

ACTOR = "worker"


@task(JobKind.ARCHIVE)
def archive_dossier(code: str, actor: str = ACTOR, correction: str | None = None) -> Finished:
    """rq task: archive a dossier. A refusal is a final outcome (nothing a retry changes);
    transient failures (database, disk) raise so rq retries them."""
    summary = run_archive(get_settings(), code, actor=actor, correction=correction)
    return Finished(details={"package": summary.public_dict()})
