"""The pages no browser journey walks through, checked by axe-core all the same: the figures,
the tracking book's backlog, the catalogue's admin page, a waiting scan's own page, an
account's page and an error page. Each goes through the journeys' `shoot` (photographed at
desktop and phone size, and checked by tests/e2e/axe.py) on a deployment of its own."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from config.settings import Settings
from tests.e2e import test_browser_journeys as journeys
from tests.support.samples import born_digital

pytestmark = pytest.mark.slow

world = journeys.world
"""The journeys' deployment (`sohoa serve`, the test PKI, a user of each role, chromium)."""

PAGES = (
    ("lanhdao", "/dashboard", "Chỉ số số hóa"),
    ("canbo", "/backlog", None),
    ("canbo", "/account", None),
    ("quantri", "/admin/catalogue", None),
    ("canbo", "/clerk/dossiers/000.00.00.H00-000000-9999", "Không tìm thấy"),
)
"""Who opens which page, and a word its first heading must show (None: any heading)."""


@pytest.mark.parametrize(("who", "path", "heading"), PAGES, ids=[p for _, p, _ in PAGES])
def test_a_page_no_journey_walks_is_accessible(
    world: journeys.World, who: str, path: str, heading: str | None
) -> None:
    page = world.page(who)
    page.goto(world.base + path)
    title = page.get_by_role("heading", level=1)
    expect(title).to_be_visible()
    if heading:
        expect(title).to_contain_text(heading)
    shoot_name = f"a11y-{who}{path.replace('/', '-')}"
    journeys.shoot(world, page, shoot_name)
    page.context.close()


def test_a_waiting_scans_own_page_is_accessible(world: journeys.World, tmp_path: Path) -> None:
    """A scan left in the unit's folder waits in the inbox; its page shows each page drawn
    by the server, with the buttons to turn, split and file them."""
    settings = Settings(data_dir=Path(world.env["SOHOA_DATA_DIR"]))
    folder = settings.inbox_path / settings.unit_code
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "may-quet-a11y.pdf"
    target.write_bytes(born_digital(tmp_path, "giay_chung_sinh", seed=12)[0].read_bytes())
    os.utime(target, (time.time() - 60, time.time() - 60))  # the scanner has finished writing
    page = world.page("canbo")
    page.goto(world.base + "/clerk/inbox")
    link = page.get_by_role("link", name="may-quet-a11y.pdf", exact=True)
    journeys._reload_until(page, link)  # `sohoa serve` takes it from the folder, unasked
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("may-quet-a11y.pdf")
    expect(page.locator("#inbox-pages img").first).to_be_visible()
    journeys.shoot(world, page, "a11y-canbo-inbox-file")
    page.context.close()
