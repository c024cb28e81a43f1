"""Stamp images (signatures, seals): decoded and compressed once, embedded as ready streams."""

from __future__ import annotations

import functools
import weakref
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import BasePdfFileWriter

from signing.errors import SignerUnavailable

_n = generic.NameObject

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
        cache = _WRITER_IMAGES.setdefault(writer, {})
        added = cache.get(self.key)
        if added is None:
            ref = self._add_to(writer)
            cache[self.key] = (ref.idnum, ref.generation)
            return ref
        return generic.IndirectObject(*added, writer)

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


_WRITER_IMAGES: weakref.WeakKeyDictionary[BasePdfFileWriter, dict[str, tuple[int, int]]]
_WRITER_IMAGES = weakref.WeakKeyDictionary()
"""What each writer already holds, by object number: an IndirectObject would refer to the
writer and keep it (with the whole document it read) alive as long as the process."""


@functools.cache
def prepared_image(path: Path) -> PreparedImage:
    """The image file decoded and compressed (once per process and file)."""
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
