"""A scanner's original cut into parts, or one of its pages turned, before it is filed: new
files written beside it, the original never changed (it stays in the blob store).

A PDF is cut by copying its pages into new PDFs and turned through its page's /Rotate, so
no page is re-encoded. A JPEG (one page) is turned through its EXIF orientation, which
digitization honours, so its bytes are drawn into the PDF/A unchanged. A PNG's or a TIFF's
frames are decoded under the same pixel limit as digitization and written again losslessly
(PNG, TIFF with LZW). A signed PDF is refused: rewriting it would break its signature.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image, ImageOps, ImageSequence

from config.errors import CorruptFile, ImageTooLarge, PageOutOfRange, SignedOriginal, TooManyPages
from digitize.pdfinput import is_signed, open_pdf
from digitize.previews import UNREADABLE_IMAGE, opened_image
from digitize.sniff import MediaType

QUARTER_TURNS = (90, 180, 270)
"""The turns a clerk may give a page, in degrees clockwise."""
_EXIF_ORIENTATION = 0x0112
_ORIENTATION_TURN = {1: 0, 6: 90, 3: 180, 8: 270}
"""EXIF orientation to the clockwise turn a viewer gives the stored pixels."""
_TURN_ORIENTATION = {turn: orientation for orientation, turn in _ORIENTATION_TURN.items()}
_TIFF_COMPRESSION = "tiff_lzw"
"""Lossless, and readable by every TIFF reader (scanners' own G4 needs 1-bit pages)."""
_SUFFIX = {MediaType.PDF: ".pdf", MediaType.JPEG: ".jpg", MediaType.PNG: ".png"}


@dataclass(frozen=True)
class Part:
    """One file a cut original became."""

    path: Path
    first: int
    """Its first page in the original (1-based)."""
    last: int


def part_ranges(pages: int, starts: Sequence[int]) -> list[tuple[int, int]]:
    """The first and last page of each part of a file of `pages` pages whose parts start at
    the pages of `starts` (ascending; page 1 starts the first part whether named or not);
    PageOutOfRange unless that makes two parts or more."""
    given = list(starts)
    cuts = given[1:] if given[:1] == [1] else given
    if not cuts or cuts != sorted(set(cuts)) or cuts[0] < 2 or cuts[-1] > pages:
        raise PageOutOfRange(
            f"cannot cut a file of {pages} pages into parts starting at pages {list(starts)}",
            f"Tệp có {pages} trang: hãy nhập trang đầu của mỗi phần, tăng dần, "
            f"từ 2 đến {pages} (ví dụ 3, 5).",
        )
    bounds = [1, *cuts, pages + 1]
    return [(first, nxt - 1) for first, nxt in itertools.pairwise(bounds)]


def _check_turn(pages: int, page: int, degrees: int) -> None:
    if not 1 <= page <= pages or degrees not in QUARTER_TURNS:
        raise PageOutOfRange(
            f"cannot turn page {page} of a file of {pages} pages by {degrees} degrees",
            f"Tệp có {pages} trang: hãy chọn một trang từ 1 đến {pages} và góc xoay "
            "90, 180 hoặc 270 độ.",
        )


def suffix_of(media: MediaType) -> str:
    """The file name ending a written file of this type takes."""
    return _SUFFIX.get(media, ".tif")


def split_original(
    path: Path,
    media: MediaType,
    starts: Sequence[int],
    out: Path,
    *,
    name: str,
    max_pixels: int,
    max_pages: int,
) -> list[Part]:
    """The original cut before each page of `starts`, one file per part written into `out`
    (in page order), each of the original's type."""
    if media is MediaType.PDF:
        with open_pdf(path, name=name, max_pages=max_pages) as pdf:
            _refuse_signed(pdf, name)
            written = []
            for n, (first, last) in enumerate(part_ranges(len(pdf.pages), starts), start=1):
                with pikepdf.new() as part:
                    part.pages.extend(pdf.pages[first - 1 : last])
                    target = out / f"part-{n}.pdf"
                    part.save(target)
                written.append(Part(target, first, last))
            return written
    frames, dpi = _frames(path, name, max_pixels, max_pages)
    ranges = part_ranges(len(frames), starts)
    return [
        Part(
            _save_frames(frames[first - 1 : last], media, dpi, out / f"part-{n}{suffix_of(media)}"),
            first,
            last,
        )
        for n, (first, last) in enumerate(ranges, start=1)
    ]


def turn_page(
    path: Path,
    media: MediaType,
    page: int,
    degrees: int,
    out: Path,
    *,
    name: str,
    max_pixels: int,
    max_pages: int,
) -> Path:
    """The original with page `page` (1-based) turned `degrees` clockwise, written into
    `out`."""
    target = out / f"turned{suffix_of(media)}"
    if media is MediaType.PDF:
        with open_pdf(path, name=name, max_pages=max_pages) as pdf:
            _refuse_signed(pdf, name)
            _check_turn(len(pdf.pages), page, degrees)
            pdf.pages[page - 1].rotate(degrees, relative=True)
            pdf.save(target, encryption=False)
        return target
    if media is MediaType.JPEG:
        turned = _turned_jpeg(path.read_bytes(), page, degrees, name)
        if turned is not None:
            target.write_bytes(turned)
            return target
    frames, dpi = _frames(path, name, max_pixels, max_pages)
    _check_turn(len(frames), page, degrees)
    frames[page - 1] = frames[page - 1].rotate(-degrees, expand=True)
    return _save_frames(frames, media, dpi, target)


def _refuse_signed(pdf: pikepdf.Pdf, name: str) -> None:
    if is_signed(pdf):
        raise SignedOriginal(f"{name} carries a digital signature; it is kept as it is")


def _turned_jpeg(data: bytes, page: int, degrees: int, name: str) -> bytes | None:
    """The JPEG with its EXIF orientation turned `degrees` further (its compressed image
    unchanged); None when it is mirrored (only new pixels can show that)."""
    _check_turn(1, page, degrees)
    try:
        with Image.open(io.BytesIO(data)) as image:
            orientation = image.getexif().get(_EXIF_ORIENTATION, 1)
    except UNREADABLE_IMAGE as e:
        raise CorruptFile(name, f"is not a readable JPEG ({e})") from e
    turn = _ORIENTATION_TURN.get(orientation)
    if turn is None:
        return None
    exif = Image.Exif()
    exif[_EXIF_ORIENTATION] = _TURN_ORIENTATION[(turn + degrees) % 360]
    return _with_exif(data, exif.tobytes(), name)


def _with_exif(data: bytes, payload: bytes, name: str) -> bytes:
    """The JPEG's bytes with its leading EXIF segments replaced by one holding `payload`
    (after a JFIF APP0, which readers expect first); everything else byte for byte."""
    if data[:2] != b"\xff\xd8":
        raise CorruptFile(name, "is not a JPEG (no start-of-image marker)")
    kept: list[bytes] = []
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF and 0xE0 <= data[pos + 1] <= 0xEF:
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        segment = data[pos : pos + 2 + length]
        if not (data[pos + 1] == 0xE1 and segment[4:10] == b"Exif\x00\x00"):
            kept.append(segment)
        pos += 2 + length
    app1 = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
    jfif = kept[:1] if kept and kept[0][1] == 0xE0 else []
    return b"\xff\xd8" + b"".join(jfif) + app1 + b"".join(kept[len(jfif) :]) + data[pos:]


def _frames(
    path: Path, name: str, max_pixels: int, max_pages: int
) -> tuple[list[Image.Image], tuple[float, float] | None]:
    """Every frame of an image file, decoded (the first turned upright by its EXIF
    orientation), and the file's resolution; refused as digitization would refuse it."""
    try:
        with opened_image(path, max_pixels) as image:
            count = int(getattr(image, "n_frames", 1))
            if count > max_pages:
                raise TooManyPages(name, f"has {count} pages, more than the limit of {max_pages}")
            dpi = image.info.get("dpi")
            frames = []
            for frame in ImageSequence.Iterator(image):
                w, h = frame.size
                if w * h > max_pixels:
                    raise ImageTooLarge(name, f"a page is {w} x {h} pixels, over {max_pixels}")
                frames.append(frame.copy())
    except (*UNREADABLE_IMAGE, Image.DecompressionBombError) as e:
        reason = str(e).replace(str(path), name)  # Pillow names the file it opened
        raise CorruptFile(name, f"is not a readable image ({reason})") from e
    frames[0] = ImageOps.exif_transpose(frames[0])
    return frames, (float(dpi[0]), float(dpi[1])) if dpi else None


def _save_frames(
    frames: list[Image.Image], media: MediaType, dpi: tuple[float, float] | None, target: Path
) -> Path:
    """Frames written as one file of the original's type, losslessly (a JPEG only when a
    mirrored one had to be turned: then at quality 95)."""
    extra = {"dpi": dpi} if dpi else {}
    first = frames[0]
    if media is MediaType.JPEG:
        first.convert("RGB" if first.mode not in ("L", "RGB") else first.mode).save(
            target, "JPEG", quality=95, **extra
        )
    elif media is MediaType.PNG:
        first.save(target, "PNG", **extra)
    else:
        first.save(
            target, "TIFF", save_all=True, append_images=frames[1:],
            compression=_TIFF_COMPRESSION, **extra,
        )  # fmt: skip
    return target
