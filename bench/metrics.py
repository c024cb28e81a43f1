"""Measures shared by the benchmarks: character error rate and CPU time."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from config.text import collapse_whitespace, nfc


def normalise(text: str) -> str:
    """Text as it is compared: NFC, whitespace runs collapsed to one space."""
    return collapse_whitespace(nfc(text))


def cer(recognised: str, truth: str) -> float:
    """Character error rate: Levenshtein distance over the truth's length."""
    r, t = normalise(recognised), normalise(truth)
    return Levenshtein.distance(r, t) / max(1, len(t))


_WORD = re.compile(r"\w+")


def _words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(nfc(text)))


def words_missed(recognised: str, truth: str) -> float:
    """Order-free word recall error: the share of the truth's words (runs of letters and
    digits, NFC, case and tone marks kept) that the reading lacks, each counted as often as
    it occurs. Reading order and punctuation do not count (CER shows them), nor do words
    read that are not printed, so text a page shows beyond its transcription (a signing
    stamp) can stand in for a word misread elsewhere."""
    read, wanted = _words(recognised), _words(truth)
    total = sum(wanted.values())
    return (total - sum((read & wanted).values())) / max(1, total)


def word_error(recognised: str, truth: str) -> float:
    """Order-free word error: words of the truth the reading lacks or words it has that the
    truth lacks, whichever are more (a misread word is one of each and counts once, as in
    a word-level edit distance), over the truth's words."""
    read, wanted = _words(recognised), _words(truth)
    matched = sum((read & wanted).values())
    missed = sum(wanted.values()) - matched
    extra = sum(read.values()) - matched
    return max(missed, extra) / max(1, sum(wanted.values()))


@dataclass
class Usage:
    """CPU seconds (this process and its finished children) and wall seconds of a block."""

    cpu: float = 0.0
    wall: float = 0.0


def _cpu_now() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@contextmanager
def measured() -> Iterator[Usage]:
    """Time a block: CPU of this process, its threads and every child it waited for."""
    usage = Usage()
    cpu, wall = _cpu_now(), time.perf_counter()
    try:
        yield usage
    finally:
        usage.cpu = _cpu_now() - cpu
        usage.wall = time.perf_counter() - wall


def single_thread_env() -> dict[str, str]:
    """The environment for a baseline Tesseract at its fastest here: one OpenMP thread."""
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def run_baseline(args: list[str]) -> tuple[subprocess.CompletedProcess[str], Usage]:
    """One baseline command (plain Tesseract, pdftoppm, OCRmyPDF) with one OpenMP thread,
    its output captured, and what it cost; a failure is the caller's to report."""
    with measured() as usage:
        proc = subprocess.run(
            args, capture_output=True, text=True, env=single_thread_env(), check=False
        )
    return proc, usage
