"""`sohoa digitize FILE...`: the pipeline in-process on loose files, no queue needed."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import click

from api.cli.output import print_json, progress
from config.catalogue import Catalogue, get_catalogue
from config.errors import SohoaError
from config.settings import get_settings

log = logging.getLogger(__name__)


class _OutputNames:
    """Output paths in one directory: <stem>.pdf, never an input, never twice in one run."""

    def __init__(self, directory: Path, inputs: tuple[Path, ...]) -> None:
        self.directory = directory
        self.taken = {p.resolve() for p in inputs if p.exists()}

    def for_input(self, source: Path) -> Path:
        stem = source.stem or "document"
        candidate = self.directory / f"{stem}.pdf"
        n = 2
        while candidate.resolve() in self.taken:
            candidate = self.directory / f"{stem}-{n}.pdf"
            n += 1
        self.taken.add(candidate.resolve())
        return candidate


def _error_record(file: Path, code: str, message: str, hint: str | None) -> dict[str, Any]:
    return {
        "file": str(file),
        "status": "error",
        "error": message,
        "error_code": code,
        "hint": hint,
        "pages": None,
        "text": None,
        "document_type": None,
        "type_confidence": None,
        "fields": None,
        "output": None,
        "page_info": None,
    }


def _digitize_one(source: Path, out: Path, catalogue: Catalogue) -> dict[str, Any]:
    from digitize.options import DigitizeOptions
    from digitize.pipeline import digitize_file

    try:
        result = digitize_file(
            source, out, DigitizeOptions.from_settings(get_settings()), catalogue=catalogue
        )
    except SohoaError as e:
        return _error_record(source, e.code, e.message, e.hint_vi)
    except Exception as e:
        log.exception("internal error on %s", source)
        return _error_record(
            source,
            "internal_error",
            f"{source.name}: internal error ({type(e).__name__}: {e})",
            None,
        )
    return {
        "file": str(source),
        "status": "ok",
        "error": None,
        "pages": len(result.pages),
        "text": result.text,
        "document_type": result.classification.document_type,
        "type_confidence": round(result.classification.confidence, 4),
        "type_candidates": [[c, p] for c, p in result.classification.candidates],
        "fields": {name: f.value for name, f in result.fields.items()},
        "field_details": {
            n: {"page": f.page, "confidence": f.confidence} for n, f in result.fields.items()
        },
        "output": str(result.output),
        "pdfa": result.pdfa,
        "signed_input": result.signed_input,
        "page_info": [p.to_dict() for p in result.pages],
    }


def _summary(record: dict[str, Any]) -> str:
    if record["status"] != "ok":
        return f"error: {record['error']}"
    return (
        f"{record['pages']} page(s), {record['document_type']} ({record['type_confidence']:.2f}), "
        f"{'PDF/A-2b' if record['pdfa'] else 'PDF'} -> {record['output']}"
    )


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the searchable PDFs [default: $SOHOA_DATA_DIR/out].",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input on stdout.")
def digitize(files: tuple[Path, ...], out_dir: Path | None, as_json: bool) -> None:
    """Digitize scans and PDFs into searchable PDF/A files, with their text, type and data.

    Each file is handled on its own: a file that is not a document is reported with its
    reason and the others go on. Exits 1 if any file failed.
    """
    out_dir = out_dir or get_settings().data_path / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    names = _OutputNames(out_dir, files)
    catalogue = get_catalogue()
    failed = 0
    with progress(len(files), "digitize") as reporter:
        for source in files:
            record = _digitize_one(source, names.for_input(source), catalogue)
            failed += record["status"] != "ok"
            if as_json:
                print_json(record)
            else:
                click.echo(f"{source}: {_summary(record)}")
            reporter.advance(source.name, record["status"])
    if failed:
        raise SystemExit(1)


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(digitize)
