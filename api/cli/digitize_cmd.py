"""`sohoa digitize FILE...`: the pipeline in-process on loose files, no queue needed."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import click

from api.cli.output import print_json, progress
from config import labels
from config.catalogue import get_catalogue
from config.errors import ExitCode, SohoaError
from config.settings import get_settings

log = logging.getLogger(__name__)


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


def _record(source: Path, outcome: object) -> dict[str, Any]:
    """The JSON line for one input: its result, or the reason it failed."""
    from digitize.result import DigitizedDocument

    if isinstance(outcome, SohoaError):
        return _error_record(source, outcome.code, outcome.message, outcome.hint_vi)
    if not isinstance(outcome, DigitizedDocument):
        reason = f"{type(outcome).__name__}: {outcome}"
        return _error_record(
            source, "internal_error", f"{source.name}: internal error ({reason})", None
        )
    return {
        "file": str(source),
        "status": "ok",
        "error": None,
        "pages": len(outcome.pages),
        "text": outcome.text,
        "document_type": outcome.classification.document_type,
        "type_confidence": round(outcome.classification.confidence, 4),
        "type_candidates": [[c, p] for c, p in outcome.classification.candidates],
        "type_source": outcome.classification.source,
        "fields": {name: f.value for name, f in outcome.fields.items()},
        "field_details": {
            n: {"page": f.page, "confidence": f.confidence} for n, f in outcome.fields.items()
        },
        "output": str(outcome.output),
        "pdfa": outcome.pdfa,
        "signed_input": outcome.signed_input,
        "page_info": [p.to_dict() for p in outcome.pages],
    }


def _summary(record: dict[str, Any]) -> str:
    """A file's line as a clerk reads it: pages, the type's Vietnamese name and its
    confidence, the output; or the error."""
    say = labels.RUN_LINES
    if record["status"] != "ok":
        return f"{say['error']}: {record['error']}"
    code = record["document_type"]
    types = {t.code: t.name for t in get_catalogue().document_types}
    return (
        f"{record['pages']} {say['pages']}, {types.get(code, code)} "
        f"({record['type_confidence']:.2f}), "
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
@click.option(
    "--jobs", type=click.IntRange(min=1), help="Pages read at once [default: every core]."
)
@click.option(
    "--force-ocr",
    is_flag=True,
    help="OCR every PDF page, even one whose own text layer looks sound.",
)
def digitize(
    files: tuple[Path, ...], out_dir: Path | None, as_json: bool, jobs: int | None, force_ocr: bool
) -> None:
    """Digitize scans and PDFs into searchable PDF/A files, with their text, type and data.

    Each file is handled on its own: a file that is not a document is reported with its
    reason and the others go on. Exits 1 if any file failed.
    """
    from digitize.batch import iter_batch, output_paths
    from digitize.doctype import default_model
    from digitize.options import DigitizeOptions

    default_model()  # read once, before the page threads start
    settings = get_settings()
    out_dir = out_dir or settings.data_path / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    options = DigitizeOptions.from_settings(
        settings, jobs=jobs or os.cpu_count() or 1, force_ocr=force_ocr
    )
    outcomes = iter_batch(files, output_paths(files, out_dir), options, catalogue=get_catalogue())
    failed = 0
    with progress(len(files), "digitize") as reporter:
        for source, outcome in zip(files, outcomes, strict=True):
            record = _record(source, outcome)
            failed += record["status"] != "ok"
            if as_json:
                print_json(record)
            else:
                click.echo(f"{source}: {_summary(record)}")
            reporter.advance(source.name, labels.RUN_LINES[record["status"]])
    if failed:
        raise SystemExit(ExitCode.FAILED)


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(digitize)
