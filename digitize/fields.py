"""Pulling the data regulations ask for out of a document's text: IDs, names, dates, codes."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from config.identifiers import DOSSIER_CODE, id_number_birth, is_dossier_code, is_valid_id_number
from config.text import collapse_whitespace, fold_aligned
from digitize.result import FoundField

_ID_NUMBER = re.compile(r"(?<!\d)\d{12}(?!\d)")
_ID_LABEL = re.compile(r"(so dinh danh|can cuoc|cccd|cmnd|identification|so giay to)")
_DATE_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
_DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_BIRTH_LABEL = re.compile(r"(ngay,? thang,? nam sinh|sinh ngay|ngay sinh|date of birth)")
_NAME_LABEL = re.compile(r"(ho,? chu dem,? (va )?ten|ho va ten|ho ten|full name)[^:\n]*:?")
_NAME_WORD = re.compile(r"^[^\W\d_]+$")
LABEL_WINDOW = 80
"""Characters after a label within which its value is looked for."""


def _first_date(text: str) -> date | None:
    """The first well-formed date in text (numeric or 'ngày .. tháng .. năm ..')."""
    folded = fold_aligned(text).lower()
    hits = [m for m in (_DATE_NUMERIC.search(folded), _DATE_WORDS.search(folded)) if m]
    for match in sorted(hits, key=lambda m: m.start()):
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None


def _date_of_birth(pages: Sequence[str]) -> FoundField | None:
    for number, text in enumerate(pages, start=1):
        folded = fold_aligned(text).lower()
        for label in _BIRTH_LABEL.finditer(folded):
            found = _first_date(text[label.end() : label.end() + LABEL_WINDOW])
            if found is not None:
                return FoundField(found.isoformat(), number, 0.9)
    return None


def _id_number(
    pages: Sequence[str], provinces: Mapping[str, str], birth: FoundField | None
) -> FoundField | None:
    """The first valid personal ID number, one after an ID label first; checked against the
    date of birth when the page shows one."""
    candidates: list[tuple[float, int, int, str]] = []
    for number, text in enumerate(pages, start=1):
        folded = fold_aligned(text).lower()
        for match in _ID_NUMBER.finditer(text):
            value = match.group()
            if not is_valid_id_number(value, provinces):
                continue
            labelled = _ID_LABEL.search(
                folded[max(0, match.start() - LABEL_WINDOW) : match.start()]
            )
            confidence = 0.9 if labelled else 0.7
            encoded = id_number_birth(value)
            if birth is not None and encoded is not None:
                confidence = 0.98 if encoded[0] == int(birth.value[:4]) else 0.5
            candidates.append((-confidence, number, match.start(), value))
    if not candidates:
        return None
    neg_conf, page, _, value = min(candidates)
    return FoundField(value, page, -neg_conf)


def _full_name(pages: Sequence[str]) -> FoundField | None:
    for number, text in enumerate(pages, start=1):
        folded = fold_aligned(text).lower()
        for label in _NAME_LABEL.finditer(folded):
            rest = text[label.end() :].lstrip(" :.\t")
            lines = rest.splitlines()
            for line in lines[:2]:
                name = collapse_whitespace(line.strip(" .:…_\t"))
                words = name.split()
                if 2 <= len(words) <= 6 and all(_NAME_WORD.match(w) for w in words):
                    return FoundField(name, number, 0.8)
    return None


def _dossier_code(pages: Sequence[str]) -> FoundField | None:
    for number, text in enumerate(pages, start=1):
        for match in DOSSIER_CODE.finditer(text):
            if is_dossier_code(match.group()):
                return FoundField(match.group(), number, 0.95)
    return None


def extract_fields(pages: Sequence[str], provinces: Mapping[str, str]) -> dict[str, FoundField]:
    """The fields found in a document's page texts, by name."""
    birth = _date_of_birth(pages)
    found = {
        "id_number": _id_number(pages, provinces, birth),
        "full_name": _full_name(pages),
        "date_of_birth": birth,
        "dossier_code": _dossier_code(pages),
    }
    return {name: value for name, value in found.items() if value is not None}
