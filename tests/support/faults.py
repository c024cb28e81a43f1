"""OCR engines that fail on purpose, injected with SOHOA_OCR_ENGINE=tests.support.faults:Name."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from config.errors import TransientError
from digitize.ocr import OcrPage, TesseractEngine


class AlwaysTransient:
    """Every page fails as a database outage would: the job must retry, then fail visibly."""

    def __init__(self, language: str, timeout: float) -> None:
        self.language = language

    def recognize(self, image: Path, workdir: Path, *, dpi: int, what: str) -> OcrPage:
        raise TransientError(f"injected transient failure on {what}")


class FailFirstAttempt:
    """Fails the first attempt of each document (marked by a file), then reads for real."""

    def __init__(self, language: str, timeout: float) -> None:
        self.real = TesseractEngine(language, timeout)

    def recognize(self, image: Path, workdir: Path, *, dpi: int, what: str) -> OcrPage:
        marker = Path(os.environ["SOHOA_DATA_DIR"]) / f"failed-once-{what.replace(' ', '_')}"
        if not marker.exists():
            marker.touch()
            raise TransientError(f"injected first-attempt failure on {what}")
        return self.real.recognize(image, workdir, dpi=dpi, what=what)


class KillWorker:
    """The process running OCR dies by SIGKILL, as under the OOM killer."""

    def __init__(self, language: str, timeout: float) -> None:
        pass

    def recognize(self, image: Path, workdir: Path, *, dpi: int, what: str) -> OcrPage:
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")


class SlowOcr:
    """Reads for real, but only after SLOW_OCR_SECONDS per page: a job long enough to be
    caught in the middle by a shutdown or shared between workers."""

    def __init__(self, language: str, timeout: float) -> None:
        self.real = TesseractEngine(language, timeout)
        self.delay = float(os.environ.get("SLOW_OCR_SECONDS", "2"))

    def recognize(self, image: Path, workdir: Path, *, dpi: int, what: str) -> OcrPage:
        time.sleep(self.delay)
        return self.real.recognize(image, workdir, dpi=dpi, what=what)


def kill_once(marker: Path) -> None:
    """SIGKILL the calling process the first time (leaving `marker` behind), not after: a
    crash that a retry must recover from."""
    if marker.exists():
        return
    marker.touch()
    os.kill(os.getpid(), signal.SIGKILL)


class KillFirstAttempt:
    """The first attempt's process dies by SIGKILL mid-OCR; the retry reads for real."""

    def __init__(self, language: str, timeout: float) -> None:
        self.real = TesseractEngine(language, timeout)

    def recognize(self, image: Path, workdir: Path, *, dpi: int, what: str) -> OcrPage:
        kill_once(Path(os.environ["SOHOA_DATA_DIR"]) / "killed-once-ocr")
        return self.real.recognize(image, workdir, dpi=dpi, what=what)
