"""The back of a chip ID card as a phone photographs it, for a generated (fake) person."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from digitize.synthetic.people import random_person
from digitize.synthetic.templates_card import mrz
from digitize.synthetic.words import dmy

LIBERATION = Path("/usr/share/fonts/truetype/liberation2")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
CARD_MM = (85.6, 54.0)
"""ID-1, the size of every Vietnamese ID card."""


def _font(name: str, fallback: str, size: int) -> ImageFont.FreeTypeFont:
    path = LIBERATION / name
    return ImageFont.truetype(str(path if path.exists() else DEJAVU / fallback), size)


def _fingerprint(
    draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], rng: random.Random, dpi: int
) -> None:
    """Ridges as a phone sees them: broken arcs, many small dark pieces."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    step = max(3, round(dpi / 60))
    for r in range(step, min(box[2] - box[0], box[3] - box[1]) // 2 - 4, step):
        start = 0
        while start < 360:
            length = rng.randint(20, 70)
            bounds = (cx - r, cy - r * 1.25, cx + r, cy + r * 1.25)
            draw.arc(bounds, start, start + length, fill=60, width=max(1, step // 2))
            start += length + rng.randint(8, 25)


def card_back(path: Path, *, seed: int = 7, dpi: int = 300, upside_down: bool = False) -> str:
    """Write a JPEG of a 2021 chip card's back (fingerprints, features, issuer, signature, MRZ
    in a monospace OCR-B-like face) and return its MRZ; `upside_down` turns it half a turn."""
    person = random_person(random.Random(seed))
    width, height = (round(mm / 25.4 * dpi) for mm in CARD_MM)
    image = Image.new("L", (width, height), 236)
    draw = ImageDraw.Draw(image)
    px = dpi / 72
    small = _font("LiberationSans-Regular.ttf", "DejaVuSans.ttf", round(6.5 * px))
    bold = _font("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf", round(6.5 * px))
    mono = _font("LiberationMono-Regular.ttf", "DejaVuSansMono.ttf", round(9.5 * px))
    for i, label in enumerate(("Ngón trỏ trái", "Ngón trỏ phải")):
        left = round(0.04 * width) + i * round(0.2 * width)
        box = (left, round(0.08 * height), left + round(0.17 * width), round(0.45 * height))
        draw.rounded_rectangle(box, radius=12, outline=90, width=3)
        _fingerprint(draw, box, random.Random(seed + i), dpi)
        draw.text((box[0], box[3] + 6), label, fill=30, font=small)
    x = round(0.46 * width)
    y = round(0.07 * height)
    lines = [
        ("Đặc điểm nhân dạng / Personal identification:", small),
        ("Nốt ruồi C:1cm dưới sau mép phải", small),
        (f"Ngày, tháng, năm / Date, month, year: {dmy(person.id_issue_date)}", small)
        if person.id_issue_date
        else ("Ngày, tháng, năm / Date, month, year: 12/05/2021", small),
        ("CỤC TRƯỞNG CỤC CẢNH SÁT", bold),
        ("QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", bold),
    ]
    for text, font in lines:
        draw.text((x, y), text, fill=25, font=font)
        y += round(font.size * 1.45)
    draw.line((x + 60, y + 25, x + 140, y + 5, x + 190, y + 30), fill=40, width=3)  # signature
    draw.text((x + 40, y + 45), "Tô Văn Huệ", fill=25, font=bold)
    code = mrz(person, person.id_expiry)
    y = round(0.66 * height)
    for line in code:
        draw.text((round(0.05 * width), y), line, fill=15, font=mono)
        y += round(mono.size * 1.25)
    if upside_down:
        image = image.rotate(180)
    image.save(path, "JPEG", quality=88, dpi=(dpi, dpi))
    return "\n".join(code)
