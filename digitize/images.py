"""Reading page images from JPEG, PNG and TIFF files, kept as scanned for the archival PDF."""

from __future__ import annotations

import struct
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps, ImageSequence

from config.errors import CorruptFile, ImageTooLarge, TooManyPages
from digitize.preprocess.seals import as_rgb, gray_without_seals
from digitize.sniff import MediaType

A4_LONG_SIDE_INCHES = 11.69
PLAUSIBLE_DPI = (100.0, 1200.0)
"""Declared resolutions outside this range (72 from phone cameras, 0 when absent) are
replaced by an estimate that assumes the image is an A4 page."""

_EXIF_ORIENTATION = 0x0112
MPO_ENTRIES = 0xB002
"""The MP Entry tag of an MPO file's index: each image's attributes, size and offset."""
_EXIF_ROTATION = {1: 0, 3: 180, 6: 90, 8: 270}
"""EXIF orientation tag value to the clockwise turn that makes the image upright."""


@dataclass(frozen=True)
class EmbeddedImage:
    """Image data as it goes into the PDF, with the dictionary entries that describe it."""

    data: bytes
    width: int
    height: int
    colorspace: str
    """/DeviceGray or /DeviceRGB."""
    bits: int
    filter: str
    """/DCTDecode (JPEG bytes as scanned) or /FlateDecode."""
    decode_parms: dict[str, int] | None = None


@dataclass(frozen=True)
class ImagePage:
    """One page of an image file: what to embed, how EXIF turns it, and a copy to OCR."""

    number: int
    embed: EmbeddedImage
    dpi: float
    dpi_estimated: bool
    rotation: int
    """Clockwise degrees that make the scan upright (from EXIF)."""
    gray: npt.NDArray[np.uint8]
    """The scan turned as EXIF says, in grey: what preprocessing starts from."""


UNREADABLE = (OSError, SyntaxError, ValueError, TypeError, EOFError, struct.error)
"""What Pillow raises on a damaged file, beyond OSError: fuzzing found a TIFF whose second
directory has no dimensions raising TypeError while its frames were counted."""


def _open(path: Path, name: str, max_pixels: int) -> Image.Image:
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise ImageTooLarge(name, f"has more than {max_pixels} pixels") from e
    except UNREADABLE as e:
        raise CorruptFile(name, f"is not a readable image ({e})") from e


def _dpi(image: Image.Image) -> tuple[float, bool]:
    """The image's resolution, and whether it had to be estimated."""
    declared = image.info.get("dpi")
    if declared:
        dpi = float(min(declared[0], declared[1]) or max(declared))
        if PLAUSIBLE_DPI[0] <= dpi <= PLAUSIBLE_DPI[1]:
            return dpi, False
    estimate = max(image.size) / A4_LONG_SIDE_INCHES
    return float(min(max(estimate, PLAUSIBLE_DPI[0]), 600.0)), True


def _png_idat(data: bytes) -> bytes:
    """The concatenated IDAT chunks of a PNG: a zlib stream with PNG row predictors."""
    pos, chunks = 8, []
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"IDAT":
            chunks.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    return b"".join(chunks)


def _as_scanned(image: Image.Image, media: MediaType, raw: bytes) -> EmbeddedImage | None:
    """The file's own compressed bytes, when a PDF can carry them unchanged."""
    w, h = image.size
    if media is MediaType.JPEG and image.mode in ("L", "RGB"):
        space = "/DeviceGray" if image.mode == "L" else "/DeviceRGB"
        return EmbeddedImage(raw, w, h, space, 8, "/DCTDecode")
    if (
        media is MediaType.PNG
        and not image.info.get("interlace")
        and image.mode in ("1", "L", "RGB")
    ):
        colors, bits = (3, 8) if image.mode == "RGB" else (1, 1 if image.mode == "1" else 8)
        parms = {"/Predictor": 15, "/Colors": colors, "/BitsPerComponent": bits, "/Columns": w}
        space = "/DeviceRGB" if colors == 3 else "/DeviceGray"
        return EmbeddedImage(_png_idat(raw), w, h, space, bits, "/FlateDecode", parms)
    return None


