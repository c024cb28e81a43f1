"""The document model templates produce: pages of styled lines plus the ground-truth fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from config.text import nfc

PageSize = Literal["a4", "card"]


class Style(StrEnum):
    """What a line is on the page; the renderer turns it into a font size and spacing."""

    NATIONAL_HEADER = "national_header"
    """The national header (CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM) and agency names, bold."""
    MOTTO = "motto"
    """The motto (Độc lập - Tự do - Hạnh phúc), bold and underlined."""
    TITLE = "title"
    """The document's name, bold capitals, centred."""
    HEADING = "heading"
    """Section headings ("I. THÔNG TIN NGƯỜI YÊU CẦU", "Điều 1.")."""
    BODY = "body"
    """Running text, wrapped to the column."""
    FIELD = "field"
    """A form field, "Label: value", sometimes with a dotted leader to the margin."""
    SIGNATURE = "signature"
    """The signer's role and name in a signature block, bold."""
    SMALL = "small"
    """Notes, footers, "Nơi nhận" lists, card labels."""
    SPACE = "space"
    """Blank vertical space (height_mm), where a mark (signature, seal, photo) is drawn."""


class Align(StrEnum):
    """Horizontal alignment of a line inside its column."""

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class Column(StrEnum):
    """Where a line sits across the page.

    Consecutive LEFT/RIGHT lines form a two-column block laid out side by side: the agency
    name beside the national header, "Nơi nhận" beside the signature block.
    """

    FULL = "full"
    LEFT = "left"
    RIGHT = "right"


class Mark(StrEnum):
    """A graphic drawn in a SPACE line: what makes a scan look like a real paper."""

    NONE = ""
    SIGNATURE = "signature"
    """A handwritten scribble above the signer's name."""
    SEAL = "seal"
    """A signature scribble under a round official seal (result documents)."""
    PHOTO = "photo"
    """A 3x4 portrait box (ID cards, personal history statements)."""
    SKETCH = "sketch"
    """A land parcel sketch (land use right certificates)."""
    QR = "qr"
    """A QR-like square (chip ID cards, e-government receipts)."""
    FINGERPRINT = "fingerprint"
    """A fingerprint box (the back of an ID card)."""


@dataclass(frozen=True)
class Line:
    """One logical line of a page; long BODY/FIELD lines wrap when laid out."""

    text: str
    style: Style = Style.BODY
    align: Align = Align.LEFT
    bold: bool = False
    italic: bool = False
    column: Column = Column.FULL
    underline: bool = False
    """A short rule under the text, as under the motto and agency names."""
    leader: bool = False
    """Dotted leader from the end of the text to the column's edge, as on printed forms."""
    mark: Mark = Mark.NONE
    height_mm: float = 0.0
    """Height of a SPACE line."""
    indent_mm: float = 0.0
    """First-line indent of a paragraph."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", nfc(self.text))


@dataclass(frozen=True)
class SyntheticDocument:
    """A generated document: what to draw, and what a perfect reader would extract."""

    doc_type: str
    """Catalogue code (config/data/document_types.yaml), or "khac" for unseen kinds."""
    title: str
    """The title as printed, in sentence case."""
    pages: tuple[tuple[Line, ...], ...]
    fields: dict[str, str] = field(default_factory=dict)
    """Ground truth: id_number, full_name, date_of_birth (ISO), number_symbol, issue_date
    (ISO), issuing_body... only the ones the document shows."""
    page_size: PageSize = "a4"
    kind: str = ""
    """Finer name of the generated kind (e.g. "water_bill" for a "khac" document)."""

    def page_text(self, index: int) -> str:
        """Truth text of one page: its non-empty lines in logical order, one per line."""
        return "\n".join(line.text for line in self.pages[index] if line.text)

    @property
    def text(self) -> str:
        """Truth text of the whole document, pages separated by a form feed."""
        return "\f".join(self.page_text(i) for i in range(len(self.pages)))
