"""Names under signature blocks: where the person a form is about signs, when its fields are lost.

Dotted leaders often cost OCR the whole line that held the applicant's name, but a citizen
also signs the form, and the signature block prints the name under the role ("NGƯỜI YÊU
CẦU / (Ký, ghi rõ họ tên) / Trần Công Tài"). Two blocks side by side ("BÊN ĐƯỢC ỦY QUYỀN"
beside "BÊN ỦY QUYỀN") are read by OCR as one line of roles over one line of both names;
the names are then cut where the second family name starts, and the column of the
signer's role picks one.
"""

from __future__ import annotations

import re

from config.text import fold
from digitize.extraction.people import FAMILY_NAMES, clean_name
from digitize.extraction.text import Page

SIGNER_ROLES = (
    "nguoi yeu cau",
    "nguoi viet don",
    "nguoi lam don",
    "nguoi khai",
    "chu ho kinh doanh",
    "nguoi nop ho so",
    "ben uy quyen",
    "ben chuyen nhuong",
    "ben a",
)
"""Roles (folded) under which the person a document is about signs."""
NAME_LINES_BELOW = 6
"""Lines below a role within which the signer's printed name is looked for."""

_NOTE = re.compile(r"^\(k[yi]")


def _split_names(line: str) -> list[str]:
    """One name, or two read side by side, cut where the second family name starts (each
    side keeping 2 to 4 words, so a middle name such as Lê or Hoàng is not a cut)."""
    words = line.split()
    cuts = [
        i
        for i, w in enumerate(words)
        if fold(w) in FAMILY_NAMES and 2 <= i <= 4 and 2 <= len(words) - i <= 4
    ]
    if not cuts:
        return [line]
    return [" ".join(words[: cuts[-1]]), " ".join(words[cuts[-1] :])]


def _capitals(line: str) -> bool:
    """Whether a line is set in capitals, as signature roles are."""
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) > 0.7 * len(letters)


def _column(role_line: str, role: str) -> int:
    """0 when the role is the line's first (left) block, 1 when a block precedes it."""
    return 1 if role_line.find(role) > 2 else 0


def signer_name(pages: list[Page]) -> tuple[str, int] | None:
    """The name printed under the signature of the person a document is about, and its page."""
    for page in reversed(pages):
        lines = page.folded.split("\n")
        originals = page.text.split("\n")
        for index, line in enumerate(lines):
            role = next((r for r in SIGNER_ROLES if re.search(rf"\b{r}\b", line)), None)
            if role is None or len(line) > 70 or not _capitals(originals[index]):
                continue
            column = _column(line.strip(), role)
            for below in range(index + 1, min(len(lines), index + 1 + NAME_LINES_BELOW)):
                if _NOTE.match(lines[below].strip()) or len(originals[below].strip()) < 6:
                    continue
                names = _split_names(originals[below].strip())
                name = clean_name(names[min(column, len(names) - 1)])
                if name is not None:
                    return name, page.number
    return None
