"""Hostile input files, generated (never committed): what an attacker or a broken scanner
hands a one-stop office. Each function writes one file and returns its path."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from tests.storage.archive_support import jpeg_bytes, pdf_bytes


def random_bytes_named_pdf(directory: Path) -> Path:
    """Noise with a .pdf name."""
    path = directory / "noise.pdf"
    path.write_bytes(random.Random(8).randbytes(64 * 1024))
    return path


def jpeg_pdf_polyglot(directory: Path) -> Path:
    """Starts as a JPEG, carries a PDF inside: read as what its first bytes say."""
    path = directory / "polyglot-jpeg.pdf"
    path.write_bytes(b"\xff\xd8\xff\xfe\x00\x10" + b"%PDF-1.7 x" + b"\x00" * 4 + pdf_bytes(1, 3))
    return path


def pdf_zip_polyglot(directory: Path) -> Path:
    """A real PDF with a ZIP archive (holding an .exe name) appended after %%EOF."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ" + b"\x00" * 200)
    path = directory / "polyglot-zip.pdf"
    path.write_bytes(pdf_bytes(1, 4) + buffer.getvalue())
    return path


def _action(pdf: pikepdf.Pdf, kind: str, **entries: pikepdf.Object) -> pikepdf.Object:
    action = Dictionary(Type=Name.Action, S=Name("/" + kind))
    for key, value in entries.items():
        action[Name("/" + key)] = value
    return pdf.make_indirect(action)


def active_content_pdf(directory: Path, *, certified: bool = False) -> Path:
    """JavaScript on opening and as a document script, a launch action on a link, an
    automatic page action, and an attached executable. `certified`: also a /Perms entry,
    so sohoa must keep it byte for byte (as a signed PDF)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.Root.OpenAction = _action(pdf, "JavaScript", JS=String("app.alert('owned')"))
    script = _action(pdf, "JavaScript", JS=String("this.exportDataObject({cName:'a'})"))
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("x"), script])))
    page = pdf.pages[0].obj
    page.AA = Dictionary(O=_action(pdf, "JavaScript", JS=String("1")))
    launch = _action(pdf, "Launch", F=String("cmd.exe"))
    link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 100, 100]), A=launch)
    page.Annots = Array([pdf.make_indirect(link)])
    spec = pikepdf.AttachedFileSpec(pdf, b"MZ" + b"\x00" * 100, filename="invoice.exe")
    pdf.attachments["invoice.exe"] = spec
    if certified:
        pdf.Root.Perms = Dictionary(DocMDP=pdf.make_indirect(Dictionary(Type=Name.Sig)))
    path = directory / ("certified-active.pdf" if certified else "active.pdf")
    pdf.save(path)
    return path


def _raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF written by hand from its objects' bodies, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


FUZZED_PAGE_TREE = bytes.fromhex(
    "255044462d312e370a25c2a5c2b1c3ab0a312030206f626a0a3c3c0a2f54797065202f436174616c6f670a2f"
    "50616765732033203020520a3e3e0a656e646f626a0a322030206f626a0a3c3c0a2f50726f64756370286548"
    "722079616e6b6f20305c303536395c303536305c30353564657631290a3e3e0a656e646f626a0a332030206f"
    "626a0a3c3c0a2b54797065202f50616765730a2f436f756e7420320a2f4d65646961426f78205b2030203020"
    "35393520383432205d0a2f4b696473205b203520302052203c3c0a2f54797065202f506167650a2f50617265"
    "6e742033203020520a2f5265736f7572636573203c3c0a3e3e0a2f436f6e74656e74732034203020520a3e3e"
    "205d0a3e3e0a656e646f626a0a342030206f626a0a3c3c0a2f4c656e67746820300a3e3e0a737472e30ccfd4"
    "3fcfcddc7cfffe2c96a7cabb5c477a73a4b712e9ed84782b917e508da85650ada01a518da856508d3118d58c"
    "6aa516a31a51dda86e5407aa175427aa13d50baa175427aa13d50baa7306a3ba51bdd46254276a19b58c5a0a"
    "3e3e0a656e646f626a0a787265660a3020360a303030303030303030302036353533352066200a3030303030"
    "3030303137203030303030206e200a30303030303030303636203030303030206e200a303030303030303130"
    "30302032373030206e200a30303030303030323737203030303030206e200a30303030303030333236203030"
    "303030206e200a747261696c65720a3c3c0a2f526f6f742031203020520a2f496e666f2032203020520a2f49"
    "44205b203c38333233303664636330313561636337393338646239376533613232643032613e203c30373030"
    "643234653534653066383631363431326264646663373062343564313e205d0a2f53697a6520360a3e3e0a73"
    "74617274787265660a3430360a25257e454f460a"
)
"""The 680-byte input atheris found (tests/fuzz): a page tree qpdf cannot flatten
("/Count is wrong"), raising QpdfRuntimeError, which open_pdf did not expect."""


def fuzzed_page_tree(directory: Path) -> Path:
    """The fuzzer's page tree that qpdf gives up on."""
    path = directory / "fuzzed-tree.pdf"
    path.write_bytes(FUZZED_PAGE_TREE)
    return path


