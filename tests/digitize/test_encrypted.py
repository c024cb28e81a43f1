"""Encrypted PDFs: owner restrictions only (empty user password) are read, a password to open
is refused with a reason naming the file."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest

from config.catalogue import get_catalogue
from config.errors import EncryptedPdf
from digitize.ocr import OcrPage
from digitize.options import DigitizeOptions
from digitize.pipeline import digitize_file
from digitize.result import PageSource
from tests.conftest import CORPORA
from tests.support.samples import born_digital

RESTRICTED = pikepdf.Permissions(extract=False, modify_other=False, modify_form=False)
"""What a government office typically forbids: copying and editing, not opening."""
OWNER_ONLY = {
    "aes128": pikepdf.Encryption(owner="van-thu", user="", R=4, aes=True, allow=RESTRICTED),
    "rc4": pikepdf.Encryption(
        owner="van-thu", user="", R=3, aes=False, metadata=False, allow=RESTRICTED
    ),
}


class NoOcr:
    """A born-digital page is read from its text layer; OCR here would be a bug."""

    def recognize(self, image: Path, workdir: Path, *, dpi: int, what: str) -> OcrPage:
        raise AssertionError(f"OCR ran on {what}")


def _encrypt(
    source: Path, out: Path, encryption: pikepdf.Encryption, *, sign: bool = False
) -> Path:
    with pikepdf.open(source) as pdf:
        if sign:  # the structure digitize.pdfinput.is_signed looks for
            value = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Sig))
            field = pdf.make_indirect(
                pikepdf.Dictionary(FT=pikepdf.Name.Sig, T=pikepdf.String("Sig1"), V=value)
            )
            pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]), SigFlags=3)
        pdf.save(out, encryption=encryption)
    return out


@pytest.mark.parametrize("method", sorted(OWNER_ONLY))
def test_a_pdf_with_owner_restrictions_only_is_read_and_written_unencrypted(
    tmp_path: Path, method: str
) -> None:
    """GIVEN a born-digital letter encrypted with an empty user password (AES-128 or RC4)
    WHEN it is digitized THEN it is not refused: its text layer is read, and the searchable
    PDF/A written from it carries no encryption."""
    plain, truth = born_digital(tmp_path)
    source = _encrypt(plain, tmp_path / f"{method}.pdf", OWNER_ONLY[method])
    with pikepdf.open(source) as pdf:
        assert pdf.is_encrypted
    result = digitize_file(
        source, tmp_path / "out.pdf", DigitizeOptions(), catalogue=get_catalogue(), engine=NoOcr()
    )
    assert all(p.source is PageSource.TEXT_LAYER for p in result.pages)
    assert sorted(result.text.split()) == sorted(truth.text.split())
    assert not result.signed_input
    with pikepdf.open(result.output) as out:
        assert not out.is_encrypted
    assert result.pdfa
    assert pikepdf.pdfa.validate_written(result.output, "2b").passed


def test_a_signed_pdf_with_owner_restrictions_only_is_kept_byte_for_byte(tmp_path: Path) -> None:
    """GIVEN a signed letter encrypted with an empty user password (a 'SAO Y' copy)
    WHEN it is digitized THEN its text is read and the file is kept byte for byte."""
    plain, truth = born_digital(tmp_path)
    source = _encrypt(plain, tmp_path / "sao-y.pdf", OWNER_ONLY["aes128"], sign=True)
    result = digitize_file(
        source, tmp_path / "out.pdf", DigitizeOptions(), catalogue=get_catalogue(), engine=NoOcr()
    )
    assert result.signed_input
    assert result.output.read_bytes() == source.read_bytes()
    assert sorted(result.text.split()) == sorted(truth.text.split())


def test_a_pdf_needing_a_password_to_open_is_refused_naming_the_file(tmp_path: Path) -> None:
    plain, _ = born_digital(tmp_path)
    user = pikepdf.Encryption(owner="o", user="mat-khau", R=4, aes=True)
    source = _encrypt(plain, tmp_path / "thu-moi.pdf", user)
    with pytest.raises(EncryptedPdf) as refused:
        digitize_file(source, tmp_path / "out.pdf", DigitizeOptions(), catalogue=get_catalogue())
    assert refused.value.message.startswith("thu-moi.pdf: ")
    assert "“thu-moi.pdf”" in refused.value.hint_vi and "mật khẩu" in refused.value.hint_vi
    assert refused.value.to_dict()["hint"] == refused.value.hint_vi


@pytest.mark.parametrize("name", ["minimal-rc4.pdf", "minimal-with-field-aes256.pdf"])
def test_real_files_needing_a_password_are_still_refused(tmp_path: Path, name: str) -> None:
    """pyHanko's encrypted samples all need a user password (none has an empty one)."""
    with pytest.raises(EncryptedPdf, match=rf"{name}: is an encrypted PDF that needs a password"):
        digitize_file(
            CORPORA / "pyhanko/pdf" / name,
            tmp_path / "out.pdf",
            DigitizeOptions(),
            catalogue=get_catalogue(),
        )
