"""Installed TrueType fonts that can draw Vietnamese, grouped into families for rendering.

The product draws the dossier receipt (cover sheet) with them; the synthetic generator
(digitize.synthetic, a dev tool) renders its samples with them too.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reportlab.pdfbase.ttfonts import TTFError, TTFontFile

from config.errors import ConfigurationError

FontKind = Literal["serif", "sans"]

FONT_DIRS = (Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts/TTF"))
"""Where Debian (and Arch, for developers) install TrueType fonts."""

PROBE_TEXT = "ộựằẫđĐỹữẳỗếƯơ"
"""Letters a font must have to draw Vietnamese: stacked tone marks, đ/Đ, horned vowels.
Version 1 of Liberation (truetype/liberation/) lacks them, which is why it is not listed."""

FONT_PACKAGES = "fonts-liberation2, fonts-croscore, fonts-dejavu-core"
"""Debian packages that provide the families below; named in the error when none is found."""


@dataclass(frozen=True)
class FontFamily:
    """One typeface with the faces documents use: regular and bold, italic where it exists."""

    name: str
    """Human name, e.g. "Liberation Serif"; also the base of the PDF font names."""
    kind: FontKind
    """serif (Times-like, what official documents use) or sans (cards, printed receipts)."""
    regular: Path
    bold: Path
    italic: Path | None = None
    """Italic face; renderers fall back to regular when it is missing."""
    bold_italic: Path | None = None


@dataclass(frozen=True)
class _Candidate:
    name: str
    kind: FontKind
    subdir: str
    files: tuple[str, str, str, str]
    """regular, bold, italic, bold italic file names inside subdir."""


_CANDIDATES = (
    _Candidate(
        "Liberation Serif",
        "serif",
        "liberation2",
        (
            "LiberationSerif-Regular.ttf",
            "LiberationSerif-Bold.ttf",
            "LiberationSerif-Italic.ttf",
            "LiberationSerif-BoldItalic.ttf",
        ),
    ),
    _Candidate(
        "Tinos",
        "serif",
        "croscore",
        ("Tinos-Regular.ttf", "Tinos-Bold.ttf", "Tinos-Italic.ttf", "Tinos-BoldItalic.ttf"),
    ),
    _Candidate(
        "DejaVu Serif",
        "serif",
        "dejavu",
        (
            "DejaVuSerif.ttf",
            "DejaVuSerif-Bold.ttf",
            "DejaVuSerif-Italic.ttf",
            "DejaVuSerif-BoldItalic.ttf",
        ),
    ),
    _Candidate(
        "Noto Serif",
        "serif",
        "noto",
        (
            "NotoSerif-Regular.ttf",
            "NotoSerif-Bold.ttf",
            "NotoSerif-Italic.ttf",
            "NotoSerif-BoldItalic.ttf",
        ),
    ),
    _Candidate(
        "Liberation Sans",
        "sans",
        "liberation2",
        (
            "LiberationSans-Regular.ttf",
            "LiberationSans-Bold.ttf",
            "LiberationSans-Italic.ttf",
            "LiberationSans-BoldItalic.ttf",
        ),
    ),
    _Candidate(
        "Arimo",
        "sans",
        "croscore",
        ("Arimo-Regular.ttf", "Arimo-Bold.ttf", "Arimo-Italic.ttf", "Arimo-BoldItalic.ttf"),
    ),
    _Candidate(
        "DejaVu Sans",
        "sans",
        "dejavu",
        (
            "DejaVuSans.ttf",
            "DejaVuSans-Bold.ttf",
            "DejaVuSans-Oblique.ttf",
            "DejaVuSans-BoldOblique.ttf",
        ),
    ),
    _Candidate(
        "Noto Sans",
        "sans",
        "noto",
        (
            "NotoSans-Regular.ttf",
            "NotoSans-Bold.ttf",
            "NotoSans-Italic.ttf",
            "NotoSans-BoldItalic.ttf",
        ),
    ),
)


class FontsMissingError(ConfigurationError):
    """No installed font can draw Vietnamese, so no document can be rendered."""

    code = "fonts_missing"
    hint_vi = "Thiếu phông chữ tiếng Việt; hãy cài gói fonts-liberation2 hoặc fonts-dejavu-core."


def covers_vietnamese(path: Path) -> bool:
    """Whether the font file has a glyph for every letter of PROBE_TEXT."""
    try:
        cmap = TTFontFile(str(path)).charToGlyph  # reportlab's parser reads the cmap table
    except (OSError, TTFError):
        return False
    return all(ord(ch) in cmap for ch in PROBE_TEXT)


def _find(subdir: str, filename: str) -> Path | None:
    for root in FONT_DIRS:
        for path in (root / subdir / filename, root / filename):
            if path.is_file():
                return path
    return None


def _load(candidate: _Candidate) -> FontFamily | None:
    paths = [_find(candidate.subdir, f) for f in candidate.files]
    regular, bold, italic, bold_italic = paths
    if regular is None or bold is None:
        return None
    if not (covers_vietnamese(regular) and covers_vietnamese(bold)):
        return None
    return FontFamily(
        name=candidate.name,
        kind=candidate.kind,
        regular=regular,
        bold=bold,
        italic=italic if italic is not None and covers_vietnamese(italic) else None,
        bold_italic=bold_italic if bold_italic and covers_vietnamese(bold_italic) else None,
    )


@functools.cache
def _installed() -> tuple[FontFamily, ...]:
    found = (_load(candidate) for candidate in _CANDIDATES)
    return tuple(family for family in found if family is not None)


def available_families(kind: FontKind | None = None) -> tuple[FontFamily, ...]:
    """Installed families able to draw Vietnamese, in a fixed order (serif first).

    The order is fixed so that a seeded choice among them is reproducible on one machine.
    Raises FontsMissingError naming the Debian packages to install when none qualifies.
    """
    families = tuple(f for f in _installed() if kind is None or f.kind == kind)
    if not families:
        wanted = f"{kind} " if kind else ""
        raise FontsMissingError(
            f"no installed {wanted}TrueType font draws Vietnamese (looked in "
            f"{', '.join(str(d) for d in FONT_DIRS)}); install {FONT_PACKAGES}"
        )
    return families


def default_family(kind: FontKind = "serif") -> FontFamily:
    """The first family of the kind: Liberation Serif (Times New Roman metrics) when present."""
    return available_families(kind)[0]
