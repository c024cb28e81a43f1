"""A document's own references: dossier code, number and symbol, issue date, issuing body.

Where a certification or notarization was added to a paper (a certified copy's stamp, the
notary's statement under a contract), its number, date and body are the document's (the
field schema, digitize.fieldnames); otherwise the "Số: 123/QĐ-UBND" under the agency's name,
the last dateline ("Xã An Khánh, ngày 05 tháng 3 năm 2025") and the agency named in the
header are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from config.identifiers import is_dossier_code
from config.text import fold
from digitize.extraction import blanks
from digitize.extraction.text import DATE_NUMERIC, DATE_WORDS, Page, digits, line_at, to_date

PageWords = Sequence[Sequence[tuple[str, float]] | None] | None
"""Per page, the OCR words with their confidences (None for a text layer), or None."""

_DOSSIER_LOOSE = re.compile(
    r"([0-9OoDlI]{3})\s?[.,]\s?([0-9OoDlI]{2})\s?[.,]\s?([0-9OoDlI]{2})\s?[.,]\s?([A-Z])"
    r"([0-9OoDlI]{2})\s?[-–—]\s?([0-9OoDlI]{6})\s?[-–—]\s?([0-9OoDlI]{4})"
)
_NUMBER_LABELS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"so chung thuc\s*:?\s*"), 0),
    (re.compile(r"so cong chung\s*:?\s*"), 0),
    (re.compile(r"so vao so cap gcn\s*:\s*"), 1),
    (re.compile(r"ma so ho kinh doanh\s*:\s*"), 1),
    (re.compile(r"^\s*so\s*:\s*", re.MULTILINE), 2),
)
"""Labels of a document's number, best first (certification, notarization, register...)."""
_NUMBER_VALUE = re.compile(r"[0-9A-ZĐ][0-9A-ZĐa-z]*(?:\s?[/\-]\s?[0-9A-ZĐ][0-9A-ZĐa-z.,]*)*")
_REGISTER_VALUE = re.compile(r"[A-Z]{2}\s?\d{4,6}|\d{2}[A-Z]\d{7,8}")
_DATELINE = re.compile(
    r"(?:^|,\s?)([^\W\d_][^\n,]{1,50}),\s?ngay\s*(\S{0,4}?)\s*thang\s*(\S{0,4}?)\s+nam\s+"
    r"((?:19|20)\d\d)",
    re.MULTILINE,
)
"""A dateline, folded: the place, then the day and month as written (a blank, ink, junk)."""
_HOM_NAY = re.compile(r"hom nay,?\s+ngay\s*(\S{0,4}?)\s*thang\s*(\S{0,4}?)\s+nam\s+((?:19|20)\d\d)")
_CERTIFIED_ON = re.compile(r"^\s*ngay\s+([0-3]?\d)/([01]?\d)/((?:19|20)\d\d),\s+tai", re.MULTILINE)
_REGISTERED_ON = re.compile(
    r"(ngay,? thang,? nam dang ky|ngay dang ky|dang ky lan dau|ngay,? thang,? nam cap|"
    r"date of issue|date, month, year)[^:\n]{0,20}:\s*"
)
CERTIFIED = re.compile(
    r"chung thuc ban sao dung voi ban chinh|loi chung thuc|loi chung cua cong chung"
)


@dataclass(frozen=True)
class Found:
    """A value and the page it was read on."""

    value: str
    page: int
    confidence: float


def dossier_code(pages: list[Page]) -> Found | None:
    """The first national dossier code (config.identifiers.DOSSIER_CODE: the structure the
    portal syncs under Decree 118/2025/NĐ-CP) with a real date, read through the look-alike
    letters and stray spaces OCR puts in it."""
    for page in pages:
        for match in _DOSSIER_LOOSE.finditer(page.text):
            a, b, c, _, d, day, serial = (digits(g) for g in match.groups())
            code = f"{a}.{b}.{c}.{match.group(4)}{d}-{day}-{serial}"
            exact = match.group() == code
            if is_dossier_code(code):
                return Found(code, page.number, 0.97 if exact else 0.85)
    return None


