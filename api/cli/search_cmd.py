"""`sohoa search QUERY`: find documents by their text and any metadata, diacritics or not."""

from __future__ import annotations

import html
import re
from datetime import datetime

import click

from api.cli.actor import CLI_ACTOR
from api.cli.output import print_json
from config import defaults
from config.settings import get_settings

_MARK = re.compile(r"<mark>(.*?)</mark>")


def _terminal(snippet: str) -> str:
    """A snippet's marks as bold text, its HTML escapes undone."""
    marked = _MARK.sub(lambda m: click.style(m.group(1), bold=True), snippet)
    return html.unescape(marked)


@click.command()
@click.argument("query", nargs=-1)
@click.option("--procedure", help="Only this procedure's dossiers, e.g. 1.001193.")
@click.option("--type", "document_type", help="Only this document type, e.g. giay_khai_sinh.")
@click.option("--unit", help="Only dossiers of this unit.")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="From this date.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="To this date.")
@click.option("--id-number", help="Only documents about this personal ID number.")
@click.option("--dossier", "dossier_code", help="Only this dossier's documents.")
@click.option("--limit", default=defaults.SEARCH_LIMIT, show_default=True, help="Most results.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per result.")
@click.option("--reindex", is_flag=True, help="Rebuild the index from the database first.")
def search(
    *,
    query: tuple[str, ...],
    procedure: str | None,
    document_type: str | None,
    unit: str | None,
    date_from: datetime | None,
    date_to: datetime | None,
    id_number: str | None,
    dossier_code: str | None,
    limit: int,
    as_json: bool,
    reindex: bool,
) -> None:
    """Search the text and every metadata field of digitized and archived documents.

    An archived record among the results is an access of it, logged as one.

    Diacritics and case never matter ("giay khai sinh" finds "Giấy khai sinh"); "quoted
    words" are a phrase; word* a prefix; -word excludes. Best matches first. With --json,
    one line per result: dossier_code, document_id, document_type, title, score, snippet
    (HTML-escaped, matches in <mark>), state, record_code, procedure, unit, date.
    """
    from api.archive_service import logged_search, rebuild_search_index
    from storage.search.engine import SearchFilters

    if reindex:
        count = rebuild_search_index(get_settings())
        click.echo(f"reindexed {count} documents", err=True)
    filters = SearchFilters(
        procedure=procedure,
        document_type=document_type,
        unit=unit,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
        id_number=id_number,
        dossier_code=dossier_code,
    )
    if reindex and not query and not filters.given():
        return
    hits = logged_search(get_settings(), " ".join(query), filters, limit, by=CLI_ACTOR)
    for hit in hits:
        if as_json:
            print_json(hit.to_dict())
            continue
        state = f" [{hit.state}]" if hit.state != "digitized" else ""
        click.echo(f"{hit.dossier_code} · {hit.title} (document {hit.document_id}){state}")
        click.echo(f"    {_terminal(hit.snippet)}")
    if not hits and not as_json:
        click.echo("Không tìm thấy tài liệu nào.", err=True)


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(search)
