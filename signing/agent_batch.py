"""What the leader's agent signs: each item's digest recomputed from its CMS signed attributes,
the batch shown to the leader exactly as it will be signed, and each signed batch journalled.

The requester says what a document is called; the agent decides what it shows and what it
signs. Titles are cleaned of anything that moves the terminal's cursor or reorders text, the
count shown is the count of items signed, and the value the token signs is the hash of the
signed attributes computed here, after their messageDigest was found equal to the document
hash shown: a requester cannot slip an opaque digest in under another document's name.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import cms

from config import defaults
from signing.errors import BatchRejected

MAX_BATCH = 500
"""Most documents one request may carry: a week of a leader's results, not a flood."""

DIGEST_SIZES = {"sha256": 32, "sha384": 48, "sha512": 64}
"""Digest algorithms the agent signs with, with their sizes (anything else is refused)."""

MAX_SIGNED_ATTRS = 16_384
"""Bytes of one item's signed attributes: pyHanko's PAdES attributes take a few hundred."""

UNTITLED = "(không có tên)"


@dataclass(frozen=True)
class ToSign:
    """One document as the agent receives it: a title to show, the document's hash (the
    messageDigest its signature will carry) and the DER of the CMS signed attributes."""

    title: str
    document_digest: bytes
    signed_attrs: bytes

    def to_json(self) -> dict[str, str]:
        """The item as the requester sends it."""
        return {
            "title": self.title,
            "document_digest": base64.b64encode(self.document_digest).decode(),
            "signed_attrs": base64.b64encode(self.signed_attrs).decode(),
        }


@dataclass(frozen=True)
class Requester:
    """Who asked, as far as the agent can tell: a web page's origin (checked against the
    allowlist before this is built) or none (a program on this computer)."""

    origin: str | None
    user_agent: str

    def shown(self) -> str:
        """Who asked, in the leader's words."""
        return self.origin or "chương trình trên máy này"


@dataclass(frozen=True)
class SignBatch:
    """A checked batch: every item's messageDigest is its document hash."""

    md_algorithm: str
    items: tuple[ToSign, ...]
    requester: Requester

    def digests(self) -> list[bytes]:
        """What the token signs: the hash of each item's signed attributes, made here."""
        return [hashlib.new(self.md_algorithm, i.signed_attrs).digest() for i in self.items]

    def prompt(self) -> str:
        """The text the leader reads before typing the PIN: who asks, how many documents
        (the number signed), and each title with the start of its document hash."""
        count = len(self.items)
        shown = self.items[: defaults.SIGN_AGENT_SHOWN_ITEMS]
        lines = [
            f"Yêu cầu ký từ: {self.requester.shown()}",
            f"Ký {count} văn bản ({self.md_algorithm.upper()} của từng văn bản):",
        ]
        width = len(str(count))
        for number, item in enumerate(shown, 1):
            digest = item.document_digest.hex()[:16]
            lines.append(f"  {number:>{width}}. {item.title}  [{digest}…]")
        if count > len(shown):
            lines.append(f"  … và {count - len(shown)} văn bản khác (đủ trong nhật ký ký)")
        lines.append(f"Mã PIN sẽ ký đúng {count} văn bản này.")
        return "\n".join(lines)

    def journal_record(self, when: datetime) -> dict[str, object]:
        """The line the journal keeps for this batch once signed."""
        return {
            "signed_at": when.isoformat(),
            "origin": self.requester.origin,
            "user_agent": self.requester.user_agent,
            "md_algorithm": self.md_algorithm,
            "count": len(self.items),
            "documents": [
                {"title": i.title, "document_digest": i.document_digest.hex()} for i in self.items
            ],
        }


def clean_text(text: str, limit: int = defaults.SIGN_AGENT_TITLE_CHARS) -> str:
    """Text safe to print on the leader's terminal: NFC, every control, format (bidi
    overrides, zero-width), separator or unassigned character made a space, runs of spaces
    made one, cut to `limit` characters."""
    kept = (
        " " if unicodedata.category(ch)[0] in "CZ" else ch
        for ch in unicodedata.normalize("NFC", text)
    )
    flat = " ".join("".join(kept).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _b64(item: Mapping[str, object], key: str, number: int) -> bytes:
    try:
        return base64.b64decode(str(item[key]), validate=True)
    except (KeyError, binascii.Error) as e:
        raise BatchRejected(f"item {number}: {key} is missing or not base64") from e


def message_digest_of(signed_attrs: bytes) -> bytes:
    """The one messageDigest of DER CMS signed attributes (content type id-data, each
    attribute once, one value each)."""
    try:
        attrs = cms.CMSAttributes.load(signed_attrs, strict=True)
        found: dict[str, list[object]] = {}
        for attr in attrs:
            name = str(attr["type"].native)
            if name in found:
                raise BatchRejected(f"the signed attributes carry {name} twice")
            found[name] = list(attr["values"].native)
    except (ValueError, TypeError) as e:
        raise BatchRejected(f"not DER CMS signed attributes ({e})") from e
    digest = found.get("message_digest", [])
    if found.get("content_type") != ["data"] or len(digest) != 1:
        raise BatchRejected("the signed attributes need one content type (data), one digest")
    assert isinstance(digest[0], bytes)
    return digest[0]


def _item(raw: object, number: int, algorithm: str) -> ToSign:
    if not isinstance(raw, dict):
        raise BatchRejected(f"item {number} is not an object")
    document_digest = _b64(raw, "document_digest", number)
    signed_attrs = _b64(raw, "signed_attrs", number)
    if len(document_digest) != DIGEST_SIZES[algorithm]:
        raise BatchRejected(f"item {number}: the document hash is not a {algorithm} digest")
    if len(signed_attrs) > MAX_SIGNED_ATTRS:
        raise BatchRejected(f"item {number}: signed attributes over {MAX_SIGNED_ATTRS} bytes")
    try:
        matches = message_digest_of(signed_attrs) == document_digest
    except BatchRejected as e:
        raise BatchRejected(f"item {number}: {e.message}") from e
    if not matches:
        raise BatchRejected(
            f"item {number}: the signed attributes' messageDigest is not the document hash"
        )
    title = clean_text(str(raw.get("title", ""))) or UNTITLED
    return ToSign(title, document_digest, signed_attrs)


def decode_batch(body: object, requester: Requester) -> SignBatch:
    """A request body checked item by item; any bad item refuses the whole batch."""
    if not isinstance(body, dict):
        raise BatchRejected("the body is not a JSON object")
    algorithm = str(body.get("md_algorithm", ""))
    if algorithm not in DIGEST_SIZES:
        raise BatchRejected(f"digest algorithm {algorithm[:20]!r} is not one the agent signs")
    items = body.get("items")
    if not isinstance(items, list) or not 0 < len(items) <= MAX_BATCH:
        raise BatchRejected(f"a batch holds 1 to {MAX_BATCH} items")
    checked = tuple(_item(raw, n, algorithm) for n, raw in enumerate(items, 1))
    return SignBatch(algorithm, checked, requester)


def append_journal(path: Path, batch: SignBatch, when: datetime) -> None:
    """Add the batch to the journal: one JSON line, appended (O_APPEND) and flushed to
    disk before the signatures are handed back; the file is the leader's alone (0600)."""
    line = json.dumps(batch.journal_record(when), ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        data = memoryview(line.encode("utf-8"))
        while data:
            data = data[os.write(fd, data) :]
        os.fsync(fd)
    finally:
        os.close(fd)