def _flate(image: Image.Image) -> EmbeddedImage:
    """Pixels re-encoded losslessly, for images a PDF cannot carry as they are."""
    if image.mode == "1":
        space, bits = "/DeviceGray", 1
    elif image.mode in ("L", "LA", "I;16", "I", "F"):
        image, space, bits = _flatten(image).convert("L"), "/DeviceGray", 8
    else:
        image, space, bits = _flatten(image).convert("RGB"), "/DeviceRGB", 8
    w, h = image.size
    return EmbeddedImage(zlib.compress(image.tobytes(), 6), w, h, space, bits, "/FlateDecode")


def _flatten(image: Image.Image) -> Image.Image:
    """Transparent parts become white paper."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if image.mode in ("I;16", "I", "F"):
        return image.point(lambda v: v / 256).convert("L")
    return image


def _primary_image(image: Image.Image, raw: bytes) -> bytes:
    """The bytes of the page's own image. A phone's JPEG is often an MPO: the photo followed
    by previews or a depth map of the same scene, which are neither pages nor part of the
    photo's JPEG stream; the photo alone is what the PDF carries."""
    entries = getattr(image, "mpinfo", None) or {}
    try:
        size = int(entries[MPO_ENTRIES][0]["Size"])
    except (KeyError, IndexError, TypeError, ValueError):
        return raw
    primary = raw[:size]
    return primary if primary.endswith(b"\xff\xd9") else raw


def iter_image_pages(
    path: Path, media: MediaType, *, name: str, max_pixels: int, max_pages: int
) -> Iterator[ImagePage]:
    """Each frame of an image file as a page, decoded once to prove it is whole."""
    image = _open(path, name, max_pixels)
    with image:
        try:  # counting frames reads every directory of a TIFF
            frames = 1 if image.format == "MPO" else getattr(image, "n_frames", 1)
        except UNREADABLE as e:
            raise CorruptFile(name, f"is not a readable image ({e})") from e
        if frames > max_pages:
            raise TooManyPages(name, f"has {frames} pages, more than the limit of {max_pages}")
        raw = _primary_image(image, path.read_bytes()) if frames == 1 else b""
        pages = ImageSequence.Iterator(image)
        for number in range(1, frames + 1):
            try:
                frame = next(pages)
            except StopIteration:
                return
            except UNREADABLE as e:
                raise CorruptFile(name, f"page {number} cannot be read ({e})") from e
            yield _page(frame, number, media=media, raw=raw, name=name, max_pixels=max_pixels)


def _page(
    frame: Image.Image,
    number: int,
    *,
    media: MediaType,
    raw: bytes,
    name: str,
    max_pixels: int,
) -> ImagePage:
    w, h = frame.size
    if w * h > max_pixels or w == 0 or h == 0:
        raise ImageTooLarge(name, f"page {number} is {w} x {h} pixels, more than {max_pixels}")
    try:
        frame.load()
    except UNREADABLE as e:
        raise CorruptFile(name, f"page {number} cannot be decoded ({e})") from e
    dpi, estimated = _dpi(frame)
    orientation = frame.getexif().get(_EXIF_ORIENTATION, 1) if number == 1 else 1
    exif_turn = _EXIF_ROTATION.get(orientation)
    if exif_turn is None:  # a mirrored orientation: only new pixels can show it upright
        frame, exif_turn = ImageOps.exif_transpose(frame), 0
        embed = _flate(frame)
    else:
        embed = (_as_scanned(frame, media, raw) if raw else None) or _flate(frame)
    rotation = exif_turn
    upright = frame.rotate(-rotation, expand=True) if rotation else frame
    flat = _flatten(upright)
    gray = (
        np.asarray(flat if flat.mode == "L" else flat.convert("L"), dtype=np.uint8)
        if flat.mode in ("1", "L")  # a grey page as decoded: a converted copy cost 8 ms more
        else gray_without_seals(as_rgb(flat.convert("RGB")), dpi)
    )
    return ImagePage(number, embed, dpi, estimated, rotation, gray)
