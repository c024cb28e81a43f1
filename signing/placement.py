"""Where stamps and fields go: found from the document's own text, with fixed fallbacks.

An official document ends with its signature block (Decree 30/2020, Appendix I): the
capacity line ("TM. ỦY BAN NHÂN DÂN"), the signer's title ("CHỦ TỊCH"), a blank space
for the signature and seal, then the signer's name. Page 1 carries "Số: ..." under the
issuing body and the place and date line ("..., ngày ... tháng ... năm ...").
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf

from config.text import fold
from signing._exec.pdftotext import PageLines, many_page_lines, page_lines

log = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"^[0-9.…_]+$")
"""What a draft puts after "Số:" before văn thư numbers it: dots, or a number."""

_BOOK_PLACEHOLDER = re.compile(r"^[0-9./…_-]+$")
"""What a draft puts after "Quyển số:" before văn thư numbers it: dots, or a book ("01/2026")."""

_DATELINE = re.compile(r",\s*ngay\b.*\bthang\b.*\bnam\b")

Box = tuple[float, float, float, float]
"""x0, y0, x1, y1 in PDF points, origin bottom left."""

PERSON_STAMP_WIDTH = 250.0
PERSON_STAMP_MIN_HEIGHT = 52.0
SEAL_SIZE = 95.0
"""Points: about the 34-36 mm of a commune's or district's round seal."""
SEAL_TEXT_HEIGHT = 15.0
NUMBER_FIELD_WIDTH = 48.0
"""Points: room for "1234/QĐ-UBND" at a reduced size, without covering what follows."""
IMAGE_SHARE = 0.42
"""Share of a person stamp's width the signature image may take (see stamps.py)."""


@dataclass(frozen=True)
class PageLayout:
    """What placement needs to know of a document's first and last pages."""

    page_count: int
    first_size: tuple[float, float]
    last_size: tuple[float, float]
    first_lines: tuple[tuple[str, Box], ...]
    last_lines: tuple[tuple[str, Box], ...]
    first_words: tuple[tuple[str, Box], ...] = ()


async def read_layout(pdf: bytes, page_count: int | None = None) -> PageLayout:
    """The text lines of the first and last pages, with their boxes."""
    if page_count is None:
        page_count = count_pages(pdf)
    return _layout(page_count, await page_lines(pdf, [1, page_count]))


async def read_layouts(pdfs: Sequence[bytes]) -> list[PageLayout]:
    """read_layout of several documents, with one run of pdftotext for them all."""
    counts = [count_pages(pdf) for pdf in pdfs]
    pages = await many_page_lines([(pdf, [1, n]) for pdf, n in zip(pdfs, counts, strict=True)])
    return [_layout(n, found) for n, found in zip(counts, pages, strict=True)]


def _layout(page_count: int, pages: dict[int, PageLines]) -> PageLayout:
    empty: PageLines = ((595.0, 842.0), (), ())
    first, last = pages.get(1, empty), pages.get(page_count, empty)
    return PageLayout(
        page_count=page_count,
        first_size=first[0],
        last_size=last[0],
        first_lines=first[1],
        last_lines=last[1],
        first_words=first[2],
    )


def count_pages(pdf: bytes) -> int:
    """The number of pages (the page tree's /Count, read without parsing the pages)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return len(doc.pages)


def person_stamp_box(layout: PageLayout, title: str) -> tuple[int, Box]:
    """Page index and box for a person's stamp: between the title line and the name below.

    The last line of the last page reading the title (case and diacritics ignored) marks
    the block; without one, the stamp goes at the bottom right of the last page.
    """
    width, _ = layout.last_size
    page = layout.page_count - 1
    wanted = fold(title)
    lines = layout.last_lines
    hits = [i for i, (text, _) in enumerate(lines) if wanted and fold(text).endswith(wanted)]
    if not hits:
        log.info("no %r line on the last page; stamp at the bottom right", title)
        return page, (width - 300, 90, width - 50, 90 + PERSON_STAMP_MIN_HEIGHT + 10)
    title_box = lines[hits[-1]][1]
    below = [box for _, box in lines[hits[-1] + 1 :] if box[3] < title_box[1]]
    name_top = below[0][3] if below else title_box[1] - PERSON_STAMP_MIN_HEIGHT - 4
    top = title_box[1] - 1
    bottom = min(name_top + 1, top - PERSON_STAMP_MIN_HEIGHT)
    centre = (title_box[0] + title_box[2]) / 2
    x0 = max(10.0, min(centre - PERSON_STAMP_WIDTH * 0.3, width - PERSON_STAMP_WIDTH - 10))
    return page, (x0, bottom, x0 + PERSON_STAMP_WIDTH, top)


def seal_box(person_box: Box, image_aspect: float) -> Box:
    """The seal's box: over the left third of the signature image in the person's stamp,
    its centre level with the stamp's centre (Decree 30/2020, Appendix I)."""
    x0, y0, x1, y1 = person_box
    image_w = min((x1 - x0) * IMAGE_SHARE, (y1 - y0) * image_aspect)
    right = x0 + image_w / 3
    centre_y = (y0 + y1) / 2
    bottom = centre_y - SEAL_SIZE / 2 - SEAL_TEXT_HEIGHT
    return (right - SEAL_SIZE, bottom, right, centre_y + SEAL_SIZE / 2)


