"""Batch signing: one key opening (one PIN entry), one network session, many documents.

This is the entry point the command line, the workers and the benchmark use; a single
document is a batch of one. A document that fails is reported with its reason and the
batch goes on; the key, the TSA and revocation services are shared by all of them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from asn1crypto import x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import Signer
from pyhanko.sign.timestamps import TimestampRequestError

from config.errors import SohoaError
from signing import pdfa, remote
from signing.agent_batch import ToSign
from signing.agent_client import AgentClient, AgentLink, require_certificate
from signing.errors import NotSignable, ServiceUnavailable, SigningFailed
from signing.pades import BatchCache, SignedPdf, SignOptions, needs_layout, sign_document
from signing.pdfa import PdfaCheck
from signing.placement import PageLayout, read_layout, read_layouts
from signing.remote import PreparedSignature
from signing.services import ServiceConfig, SigningServices
from signing.sources import KeySource

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BatchItem:
    """One document to sign: its bytes, a name for messages, how to sign it."""

    name: str
    data: bytes
    options: SignOptions


@dataclass(frozen=True)
class BatchResult:
    """What became of one document: signed, or the error that stopped it."""

    name: str
    signed: SignedPdf | None = None
    error: SohoaError | None = None


Progress = Callable[[BatchResult], None]


async def sign_one(
    item: BatchItem,
    signer: Signer,
    services: SigningServices,
    cache: BatchCache,
    layout_ahead: Awaitable[PageLayout] | None = None,
) -> SignedPdf:
    """sign_document with pyHanko's and the network's failures turned into sohoa errors."""
    try:
        return await sign_document(
            item.data, signer, item.options, services, cache, layout_ahead=layout_ahead
        )
    except (TimeoutError, TimestampRequestError, aiohttp.ClientError, OSError) as e:
        raise ServiceUnavailable(f"{item.name}: a signing service did not answer ({e})") from e
    except PdfError as e:
        raise NotSignable(item.name, f"pyHanko cannot process it ({e})") from e
    except SigningError as e:
        raise SigningFailed(f"{item.name}: {e}") from e


async def sign_each_async(
    items: Sequence[BatchItem], source: KeySource, config: ServiceConfig, handle: Progress
) -> None:
    """Sign every item with the key of `source`, opened once, handing each result to
    `handle` as it is made and keeping none: a batch of long results need not hold every
    signed file until the last is done."""
    async with SigningServices(config) as services, source.open(services) as signer:
        cache = BatchCache()
        layouts, reads = _read_ahead(items)
        try:
            for index, item in enumerate(items):
                layout, layouts[index] = layouts[index], None  # read pages kept no longer
                try:
                    signed = await sign_one(item, signer, services, cache, layout)
                    result = BatchResult(item.name, signed=signed)
                except SohoaError as e:
                    log.warning("%s", e.message)
                    result = BatchResult(item.name, error=e)
                del layout
                reads[:] = [task for task in reads if not task.done()]
                handle(result)
        finally:  # a batch stopped by a bug leaves no pdftotext run behind
            waits = [task for task in layouts if task is not None]
            pending = [task for task in [*waits, *reads] if not task.done()]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)


async def sign_batch_async(
    items: Sequence[BatchItem],
    source: KeySource,
    config: ServiceConfig,
    progress: Progress | None = None,
) -> list[BatchResult]:
    """Sign every item with the key of `source`, opened once; every result, in order."""
    results: list[BatchResult] = []

    def collect(result: BatchResult) -> None:
        results.append(result)
        if progress is not None:
            progress(result)

    await sign_each_async(items, source, config, collect)
    return results


READ_AHEAD = 1
"""Groups of documents whose text (for stamp placement) is read by pdftotext while
another is signed: the external program runs on another core while this one does the
cryptography. One group ahead is enough (its run takes a fraction of the time its
documents take to sign), and each group in flight holds its documents open in qpdf."""

READ_GROUP = 4
"""Documents read by one run of pdftotext (poppler's start-up is most of a run). Larger
groups save little more CPU time (~20 ms a run) and cost ~0.6 MB of memory a document;
eight at a time, two groups ahead, put a batch ~6 MB higher."""


def _read_ahead(
    items: Sequence[BatchItem],
) -> tuple[list[asyncio.Task[PageLayout] | None], list[asyncio.Task[Any]]]:
    """Start reading the pages of the documents that need it, a group at a time: per
    document, the task that gives its layout; and the tasks reading the groups."""
    gate = asyncio.Semaphore(READ_AHEAD)
    wanted = [i for i, item in enumerate(items) if needs_layout(item.options)]
    groups = [wanted[start : start + READ_GROUP] for start in range(0, len(wanted), READ_GROUP)]

    async def read(group: list[int]) -> list[PageLayout | BaseException]:
        pdfs = [items[i].data for i in group]
        async with gate:
            try:
                return list(await read_layouts(pdfs))
            except SohoaError:  # one document's trouble stays that document's
                return await asyncio.gather(*map(read_layout, pdfs), return_exceptions=True)

    async def one(task: asyncio.Task[list[Any]], position: int) -> PageLayout:
        # shielded: a document that needs no layout after all cancels its own wait only
        layout = (await asyncio.shield(task))[position]
        if isinstance(layout, BaseException):
            raise layout
        assert isinstance(layout, PageLayout)
        return layout

    tasks: list[asyncio.Task[PageLayout] | None] = [None] * len(items)
    reads: list[asyncio.Task[Any]] = []
    for group in groups:
        read_group = asyncio.create_task(read(group))
        reads.append(read_group)
        for position, index in enumerate(group):
            tasks[index] = asyncio.create_task(one(read_group, position))
    return tasks, reads


def sign_batch(
    items: Sequence[BatchItem],
    source: KeySource,
    config: ServiceConfig,
    progress: Progress | None = None,
) -> list[BatchResult]:
    """sign_batch_async in its own event loop (for synchronous callers)."""
    return asyncio.run(sign_batch_async(items, source, config, progress))


def sign_each(
    items: Sequence[BatchItem], source: KeySource, config: ServiceConfig, handle: Progress
) -> None:
    """sign_each_async in its own event loop (for synchronous callers)."""
    asyncio.run(sign_each_async(items, source, config, handle))


async def _prepare_all(
    items: Sequence[BatchItem], chain: list[x509.Certificate], services: SigningServices
) -> tuple[list[tuple[int, PreparedSignature]], dict[int, BatchResult]]:
    prepared: list[tuple[int, PreparedSignature]] = []
    failed: dict[int, BatchResult] = {}
    for index, item in enumerate(items):
        try:
            prepared.append((index, await remote.prepare(item.data, chain, item.options, services)))
        except SohoaError as e:
            failed[index] = BatchResult(item.name, error=e)
    return prepared, failed


async def _finish(
    item: BatchItem, prepared: PreparedSignature, value: bytes, services: SigningServices
) -> BatchResult:
    try:
        signed = await remote.finish(prepared, value, services)
        if item.options.check_pdfa is not PdfaCheck.OFF:
            kept = pdfa.require_kept(item.data, signed.data, item.name, full=True)
            signed = dataclasses.replace(signed, pdfa=kept)
        return BatchResult(item.name, signed=signed)
    except SohoaError as e:
        return BatchResult(item.name, error=e)


async def sign_via_agent_async(
    items: Sequence[BatchItem],
    link: AgentLink,
    config: ServiceConfig,
    expected: x509.Certificate | None = None,
) -> list[BatchResult]:
    """Sign with the key of the leader's agent: every document prepared here, all their
    signed attributes signed in one request (one PIN entry on the leader's computer), then
    each finished here with its timestamp and validation data. With `expected` (the signer
    profile's certificate), an agent presenting another certificate signs nothing."""
    async with SigningServices(config) as services:
        client = AgentClient(link, services.session, config.timeout)
        chain = await client.certificates()
        if expected is not None:
            require_certificate(chain[0], expected, "given")
        prepared, results = await _prepare_all(items, chain, services)
        if prepared:
            algorithms = {p.md_algorithm for _, p in prepared}
            if len(algorithms) != 1:
                raise SigningFailed(f"one batch, one digest algorithm (got {sorted(algorithms)})")
            values = await client.sign(
                algorithms.pop(),
                [ToSign(items[i].name, p.document_digest, p.signed_attrs) for i, p in prepared],
            )
            for (index, p), value in zip(prepared, values, strict=True):
                results[index] = await _finish(items[index], p, value, services)
    return [results[index] for index in range(len(items))]


def sign_via_agent(
    items: Sequence[BatchItem],
    link: AgentLink,
    config: ServiceConfig,
    expected: x509.Certificate | None = None,
) -> list[BatchResult]:
    """sign_via_agent_async in its own event loop."""
    return asyncio.run(sign_via_agent_async(items, link, config, expected))
