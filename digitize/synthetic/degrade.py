"""Scanner and phone-camera damage applied to clean page images, recorded so it can be replayed."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

Level = Literal["clean", "mild", "hard", "office"]
LEVELS: tuple[Level, ...] = ("clean", "mild", "hard", "office")

OfficeScan = Literal["colour", "bilevel", "lowres", "yellowed"]
OFFICE_SCANS: tuple[OfficeScan, ...] = ("colour", "bilevel", "lowres", "yellowed")
"""The kinds of scan an office level page is, after the real provincial e-office scans
(../shared/corpora/vn-admin-real): 300 dpi colour with the red seal over the signature,
1-bit from a Kodak or HP office scanner, 100 dpi, and a yellowed archive page of faded ink."""

AGED_PAPER = (226, 206, 160)
"""RGB that white paper turns to at paper_tint=1: an archive page left some thirty years."""

DEFAULT_DPI = 300
"""Resolution assumed for an image that does not say (PIL's info["dpi"])."""

Pixels = npt.NDArray[np.uint8]


def _u8(array: object) -> Pixels:
    """An OpenCV result as the uint8 array it is (OpenCV's stubs say "any array")."""
    return np.asarray(array, dtype=np.uint8)


@dataclass(frozen=True)
class Degradation:
    """What was done to a page, in the order apply() does it; all zero means untouched."""

    level: str = "clean"
    """The level it was drawn for ("clean", "mild", "hard", "office"), or "custom"."""
    color: bool = False
    """Scanned in colour: the page is to be rendered in colour (red seal, blue signature ink)
    and the scan kept RGB. apply() keeps whatever mode it is given; this tells the caller."""
    ink_fade: float = 0.0
    """Share (0-1) of the ink's darkness lost, unevenly from letter to letter, as a worn
    typewriter ribbon leaves it."""
    paper_tint: float = 0.0
    """How far (0-1) white paper has yellowed towards AGED_PAPER, a little unevenly; a grey
    page becomes RGB."""
    rotation: int = 0
    """Quarter turns clockwise, in degrees (0, 90, 180, 270): a page fed sideways."""
    skew: float = 0.0
    """Small rotation in degrees, counter-clockwise; the canvas grows so nothing is cut."""
    border_mm: float = 0.0
    """Width of the dark scanner-lid bands added outside the page."""
    border_sides: str = ""
    """Which sides get a band: any of "t", "b", "l", "r"."""
    downscale_dpi: int | None = None
    """Resolution the scan is resampled to, when lower than the rendering's."""
    shadow: float = 0.0
    """Uneven lighting of a phone photo: how much darker (0-1) the dark side is."""
    shadow_angle: float = 0.0
    """Direction, in degrees, in which the light falls off."""
    blur: float = 0.0
    """Gaussian blur sigma in pixels (defocus, a moving scanner head)."""
    noise: float = 0.0
    """Gaussian sensor noise sigma in grey levels."""
    salt_pepper: float = 0.0
    """Fraction of pixels turned black or white (dust, toner specks)."""
    bilevel: bool = False
    """Thresholded to 1 bit as an office scanner's black-and-white mode does (after the
    noise, so the threshold leaves ragged stroke edges); apply() returns a mode "1" image."""
    threshold: int = 128
    """Grey level below which a bilevel scan makes a pixel black (the scanner's brightness)."""
    jpeg_quality: int | None = None
    """Quality of the JPEG compression the scan went through; None for lossless."""
    seed: int = 0
    """Seed of the random noise pattern, so apply() replays it exactly."""

    @property
    def is_clean(self) -> bool:
        """Whether nothing at all is done to the page."""
        return self == Degradation(level=self.level, seed=self.seed)


def choose_degradation(level: Level, rng: random.Random) -> Degradation:
    """Draws the damage of a level: clean is nothing; mild is a careful clerk's flatbed
    (skew up to ±2°, light noise, JPEG ~85); hard is a hurried scan or a phone photo
    (skew up to ±5°, sometimes turned sideways or upside down, dark borders, noise, blur,
    uneven lighting, JPEG 55); office is one of OFFICE_SCANS, drawn at random."""
    seed = rng.getrandbits(32)
    if level == "office":
        return _office(rng.choice(OFFICE_SCANS), seed, rng)
    if level == "clean":
        return Degradation(level="clean", seed=seed)
    if level == "mild":
        return Degradation(
            level="mild",
            skew=round(rng.uniform(-2.0, 2.0), 2),
            noise=round(rng.uniform(2.0, 5.0), 1),
            blur=0.6 if rng.random() < 0.3 else 0.0,
            jpeg_quality=rng.randint(82, 88),
            seed=seed,
        )
    if level == "hard":
        return Degradation(
            level="hard",
            rotation=rng.choice((0, 0, 0, 90, 180, 270)),
            skew=round(rng.uniform(-5.0, 5.0), 2),
            border_mm=round(rng.uniform(3.0, 10.0), 1),
            border_sides="".join(s for s in "tblr" if rng.random() < 0.6) or "r",
            downscale_dpi=200 if rng.random() < 0.5 else None,
            shadow=round(rng.uniform(0.2, 0.45), 2),
            shadow_angle=round(rng.uniform(0, 360), 1),
            blur=round(rng.uniform(0.7, 1.3), 2),
            noise=round(rng.uniform(7.0, 14.0), 1),
            salt_pepper=round(rng.uniform(0.0005, 0.002), 4),
            jpeg_quality=55,
            seed=seed,
        )
    raise ValueError(f"unknown degradation level {level!r} (known: {', '.join(LEVELS)})")


def office_degradation(scan: OfficeScan, rng: random.Random) -> Degradation:
    """Draws an office level scan of a chosen kind (choose_degradation draws the kind too),
    so that a small page set can hold one of each."""
    return _office(scan, rng.getrandbits(32), rng)


def _office(scan: OfficeScan, seed: int, rng: random.Random) -> Degradation:
    """A scan as provincial offices make them: on a flatbed or sheet feeder, so the page is
    only slightly skewed (up to ±1.2°) and evenly lit; light JPEG where the scan is grey or
    colour, none where it is 1-bit.

    colour: 300 dpi RGB, the red seal over the signature, JPEG 75-88.
    bilevel: 300 dpi 1-bit at a threshold of 115-150 (the grey seal mostly drops out),
    with the optics' blur and sensor noise before it, so stroke edges come out ragged,
    and a few specks.
    lowres: 100 dpi grey, JPEG 70-85.
    yellowed: paper yellowed, ink faded unevenly by 35-60%, slightly soft, JPEG 75-88.
    """
    skew = round(rng.uniform(-1.2, 1.2), 2)
    if scan == "colour":
        noise, quality = round(rng.uniform(2.0, 4.0), 1), rng.randint(75, 88)
        return Degradation(
            level="office", color=True, skew=skew, noise=noise, jpeg_quality=quality, seed=seed
        )
    if scan == "bilevel":
        return Degradation(
            level="office",
            skew=skew,
            blur=round(rng.uniform(0.5, 0.9), 2),
            noise=round(rng.uniform(8.0, 14.0), 1),
            salt_pepper=round(rng.uniform(0.0001, 0.0004), 5),
            bilevel=True,
            threshold=rng.randint(115, 150),
            seed=seed,
        )
    if scan == "lowres":
        noise, quality = round(rng.uniform(2.0, 4.0), 1), rng.randint(70, 85)
        return Degradation(
            level="office",
            skew=skew,
            downscale_dpi=100,
            noise=noise,
            jpeg_quality=quality,
            seed=seed,
        )
    return Degradation(
        level="office",
        ink_fade=round(rng.uniform(0.35, 0.6), 2),
        paper_tint=round(rng.uniform(0.5, 0.9), 2),
        skew=skew,
        blur=round(rng.uniform(0.4, 0.7), 2),
        noise=round(rng.uniform(3.0, 6.0), 1),
        jpeg_quality=rng.randint(75, 88),
        seed=seed,
    )


def _skew(pixels: Pixels, degrees: float) -> Pixels:
    """Rotates by a small angle on a canvas grown to hold the whole rotated page."""
    h, w = pixels.shape[:2]
    rad = math.radians(abs(degrees))
    new_w = math.ceil(w * math.cos(rad) + h * math.sin(rad))
    new_h = math.ceil(h * math.cos(rad) + w * math.sin(rad))
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    matrix[0, 2] += (new_w - w) / 2
    matrix[1, 2] += (new_h - h) / 2
    white = (255, 255, 255) if pixels.ndim == 3 else 255
    return _u8(
        cv2.warpAffine(
            pixels,
            matrix,
            (new_w, new_h),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=white,
        )
    )


def _border(pixels: Pixels, d: Degradation, dpi: float, rng: np.random.Generator) -> Pixels:
    """Dark bands outside the page, where the scanner lid did not cover the glass."""
    width = round(d.border_mm / 25.4 * dpi)
    sides = {side: width if side in d.border_sides else 0 for side in "tblr"}
    shade = int(rng.integers(15, 60))
    value = (shade, shade, shade) if pixels.ndim == 3 else shade
    return _u8(
        cv2.copyMakeBorder(
            pixels, sides["t"], sides["b"], sides["l"], sides["r"], cv2.BORDER_CONSTANT, value=value
        )
    )


def _lighting(
    shape: tuple[int, ...], d: Degradation, rng: np.random.Generator
) -> npt.NDArray[np.float32]:
    """A smooth multiplicative light field: a falloff along shadow_angle plus a soft blob."""
    small_h, small_w = 48, 48
    ys, xs = np.mgrid[0:small_h, 0:small_w].astype(np.float32)
    xs, ys = xs / (small_w - 1) - 0.5, ys / (small_h - 1) - 0.5
    angle = math.radians(d.shadow_angle)
    ramp = (xs * math.cos(angle) + ys * math.sin(angle)) + 0.5
    cx, cy = rng.uniform(-0.5, 0.5, size=2)
    blob = np.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / 0.08)
    field = 1.0 - d.shadow * np.clip(0.75 * ramp + 0.35 * blob, 0.0, 1.0)
    full: npt.NDArray[np.float32] = cv2.resize(
        field.astype(np.float32), (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR
    )
    return full if len(shape) == 2 else full[:, :, None]


def _noise(pixels: Pixels, d: Degradation, rng: np.random.Generator) -> Pixels:
    data = pixels.astype(np.float32)
    if d.noise:
        data += rng.standard_normal(pixels.shape, dtype=np.float32) * np.float32(d.noise)
    out = np.clip(data, 0, 255).astype(np.uint8)
    if d.salt_pepper:
        count = int(d.salt_pepper * out.shape[0] * out.shape[1])
        rows = rng.integers(0, out.shape[0], count)
        cols = rng.integers(0, out.shape[1], count)
        values = np.where(rng.random(count) < 0.5, 0, 255).astype(np.uint8)
        out[rows, cols] = values[:, None] if out.ndim == 3 else values
    return out


def _smooth_field(
    shape: tuple[int, ...], cell: int, rng: np.random.Generator
) -> npt.NDArray[np.float32]:
    """Random values, mostly within -1..1, varying smoothly over about `cell` pixels."""
    h, w = shape[:2]
    small = rng.standard_normal((max(2, h // cell), max(2, w // cell))).astype(np.float32)
    full = np.asarray(cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC), np.float32)
    return np.asarray(np.clip(full / 2, -1.0, 1.0), dtype=np.float32)


def _fade(pixels: Pixels, d: Degradation, rng: np.random.Generator) -> Pixels:
    """Lightens the ink, more on some letters than others (cells of about one letter)."""
    fade = d.ink_fade * (1 + 0.35 * _smooth_field(pixels.shape, 24, rng))
    keep = np.clip(1 - fade, 0.1, 1.0)
    if pixels.ndim == 3:
        keep = keep[:, :, None]
    faded = 255 - (255 - pixels.astype(np.float32)) * keep
    return _u8(np.clip(faded, 0, 255))


def _tint(pixels: Pixels, d: Degradation, rng: np.random.Generator) -> Pixels:
    """Multiplies the page by yellowed paper, a little blotchy (cells of some 5 cm)."""
    rgb = pixels if pixels.ndim == 3 else np.repeat(pixels[:, :, None], 3, axis=2)
    tint = d.paper_tint * (1 + 0.15 * _smooth_field(rgb.shape, 600, rng))[:, :, None]
    loss = 1 - np.asarray(AGED_PAPER, dtype=np.float32) / 255  # per channel, at tint 1
    paper = 1 - np.clip(tint, 0.0, 1.0) * loss
    return _u8(np.clip(rgb.astype(np.float32) * paper, 0, 255))


def _threshold(pixels: Pixels, threshold: int) -> Pixels:
    """Black (0) where darker than the threshold, else white (255)."""
    grey = _u8(cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)) if pixels.ndim == 3 else pixels
    return np.where(grey < threshold, 0, 255).astype(np.uint8)


def _downscale(pixels: Pixels, dpi: float, target: int | None) -> tuple[Pixels, float]:
    if not target or target >= dpi:
        return pixels, dpi
    factor = target / dpi
    size = (max(1, round(pixels.shape[1] * factor)), max(1, round(pixels.shape[0] * factor)))
    return _u8(cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)), float(target)


def _jpeg(pixels: Pixels, quality: int) -> Pixels:
    ok, encoded = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("OpenCV could not encode a JPEG")
    flag = cv2.IMREAD_COLOR if pixels.ndim == 3 else cv2.IMREAD_GRAYSCALE
    return _u8(cv2.imdecode(encoded, flag))


def image_dpi(image: Image.Image) -> float:
    """The horizontal resolution an image declares, or DEFAULT_DPI."""
    dpi = image.info.get("dpi")
    return float(dpi[0]) if dpi else float(DEFAULT_DPI)


def apply(image: Image.Image, d: Degradation, *, jpeg_roundtrip: bool = True) -> Image.Image:
    """Applies exactly the recorded damage to an L or RGB image; deterministic from d.seed.
    The result has the mode it was given, except that a tinted page is RGB and a bilevel
    one mode "1".

    jpeg_roundtrip=False leaves the JPEG step to the caller, who will save the result
    with d.jpeg_quality (compressing twice would not be what a scanner does).
    """
    rng = np.random.default_rng(d.seed)
    pixels: Pixels = np.asarray(image).copy()
    dpi = image_dpi(image)
    if d.ink_fade:  # the paper's own age comes before any scanning
        pixels = _fade(pixels, d, rng)
    if d.paper_tint:
        pixels = _tint(pixels, d, rng)
    if d.rotation % 360:
        pixels = np.ascontiguousarray(np.rot90(pixels, k=-(d.rotation // 90)))
    if d.skew:
        pixels = _skew(pixels, d.skew)
    if d.border_mm and d.border_sides:
        pixels = _border(pixels, d, dpi, rng)
    pixels, dpi = _downscale(pixels, dpi, d.downscale_dpi)
    if d.shadow:
        lit = pixels.astype(np.float32) * _lighting(pixels.shape, d, rng)
        pixels = np.clip(lit, 0, 255).astype(np.uint8)
    if d.blur:
        pixels = _u8(cv2.GaussianBlur(pixels, (0, 0), d.blur))
    if d.noise or d.salt_pepper:
        pixels = _noise(pixels, d, rng)
    if d.bilevel:
        pixels = _threshold(pixels, d.threshold)
    if d.jpeg_quality and jpeg_roundtrip:
        pixels = _jpeg(pixels, d.jpeg_quality)
    out = Image.fromarray(pixels)
    if d.bilevel:
        out = out.convert("1", dither=Image.Dither.NONE)
    out.info["dpi"] = (dpi, dpi)
    return out


def degrade(
    image: Image.Image, level: Level, rng: random.Random
) -> tuple[Image.Image, Degradation]:
    """Damages a page as a scan of the level would; returns the image and what was done."""
    degradation = choose_degradation(level, rng)
    if degradation.is_clean:
        copy = image.copy()
        copy.info["dpi"] = (image_dpi(image), image_dpi(image))
        return copy, degradation
    return apply(image, degradation), degradation
