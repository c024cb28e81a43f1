"""Vietnamese text conventions shared by every layer: NFC storage and search folding."""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Text as sohoa stores it: NFC, because OCR output and macOS file names arrive as NFD."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Fold text for diacritic-insensitive matching, the same way for index and query.

    đ/Đ have no Unicode decomposition, so they are mapped to d explicitly; tone marks and
    other combining marks are dropped after NFD, which also makes old and new tone
    placement ("hòa"/"hoà") equal.
    """
    decomposed = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def collapse_whitespace(text: str) -> str:
    """Runs of whitespace as one space, trimmed: the form text is compared in."""
    return _WHITESPACE.sub(" ", text).strip()


class _AlignedFold(dict[int, str]):
    """str.translate table doing fold() character by character (the fold's first
    character, or the character itself), filled as characters are met: a page's text then
    costs a dictionary lookup per character, not a Unicode normalization each."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        self[code] = value = (fold(char) or char)[:1]
        return value


_ALIGNED = _AlignedFold()


def fold_aligned(text: str) -> str:
    """fold() character by character, keeping the length: position i still points at the
    character it came from, so a match found in folded text can be cut from the original."""
    return text.translate(_ALIGNED)


_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f/\\]")
MAX_FILENAME_CHARS = 200


def clean_filename(name: str) -> str:
    """A file name fit to store and show: NFC, no directories, no control or invisible
    format characters.

    Only a label: stored files are named by their checksum, so a hostile name such as
    `../../etc/passwd` can never choose where anything is written.
    """
    base = nfc(name).replace("\\", "/").rsplit("/", 1)[-1]
    # bidirectional overrides and other invisible format characters make a name read as
    # something else ("\u202efdp.exe" shows as "exe.pdf"): dropped
    base = "".join(c for c in base if unicodedata.category(c) != "Cf")
    base = collapse_whitespace(_UNSAFE_NAME_CHARS.sub("_", base)).strip(". ")
    return base[:MAX_FILENAME_CHARS] or "unnamed"
