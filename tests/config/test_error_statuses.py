"""Every error says its own exit code and HTTP status: what the client may change is 4xx,
a failure on the server's side (configuration, a tool, a damaged file) 5xx, and the CLI
and the HTTP handler read both from the class, never from a table of their own."""

from __future__ import annotations

import importlib

import pytest

from api.http.errors import status_of
from config.errors import (
    BlobCorrupted,
    ConfigurationError,
    ExitCode,
    InputRejected,
    NotFound,
    SohoaError,
    ToolFailed,
    ToolTimeout,
    TransientError,
)
from storage.archive.errors import FixityFailure
from storage.backup.files import BackupFailed

ERROR_MODULES = (
    "signing.errors",
    "storage.archive.errors",
    "storage.backup.files",
    "workers.allowlist",
    "digitize.classifier.model",
    "digitize.fonts",
)
"""Modules that define errors of their own."""


def _every_error() -> list[type[SohoaError]]:
    for name in ERROR_MODULES:
        importlib.import_module(name)
    found: list[type[SohoaError]] = []
    todo: list[type[SohoaError]] = [SohoaError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


@pytest.mark.parametrize("error", _every_error(), ids=lambda cls: cls.__name__)
def test_every_error_has_a_status_and_an_exit_code_of_its_family(
    error: type[SohoaError],
) -> None:
    assert isinstance(error.exit_code, ExitCode)
    assert 400 <= error.http_status <= 599
    if error.transient:
        assert error.http_status == 503
    if issubclass(error, ConfigurationError | ToolFailed):
        assert error.http_status >= 500, "the server's failure is not the client's request"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ConfigurationError("the catalogue does not parse"), 500),
        (ToolTimeout("tesseract ran past 60 s"), 500),
        (BlobCorrupted("0" * 64), 500),
        (TransientError("the database restarts"), 503),
        (NotFound("no dossier X"), 404),
        (InputRejected("a.txt", "not a scan"), 422),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, SohoaError) else str(v),
)
def test_the_http_boundary_answers_the_errors_own_status(error: SohoaError, status: int) -> None:
    assert status_of(error) == status


def test_server_failures_of_other_packages_are_5xx() -> None:
    """Fixity and backup failures were answered 400 (the client's fault) before."""
    assert FixityFailure("package X damaged in every copy").http_status == 500
    assert BackupFailed("blob missing").http_status == 500
