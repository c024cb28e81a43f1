"""`sohoa sign FILE...`: sign PDFs with a signer profile's key or a PKCS#12 key file."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import click

from api.cli.output import Reporter, print_json, progress
from config import labels
from config.errors import ExitCode, InvalidRequest
from config.settings import get_settings

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")

COPY_TYPES = ("SAO Y", "SAO LỤC", "TRÍCH SAO")
"""Decree 30/2020: the kinds of copy an organisation makes of a document (`--copy`)."""

PAIRING_ENV = "SOHOA_AGENT_PAIRING"
"""The variable holding the pairing code a leader's signing agent printed (else asked)."""

CHATTY = ("pyhanko", "pyhanko_certvalidator", "aiohttp", "fontTools", "certomancer")
"""Libraries that log every OCSP fetch and font table at INFO: kept to warnings unless
sohoa runs with -v."""


def quiet_signing_libraries() -> None:
    """Keep the signing libraries' INFO chatter off the terminal (unless -v)."""
    level = max(logging.getLogger().level, logging.WARNING)
    if logging.getLogger().level <= logging.DEBUG:
        return
    for name in CHATTY:
        logging.getLogger(name).setLevel(level)


def agent_link(url: str) -> Any:
    """The agent's URL with its pairing code, from SOHOA_AGENT_PAIRING or asked here."""
    from signing.agent_client import AgentLink

    pairing = os.environ.get(PAIRING_ENV) or click.prompt(
        "Mã ghép nối do chương trình ký hiển thị", hide_input=True, err=True
    )
    return AgentLink(url, str(pairing))


def _outputs(files: tuple[Path, ...], out: Path | None) -> list[Path]:
    """Where each signed file goes: --out for one file, --out/<name> for many, else
    <stem>.signed.pdf beside the input."""
    if out is not None and len(files) == 1 and out.suffix.lower() == ".pdf":
        return [out]
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        return [out / f"{f.stem}.signed.pdf" for f in files]
    return [f.with_name(f"{f.stem}.signed.pdf") for f in files]


def _record(source: Path, output: Path, result: Any) -> dict[str, Any]:
    if result.error is not None:
        return {"file": str(source), "status": "error", **{"error": result.error.to_dict()}}
    signed = result.signed
    return {
        "file": str(source),
        "status": "ok",
        "output": str(output),
        "field": signed.field_name,
        "signer": signed.signer,
        "level": signed.level.value,
        "signed_at": signed.signed_at.isoformat(),
        "certified": signed.certified,
        "pdfa": signed.pdfa,
    }


@click.command("sign")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--profile", help="Signer profile from signers.yaml (key, name, title, stamp).")
@click.option(
    "--pkcs12",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A .p12/.pfx key file instead; passphrase from SOHOA_SIGN_PASSPHRASE(_FILE).",
)
@click.option(
    "--agent",
    "agent_url",
    help="Sign with the key behind a leader's signing agent (sohoa sign-agent) instead; "
    "its pairing code from $SOHOA_AGENT_PAIRING or asked. With --profile, the agent's "
    "certificate must be the profile's.",
)
@click.option("--level", type=click.Choice(LEVELS), help="PAdES level [default: signing.yaml's].")
@click.option(
    "--copy",
    "copy_type",
    type=click.Choice(COPY_TYPES),
    help="Sign as the organisation's electronic copy: the notice top right of page 1.",
)
@click.option(
    "--out", type=click.Path(path_type=Path), help="Output file (one input) or directory."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file on stdout.")
def sign(
    *,
    files: tuple[Path, ...],
    profile: str | None,
    pkcs12: Path | None,
    agent_url: str | None,
    level: str | None,
    copy_type: str | None,
    out: Path | None,
    as_json: bool,
) -> None:
    """Sign PDFs (PAdES) as one batch: the key is opened once, each file gets an
    incremental update that keeps earlier signatures valid. Exits 1 if any file failed."""
    from signing.batch import BatchItem, sign_batch, sign_via_agent
    from signing.services import ServiceConfig

    quiet_signing_libraries()
    if pkcs12 is not None and (profile is not None or agent_url is not None):
        raise InvalidRequest("--pkcs12 goes alone: not with --profile or --agent")
    if profile is None and pkcs12 is None and agent_url is None:
        raise InvalidRequest("give --profile NAME, --pkcs12 KEY.p12 or --agent URL")
    settings = get_settings()
    options, source = _options_and_source(
        settings,
        profile=profile,
        pkcs12=pkcs12,
        agent_url=agent_url,
        level=level,
        copy_type=copy_type,
    )
    outputs = _outputs(files, out)
    items = [BatchItem(str(f), f.read_bytes(), options) for f in files]
    config = ServiceConfig.from_settings(settings)
    with progress(len(files), "sign") as reporter:
        writer = _Writer(files, outputs, as_json, reporter)
        if source is None:
            assert agent_url is not None
            expected = _profile_certificate(settings, profile)
            for result in sign_via_agent(items, agent_link(agent_url), config, expected):
                writer(result)
        else:
            sign_batch(items, source, config, writer)
    if writer.failed:
        raise SystemExit(ExitCode.FAILED)


def _options_and_source(
    settings: Any,
    *,
    profile: str | None,
    pkcs12: Path | None,
    agent_url: str | None,
    level: str | None,
    copy_type: str | None,
) -> tuple[Any, Any]:
    """The signature's options and its key source (None: the agent's key)."""
    from signing import credentials
    from signing.levels import PadesLevel
    from signing.plan import key_file_options, options_for
    from signing.profiles import signer_registry, signing_policy
    from signing.sources import Pkcs12Source, key_source

    chosen = PadesLevel(level) if level else signing_policy(settings).default_level
    if profile is not None:
        signer_profile = signer_registry(settings).get(profile)
        options = options_for(signer_profile, settings, chosen, copy_type=copy_type)
        if agent_url is not None:
            return options, None
        return options, key_source(signer_profile.key, settings)
    if pkcs12 is not None:
        return key_file_options(chosen), Pkcs12Source(pkcs12, credentials.sign_passphrase(settings))
    return key_file_options(chosen), None


def _profile_certificate(settings: Any, profile: str | None) -> Any:
    """The certificate the agent must present: the profile's (None without --profile)."""
    from signing.agent_client import leader_certificate
    from signing.profiles import signer_registry

    if profile is None:
        return None
    return leader_certificate(settings, signer_registry(settings).get(profile))


class _Writer:
    """Writes each signed file as the batch goes, and reports it."""

    def __init__(
        self, files: tuple[Path, ...], outputs: list[Path], as_json: bool, reporter: Reporter
    ) -> None:
        self.files, self.outputs, self.as_json, self.reporter = files, outputs, as_json, reporter
        self.done = 0
        self.failed = 0

    def __call__(self, result: Any) -> None:
        source, output = self.files[self.done], self.outputs[self.done]
        self.done += 1
        if result.signed is not None:
            output.write_bytes(result.signed.data)
        record = _record(source, output, result)
        self.failed += record["status"] != "ok"
        if self.as_json:
            print_json(record)
        elif result.error is not None:
            click.echo(f"{source}: {labels.RUN_LINES['error']}: {result.error.message}")
        else:
            click.echo(f"{source}: {labels.RUN_LINES['signed']} ({record['level']}) -> {output}")
        self.reporter.advance(source.name, labels.RUN_LINES[record["status"]])


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(sign)
