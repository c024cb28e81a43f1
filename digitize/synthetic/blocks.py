"""Building blocks shared by the templates: headers, form fields, signature blocks."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from config.text import nfc
from digitize.synthetic.document import (
    Align,
    Column,
    Line,
    Mark,
    PageSize,
    Style,
    SyntheticDocument,
)
from digitize.synthetic.people import SEXES, random_name
from digitize.synthetic.places import Place
from digitize.synthetic.words import capitalize, long_date

DATELINE_FITS_COLUMN = 44
"""Longest dateline (characters) kept inside the signature column; longer ones are set
right-aligned across the page, as typed forms do."""

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def pick(rng: random.Random, *options: str) -> str:
    """One wording among alternatives, so a classifier cannot learn one phrasing."""
    return rng.choice(options)


class DocBuilder:
    """Accumulates the lines of a document page by page, and its ground-truth fields.

    Per-document choices are made once here (dotted leaders on fields or not, "Họ và tên"
    or "Họ, chữ đệm, tên") so a document is consistent with itself.
    """

    def __init__(
        self, doc_type: str, title: str, rng: random.Random, page_size: PageSize = "a4"
    ) -> None:
        self.doc_type = doc_type
        self.title = nfc(title)
        self.rng = rng
        self.page_size: PageSize = page_size
        self.leaders = rng.random() < 0.5
        self.pages: list[list[Line]] = [[]]
        self.fields: dict[str, str] = {}

    def add(self, *lines: Line) -> None:
        """Appends lines to the current page."""
        self.pages[-1].extend(lines)

    def new_page(self) -> None:
        """Starts the next page; templates decide page breaks, not the layout."""
        self.pages.append([])

    def text(
        self,
        text: str,
        *,
        indent: bool = False,
        italic: bool = False,
        bold: bool = False,
        align: Align = Align.LEFT,
    ) -> None:
        """A paragraph of running text."""
        self.add(
            Line(
                text,
                Style.BODY,
                align=align,
                italic=italic,
                bold=bold,
                indent_mm=10.0 if indent else 0.0,
            )
        )

    def field(self, label: str, value: str, *, leader: bool | None = None) -> None:
        """A "Label: value" form line; leaders as chosen for the document unless given."""
        use_leader = self.leaders if leader is None else leader
        self.add(Line(f"{label}: {value}", Style.FIELD, leader=use_leader))

    def fields_in_order(self, items: Sequence[tuple[str, str]], *, shuffle: bool) -> None:
        """Several fields, in a random order when the form's order varies in practice."""
        ordered = list(items)
        if shuffle:
            self.rng.shuffle(ordered)
        for label, value in ordered:
            self.field(label, value)

    def heading(self, text: str, *, align: Align = Align.LEFT) -> None:
        """A bold section heading ("I. THÔNG TIN...", "ĐIỀU 1.")."""
        self.add(Line(text, Style.HEADING, align=align, bold=True))

    def small(self, text: str, *, italic: bool = False, align: Align = Align.LEFT) -> None:
        """A line in small type: notes, register numbers, card labels."""
        self.add(Line(text, Style.SMALL, align=align, italic=italic))

    def space(self, height_mm: float, mark: Mark = Mark.NONE) -> None:
        """Blank space, with a mark (signature, seal, photo...) drawn in it."""
        self.add(Line("", Style.SPACE, mark=mark, height_mm=height_mm))

    def title_block(self, title: str, *subtitles: str) -> None:
        """The document's name in bold capitals, then centred subtitles (italic notes)."""
        self.add(Line(title.upper(), Style.TITLE, align=Align.CENTER, bold=True))
        for sub in filter(None, subtitles):
            self.add(Line(sub, Style.BODY, align=Align.CENTER, italic=sub.startswith("(")))

    def build(self, kind: str = "") -> SyntheticDocument:
        """The finished document; kind names unseen ("khac") kinds."""
        return SyntheticDocument(
            doc_type=self.doc_type,
            title=self.title,
            pages=tuple(tuple(page) for page in self.pages),
            fields={key: nfc(value) for key, value in self.fields.items()},
            page_size=self.page_size,
            kind=kind or self.doc_type,
        )


def national_header(b: DocBuilder) -> None:
    """The national header alone, centred: how citizens' forms start."""
    b.add(
        Line(NATION, Style.NATIONAL_HEADER, align=Align.CENTER, bold=True),
        Line(MOTTO, Style.MOTTO, align=Align.CENTER, bold=True, underline=True),
    )


