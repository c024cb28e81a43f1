"""Stamp images (signatures, seals): decoded and compressed once, embedded as ready streams.

The prepared streams are kept in the user's cache directory, keyed by the image file's
path, size and modification time, so a signing process (an rq work horse is one per job)
reads them back instead of loading Pillow (~2 MB of memory) to decode the file again.
"""

from __future__ import annotations

import functools
import json
import logging
import zlib
from dataclasses import dataclass
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import BasePdfFileWriter

from signing.errors import SignerUnavailable
from signing.stampcache import WriterObjects, cache_file, write_cached

_n = generic.NameObject
log = logging.getLogger(__name__)

CACHE_VERSION = 1
"""Bump when the preparation changes, so cached images are prepared again."""

MAX_PIXELS = 400
"""Longest side of an embedded stamp image: about 300 dpi at the 3.5 cm a seal is printed
at (Decree 30 wants its real size), and a tenth of the bytes of a scanner's 1200 px."""


@dataclass(frozen=True)
class PreparedImage:
    """An RGB image with its alpha channel, both Flate-compressed, ready for any PDF."""

    key: str
    width: int
    height: int
    rgb: bytes
    alpha: bytes | None

    @property
    def aspect(self) -> float:
        """Width over height."""
        return self.width / self.height

    def resource(self, writer: BasePdfFileWriter) -> generic.IndirectObject:
        """The image XObject in this writer, added on first use, then reused."""
        return _WRITER_IMAGES.get(writer, self.key, self._add_to)

    def _add_to(self, writer: BasePdfFileWriter) -> generic.IndirectObject:
        def stream(colour_space: str, data: bytes) -> generic.StreamObject:
            return generic.StreamObject(
                {
                    _n("/Type"): _n("/XObject"),
                    _n("/Subtype"): _n("/Image"),
                    _n("/Width"): generic.NumberObject(self.width),
                    _n("/Height"): generic.NumberObject(self.height),
                    _n("/ColorSpace"): _n(colour_space),
                    _n("/BitsPerComponent"): generic.NumberObject(8),
                    _n("/Filter"): _n("/FlateDecode"),
                },
                encoded_data=data,
            )

        image = stream("/DeviceRGB", self.rgb)
        if self.alpha is not None:
            image[_n("/SMask")] = writer.add_object(stream("/DeviceGray", self.alpha))
        return writer.add_object(image)


_WRITER_IMAGES = WriterObjects()


def _decode(path: Path) -> PreparedImage:
    from PIL import Image  # noqa: PLC0415  # only when the cache has no copy

    try:
        with Image.open(path) as img:
            rgba = img.convert("RGBA")
            rgba.thumbnail((MAX_PIXELS, MAX_PIXELS), Image.Resampling.LANCZOS)
    except OSError as e:
        raise SignerUnavailable(f"{path}: cannot read the stamp image: {e}") from e
    alpha = rgba.getchannel("A")
    opaque = alpha.getextrema() == (255, 255)
    return PreparedImage(
        key=str(path),
        width=rgba.width,
        height=rgba.height,
        rgb=zlib.compress(rgba.convert("RGB").tobytes(), 6),
        alpha=None if opaque else zlib.compress(alpha.tobytes(), 6),
    )


def _read_cached(cached: Path, path: Path) -> PreparedImage | None:
    """A JSON header line (size, stream lengths), then the RGB and alpha streams."""
    try:
        head, _, body = cached.read_bytes().partition(b"\n")
        meta = json.loads(head)
        rgb_len, alpha_len = int(meta["rgb"]), meta["alpha"]
        if len(body) != rgb_len + (alpha_len or 0):
            return None
        return PreparedImage(
            key=str(path),
            width=int(meta["width"]),
            height=int(meta["height"]),
            rgb=body[:rgb_len],
            alpha=body[rgb_len:] if alpha_len is not None else None,
        )
    except (OSError, ValueError, KeyError, TypeError) as e:
        log.debug("no usable prepared image at %s: %s", cached, e)
        return None


def _cache_path(path: Path) -> Path:
    """Where the decoded image is kept between processes (decoding costs Pillow's import)."""
    return cache_file(path, "images", ".bin", MAX_PIXELS, CACHE_VERSION)


def _write_cached(cached: Path, image: PreparedImage) -> None:
    meta = {
        "width": image.width,
        "height": image.height,
        "rgb": len(image.rgb),
        "alpha": None if image.alpha is None else len(image.alpha),
    }
    data = json.dumps(meta).encode() + b"\n" + image.rgb + (image.alpha or b"")
    write_cached(cached, data, "the prepared image")


@functools.cache
def prepared_image(path: Path) -> PreparedImage:
    """The image file decoded and compressed (once per process and file, and kept in the
    user's cache directory for the next process)."""
    try:
        cached = _cache_path(path)
    except OSError as e:
        raise SignerUnavailable(f"{path}: cannot read the stamp image: {e}") from e
    image = _read_cached(cached, path)
    if image is None:
        image = _decode(path)
        _write_cached(cached, image)
    return image
