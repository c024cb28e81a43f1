"""`sohoa testpki init|serve`: the demo's own test PKI (never for production keys)."""

from __future__ import annotations

import contextlib
import shlex
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import click

from config.errors import ConfigurationError
from config.settings import get_settings


def _directory(directory: Path | None) -> Path:
    return directory or get_settings().data_path / "testpki"


@contextlib.contextmanager
def _dev_dependency() -> Iterator[None]:
    """The test PKI is a dev tool: certomancer is in the `dev` extra, not in the service's
    dependencies, so where it is missing the command says so instead of a traceback."""
    try:
        yield
    except ModuleNotFoundError as e:
        if not (e.name or "").startswith("certomancer"):
            raise
        raise ConfigurationError(
            "the test PKI needs certomancer, a dev dependency: pip install 'sohoa[dev]' "
            "(a demo or test machine only, never production)"
        ) from e


@click.group()
def testpki() -> None:
    """A self-contained test PKI: root and issuing CA, leaders' and the organisation's
    certificates, CRLs, an OCSP responder and a timestamp authority on loopback."""


@testpki.command("init")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", type=int, help="Loopback port of its services [default: a free one].")
def init(directory: Path | None, port: int | None) -> None:
    """Create the PKI (keys generated here) and print the settings that use it."""
    with _dev_dependency():
        from signing.testpki import create_test_pki

    pki = create_test_pki(_directory(directory), port=port)
    exports = {
        "SOHOA_SIGNING_KEY_DIR": str(pki.directory / "keys"),
        "SOHOA_SIGN_PASSPHRASE": pki.passphrase,
        "SOHOA_TSA_URL": pki.tsa_url,
        "SOHOA_TRUST_ROOTS": str(pki.root_cert),
    }
    for key, value in exports.items():
        click.echo(f"export {key}={shlex.quote(value)}")


@testpki.command("serve")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--ready-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Written once the services answer (for scripts that wait for them).",
)
def serve(directory: Path | None, ready_file: Path | None) -> None:
    """Serve the PKI's CRLs, OCSP responder and TSA on loopback until interrupted."""
    with _dev_dependency():
        from signing.testpki import open_test_pki, serve_test_pki

    pki = open_test_pki(_directory(directory))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with serve_test_pki(pki) as url:
        click.echo(f"test PKI services at {url}", err=True)
        if ready_file is not None:
            ready_file.write_text(url, encoding="utf-8")
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(testpki)
