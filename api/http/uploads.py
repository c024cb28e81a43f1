"""Receiving uploaded files: the multipart body streamed to temporary files, each cut off at
the size limit, before anything is stored.

Starlette's own form parsing spools whole files wherever the system's temp directory is,
with no size limit; here every part is written to the data directory's `tmp/` (the blob
store's disk, so a rename or copy there is cheap) and a part past `max_bytes` stops being
written at once, its remaining bytes read and dropped.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from fastapi import Request
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from config.errors import InvalidRequest


@dataclass
class ReceivedFile:
    """One file part of an upload, in a temporary file."""

    name: str
    path: Path
    size: int = 0
    too_large: bool = False


@dataclass
class _State:
    directory: Path
    max_bytes: int
    max_files: int
    files: list[ReceivedFile] = field(default_factory=list)
    header_field: bytes = b""
    header_value: bytes = b""
    headers: dict[bytes, bytes] = field(default_factory=dict)
    current: ReceivedFile | None = None
    handle: IO[bytes] | None = None

    def on_part_begin(self) -> None:
        self.headers = {}

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.header_field.lower()] = self.header_value
        self.header_field = self.header_value = b""

    def on_headers_finished(self) -> None:
        _, params = parse_options_header(self.headers.get(b"content-disposition", b""))
        filename = params.get(b"filename")
        if filename is None:
            return  # a plain field: nothing to keep
        if len(self.files) >= self.max_files:
            raise InvalidRequest(f"at most {self.max_files} files per upload")
        name = filename.decode("utf-8", "replace") or "upload"
        path = self.directory / f"upload-{uuid.uuid4().hex}"
        self.current = ReceivedFile(name, path)
        self.handle = path.open("xb")
        self.files.append(self.current)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        part, handle = self.current, self.handle
        if part is None or handle is None:
            return
        part.size += end - start
        if part.size > self.max_bytes:
            part.too_large = True
            handle.close()
            self.handle = None
            part.path.unlink(missing_ok=True)
            return
        handle.write(data[start:end])

    def on_part_end(self) -> None:
        if self.handle is not None:
            self.handle.close()
        self.current, self.handle = None, None


@contextlib.asynccontextmanager
async def received_files(
    request: Request, directory: Path, *, max_bytes: int, max_files: int
) -> AsyncIterator[list[ReceivedFile]]:
    """The request's file parts in temporary files under `directory`, removed afterwards."""
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise InvalidRequest("an upload must be multipart/form-data with one part per file")
    directory.mkdir(parents=True, exist_ok=True)
    state = _State(directory, max_bytes, max_files)
    callbacks = {
        name: getattr(state, name)
        for name in (
            "on_part_begin", "on_header_field", "on_header_value", "on_header_end",
            "on_headers_finished", "on_part_data", "on_part_end",
        )
    }  # fmt: skip
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    try:
        try:
            async for chunk in request.stream():
                parser.write(chunk)
            parser.finalize()
        except MultipartParseError as e:
            raise InvalidRequest(f"the upload is not well-formed multipart data: {e}") from e
        yield state.files
    finally:
        if state.handle is not None:
            state.handle.close()
        for part in state.files:
            part.path.unlink(missing_ok=True)