def copy_notice_box(layout: PageLayout) -> tuple[int, Box]:
    """Top right of page 1, in the top margin, for the electronic-copy notice."""
    width, height = layout.first_size
    return 0, (width - 230, height - 50, width - 18, height - 8)


def digitized_notice_box(layout: PageLayout) -> tuple[int, Box]:
    """Top left of page 1, in the top margin, for the clerk's digitization notice."""
    width, height = layout.first_size
    return 0, (18, height - 50, min(300, width - 18), height - 8)


def number_field_box(layout: PageLayout) -> tuple[int, Box] | None:
    """After the "Số:" label on page 1: over the draft's placeholder (dots, or a number
    typed in the draft) up to the next word ("/QĐ-UBND"), if there is one. Where "Quyển
    số:" and its placeholder follow on the line (a civil-status result: "Số: …, Quyển số:
    …"), over them too: văn thư writes the number and the book together
    (signing.flow.results; a result whose type names no book shows the number alone)."""
    words = layout.first_words
    for i, (text, box) in enumerate(words):
        if fold(text) != "so:":
            continue
        x0 = box[2] + 2
        end = x0 + NUMBER_FIELD_WIDTH
        line = _same_line(words[i + 1 :], box)
        book_end = _book_end(line)
        if book_end is not None:
            return 0, (x0, box[1] - 2, book_end + 2, box[3] + 2)
        for later, later_box in line:
            if not _PLACEHOLDER.match(later):
                end = min(end, later_box[0] - 2)
                break
        return 0, (x0, box[1] - 2, max(end, x0 + 24), box[3] + 2)
    return None


def _same_line(words: Sequence[tuple[str, Box]], first: Box) -> list[tuple[str, Box]]:
    """The words that follow on the line of `first`."""
    line = []
    for text, box in words:
        if abs(box[1] - first[1]) > 3:
            break
        line.append((text, box))
    return line


def _book_end(line: Sequence[tuple[str, Box]]) -> float | None:
    """Where the draft's "Quyển số: <placeholder>" ends, when it comes right after the
    number's placeholder; None when the line goes on otherwise."""
    for j, (text, _) in enumerate(line):
        if _PLACEHOLDER.match(text.rstrip(",")):
            continue
        if fold(text) != "quyen" or j + 1 >= len(line) or fold(line[j + 1][0]) != "so:":
            return None
        end = line[j + 1][1][2]
        for later, later_box in line[j + 2 :]:
            if not _BOOK_PLACEHOLDER.match(later):
                break
            end = later_box[2]
        return end
    return None


def date_field_box(layout: PageLayout) -> tuple[int, Box] | None:
    """Over the "ngày ... tháng ... năm ..." part of the place and date line ("Hòa Bình,
    ngày 14 tháng 3 năm 2025"): on page 1 in decisions, above the signature block in
    certificates. Dates of birth ("Ngày, tháng, năm sinh") are not it: no place before."""
    pages = [(0, layout.first_lines), (layout.page_count - 1, layout.last_lines)]
    for page, lines in pages:
        for text, box in lines:
            match = _DATELINE.search(fold(text))
            if match:
                share = (match.start() + 1) / max(len(text), 1)
                x0 = box[0] + (box[2] - box[0]) * share - 2
                return page, (x0, box[1] - 2, box[2] + 2, box[3] + 2)
    return None
