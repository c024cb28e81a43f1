"""`sohoa samples`: a sample dossier of degraded Vietnamese scans, for demos and trials."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write the sample files into.",
)
@click.option(
    "--procedure",
    "procedure_code",
    default="1.001193",
    show_default=True,
    help="Procedure whose components to generate.",
)
@click.option(
    "--seed", default=0, show_default=True, help="Random seed: the same seed gives the same files."
)
def samples(out_dir: Path, procedure_code: str, seed: int) -> None:
    """Write generated scans of one applicant's dossier and print their paths.

    The pages are rendered from templates, then skewed, noised and compressed as hurried
    scans are; truth.json beside them says what a perfect reader would find.
    """
    from digitize.synthetic import write_sample_dossier

    for sample in write_sample_dossier(out_dir, procedure_code, seed=seed):
        click.echo(sample.path)


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(samples)