def _number_hits(page: Page) -> Iterator[tuple[int, int, str]]:
    for pattern, rank in _NUMBER_LABELS:
        for match in pattern.finditer(page.folded):
            end = line_at(page.text, match.end())[1]
            rest = page.text[match.end() : end]
            value_re = _REGISTER_VALUE if rank == 1 else _NUMBER_VALUE
            value = value_re.match(rest)
            if value and any(ch.isdigit() for ch in value.group()):
                cleaned = re.sub(r"\s?([/\-])\s?", r"\1", value.group()).rstrip(".,")
                junk = re.match(r"[^\s,.;:)]*", rest[value.end() :])
                tail = junk.group().rstrip("_") if junk else ""  # "90_": the blank's line
                if rank != 1 and tail:  # "4†‡ /QĐ": the whole word
                    cleaned = value.group() + tail
                yield rank, page.offset + match.start(), cleaned


_NUMBER_WORD = re.compile(r"^s[o06]\s*[:;.]\s*|^(?:thuc|chung)\s*[:;.]?\s*$")
"""The word before a document's or a certification's number ("Số:", "Số chứng thực:")."""
_ANY = re.compile("")
_COLON = re.compile(r":\s*")
"""The end of a label ("Ngày đăng ký:"), in the word before its value or glued to it."""


def _as_print(
    value: str, words: Sequence[tuple[str, float]] | None, date_printed: Callable[[], bool]
) -> str | None:
    """A "Số:" or certification number (often written or stamped by hand) with its number
    part read as print (digitize.extraction.blanks), or None when that part is not; one
    Tesseract was unsure of is print when `date_printed()` (asked only then) says so."""
    head = re.match(r"[^/\-]*", value)
    number = head.group() if head else ""
    sure = blanks.blank_confidence(number, words, _NUMBER_WORD, _ANY)
    read = blanks.read_digits(number, sure)
    if read is None and date_printed():
        read = blanks.read_digits(number, sure, date_printed=True)
    return None if read is None else read + value[len(number) :]


def number_symbol(pages: list[Page], words: PageWords = None) -> Found | None:
    """The document's number and symbol: a certification's or notarization's number where
    one was added, else a register or business code, else the "Số:" nearest the top. A
    number that does not read as print is not given (nor is another in its place); one
    Tesseract was unsure of reads as print when the document's date does (it was typed
    with the number)."""
    hits = [
        (rank, pos, value, page.number) for page in pages for rank, pos, value in _number_hits(page)
    ]
    if not hits:
        return None
    certified = [h for h in hits if h[0] == 0]
    rank, _, value, number = certified[-1] if certified else min(hits)
    if rank != 1:  # a register's or business code is printed
        read = _as_print(value, _page_words(words, number), lambda: _issue_date(pages, words)[1])
        if read is None:
            return None
        value = read
    return Found(value, number, 0.9 if rank < 2 else 0.85)


def _page_words(words: PageWords, number: int) -> Sequence[tuple[str, float]] | None:
    return words[number - 1] if words and number <= len(words) else None


def _dates(page: Page, words: PageWords) -> Iterator[tuple[int, str | None, bool]]:
    """Each dateline's (position, ISO date, whether its day is sure print), the date None
    for one whose day or month does not read as print (written by hand into the blank)."""
    page_words = _page_words(words, page.number)
    for pattern in (_DATELINE, _HOM_NAY, _CERTIFIED_ON):
        for match in pattern.finditer(page.folded):
            last = pattern.groups
            written = [page.text[match.start(g) : match.end(g)] for g in (last - 2, last - 1)]
            dd_mm_yyyy = pattern is _CERTIFIED_ON  # one word: its day's confidence
            follows = _ANY if dd_mm_yyyy else blanks.DAY_FOLLOWS
            sure = blanks.blank_confidence(written[0], page_words, blanks.DAY_LABEL, follows)
            day = blanks.read_digits(written[0], sure)
            month = (
                written[1]
                if dd_mm_yyyy
                else _read_part(written[1], page_words, blanks.MONTH_LABEL, blanks.MONTH_FOLLOWS)
            )
            value = to_date(day, month, match.group(last)) if day and month else None
            printed = value is not None and blanks.printed(written[0], sure)
            yield page.offset + match.start(), value.isoformat() if value else None, printed


