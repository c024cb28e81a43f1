"""Simulated OCR: the text Tesseract would give for a generated document, in milliseconds.

Real OCR of a rendered page costs about 0.7 s of CPU, so the training corpus reads its
documents through this simulation instead (digitize.classifier.corpus says what that was
measured to cost), modelled on what Tesseract does to these pages: two-column headers read
across into one line, dotted leaders read as dots and junk ("....-- 5-5 2+k+E+EEE+Eerred"),
whole lines garbled, look-alike characters swapped (0/O, 1/l, rn/m...), tone marks lost,
words split and merged, signatures read as a few stray characters, and pages fed sideways
or upside down read as nonsense.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from digitize.synthetic import Column, Line, Mark, Style, SyntheticDocument


@dataclass(frozen=True)
class Noise:
    """How badly one scan is read; each figure is a probability per unit named."""

    char: float
    """Per character: replaced by a look-alike."""
    tone: float
    """Per letter with a tone mark: the mark dropped or changed."""
    space: float
    """Per space: dropped (words merged); per word: split in two at the same rate."""
    line_drop: float
    """Per line: not read at all."""
    garble: float
    """Per line: read as junk keeping only some of its characters."""
    leader_garble: float
    """Per line with a dotted leader: garbled (leaders confuse Tesseract's line finding)."""
    split_columns: float
    """Per two-column block: read column after column instead of across."""


NOISE_LEVELS: dict[str, Noise] = {
    "clean": Noise(0.004, 0.01, 0.01, 0.005, 0.005, 0.12, 0.3),
    "mild": Noise(0.012, 0.03, 0.02, 0.01, 0.02, 0.35, 0.3),
    "hard": Noise(0.035, 0.08, 0.04, 0.04, 0.07, 0.45, 0.4),
}
"""Noise of each scan level of digitize.synthetic.degrade, read upright."""

WRAP_CHARS = {"a4": 86, "card": 44}
"""Characters per line of a full-width column when a page is read."""

_LOOKALIKE: dict[str, tuple[str, ...]] = {
    "0": ("O", "o", "D"),
    "O": ("0", "Q", "D"),
    "o": ("0", "ô", "ơ"),
    "1": ("l", "I", "|", "i"),
    "l": ("1", "I", "|"),
    "I": ("l", "1", "|"),
    "i": ("l", "í", "ỉ", "1"),
    "5": ("S", "s"),
    "S": ("5", "s"),
    "8": ("B", "3"),
    "B": ("8",),
    "2": ("Z", "z"),
    "6": ("b", "G"),
    "9": ("g", "q"),
    "m": ("rn", "n"),
    "n": ("u", "ri", "m"),
    "u": ("n", "ư", "ụ"),
    "c": ("e", "o"),
    "e": ("c", "ẽ", "é"),
    "a": ("ạ", "à", "o"),
    "h": ("b", "li"),
    "d": ("cl", "đ"),
    "đ": ("d", "ð"),
    "Đ": ("D", "Ð"),
    "t": ("f", "l"),
    "f": ("t",),
    "g": ("q", "9"),
    "y": ("ỵ", "v"),
    "r": ("t", "n"),
    ".": (",", ":", ""),
    ",": (".", ";"),
    ":": (";", ".", "i"),
}
_VOWELS = frozenset("aăâeêioôơuưyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
_TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_LEADER_BITS = (
    "--",
    "-",
    "+",
    "2+",
    "E+",
    "EEE",
    "ee",
    "rr",
    "<<",
    "«<",
    "ss£",
    "eeeees",
    "111",
    "333",
    "5-5",
    "‡££",
    ":",
    "©",
    "k",
    "zz",
    "Ez",
    "rx",
    " ",
)
_JUNK = "0123456789ilI|.,:;-_'\"aeoucmnrstđẽốàĐNHT()[]"
_FLIP = str.maketrans("abdehmnpqrtuvwyACEFGJLMPTUVWY", "ɐqpəɥɯudbɹʇnʌʍʎ∀ƆƎℲ⅁ſ˥WԀ⊥∩ΛMλ")


def _confuse(text: str, rng: random.Random, noise: Noise) -> str:
    out = []
    for ch in text:
        if ch in _LOOKALIKE and rng.random() < noise.char:
            out.append(rng.choice(_LOOKALIKE[ch]))
        elif ch.lower() in _VOWELS and rng.random() < noise.tone:
            base = unicodedata.normalize("NFD", ch)
            marks = [m for m in base[1:] if m in _TONES]
            keep = "".join(m for m in base[1:] if m not in _TONES)
            if marks or rng.random() < 0.3:
                tone = rng.choice(("", *_TONES))
                out.append(unicodedata.normalize("NFC", base[0] + keep + tone))
            else:
                out.append(ch)
        else:
            out.append(ch)
    return "".join(out)


def _spaces(text: str, rng: random.Random, noise: Noise) -> str:
    words = text.split(" ")
    out: list[str] = []
    for word in words:
        read = word
        if len(word) > 4 and rng.random() < noise.space:
            cut = rng.randint(1, len(word) - 1)
            read = f"{word[:cut]} {word[cut:]}"
        if out and rng.random() < noise.space:
            out[-1] += read
        else:
            out.append(read)
    return " ".join(out)


def _garble(text: str, rng: random.Random) -> str:
    """A line Tesseract mostly lost: some characters kept, the rest junk."""
    keep = rng.uniform(0.2, 0.7)
    chars = [ch if rng.random() < keep else rng.choice(_JUNK) for ch in text]
    return "".join(chars)[: max(4, int(len(chars) * rng.uniform(0.4, 1.0)))]


def _leader(rng: random.Random) -> str:
    dots = "." * rng.randint(4, 40)
    if rng.random() < 0.4:
        return f" {dots}"
    junk = "".join(rng.choice(_LEADER_BITS) for _ in range(rng.randint(2, 12)))
    return f" {dots}{rng.choice(('-', ' -', ' ', '--'))}{junk}"


def _wrap(text: str, width: int) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current] if current else lines


def _mark_junk(mark: Mark, rng: random.Random) -> list[str]:
    if mark is Mark.NONE or rng.random() < 0.4:
        return []
    return ["".join(rng.choice(_JUNK) for _ in range(rng.randint(1, 8)))]


def _read_line(line: Line, width: int, rng: random.Random, noise: Noise) -> list[str]:
    if line.style is Style.SPACE:
        return _mark_junk(line.mark, rng)
    if rng.random() < noise.line_drop:
        return []
    text = line.text + (_leader(rng) if line.leader else "")
    if rng.random() < (noise.leader_garble if line.leader else noise.garble):
        text = _garble(text, rng)
    return [_spaces(_confuse(part, rng, noise), rng, noise) for part in _wrap(text, width)]


def _blocks(lines: Sequence[Line]) -> list[tuple[bool, list[Line], list[Line]]]:
    """Consecutive lines grouped as (two_column, left or full-width lines, right lines)."""
    blocks: list[tuple[bool, list[Line], list[Line]]] = []
    for line in lines:
        two_column = line.column is not Column.FULL
        if not blocks or blocks[-1][0] != two_column:
            blocks.append((two_column, [], []))
        _, left, right = blocks[-1]
        (right if line.column is Column.RIGHT else left).append(line)
    return blocks


def read_page(
    lines: Sequence[Line], rng: random.Random, noise: Noise, *, page_size: str = "a4"
) -> str:
    """What OCR makes of one upright page of generated lines."""
    width = WRAP_CHARS.get(page_size, WRAP_CHARS["a4"])
    out: list[str] = []
    for two_column, left, right in _blocks(lines):
        if not two_column:
            for line in left:
                out.extend(_read_line(line, width, rng, noise))
            continue
        a = [t for line in left for t in _read_line(line, width // 2, rng, noise)]
        b = [t for line in right for t in _read_line(line, width // 2, rng, noise)]
        if rng.random() < noise.split_columns:
            out.extend(a + b)
        else:
            rows = max(len(a), len(b))
            a += [""] * (rows - len(a))
            b += [""] * (rows - len(b))
            out.extend(f"{x} {y}".strip() for x, y in zip(a, b, strict=True))
    return "\n".join(line for line in out if line.strip())


def unreadable_page(text: str, rng: random.Random) -> str:
    """What OCR makes of a page fed upside down or sideways: letters flipped, reversed and
    broken up, a few fragments of real words at most."""
    lines = [line for line in text.splitlines() if line.strip()]
    if rng.random() < 0.5:
        lines = [line[::-1].translate(_FLIP) for line in reversed(lines)]
        return "\n".join(_garble(line, rng) if rng.random() < 0.5 else line for line in lines)
    count = rng.randint(3, 40)
    return "\n".join(
        "".join(rng.choice(_JUNK + "abcdefghiklmnopqrstuvxy") for _ in range(rng.randint(1, 12)))
        for _ in range(count)
    )


def simulate_ocr(doc: SyntheticDocument, rng: random.Random, level: str) -> list[str]:
    """Each page of a generated document as OCR of a scan of that level would read it."""
    noise = NOISE_LEVELS[level]
    return [read_page(page, rng, noise, page_size=doc.page_size) for page in doc.pages]
