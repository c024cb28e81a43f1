"""`sohoa document correct|split`: a clerk's corrections to what digitization decided."""

from __future__ import annotations

import click

from api.cli.actor import CLI_ACTOR
from api.cli.output import print_json
from config.errors import InvalidRequest
from config.settings import get_settings


@click.group()
def document() -> None:
    """Correct a document's type, or split a scanned stack differently."""


@document.command()
@click.argument("document_id", type=int)
@click.option("--type", "doc_type", required=True, help="The right type code, e.g. cccd.")
def correct(document_id: int, doc_type: str) -> None:
    """Set a document's type (also to confirm an uncertain one); it is re-filed under the
    component expecting that type and used by the next `sohoa model train`."""
    from api.services import correct_type

    print_json(correct_type(get_settings(), document_id, doc_type, actor=CLI_ACTOR))


def _pages(value: str) -> list[int]:
    try:
        return [int(p) for p in value.split(",") if p.strip()]
    except ValueError as e:
        raise InvalidRequest(f"--at takes page numbers separated by commas, not {value!r}") from e


def _types(values: tuple[str, ...]) -> dict[str, str]:
    chosen = {}
    for value in values:
        page, sep, doc_type = value.partition("=")
        if not sep or not page.strip().isdigit():
            raise InvalidRequest(f"--type takes PAGE=TYPE, e.g. 3=cccd, not {value!r}")
        chosen[page.strip()] = doc_type.strip()
    return chosen


@document.command()
@click.argument("document_id", type=int)
@click.option("--at", "at", required=True, help="First page of each document: 1,3,4.")
@click.option("--type", "types", multiple=True, help="PAGE=TYPE for a document's type: 3=cccd.")
def split(document_id: int, at: str, types: tuple[str, ...]) -> None:
    """Split an uploaded stack into documents starting at the given pages (no page is read
    again); the earlier parts are superseded."""
    from workers.tasks import split_document

    parts = split_document(document_id, _pages(at), _types(types), actor=CLI_ACTOR)
    print_json({"document_id": document_id, "parts": parts})


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(document)
