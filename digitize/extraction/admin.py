"""An administrative document's header and signature block (Decree 30/2020 layout).

Every official document prints, top left, the issuing body (its parent above it when it has
one: "UBND TỈNH X / BAN CHỈ ĐẠO 138"; or one name wrapped over two lines: "ỦY BAN NHÂN DÂN /
TỈNH X") over "Số: 04/QĐ-BCĐ138" (a công văn adds its "V/v ..." summary below); top right the
national motto over "<place>, ngày 05 tháng 02 năm 2025"; then the type's title (none for a
công văn) and its summary; at the end, right of "Nơi nhận:", the signer's position lines
("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH") over the signer's name.

Reading order gives the left block before the right one when OCR sees the gutter; when it
does not, the motto shares a line with the agency and the dateline with the number, so the
motto and the dateline are cut out of each line before the agency is read. Numbers and days
are often written by hand into the printed blanks and read badly: a value is given only when
it reads as print (digitize.extraction.blanks), else it is left out: the symbol alone is
`document_symbol` and a date whose day cannot be read is its month only, `issue_month`;
neither is ever completed with an invented number or day. The number is read once the
dateline is: a number and a date are filled in together, so a printed day vouches for a
number Tesseract was unsure of.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from config import defaults
from config.text import fold
from digitize.extraction import blanks
from digitize.extraction.references import agency_case
from digitize.extraction.symbols import repaired_symbol
from digitize.extraction.text import Page, to_date

HEADER_LINES = 30
"""Lines of the first page read as its header (the widgets' text, two blocks, the title)."""
PLACE_MATCH = 0.85
"""How alike (difflib ratio, folded) a misread province name must be to the catalogue's."""
NUMBER_SURE = 0.9
"""Confidence of a number read as printed digits (a text layer's, or ink Tesseract was sure of)."""
REPAIRED_SURE = 0.85
"""Confidence of a number or day read through a look-alike letter (O for 0) in a sure word."""

_MOTTO = re.compile(
    r"[a-z0]?[oô0]ng\s*h[oò]a\s*x[aã]\s*h[oộ]i\s*ch[uủ]\s*ngh[iĩ]a\s*vi[eệ]t\s*nam"
    r"|d[oộ]c\s*l[aậ]p\s*[-–—.,]?\s*t[uự]\s*do\s*[-–—.,]?\s*h[aạ]nh\s*ph[uú]c"
)
"""The national motto's two lines, in folded text, as OCR spaces and misreads them (the
first letter of CỘNG read as G, O or dropped)."""
_DATELINE = re.compile(
    r"(?:[^\W\d_][^\n,]{1,40},\s*)?ngay\s*(\S{0,4}?)\s*thang\s*(\S{0,4}?)\s*nam\s*((?:19|20)\d\d)"
)
"""A dateline, folded: the place, then day, month (either maybe a blank or unreadable), year."""
_NUMBER_LABEL = re.compile(r"(?:^|(?<=\s))s[o06]\s*[:;.]\s*")
""""Số:" as OCR reads it, folded ("S6:", "Số :", "So;")."""
NUMBER = re.compile(
    r"([^\s/]{0,6})\s*/\s*((?:(?:19|20)\d\d\s*/\s*)?[A-ZĐa-zđ][A-ZĐa-zđ0-9]*"
    r"(?:\s*-+\s*[A-ZĐa-zđ0-9]+)*)"
)
"""The value after "Số:": the number (maybe blank or handwritten), "/", the symbol (with the
year of a legal document: 12/2025/NQ-HĐND) and spaces OCR or the typist put around / and -."""
_BODY_START = re.compile(
    r"^\s*(can cu|kinh gui|thuc hien|theo de nghi|xet de nghi|dieu 1|ngay \d|hom nay|nham)"
)
"""Lines that start a document's body, after the header and title."""
_UNITS = ("tinh ", "huyen ", "xa ", "phuong ", "thanh pho ", "quan ", "thi xa ", "thi tran ")
_AGENCY_HEAD = re.compile(
    r"^(ubnd|uy ban|hoi dong|so |bo |ban |cong an|phong |trung tam|van phong|cuc |chi cuc|"
    r"thanh tra|benh vien|truong |toa an|vien kiem sat|tinh uy|huyen uy|dang uy|cong ty)"
)
_SPECKS = re.compile(r"^[\W_]+|[^\w)]+$")
"""What OCR reads at a line's ends from specks and rules ("^ ỦY BAN NHÂN DÂN", "TỈNH X -")."""
_WIDGET_NOISE = re.compile(r"cong bao|ky boi|@|\d\d:\d\d|gov\.vn|thoi gian|email|co quan:")
POSITIONS = re.compile(
    r"^(tm\.?|kt\.?|tl\.?|tuq\.?|q\.?|pho |chu tich|truong |giam doc|chanh |bi thu|"
    r"thu truong|bo truong|cuc truong|vien truong|chanh an|hieu truong|uy vien|ke toan)"
)
"""How the lines of a signature block's position start (folded)."""
_NOTE = re.compile(r"^\(?\s*k[yi]\b|^\(da ky\)")


@dataclass(frozen=True)
class Read:
    """One value read from the document, its page and how sure the reading is (0-1)."""

    value: str
    page: int
    confidence: float


@dataclass
class Header:
    """What an administrative document's first page and signature block say."""

    number: str | None = None
    """The number as printed (digits), None when blank or unreadable."""
    symbol: str | None = None
    """The symbol after the number: QĐ-UBND, UBND-KTTH, 2025/NQ-HĐND."""
    number_sure: float = 0.0
    written: str = ""
    """What OCR read between "Số:" and the symbol, print or ink, before it is judged."""
    written_sure: float = 0.0
    """Tesseract's confidence (0-100) in the word holding `written`."""
    blank_number: bool = False
    """Nothing stands between "Số:" and the symbol (a draft, or a number stamped later)."""
    day: int | None = None
    month: int | None = None
    year: int | None = None
    date_sure: float = 0.0
    day_printed: bool = False
    """The dateline's day reads as sure printed digits (blanks.printed): the date, and so
    the number, were typed, not written by hand."""
    agency: list[str] = field(default_factory=list)
    """The agency block's lines, top to bottom, as printed."""
    title_line: int | None = None
    """Index (in `lines`) of the line after the header: a title or a công văn's V/v."""
    lines: list[str] = field(default_factory=list)
    """The header zone's lines with the motto and dateline cut out."""
    summary: str | None = None
    vv: bool = False
    """Whether a "V/v ..." summary stands under the number (a công văn)."""
    page: int = 1


def _cut(text: str, folded: str, pattern: re.Pattern[str]) -> tuple[str, str, re.Match[str] | None]:
    """A line with the first match of `pattern` (in its folded twin) removed."""
    match = pattern.search(folded)
    if match is None:
        return text, folded, None
    a, b = match.span()
    return text[:a] + " " + text[b:], folded[:a] + " " + folded[b:], match


def _number(
    value: re.Match[str], header: Header, words: Sequence[tuple[str, float]] | None
) -> None:
    raw_number, raw_symbol = value.group(1), value.group(2)
    symbol = re.sub(r"\s+", "", raw_symbol).replace("Ð", "Đ").replace("ĐĐ", "Đ")
    header.symbol = repaired_symbol(re.sub(r"-{2,}", "-", symbol))
    header.blank_number = not raw_number
    if not raw_number:
        return
    header.written = raw_number
    header.written_sure = blanks.blank_confidence(
        raw_number, words, blanks.NUMBER_LABEL, blanks.NUMBER_FOLLOWS, within=blanks.HEADER_WORDS
    )


def _read_number(header: Header) -> None:
    """The number written after "Số:", judged once the dateline is read (a printed day
    vouches for a number typed with it)."""
    if not header.written:
        return
    sure, printed = header.written_sure, header.day_printed
    header.number = blanks.read_digits(header.written, sure, date_printed=printed)
    if header.number is not None:
        header.number_sure = NUMBER_SURE if header.written.isdigit() else REPAIRED_SURE


def _part(
    token: str,
    words: Sequence[tuple[str, float]] | None,
    label: re.Pattern[str],
    follows: re.Pattern[str],
) -> tuple[int | None, float]:
    """A day or month as printed or written, or None when it does not read as one; and
    Tesseract's confidence in the word holding it."""
    token = token.strip(".,")
    sure = blanks.blank_confidence(token, words, label, follows, within=blanks.HEADER_WORDS)
    value = blanks.read_digits(token, sure)
    return (int(value) if value is not None and len(value) <= 2 else None), sure


def _date(
    match: re.Match[str], text: str, header: Header, words: Sequence[tuple[str, float]] | None
) -> None:
    """The dateline's parts, `match` found in the folded twin of `text` (the day and month
    are taken from the text itself, so a look-alike letter keeps its case)."""
    header.year = int(match.group(3))
    month, day = (text[match.start(g) : match.end(g)] for g in (2, 1))
    header.month, _ = _part(month, words, blanks.MONTH_LABEL, blanks.MONTH_FOLLOWS)
    header.day, day_sure = _part(day, words, blanks.DAY_LABEL, blanks.DAY_FOLLOWS)
    if header.month is not None and not 1 <= header.month <= 12:
        header.month = header.day = None
    full = (
        header.day and header.month and to_date(str(header.day), str(header.month), match.group(3))
    )
    if not full:
        header.day = None
    header.day_printed = bool(full) and blanks.printed(day, day_sure)
    header.date_sure = 0.9 if full else 0.8 if header.month else 0.0


def _capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _agency_lines(lines: list[str], folded: list[str], stop: int) -> list[str]:
    """The capitals block standing right above line `stop` (the number), at most 3 lines."""
    block: list[str] = []
    for index in range(stop - 1, -1, -1):
        text = _SPECKS.sub("", " ".join(lines[index].split()))
        if not text:
            if block:
                break
            continue
        if not _capitals(text) or _WIDGET_NOISE.search(folded[index]) or len(block) == 3:
            break
        block.insert(0, text)
    while len(block) > 1 and not _AGENCY_HEAD.match(fold(block[0]).lower()):
        block.pop(0)  # a widget's capitals above the agency
    return block


def _summary(header: Header, lines: list[str], folded: list[str], start: int) -> None:
    """The trích yếu: a công văn's "V/v" lines, or the lines under the type's title."""
    taken: list[str] = []
    for index in range(start, min(len(lines), start + 5)):
        text = " ".join(lines[index].split())
        if not text or _BODY_START.match(folded[index]) or (taken and _capitals(text)):
            break
        if _MOTTO.search(folded[index]) or _NUMBER_LABEL.match(folded[index]):
            break
        if taken and re.match(r"[A-ZĐÀ-Ỹ][a-zà-ỹđ]", text) and not header.vv:
            break  # a capital word opening the body's first sentence, not a wrapped summary
        taken.append(text)
    if taken:
        header.summary = " ".join(taken)


def _header_line(
    header: Header,
    text: str,
    folded: str,
    words: Sequence[tuple[str, float]] | None,
    want_number: bool,
) -> tuple[str, bool]:
    """One header line read into `header` (number, date); what is left of it (the agency's
    part, the title) and whether it held the number."""
    text = text.replace("Ð", "Đ")  # OCR's look-alike (U+00D0) for Đ
    for _ in range(2):  # both motto lines may share one line read across the columns
        text, folded, _ = _cut(text, folded, _MOTTO)
    numbered = False
    label = _NUMBER_LABEL.search(folded)
    if want_number and label is not None:
        value = NUMBER.match(text, label.end())
        if value is not None and "-" in value.group(2):
            _number(value, header, words)
            numbered = True
            blank = " " * (value.end() - label.start())
            text = text[: label.start()] + blank + text[value.end() :]
            folded = folded[: label.start()] + blank + folded[value.end() :]
    dated = _DATELINE.search(folded) if header.year is None else None
    if dated is not None and not _BODY_START.match(folded):
        _date(dated, text, header, words)
        text = text[: dated.start()]
    return text.rstrip(), numbered


def read_header(page: Page, words: Sequence[tuple[str, float]] | None = None) -> Header | None:
    """The header of an administrative document's first page, or None when the page has no
    "Số: .../SYMBOL" line near an agency block or a dateline (it is not laid out as one)."""
    header = Header(page=page.number)
    raw_lines = page.text.split("\n")[:HEADER_LINES]
    raw_folded = page.folded.split("\n")[:HEADER_LINES]
    number_at: int | None = None
    for index, (text, folded) in enumerate(zip(raw_lines, raw_folded, strict=True)):
        kept, numbered = _header_line(header, text, folded, words, number_at is None)
        if numbered:
            number_at = index
        header.lines.append(kept)
    if number_at is None and header.year is None:
        return None
    _read_number(header)
    folded_lines = [fold(line).lower() for line in header.lines]
    stop = number_at if number_at is not None else _first_motto(raw_folded)
    header.agency = _agency_lines(header.lines, folded_lines, stop)
    if number_at is not None and (vv := _vv_line(folded_lines, number_at)) is not None:
        header.vv = True
        header.title_line = vv
    else:
        header.title_line = _title_after(header.lines, folded_lines, stop)
    if header.title_line is not None:
        start = header.title_line if header.vv else header.title_line + 1
        _summary(header, header.lines, folded_lines, start)
    return header


def _first_motto(folded: list[str]) -> int:
    return next((i for i, line in enumerate(folded) if _MOTTO.search(line)), len(folded))


def _vv_line(folded: list[str], number_at: int) -> int | None:
    """The line of a công văn's "V/v ..." under its number."""
    for index in range(number_at, min(len(folded), number_at + 4)):
        if re.match(r"^\s*v\s*/\s*v\b", folded[index]) or re.search(
            r"\sv\s*/\s*v\s", folded[index]
        ):
            return index
    return None


def _title_after(lines: list[str], folded: list[str], stop: int) -> int | None:
    """The first capitals line of a few words after the header block (the type's title)."""
    for index in range(stop + 1, len(lines)):
        text = lines[index].strip()
        if _BODY_START.match(folded[index]):
            return None
        if (
            _capitals(text)
            and 1 <= len(text.split()) <= 6
            and not _AGENCY_HEAD.match(folded[index].strip())
        ):
            return index
    return None


def agency_names(block: Sequence[str]) -> tuple[str | None, str | None]:
    """(parent, issuer) of an agency block: a line starting with a unit ("TỈNH QUẢNG NGÃI")
    continues the line above it; a complete name above another is its parent."""
    names: list[str] = []
    for line in block:
        if names and fold(line).lower().startswith(_UNITS):
            names[-1] = f"{names[-1]} {line}"
        else:
            names.append(line)
    if not names:
        return None, None
    if len(names) == 1:
        return None, names[0]
    return " ".join(names[:-1]), names[-1]


def signature_block(pages: list[Page]) -> tuple[Read | None, Read | None]:
    """(position, name) of the document's signer: the position lines after the first
    "Nơi nhận:" (the signature block stands beside it) and the name printed under them."""
    for page in pages:
        lines = page.text.split("\n")
        folded = page.folded.split("\n")
        start = next(
            (i for i, line in enumerate(folded) if line.strip().startswith("noi nhan")), None
        )
        if start is None:
            continue
        found = _signer_in(lines, folded, start)
        if found is not None:
            position, name = found
            return Read(position, page.number, 0.85), (
                Read(name, page.number, 0.75) if name else None
            )
    return None, None


def _signer_in(lines: list[str], folded: list[str], start: int) -> tuple[str, str | None] | None:
    roles: list[str] = []
    for index in range(start + 1, len(lines)):
        text = " ".join(lines[index].split())
        key = folded[index].strip()
        if _capitals(text) and POSITIONS.match(key) and len(text) < 60:
            roles.append(text)
            continue
        if roles and text and not _NOTE.match(key) and not _capitals(text):
            words = text.split()
            if 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words):
                return " / ".join(roles), text
        if roles and text and _capitals(text) and not POSITIONS.match(key):
            words = text.split()
            if 2 <= len(words) <= 5:
                return " / ".join(roles), text.title()
    return (" / ".join(roles), None) if roles else None


