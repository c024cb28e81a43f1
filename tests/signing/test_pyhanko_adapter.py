"""pyHanko's internals behind one adapter (signing.pdfread) with a version check, and no
decision made on the text of an exception message."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

import signing
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


def test_a_damaged_key_file_is_not_called_a_wrong_passphrase(pki: TestPki, tmp_path: Path) -> None:
    """The wrong passphrase is told from a damaged file by the file's structure, not by
    the words of the library's error."""
    with pytest.raises(WrongPassphrase):
        load_pkcs12(pki.p12_path("leader"), "not the passphrase")
    damaged = tmp_path / "leader.p12"
    damaged.write_bytes(pki.p12_path("leader").read_bytes()[:200])
    with pytest.raises(SignerUnavailable) as refused:
        load_pkcs12(damaged, "not the passphrase")
    assert not isinstance(refused.value, WrongPassphrase)


SIGNING = Path(signing.__file__).parent


def _overrides_of_pyhankos_private_methods() -> set[str]:
    """Every `Class._name` in signing that replaces a private method of a pyHanko base."""
    found = set()
    for path in sorted(SIGNING.rglob("*.py")):
        parts = path.relative_to(SIGNING.parent).with_suffix("").parts
        module = importlib.import_module(".".join(p for p in parts if p != "__init__"))
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            for name in vars(cls):
                if not name.startswith("_") or name.startswith("__") or name == "_abc_impl":
                    continue
                if any(
                    base.__module__.split(".")[0] in ("pyhanko", "pyhanko_certvalidator")
                    and name in vars(base)
                    for base in cls.__mro__[1:]
                ):
                    found.add(f"{module.__name__}.{cls.__name__}.{name}")
    return found


def test_only_the_adapter_overrides_pyhankos_private_methods() -> None:
    """The overrides the version check guards (OVERRIDDEN) are all there are."""
    assert _overrides_of_pyhankos_private_methods() == {
        "signing.pdfread.IndexedReader._get_object_from_stream",
        "signing.pdfread.PagedWriter._walk_page_tree",
    }
    assert {name for _, name, _ in signing.pdfread.OVERRIDDEN} == {
        "_get_object_from_stream",
        "_walk_page_tree",
    }
