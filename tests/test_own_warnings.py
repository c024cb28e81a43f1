"""sohoa's own modules import without a warning: a warning raised by our code (a pydantic field
shadowing a class attribute, say) would reach clerks' terminals, which only libraries' are
kept from (config.quiet)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import importlib, pkgutil, warnings
warnings.simplefilter("always")
own = ("config", "storage", "digitize", "signing", "workers", "api")
with warnings.catch_warnings(record=True) as seen:
    warnings.simplefilter("always")
    for package in own:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, package + "."):
            if ".migrations" in info.name or info.name.endswith("__main__"):
                continue
            importlib.import_module(info.name)
for w in seen:
    name = w.filename.replace("\\\\", "/")
    if any(f"/{p}/" in name for p in own) and "site-packages" not in name:
        print(f"{w.filename}:{w.lineno}: {w.category.__name__}: {w.message}")
"""


def test_importing_every_module_of_sohoa_warns_nothing_of_its_own() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == ""
