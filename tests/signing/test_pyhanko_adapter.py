"""pyHanko's internals behind one adapter (signing.pdfread) with a version check, and no
decision made on the text of an exception message."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

import signing.pdfread
from signing.errors import SignerUnavailable, WrongPassphrase
from signing.keys import load_pkcs12
from signing.pdfread import PagedWriter, incremental_writer, internals_match
from signing.testpki import TestPki


def test_the_overrides_fit_the_pinned_pyhanko_and_no_other() -> None:
    """Upgrading pyHanko past the pin fails here first: the overrides must be re-read."""
    assert signing.pdfread.INTERNALS_MATCH
    assert internals_match("0.38.2")
    assert not internals_match("0.39.0") and not internals_match("1.0.0")


def test_a_changed_private_method_turns_the_overrides_off(monkeypatch: pytest.MonkeyPatch) -> None:
    def renamed(self: IncrementalPdfFileWriter, index: int, parent: bool) -> None: ...

    monkeypatch.setattr(IncrementalPdfFileWriter, "_walk_page_tree", renamed)
    assert not internals_match("0.38.0")


def test_without_matching_internals_pyhankos_own_writer_is_used(
    result: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(incremental_writer(result), PagedWriter)
    monkeypatch.setattr(signing.pdfread, "INTERNALS_MATCH", False)
    writer = incremental_writer(result)
    assert type(writer) is IncrementalPdfFileWriter
    assert writer.root["/Pages"]["/Count"] >= 1


def test_a_damaged_key_file_is_not_called_a_wrong_passphrase(
    pki: TestPki, tmp_path: Path
) -> None:
    """The wrong passphrase is told from a damaged file by the file's structure, not by
    the words of the library's error."""
    with pytest.raises(WrongPassphrase):
        load_pkcs12(pki.p12_path("leader"), "not the passphrase")
    damaged = tmp_path / "leader.p12"
    damaged.write_bytes(pki.p12_path("leader").read_bytes()[:200])
    with pytest.raises(SignerUnavailable) as refused:
        load_pkcs12(damaged, "not the passphrase")
    assert not isinstance(refused.value, WrongPassphrase)