def looping_pdf(directory: Path) -> Path:
    """A page tree whose node lists itself among its kids, and a page that is its own parent's
    parent: walking it naively never ends."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 4 0 R >>",
        b"<< /XObject 4 0 R /Font << /F1 4 0 R >> >>",
    ]
    path = directory / "loop.pdf"
    path.write_bytes(_raw_pdf(objects))
    return path


def ten_thousand_pages(directory: Path) -> Path:
    """A 10,000-page PDF (small: every page blank)."""
    pdf = pikepdf.new()
    for _ in range(10_000):
        pdf.add_blank_page(page_size=(595, 842))
    path = directory / "10000-pages.pdf"
    pdf.save(path)
    return path


def png_bomb(directory: Path, side: int = 30_000) -> Path:
    """A 30,000 x 30,000 (900 Mpx) PNG of about 100 KB: zeros compress away."""
    row = b"\x00" + b"\x00" * (side // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path = directory / "bomb.png"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )
    return path


def absurd_tiff(directory: Path) -> Path:
    """A TIFF claiming 2^31-1 x 2^31-1 pixels, with one byte of image data."""
    entries = [
        (256, 4, 1, 2**31 - 1),  # ImageWidth
        (257, 4, 1, 2**31 - 1),  # ImageLength
        (258, 3, 1, 8),  # BitsPerSample
        (259, 3, 1, 1),  # Compression: none
        (262, 3, 1, 1),  # Photometric: black is zero
        (273, 4, 1, 8),  # StripOffsets
        (278, 4, 1, 2**31 - 1),  # RowsPerStrip
        (279, 4, 1, 1),  # StripByteCounts
    ]
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack("<HHII", tag, kind, count, value)
    ifd += struct.pack("<I", 0)
    path = directory / "absurd.tif"
    path.write_bytes(b"II*\x00" + struct.pack("<I", 9) + b"\x00" + ifd)
    return path


HOSTILE_NAMES = (
    "../../../../tmp/sohoa-escape.pdf",
    "..\\..\\windows\\system32\\evil.pdf",
    "bản quét\x1b[2J\r\nrm -rf.pdf",
    "\u202efdp.exe",
    "һồ sơ khai sinh.pdf",  # a Cyrillic һ where a Latin h should be
    "Ho\u0302\u0300 so\u031b.pdf",  # NFD, as macOS writes names
    "\x00nul.pdf",
    "." * 300 + ".pdf",
)
"""Upload names an attacker or a careless client sends (the label only: blobs are named by
their checksum)."""


def named_copies(directory: Path) -> list[tuple[str, Path]]:
    """A real scan saved under each hostile name's label (the bytes differ per name)."""
    return [
        (name, _write(directory / f"named-{i}.jpg", jpeg_bytes(i + 40)))
        for i, name in enumerate(HOSTILE_NAMES)
    ]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def on_disk_hostile_names(directory: Path) -> list[Path]:
    """Real files whose names on disk carry control characters, an RTL override, a
    confusable letter and NFD (a path separator or NUL cannot be in a file name)."""
    names = [
        "bản quét\x1b[2J\r\n.pdf",
        "\u202efdp.exe.pdf",
        "һồ sơ.pdf",
        "Ho\u0302\u0300 so\u031b.pdf",
    ]
    return [_write(directory / n, pdf_bytes(1, 50 + i)) for i, n in enumerate(names)]