def agency_header(
    b: DocBuilder, agency: Sequence[str], *, number: str | None, dateline: str | None
) -> None:
    """Two-column header of an agency's document: its name and number on the left, the
    national header and the dateline on the right (Decree 30/2020 layout)."""
    left = Column.LEFT
    right = Column.RIGHT
    lines = [
        Line(
            name.upper(),
            Style.NATIONAL_HEADER,
            align=Align.CENTER,
            column=left,
            bold=i == len(agency) - 1,
            underline=i == len(agency) - 1,
        )
        for i, name in enumerate(agency)
    ]
    if number:
        lines.append(Line(number, Style.BODY, align=Align.CENTER, column=left))
    lines += [
        Line(NATION, Style.NATIONAL_HEADER, align=Align.CENTER, column=right, bold=True),
        Line(MOTTO, Style.MOTTO, align=Align.CENTER, column=right, bold=True, underline=True),
    ]
    if dateline:
        lines.append(Line(dateline, Style.BODY, align=Align.CENTER, column=right, italic=True))
    b.add(*lines)


def dateline(place: str, day: dt.date) -> str:
    """The dateline above a signature, e.g. Xã An Khánh, ngày 05 tháng 3 năm 2025."""
    return f"{capitalize(place)}, {long_date(day)}"


def commune_agency(place: Place) -> tuple[str, str]:
    """Parent and own name of a commune People's Committee, as its header prints them."""
    return (f"UBND {place.district_full}", f"Ủy ban nhân dân {place.commune_full}")


def district_agency(place: Place) -> tuple[str, str]:
    """Parent and own name of a district People's Committee."""
    return (f"UBND {place.province_full}", f"Ủy ban nhân dân {place.district_full}")


def signature(
    b: DocBuilder,
    roles: Sequence[str],
    name: str,
    *,
    date_text: str | None = None,
    note: str | None = "(Ký, ghi rõ họ tên)",
    seal: bool = False,
    column: Column = Column.RIGHT,
) -> None:
    """A signature block: dateline, role(s) in bold capitals, note, signature, name."""
    lines: list[Line] = []
    if date_text and len(date_text) > DATELINE_FITS_COLUMN:
        b.add(Line(date_text, Style.BODY, align=Align.RIGHT, italic=True))
    elif date_text:
        lines.append(Line(date_text, Style.BODY, align=Align.CENTER, italic=True, column=column))
    lines += [
        Line(role.upper(), Style.SIGNATURE, align=Align.CENTER, bold=True, column=column)
        for role in roles
    ]
    if note:
        lines.append(Line(note, Style.SMALL, align=Align.CENTER, italic=True, column=column))
    mark = Mark.SEAL if seal else Mark.SIGNATURE
    lines.append(Line("", Style.SPACE, mark=mark, height_mm=20.0, column=column))
    lines.append(Line(name, Style.SIGNATURE, align=Align.CENTER, bold=True, column=column))
    b.add(*lines)


def two_signatures(
    b: DocBuilder, left: tuple[str, str], right: tuple[str, str], note: str = "(Ký, ghi rõ họ tên)"
) -> None:
    """Two parties signing side by side (contracts, powers of attorney): (role, name) each."""
    for (role, name), column in ((left, Column.LEFT), (right, Column.RIGHT)):
        b.add(
            Line(role.upper(), Style.SIGNATURE, align=Align.CENTER, bold=True, column=column),
            Line(note, Style.SMALL, align=Align.CENTER, italic=True, column=column),
            Line("", Style.SPACE, mark=Mark.SIGNATURE, height_mm=18.0, column=column),
            Line(name, Style.SIGNATURE, align=Align.CENTER, bold=True, column=column),
        )


def recipients(items: Sequence[str]) -> list[Line]:
    """The "Nơi nhận:" list, for the left column beside the signature block."""
    head = Line("Nơi nhận:", Style.SMALL, bold=True, italic=True, column=Column.LEFT)
    return [head, *(Line(f"- {item};", Style.SMALL, column=Column.LEFT) for item in items)]


def leader_signature(
    b: DocBuilder, roles: Sequence[str], name: str, *, seal: bool = True, left: Sequence[Line] = ()
) -> None:
    """An agency's signature block ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"),
    optionally beside left-column lines such as the recipients list."""
    b.add(*left)
    signature(b, roles, name, note=None, seal=seal)


def leader_roles(rng: random.Random, body: str = "Ủy ban nhân dân") -> tuple[list[str], str]:
    """Roles printed above a leader's name and the title of the signer."""
    if rng.random() < 0.5:
        return [f"TM. {body}", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Phó Chủ tịch"
    return [f"TM. {body}", "CHỦ TỊCH"], "Chủ tịch"


def official(rng: random.Random) -> str:
    """Name of an official or witness who is no one else in the case."""
    return random_name(rng, rng.choice(SEXES))
