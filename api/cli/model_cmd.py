"""`sohoa model`: train the document type model and say which one is in use."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import click


def _read_examples(path: Path) -> list[tuple[str, str]]:
    """(text, doc_type) pairs from a JSON-lines file of {"text": ..., "doc_type": ...}."""
    from config.errors import InvalidRequest

    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            pairs.append((str(entry["text"]), str(entry["doc_type"])))
        except (ValueError, KeyError, TypeError) as e:
            raise InvalidRequest(
                f"{path} line {number}: not a {{text, doc_type}} object ({e})"
            ) from e
    return pairs


@click.group()
def model() -> None:
    """The document type model: retrain it, or show the one in use."""


@model.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Model file to write. Default: DATA/models/document_types.npz, which then replaces "
    "the shipped model in every sohoa process started afterwards.",
)
@click.option("--seed", default=0, show_default=True, help="Corpus seed: same seed, same model.")
@click.option("--quick", is_flag=True, help="A corpus a fifth of the size (trials, tests).")
@click.option(
    "--real-ocr",
    default=0,
    show_default=True,
    help="Documents per type read by real Tesseract instead of simulated OCR (~0.7 s a page, "
    "cached under DATA/cache/type-corpus-ocr).",
)
@click.option(
    "--examples",
    "examples_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help='More labelled documents, JSON lines of {"text": ..., "doc_type": ...}.',
)
@click.option(
    "--corrections/--no-corrections",
    default=True,
    show_default=True,
    help="Add every document whose type a clerk corrected or confirmed, from the database.",
)
def train(  # noqa: PLR0917 - one parameter per option, as click passes them
    out: Path | None,
    seed: int,
    quick: bool,
    real_ocr: int,
    examples_file: Path | None,
    corrections: bool,
) -> None:
    """Train the type model on generated documents plus the documents clerks corrected."""
    from config import defaults
    from config.settings import get_settings
    from digitize.classifier.train import TrainOptions
    from digitize.classifier.train import train as train_model

    settings = get_settings()
    out = out or settings.data_path / defaults.TYPE_MODEL_FILE
    pairs = _read_examples(examples_file) if examples_file else []
    if corrections:
        from storage.corrections import read_corrected_examples

        pairs += read_corrected_examples(settings)
    started = time.monotonic()
    trained = train_model(
        seed,
        pairs,
        options=TrainOptions(scale=0.2 if quick else 1.0, real_ocr_per_type=real_ocr),
        ocr_cache=settings.data_path / "cache" / "type-corpus-ocr",
        progress=lambda message: click.echo(message, err=True),
    )
    trained.save(out)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    counts = trained.metadata["examples_per_class"]
    click.echo(f"{out}")
    click.echo(
        f"  {len(trained.classes)} types, {sum(counts.values())} examples "
        f"({trained.metadata['clerk_examples']} from clerks), temperature "
        f"{trained.temperature:.3f}, {time.monotonic() - started:.0f} s, sha256 {digest[:16]}"
    )


@model.command()
@click.option("--json", "as_json", is_flag=True, help="Print the model's metadata as JSON.")
def info(as_json: bool) -> None:
    """Which type model this deployment uses and how it was trained."""
    from digitize.doctype import default_model, model_path

    path = model_path()
    loaded = default_model()
    if as_json:
        click.echo(json.dumps({"path": str(path), **loaded.metadata}, ensure_ascii=False, indent=2))
        return
    meta = loaded.metadata
    click.echo(f"{path}")
    click.echo(f"  types: {', '.join(loaded.classes)}")
    click.echo(
        f"  corpus seed {meta.get('corpus', {}).get('seed')}, clerk examples "
        f"{meta.get('clerk_examples')}, sohoa {meta.get('sohoa_version')}, scikit-learn "
        f"{meta.get('sklearn_version')}"
    )


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(model)
