"""Visible signature stamps in the style of Decree 30/2020 (Appendix I), Vietnamese text.

- A person's signature (leader, drafter): the signature image, with the signer's name,
  title, unit and signing time beside it, between the title line and the printed name.
- The organisation's signature: the seal image, red, over the left third of the leader's
  signature image, with the organisation's name and the signing time under it.
- An electronic copy ("bản sao điện tử"): no seal shown; a black-framed notice top right
  of page 1: the copy type, the organisation and the time in ISO 8601, italic, 10 pt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.content import ResourceType
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp import BaseStamp, BaseStampStyle

from signing.fonts import EmbeddedFont, italic_font, regular_font
from signing.images import PreparedImage, prepared_image

TEXT_SIZE = 7.0
"""Points; read on screen beside a signature about 2 cm tall, and legible when printed."""

SEAL_TEXT_SIZE = 6.0
"""Points; two short lines under the seal."""

COPY_TEXT_SIZE = 10.0
"""Decree 30/2020, Appendix I: the copy notice is Times New Roman 10, italic."""

MIN_TEXT_SIZE = 4.5
"""Text is shrunk to fit its box, but never below this; longer lines are clipped."""

_n = generic.NameObject


class StampKind(StrEnum):
    """What a signature shows on the page."""

    PERSON = "person"
    """A person's signature image and details at the signature block."""
    SEAL = "seal"
    """The organisation's seal over the left third of the leader's signature."""
    COPY = "copy"
    """The organisation's electronic-copy notice, top right of page 1."""
    DIGITIZED = "digitized"
    """The clerk's digitization notice, top left of page 1 (Circular 01/2023/TT-VPCP):
    "BẢN SỐ HÓA", who digitized it and when."""
    INVISIBLE = "invisible"
    """No appearance (a technical or repeated signature)."""


@dataclass(frozen=True)
class StampContent:
    """What the stamp says; all strings are NFC Vietnamese."""

    kind: StampKind
    signer: str
    title: str = ""
    unit: str = ""
    image: Path | None = None
    """Signature (PERSON) or seal (SEAL) image, PNG with a transparent background."""
    copy_type: str = "SAO Y"
    """SAO Y, SAO LỤC or TRÍCH SAO (COPY only); the digitization-result code (DIGITIZED)."""

    def lines(self, signed_at: datetime) -> list[str]:
        """The text lines, the signing time in ISO 8601 with the office's UTC offset."""
        when = signed_at.isoformat(timespec="seconds")
        if self.kind is StampKind.COPY:
            return [self.copy_type, self.signer, when]
        if self.kind is StampKind.DIGITIZED:
            return [f"BẢN SỐ HÓA {self.copy_type}".strip(), f"Người số hóa: {self.signer}", when]
        if self.kind is StampKind.SEAL:
            return [self.signer, f"Thời gian ký: {when}"]
        lines = [f"Ký bởi: {self.signer}"]
        if self.title:
            lines.append(f"Chức vụ: {self.title}")
        if self.unit:
            lines.append(f"Cơ quan: {self.unit}")
        lines.append(f"Thời gian ký: {when}")
        return lines


@dataclass(frozen=True)
class SohoaStampStyle(BaseStampStyle):
    """pyHanko stamp style drawing a StampContent with sohoa's prepared font and images."""

    content: StampContent | None = None
    signed_at: datetime | None = None

    def create_stamp(
        self, writer: BasePdfFileWriter, box: layout.BoxConstraints, text_params: dict[str, Any]
    ) -> SohoaStamp:
        """The stamp for one signature widget of size `box`."""
        return SohoaStamp(writer, self, box)


class SohoaStamp(BaseStamp):
    """Renders the appearance stream of one stamp (see the module docstring)."""

    style: SohoaStampStyle

    def render(self) -> bytes:
        """The content stream; resources (font, image) are registered as it is built."""
        content, signed_at = self.style.content, self.style.signed_at
        assert content is not None and signed_at is not None
        width, height = float(self.box.width), float(self.box.height)
        lines = content.lines(signed_at)
        ops: list[bytes] = [b"q"]
        if content.kind in (StampKind.COPY, StampKind.DIGITIZED):
            ops += self._text_block(
                lines, italic_font(), COPY_TEXT_SIZE, (3, 3, width - 6, height - 6)
            )
            ops.append(b"0 G 0.8 w 0.4 0.4 %.2f %.2f re S" % (width - 0.8, height - 0.8))
        elif content.kind is StampKind.SEAL:
            text_h = 2 * SEAL_TEXT_SIZE * 1.25
            side = min(width, height - text_h)
            if content.image is not None:
                ops += self._image(
                    prepared_image(content.image), (width - side) / 2, text_h, side, side
                )
            ops += self._text_block(lines, regular_font(), SEAL_TEXT_SIZE, (0, 0, width, text_h))
        else:
            image_w = 0.0
            if content.image is not None:
                image = prepared_image(content.image)
                image_w = min(width * 0.42, height * image.aspect)
                image_h = image_w / image.aspect
                ops += self._image(image, 0, (height - image_h) / 2, image_w, image_h)
            ops += self._text_block(
                lines, regular_font(), TEXT_SIZE, (image_w + 2, 0, width - image_w - 2, height)
            )
        ops.append(b"Q")
        return b" ".join(ops)

    def _image(self, image: PreparedImage, x: float, y: float, w: float, h: float) -> list[bytes]:
        assert self.writer is not None
        self.set_resource(ResourceType.XOBJECT, _n("/Img0"), image.resource(self.writer))
        return [b"q %.3f 0 0 %.3f %.3f %.3f cm /Img0 Do Q" % (w, h, x, y)]

    def _text_block(
        self, lines: list[str], font: EmbeddedFont, size: float, box: tuple[float, ...]
    ) -> list[bytes]:
        """Lines centred in the box (x, y, w, h), shrunk (not below MIN_TEXT_SIZE) to fit."""
        x, y, w, h = box
        widest = max(font.width(line, size) for line in lines)
        size = max(MIN_TEXT_SIZE, min(size, size * w / widest if widest else size))
        leading = size * 1.25
        size = min(size, h / (len(lines) * 1.25)) if lines else size
        leading = size * 1.25
        name = _n("/F0")
        assert self.writer is not None
        self.set_resource(ResourceType.FONT, name, font.resource(self.writer))
        top = y + (h + leading * len(lines)) / 2 - size
        ops = [b"q %.2f %.2f %.2f %.2f re W n BT 0 g" % (x, y, w, h)]
        for i, line in enumerate(lines):
            ops.append(
                b"/F0 %.2f Tf 1 0 0 1 %.2f %.2f Tm %s Tj"
                % (size, x + (w - font.width(line, size)) / 2, top - i * leading, font.encode(line))
            )
        ops.append(b"ET Q")
        return ops
