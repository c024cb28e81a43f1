"""Demo stamp images for the test PKI: handwritten-looking signatures and a red round seal."""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Mapping
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from config import defaults

SEAL_RED = (200, 16, 26, 255)
SIGNATURE_BLUE = (20, 40, 150, 255)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in defaults.STAMP_FONT_CANDIDATES:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def draw_seal(organisation: str, size: int = 600) -> Image.Image:
    """A round seal as Vietnamese offices use: two red rings, the organisation's name on
    the ring, a star in the middle. Transparent outside the ink, so text shows through."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    c, r = size / 2, size / 2 - 6
    draw.ellipse((c - r, c - r, c + r, c + r), outline=SEAL_RED, width=14)
    inner = r * 0.62
    draw.ellipse((c - inner, c - inner, c + inner, c + inner), outline=SEAL_RED, width=6)
    star = [
        (
            c + (inner * 0.55 if i % 2 == 0 else inner * 0.22) * math.sin(i * math.pi / 5),
            c - (inner * 0.55 if i % 2 == 0 else inner * 0.22) * math.cos(i * math.pi / 5),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=SEAL_RED)
    _ring_text(img, organisation.upper(), c, (r + inner) / 2, int(size * 0.075))
    return img


def _ring_text(img: Image.Image, text: str, c: float, radius: float, size: int) -> None:
    font = _font(size)
    span = math.radians(300)
    step = span / max(len(text) - 1, 1)
    for i, ch in enumerate(text):
        angle = -span / 2 + i * step
        glyph = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((size, size), ch, font=font, fill=SEAL_RED, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle), resample=Image.Resampling.BICUBIC)
        x = c + radius * math.sin(angle) - size
        y = c - radius * math.cos(angle) - size
        img.alpha_composite(glyph, (int(x), int(y)))


def draw_signature(name: str, width: int = 600, height: int = 260) -> Image.Image:
    """A handwritten-looking signature: looping pen strokes, the same for the same name."""
    rng = random.Random(zlib.crc32(name.encode("utf-8")))  # noqa: S311  # not crypto
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    loops = 3 + rng.randrange(3)
    points = []
    for t in range(400):
        u = t / 399
        x = width * (0.08 + 0.8 * u) + 40 * math.cos(u * loops * 2 * math.pi)
        y = height * (0.5 - 0.15 * u) + height * 0.28 * math.sin(u * loops * 2 * math.pi + 0.6)
        points.append((x, y))
    draw.line(points, fill=SIGNATURE_BLUE, width=6, joint="curve")
    sweep = [(width * (0.1 + 0.8 * u), height * (0.85 - 0.2 * u * u)) for u in (0, 0.5, 1)]
    draw.line(sweep, fill=SIGNATURE_BLUE, width=5, joint="curve")
    return img


def write_demo_images(directory: Path, organisation: str, names: Mapping[str, str]) -> None:
    """seal.png for the organisation and signature-<label>.png for each signer's name."""
    draw_seal(organisation).save(directory / "seal.png")
    for label, name in names.items():
        draw_signature(name).save(directory / f"signature-{label}.png")
