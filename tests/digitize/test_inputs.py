"""Refusing what is not a document, and reading page images as scanned."""

from __future__ import annotations

import gc
import io
import zipfile
from pathlib import Path

import pikepdf
import pytest
from pdfminer.pdftypes import PDFStream
from PIL import Image

from config.errors import (
    CorruptFile,
    EmptyFile,
    FileTooLarge,
    ImageTooLarge,
    InputRejected,
    UnsupportedType,
)
from digitize.images import iter_image_pages
from digitize.pdfinput import GC_FILE_BYTES, read_text_layers
from digitize.placement import place
from digitize.sniff import MediaType, check_file, sniff


@pytest.mark.parametrize(
    ("head", "media"),
    [
        (b"%PDF-1.7\n", MediaType.PDF),
        (b"junk before the header %PDF-1.4", MediaType.PDF),
        (b"\xff\xd8\xff\xe0", MediaType.JPEG),
        (b"\x89PNG\r\n\x1a\n", MediaType.PNG),
        (b"II*\x00", MediaType.TIFF),
        (b"MM\x00*", MediaType.TIFF),
        (b"GIF89a", None),
        (b"PK\x03\x04", None),
    ],
)
def test_types_are_recognised_by_their_bytes(head: bytes, media: MediaType | None) -> None:
    assert sniff(head) is media


def test_an_empty_file_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "scan.jpg"
    path.write_bytes(b"")
    with pytest.raises(EmptyFile, match=r"scan\.jpg: is empty"):
        check_file(path, max_bytes=100)


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.4" + b"0" * 200)
    with pytest.raises(FileTooLarge, match="more than the limit of 100"):
        check_file(path, max_bytes=100)


def test_a_word_file_named_pdf_is_refused_for_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "to-khai.pdf"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(UnsupportedType, match="ZIP archive"):
        check_file(path, max_bytes=10**6)


def test_random_bytes_named_pdf_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "random.pdf"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(UnsupportedType, match=r"random\.pdf"):
        check_file(path, max_bytes=10**6)


def test_a_missing_file_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(CorruptFile, match=r"gone\.pdf: cannot be read"):
        check_file(tmp_path / "gone.pdf", max_bytes=100)


@pytest.mark.parametrize(
    ("degrees", "size"), [(0, (100, 200)), (90, (200, 100)), (180, (100, 200)), (270, (200, 100))]
)
def test_right_angle_turns_give_exact_page_sizes(degrees: int, size: tuple[int, int]) -> None:
    placement = place(100, 200, degrees)
    assert (placement.width, placement.height) == size
    a, b, c, d, e, f = placement.matrix
    corners = [(e, f), (a + e, b + f), (c + e, d + f), (a + c + e, b + d + f)]
    assert {(round(x), round(y)) for x, y in corners} == {(0, 0), (size[0], 0), (0, size[1]), size}


def test_a_small_skew_expands_the_page_to_keep_every_corner() -> None:
    placement = place(100, 200, 3)
    assert placement.width > 100 and placement.height > 200
    a, b, c, d, e, f = placement.matrix
    for u, v in ((0, 0), (1, 0), (0, 1), (1, 1)):
        x, y = a * u + c * v + e, b * u + d * v + f
        assert -1e-9 <= x <= placement.width + 1e-9 and -1e-9 <= y <= placement.height + 1e-9


def _jpeg(
    path: Path, size: tuple[int, int] = (400, 300), exif_orientation: int | None = None
) -> bytes:
    image = Image.new("RGB", size, "white")
    exif = Image.Exif()
    if exif_orientation:
        exif[0x0112] = exif_orientation
    image.save(path, "JPEG", quality=70, dpi=(300, 300), exif=exif)
    return path.read_bytes()


def test_jpeg_scans_are_embedded_byte_for_byte(tmp_path: Path) -> None:
    raw = _jpeg(tmp_path / "scan.jpg")
    [page] = iter_image_pages(
        tmp_path / "scan.jpg",
        MediaType.JPEG,
        name="scan.jpg",
        max_pixels=10**8,
        max_pages=10,
    )
    assert page.embed.data == raw and page.embed.filter == "/DCTDecode"
    assert (page.dpi, page.dpi_estimated, page.rotation) == (300.0, False, 0)


