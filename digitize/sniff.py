"""Refusing what is not a document before anything parses it: size, emptiness, real type."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from config.errors import CorruptFile, EmptyFile, FileTooLarge, UnsupportedType

HEAD_BYTES = 1024
"""PDF readers accept junk before %PDF- within the first kilobyte; so does sniffing."""


class MediaType(StrEnum):
    """The file types sohoa digitizes, recognised by their bytes, never by their name."""

    PDF = "application/pdf"
    JPEG = "image/jpeg"
    PNG = "image/png"
    TIFF = "image/tiff"


_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", MediaType.JPEG),
    (b"\x89PNG\r\n\x1a\n", MediaType.PNG),
    (b"II*\x00", MediaType.TIFF),
    (b"MM\x00*", MediaType.TIFF),
)

_KNOWN_OTHERS = (
    (b"PK\x03\x04", "a ZIP archive (e.g. a Word or Excel file)"),
    (b"GIF8", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"RIFF", "a RIFF file (e.g. WebP)"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
    (b"{\\rtf", "an RTF document"),
    (b"<", "an HTML or XML file"),
)


def sniff(head: bytes) -> MediaType | None:
    """The media type the first bytes of a file announce, if one sohoa digitizes."""
    for magic, media in _IMAGE_MAGIC:
        if head.startswith(magic):
            return media
    if b"%PDF-" in head[:HEAD_BYTES]:
        return MediaType.PDF
    return None


def _describe(head: bytes) -> str:
    for magic, what in _KNOWN_OTHERS:
        if head.lstrip().startswith(magic):
            return what
    if head and all(32 <= b < 127 or b in b"\t\r\n" for b in head[:512]):
        return "plain text"
    return "not a PDF, JPEG, PNG or TIFF file"


def check_file(path: Path, *, max_bytes: int, name: str | None = None) -> MediaType:
    """The file's media type, or the reason it is refused (naming the file)."""
    name = name or path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as e:
        raise CorruptFile(name, f"cannot be read: {e.strerror or e}") from e
    return check_head(head, size, max_bytes=max_bytes, name=name)


def check_head(head: bytes, size: int, *, max_bytes: int, name: str) -> MediaType:
    """check_file on a file already open: its first HEAD_BYTES bytes and its size (the inbox
    opens a file once, without following links, and judges what it opened)."""
    if size == 0:
        raise EmptyFile(name, "is empty (0 bytes)")
    if size > max_bytes:
        raise FileTooLarge(name, f"is {size} bytes, more than the limit of {max_bytes}")
    media = sniff(head)
    if media is None:
        raise UnsupportedType(name, f"is {_describe(head)}")
    return media
