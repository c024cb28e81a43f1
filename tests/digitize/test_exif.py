"""Phone photos: the EXIF orientation is honoured before any guess, for all eight values."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from config.catalogue import get_catalogue
from digitize.images import iter_image_pages
from digitize.options import DigitizeOptions
from digitize.pipeline import digitize_file
from digitize.sniff import MediaType
from tests.support.samples import document, page_images, word_recall

EXIF_ORIENTATION = 0x0112
STORED_AS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}
"""How a camera stores an upright scene for each EXIF orientation value: the inverse of what
a viewer applies (PIL's ImageOps.exif_transpose) to show it upright."""


@pytest.fixture(scope="module")
def upright() -> tuple[Image.Image, str]:
    """The top of a generated letter at 200 dpi (a small image keeps the OCR cheap)."""
    doc = document("giay_uy_quyen", leaders=False)
    [first, *_] = page_images(doc, dpi=200)
    top = first.convert("L").crop((0, 0, first.width, first.height * 2 // 5))
    return top, "\n".join(line.text for line in doc.pages[0])


def _photo(upright: Image.Image, orientation: int, path: Path, *, mpo: bool = False) -> Path:
    """The scene as a phone stores it; `mpo` adds a preview after the photo, as many
    Android cameras do (an MPO file, still sniffed as JPEG)."""
    method = STORED_AS[orientation]
    stored = upright if method is None else upright.transpose(method)
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    if mpo:
        preview = stored.resize((stored.width // 4, stored.height // 4))
        stored.save(path, "MPO", quality=85, exif=exif, save_all=True, append_images=[preview])
    else:
        stored.save(path, "JPEG", quality=85, exif=exif)  # no dpi: a phone declares 72
    return path


def _shown(pdf: Path, workdir: Path) -> np.ndarray:
    """The output's first page as a viewer shows it, in grey at low resolution."""
    subprocess.run(
        ["pdftoppm", "-r", "30", "-gray", "-singlefile", pdf, workdir / "shown"], check=True
    )
    return np.asarray(Image.open(workdir / "shown.pgm"), dtype=np.float64)


def _matches(shown: np.ndarray, upright: Image.Image) -> float:
    """Correlation of the shown page with the upright scene, resized to the same shape."""
    height, width = shown.shape
    if abs(height / width - upright.height / upright.width) > 0.05:
        return -1.0
    expected = np.asarray(upright.resize((width, height)), dtype=np.float64)
    return float(np.corrcoef(shown.ravel(), expected.ravel())[0, 1])


@pytest.mark.parametrize(
    ("orientation", "mpo"), [*((o, False) for o in sorted(STORED_AS)), (8, True), (6, True)]
)
def test_a_phone_photo_is_read_and_shown_as_its_exif_orientation_says(
    tmp_path: Path, upright: tuple[Image.Image, str], orientation: int, mpo: bool
) -> None:
    """GIVEN a JPEG whose pixels are stored turned or mirrored, with the EXIF orientation
    that shows them upright WHEN it is digitized THEN the text is read upright and the
    archived page (one, whatever previews the file carries) shows the scene upright."""
    scene, truth = upright
    source = _photo(scene, orientation, tmp_path / f"photo-{orientation}.jpg", mpo=mpo)
    result = digitize_file(
        source, tmp_path / "out.pdf", DigitizeOptions(), catalogue=get_catalogue()
    )
    assert len(result.pages) == 1
    header = [line for line in truth.splitlines() if line.strip()][:4]
    assert word_recall(result.text, "\n".join(header)) > 0.8, result.text[:300]
    assert result.pages[0].rotation in (0, 90, 180, 270)
    shown = _shown(result.output, tmp_path)
    assert _matches(shown, scene) > 0.5


def test_an_mpo_photo_is_one_page_carrying_the_photo_jpeg_unchanged(
    tmp_path: Path, upright: tuple[Image.Image, str]
) -> None:
    source = _photo(upright[0], 8, tmp_path / "photo.jpg", mpo=True)
    [page] = iter_image_pages(
        source, MediaType.JPEG, name="photo.jpg", max_pixels=10**8, max_pages=10
    )
    assert page.rotation == 270 and page.embed.filter == "/DCTDecode"
    raw = source.read_bytes()
    assert raw.startswith(page.embed.data) and len(page.embed.data) < len(raw)
    assert Image.open(io.BytesIO(page.embed.data)).size == (upright[0].height, upright[0].width)