def test_exif_rotation_is_applied_without_touching_the_jpeg(tmp_path: Path) -> None:
    raw = _jpeg(tmp_path / "phone.jpg", exif_orientation=6)
    [page] = iter_image_pages(
        tmp_path / "phone.jpg",
        MediaType.JPEG,
        name="phone.jpg",
        max_pixels=10**8,
        max_pages=10,
    )
    assert page.embed.data == raw and page.rotation == 90
    assert page.gray.shape == (400, 300)


def test_png_pixels_pass_into_the_pdf_unchanged(tmp_path: Path) -> None:
    image = Image.effect_noise((120, 80), 60).convert("L")
    image.save(tmp_path / "scan.png", dpi=(200, 200))
    [page] = iter_image_pages(
        tmp_path / "scan.png",
        MediaType.PNG,
        name="scan.png",
        max_pixels=10**8,
        max_pages=10,
    )
    pdf = pikepdf.Pdf.new()
    stream = pikepdf.Stream(pdf, page.embed.data)
    stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    stream.Width, stream.Height, stream.BitsPerComponent = 120, 80, 8
    stream.ColorSpace, stream.Filter = pikepdf.Name.DeviceGray, pikepdf.Name.FlateDecode
    stream.DecodeParms = pikepdf.Dictionary(page.embed.decode_parms)
    decoded = pikepdf.PdfImage(stream).as_pil_image()
    assert decoded.tobytes() == image.tobytes()


def test_every_page_of_a_multipage_tiff_is_read(tmp_path: Path) -> None:
    frames = [Image.new("L", (50, 70), shade) for shade in (0, 128, 255)]
    frames[0].save(tmp_path / "three.tif", save_all=True, append_images=frames[1:], dpi=(300, 300))
    pages = list(
        iter_image_pages(
            tmp_path / "three.tif",
            MediaType.TIFF,
            name="three.tif",
            max_pixels=10**8,
            max_pages=10,
        )
    )
    assert [p.number for p in pages] == [1, 2, 3]


def test_a_decompression_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    Image.new("1", (20000, 20000)).save(tmp_path / "bomb.png")
    with pytest.raises(ImageTooLarge, match=r"bomb\.png"):
        list(
            iter_image_pages(
                tmp_path / "bomb.png",
                MediaType.PNG,
                name="bomb.png",
                max_pixels=150_000_000,
                max_pages=10,
            )
        )


def test_a_truncated_jpeg_is_refused_as_corrupt(tmp_path: Path) -> None:
    raw = _jpeg(tmp_path / "whole.jpg", size=(1200, 900))
    (tmp_path / "cut.jpg").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(InputRejected, match=r"cut\.jpg"):
        list(
            iter_image_pages(
                tmp_path / "cut.jpg",
                MediaType.JPEG,
                name="cut.jpg",
                max_pixels=10**8,
                max_pages=10,
            )
        )


def test_too_many_frames_are_refused(tmp_path: Path) -> None:
    frames = [Image.new("L", (10, 10)) for _ in range(5)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    (tmp_path / "many.tif").write_bytes(buffer.getvalue())
    with pytest.raises(InputRejected, match="5 pages"):
        list(
            iter_image_pages(
                tmp_path / "many.tif",
                MediaType.TIFF,
                name="many.tif",
                max_pixels=10**8,
                max_pages=4,
            )
        )


def test_reading_text_layers_leaves_none_of_the_files_streams_in_memory(tmp_path: Path) -> None:
    """pdfminer's objects hold every stream they read in reference cycles; none may outlive
    the reading (a worker would carry a scan's pages through all of its OCR)."""
    scans = [Image.effect_noise((900, 1200), 60).convert("L") for _ in range(3)]
    path = tmp_path / "scan.pdf"
    scans[0].save(path, save_all=True, append_images=scans[1:], resolution=100)
    assert path.stat().st_size >= GC_FILE_BYTES  # small files are left to the collector
    gc.collect()
    gc.disable()  # only the reading's own collection may free them
    try:
        texts = read_text_layers(path, name="scan.pdf", pages=3)
        left = sum(isinstance(o, PDFStream) for o in gc.get_objects())
    finally:
        gc.enable()
    assert [layer.text for layer in texts] == ["", "", ""]
    assert left == 0
