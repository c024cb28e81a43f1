"""Accessibility checks of the browser tests' pages by axe-core, run inside the page itself.

axe-core (Deque's engine, MPL-2.0) comes as the axe.min.js bundled by the locked
axe-playwright-python package; only that file is used, injected by `page.evaluate`, which the
pages' Content-Security-Policy does not govern (an inline <script> tag would be refused).
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, cast

from playwright.sync_api import Page

FAILING_IMPACTS = frozenset({"serious", "critical"})
"""axe's impacts a page may not have; "minor" and "moderate" ones are written to the report."""

RUN = "() => axe.run(document, { resultTypes: ['violations'] })"
"""All of axe's default rules (WCAG 2.x A and AA, and best practices) on the whole document;
passes and incomplete checks are listed by rule without each node, to keep reports small."""

FIRST_STOP = """() => {
  const first = document.querySelector(
    "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex='-1'])");
  const main = document.querySelector("main#main");
  if (first && first.getAttribute("href") === "#main" && main) return "";
  return main ? (first ? first.outerHTML.slice(0, 160) : "nothing") : "no <main id=main>";
}"""
"""What a keyboard reaches first, unless it is the skip link to the page's <main id="main">
(axe's own `bypass` rule is content with landmarks; sohoa's pages promise the link too)."""


@cache
def axe_script() -> str:
    """The axe-core engine's source, read once from the package that ships it."""
    return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def run_axe(page: Page) -> dict[str, Any]:
    """axe-core's results for the page as it is now (injected on first use in each document)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_script())
    return cast("dict[str, Any]", page.evaluate(RUN))


def failing(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The violations whose impact is serious or critical."""
    return [v for v in results["violations"] if v.get("impact") in FAILING_IMPACTS]


def describe(violation: dict[str, Any]) -> str:
    """One violation as a reader fixes it: rule, impact, help, and each node's selector."""
    targets = "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}"


def assert_accessible(page: Page, name: str, directory: Path) -> None:
    """Fail, naming each serious or critical violation, unless axe finds the page clean and
    a skip link to the main content comes first; axe's full report is written first to
    `directory/name-axe.json`, beside the screenshots."""
    first_stop = page.evaluate(FIRST_STOP)
    assert not first_stop, f"{name} ({page.url}): no skip link to #main first, but {first_stop}"
    results = run_axe(page)
    report = directory / f"{name}-axe.json"
    report.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    found = failing(results)
    assert not found, f"{name} ({page.url}): {len(found)} serious or critical accessibility " + (
        "violations, see " + str(report) + "\n  " + "\n  ".join(map(describe, found))
    )