def _read_part(
    token: str,
    words: Sequence[tuple[str, float]] | None,
    label: re.Pattern[str],
    follows: re.Pattern[str],
) -> str | None:
    """A day or month written into a blank, as digits, or None when it does not read as print."""
    return blanks.read_digits(token, blanks.blank_confidence(token, words, label, follows))


def issue_date(pages: list[Page], words: PageWords = None) -> Found | None:
    """The last dateline, "Hôm nay, ngày ..." or certification date of the document (a
    stamp or statement added later comes last), None when its day or month does not read
    as print; else a registration or issue date label."""
    return _issue_date(pages, words)[0]


def _issue_date(pages: list[Page], words: PageWords) -> tuple[Found | None, bool]:
    """issue_date's answer, and whether its day reads as sure print (blanks.printed): the
    document was then numbered in print too."""
    found = [
        (pos, value, page.number, printed)
        for page in pages
        for pos, value, printed in _dates(page, words)
    ]
    if found:
        _, latest, number, printed = max(found, key=lambda f: f[0])
        return (Found(latest, number, 0.85) if latest else None), printed
    for page in pages:
        for match in _REGISTERED_ON.finditer(page.folded):
            window = page.text[match.end() : match.end() + 30]
            numeric = DATE_NUMERIC.match(window)
            in_words = DATE_WORDS.match(page.folded[match.end() : match.end() + 40])
            hit = numeric or in_words
            if hit and (day := to_date(*hit.groups())):
                page_words = _page_words(words, page.number)
                if numeric:  # "Ngày đăng ký: 17/08/2012": the word holding the whole date
                    sure = blanks.blank_confidence(hit.group(), page_words, _COLON, _ANY)
                else:
                    sure = blanks.blank_confidence(
                        hit.group(1), page_words, blanks.DAY_LABEL, blanks.DAY_FOLLOWS
                    )
                printed = blanks.printed(hit.group(1), sure)
                return Found(day.isoformat(), page.number, 0.8), printed
    return None, False


_VALID_UNTIL = re.compile(
    r"(co gia tri den|ngay,? thang,? nam het han|date of expiry)[^:\n]{0,20}:\s*"
)
"""Labels of a card's printed validity (front "Có giá trị đến", the 2024 card's back)."""
_NO_LIMIT = re.compile(r"khong (?:thoi han|xac dinh)")
NO_LIMIT = "Không thời hạn"
"""The value of `valid_until` on a document valid without limit."""


def valid_until(pages: list[Page]) -> Found | None:
    """The validity printed on the document (an ID card's "Có giá trị đến: 07/10/2031"):
    the ISO date, or NO_LIMIT for "Không thời hạn"; None when nothing is printed or read."""
    for page in pages:
        for match in _VALID_UNTIL.finditer(page.folded):
            window = page.text[match.end() : match.end() + 30]
            numeric = DATE_NUMERIC.match(window)
            if numeric and (day := to_date(*numeric.groups())):
                return Found(day.isoformat(), page.number, 0.85)
            if _NO_LIMIT.match(page.folded[match.end() : match.end() + 30]):
                return Found(NO_LIMIT, page.number, 0.85)
    return None


_UNIT = re.compile(r"\b(xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tỉnh)\b", re.IGNORECASE)
_CAPITALIZED = frozenset({"y", "đa", "phụ", "kinh", "tài", "công", "cảnh", "tư", "nội"})
"""Words agency names capitalize after their head word: Sở Y tế, Bệnh viện Đa khoa..."""
_HEADER_NOISE = re.compile(
    r"(cộng hòa xã hội chủ nghĩa việt nam|cộng hoà xã hội chủ nghĩa việt nam|độc lập\s*-\s*tự do"
    r"\s*-\s*hạnh phúc|[^\n,]{1,50},\s*ngày\s+\d.*$|số\s*:.*$)",
    re.IGNORECASE | re.MULTILINE,
)
_AGENCY_START = re.compile(
    r"(ubnd|uy ban|so |bo |cong an|phong |trung tam|benh vien|tram |cuc |van phong|truong |"
    r"toa an|chi cuc|ngan hang|cong ty)"
)
"""How the parent agency line of a two-column header starts (folded)."""
_BODY_LABEL = re.compile(
    r"(noi dang ky khai sinh|noi dang ky ket hon|co quan dang ky|noi dang ky)\s*:\s*"
)
_BODY_STATEMENT = re.compile(r"\btai ((?:uy ban nhan dan|van phong cong chung)[^,\n]{2,60}),")
_CARD_BODIES = (
    (
        "cuc truong cuc canh sat quan ly hanh chinh",
        "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
    ),
    ("bo cong an / ministry", "Bộ Công an"),
)


