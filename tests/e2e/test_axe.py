"""The accessibility check the browser journeys run on every page really fails: a page with
known serious violations is reported, rule by rule, so is one whose menu comes before any skip
link, and a clean one passes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.e2e.axe import assert_accessible
from tests.e2e.test_browser_journeys import CHROMIUM, CHROMIUM_ARGS

BROKEN = """<!doctype html><html lang="vi"><head><title>Hỏng</title></head><body>
<a href="#main">Bỏ qua, đến nội dung chính</a><main id="main">
<h1>Trang hỏng</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<form><input type="text" name="q"><button type="submit"></button></form></main></body></html>"""

CLEAN = """<!doctype html><html lang="vi"><head><title>Tìm kiếm</title></head><body>
<a href="#main">Bỏ qua, đến nội dung chính</a><nav aria-label="Menu"><a href="/">Trang chủ</a></nav>
<main id="main">
<h1>Tìm kiếm</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Biểu trưng">
<form><label for="q">Từ khóa</label> <input id="q" type="text" name="q">
<button type="submit">Tìm</button></form></main></body></html>"""


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    """A blank page in Debian's chromium, as the journeys launch it."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser.new_page()
        browser.close()


def test_a_page_with_an_unnamed_image_field_and_button_fails_naming_each(
    page: Page, tmp_path: Path
) -> None:
    page.set_content(BROKEN)
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, "broken", tmp_path)
    message = str(failure.value)
    for rule, target in (("image-alt", "img"), ("label", "input"), ("button-name", "button")):
        assert f"{rule} (critical)" in message
        assert f"-> {target}" in message
    report = json.loads((tmp_path / "broken-axe.json").read_text(encoding="utf-8"))
    assert {"image-alt", "label", "button-name"} <= {v["id"] for v in report["violations"]}


def test_a_clean_page_passes_and_still_leaves_its_report(page: Page, tmp_path: Path) -> None:
    page.set_content(CLEAN)
    assert_accessible(page, "clean", tmp_path)
    report = json.loads((tmp_path / "clean-axe.json").read_text(encoding="utf-8"))
    assert report["testEngine"]["name"] == "axe-core"


def test_a_page_whose_menu_comes_before_any_skip_link_fails(page: Page, tmp_path: Path) -> None:
    page.set_content(CLEAN.replace('<a href="#main">Bỏ qua, đến nội dung chính</a>', ""))
    with pytest.raises(AssertionError, match=r'no skip link to #main first, but <a href="/">'):
        assert_accessible(page, "no-skip", tmp_path)