_UNIT_WORDS = {"tinh": "tỉnh", "huyen": "huyện", "xa": "xã", "phuong": "phường", "quan": "quận"}


def known_place(name: str, provinces: Iterable[str]) -> str:
    """A name whose province OCR misread ("Ủy ban nhân dân tĩnh Quang Ngài") spelt as the
    catalogue spells it, when its folded words are the province's."""
    words = name.split()
    folded = {fold(p).lower(): p for p in provinces}
    for index, word in enumerate(words):
        unit = _UNIT_WORDS.get(fold(word).lower())
        rest = fold(" ".join(words[index + 1 :])).lower()
        close = difflib.get_close_matches(rest, folded, n=1, cutoff=PLACE_MATCH)
        if unit == "tỉnh" and close:
            return " ".join([*words[:index], unit, folded[close[0]]])
    return name


def admin_fields(
    pages: list[Page],
    words: Sequence[Sequence[tuple[str, float]] | None] | None = None,
    provinces: Iterable[str] = (),
) -> dict[str, Read]:
    """The fields an administrative document's header and signature block give, each only
    when read with at least FIELD_SURE_CONFIDENCE; {} when page 1 is not laid out as one."""
    if not pages:
        return {}
    first_words = words[0] if words else None
    header = read_header(pages[0], first_words)
    if header is None:
        return {}
    found: dict[str, Read] = {}
    page = header.page
    if header.symbol:
        found["document_symbol"] = Read(header.symbol, page, 0.85)
        if header.number:
            found["number_symbol"] = Read(
                f"{header.number.zfill(2)}/{header.symbol}", page, header.number_sure
            )
    if header.year and header.month:
        if header.day:
            iso = f"{header.year:04d}-{header.month:02d}-{header.day:02d}"
            found["issue_date"] = Read(iso, page, header.date_sure)
        else:
            found["issue_month"] = Read(
                f"{header.year:04d}-{header.month:02d}", page, header.date_sure
            )
    parent, own = agency_names(header.agency)
    if own:
        body = known_place(agency_case(own), provinces)
        found["issuing_body"] = Read(body, page, 0.85 if header.symbol else 0.7)
    if parent:
        found["parent_body"] = Read(known_place(agency_case(parent), provinces), page, 0.8)
    if header.summary:
        found["summary"] = Read(header.summary, page, 0.7)
    position, name = signature_block(pages)
    if position:
        found["signer_position"] = position
    if name:
        found["signer_name"] = name
    return {
        key: value
        for key, value in found.items()
        if value.confidence >= defaults.FIELD_SURE_CONFIDENCE
    }
