"""`sohoa model`: the command that retrains the type model and the one that says which is used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from digitize.classifier.model import load_model


def test_model_info_names_the_shipped_model_and_its_training() -> None:
    result = CliRunner().invoke(main, ["model", "info", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["path"].endswith("document_types.npz")
    assert info["corpus"]["seed"] == 0 and info["sklearn_version"]


def test_corrected_examples_that_are_not_json_are_refused(tmp_path: Path) -> None:
    examples = tmp_path / "corrections.jsonl"
    examples.write_text('{"text": "a"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["model", "train", "--examples", str(examples)])
    assert result.exit_code == 2
    assert "corrections.jsonl line 1" in result.output


@pytest.mark.slow
def test_model_train_writes_a_model_the_classifier_then_uses(tmp_path: Path) -> None:
    examples = tmp_path / "corrections.jsonl"
    examples.write_text(
        json.dumps({"text": "GIẤY KHAI SINH\nHọ và tên: LÊ AN", "doc_type": "giay_khai_sinh"})
        + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["model", "train", "--quick", "--seed", "5", "--examples", str(examples)]
    )
    assert result.exit_code == 0, result.output
    written = Path(result.stdout.splitlines()[0])
    assert written.parent.name == "models" and written.is_file()
    assert load_model(written).metadata["clerk_examples"] == 1
    info = json.loads(CliRunner().invoke(main, ["model", "info", "--json"]).stdout)
    assert info["path"] == str(written)