def agency_case(text: str) -> str:
    """An agency's name as running text writes it: "ỦY BAN NHÂN DÂN HUYỆN TIÊN TIẾN" ->
    "Ủy ban nhân dân huyện Tiên Tiến"."""
    text = re.sub(r"\bUBND\b", "Ủy ban nhân dân", " ".join(text.split()))
    units = list(_UNIT.finditer(text))
    cut = units[-1].end() if units else len(text)
    head = [w.lower() for w in text[:cut].split()]
    cased = [w.capitalize() if i == 0 or w in _CAPITALIZED else w for i, w in enumerate(head)]
    tail = [w.capitalize() if w.isupper() or w.islower() else w for w in text[cut:].split()]
    return " ".join(cased + tail)


def _header_agency(page: Page) -> str | None:
    """The agency heading the first page (left column of a Decree 30/2020 header)."""
    head = "\n".join(page.text.splitlines()[:7])
    chunks = [c.strip(" -_:") for c in _HEADER_NOISE.sub("\n", head).splitlines()]
    names = [c for c in chunks if len(c) > 3 and sum(ch.isupper() for ch in c) > len(c) / 2]
    if len(names) < 2 or not _AGENCY_START.match(fold(names[0]).lower()):
        return None
    parent, own = names[0], names[1]
    if len(names) > 2 and own.split()[-1].lower() in ("xã", "phường", "huyện", "tỉnh", "quận"):
        own = f"{own} {names[2]}"  # a name wrapped onto the next header line
    if own.lower().startswith("bộ phận"):
        return agency_case(parent.replace("UBND", "Ủy ban nhân dân"))
    if not _UNIT.search(own) and (unit := _UNIT.search(parent)):
        own = f"{own} {parent[unit.start() :]}"
    return agency_case(own)


def _certifier(pages: list[Page]) -> Found | None:
    """The body that certified a copy or signatures, or notarized: its statement names it
    ("tại Ủy ban nhân dân xã X, tôi ..."); a copy's stamp only dates it at a commune."""
    for page in reversed(pages):
        statement = next(_BODY_STATEMENT.finditer(page.folded), None)
        if statement is not None:
            body = page.text[statement.start(1) : statement.end(1)]
            return Found(agency_case(body), page.number, 0.8)
        places = list(_DATELINE.finditer(page.folded))
        if places and "chung thuc ban sao" in page.folded:
            place = page.text[places[-1].start(1) : places[-1].end(1)].strip()
            body = f"Ủy ban nhân dân {place[:1].lower()}{place[1:]}"
            return Found(agency_case(body), page.number, 0.7)
    return None


def _registrar(pages: list[Page]) -> Found | None:
    """The body a certificate says registered it ("Nơi đăng ký khai sinh: ...")."""
    for page in pages:
        for match in _BODY_LABEL.finditer(page.folded):
            end = line_at(page.text, match.end())[1]
            value = page.text[match.end() : end].split(",")[0].strip()
            if len(value) > 5:
                return Found(agency_case(value), page.number, 0.8)
        statement = next(_BODY_STATEMENT.finditer(page.folded), None)
        if statement is not None:
            body = page.text[statement.start(1) : statement.end(1)]
            return Found(agency_case(body), page.number, 0.75)
    return None


def _card_issuer(pages: list[Page]) -> Found | None:
    for key, name in _CARD_BODIES:
        for page in pages:
            if key in page.folded:
                return Found(name, page.number, 0.8)
    return None


def issuing_body(pages: list[Page]) -> Found | None:
    """Who issued or certified the document, in sentence case: a certifier or notary when
    one added their statement, else a registrar named by label, the ID card's issuer, or
    the agency heading the first page."""
    if any(CERTIFIED.search(page.folded) for page in pages) and (found := _certifier(pages)):
        return found
    found = _registrar(pages) or _card_issuer(pages)
    if found is None and pages and (agency := _header_agency(pages[0])):
        found = Found(agency, pages[0].number, 0.6)
    return found
