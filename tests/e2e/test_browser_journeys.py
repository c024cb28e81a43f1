"""A day of each role in a real browser (Debian's chromium, driven by Playwright) against a
real `sohoa serve` and real workers, with no CLI: a clerk receives a dossier, prints its
receipt, uploads its scans and corrects a document's type; the leader signs the result;
the clerk returns it; an archivist archives it, finds it by a query typed without
diacritics, downloads its access copy and acknowledges a fixity alert; a citizen checks
the signed result; scanned stacks reach their dossier (under a printed receipt by
themselves, without one through the clerk); a clerk serves an ID card from an earlier
dossier, corrects a misread number (read again in the history), asks for a supplement and
resumes; an admin adds an account whose one-time password must be changed.

Every page visited is photographed at desktop and phone size, into SOHOA_SCREENSHOTS or
the test's tmp directory (printed at the end); nothing is committed.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect, sync_playwright

from api.accounts import create_user
from config.settings import Settings
from digitize.synthetic import default_family, write_born_digital_pdf
from signing.testpki import TestPki, create_test_pki, free_port
from storage.archive.fixity import run_fixity
from storage.archive.layout import ArchiveRoots
from storage.db import open_database
from storage.enums import UserRole
from tests.e2e.axe import assert_accessible
from tests.signing.helpers import PkiSwitch, unsigned_result
from tests.support.samples import born_digital, document

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "mat-khau-rat-dai-1"
DESKTOP = ViewportSize(width=1366, height=900)
PHONE = ViewportSize(width=390, height=844)
APPLICANT = "Lê Thị Hoà Bình"


@dataclass
class World:
    """The deployment the journeys share, and what each journey leaves for the next."""

    base: str
    env: dict[str, str]
    shots: Path
    browser: Browser
    code: str = ""
    facts: dict[str, str] = field(default_factory=dict)

    def worker(self) -> None:
        """Run the queues dry, as `sohoa worker --burst` does."""
        sohoa("worker", "--burst", env=self.env)

    def page(self, who: str, password: str = PASSWORD) -> Page:
        """A fresh desktop browser page, signed in as `who` through the login form."""
        context = self.browser.new_context(viewport=DESKTOP, locale="vi-VN", accept_downloads=True)
        page = context.new_page()
        page.goto(self.base + "/")
        shoot(self, page, f"{who}-0-login")
        page.get_by_label("Tên đăng nhập").fill(who)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        return page


def sohoa(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the checkout's sohoa command with the deployment's environment."""
    proc = subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, f"sohoa {args}: {proc.stderr[-3000:]}"
    return proc


def shoot(world: World, page: Page, name: str) -> None:
    """The page as a desktop and as a phone shows it, checked by axe-core first."""
    assert_accessible(page, name, world.shots)
    page.screenshot(path=world.shots / f"{name}-desktop.png", full_page=True)
    size = page.viewport_size or DESKTOP
    page.set_viewport_size(PHONE)
    page.screenshot(path=world.shots / f"{name}-phone.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{name}: {width}px wide on a phone"
    page.set_viewport_size(size)


def _wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            raise AssertionError(f"sohoa serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/api/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("sohoa serve did not answer")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, redis_server: str) -> Iterator[World]:
    """`sohoa serve` on a free port, the test PKI on loopback, users of each role, chromium."""
    root = tmp_path_factory.mktemp("browser")
    pki: TestPki = create_test_pki(root / "pki")
    switch = PkiSwitch(pki)
    switch.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env |= {
        "PYTHONPATH": str(REPO),
        "SOHOA_DATA_DIR": str(root / "data"),
        "SOHOA_REDIS_URL": redis_server,
        "SOHOA_SIGNING_KEY_DIR": str(pki.directory / "keys"),
        "SOHOA_SIGN_PASSPHRASE": pki.passphrase,
        "SOHOA_TSA_URL": pki.tsa_url,
        "SOHOA_TRUST_ROOTS": str(pki.root_cert),
        "SOHOA_LOG_LEVEL": "WARNING",
        "SOHOA_INBOX_SCAN_SECONDS": "1",  # the server files what scanners leave
        "OMP_THREAD_LIMIT": "1",
    }
    settings = Settings(data_dir=root / "data", redis_url=redis_server)
    for name, role, profile in (
        ("canbo", UserRole.CLERK, None),
        ("lanhdao", UserRole.LEADER, "chu-tich"),
        ("luutru", UserRole.ARCHIVIST, None),
        ("quantri", UserRole.ADMIN, None),
    ):
        create_user(
            settings, username=name, password=PASSWORD, full_name=name.title(), role=role,
            unit_code=settings.unit_code, signer_profile=profile, actor="test",
            one_time=False,  # the people of this journey chose their own passwords
        )  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    shots = Path(os.environ.get("SOHOA_SCREENSHOTS") or root / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    try:
        _wait_ready(f"http://127.0.0.1:{port}", server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield World(f"http://127.0.0.1:{port}", env, shots, browser)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        switch.stop()
        print(f"\nscreenshots: {shots}")


def _receive(world: World, page: Page, applicant: str, id_number: str = "") -> str:
    """Receive a birth registration from the clerk's home page; its code."""
    page.goto(world.base + "/clerk")
    page.get_by_label("Thủ tục hành chính").select_option("1.001193")
    page.get_by_label("Họ tên người nộp").fill(applicant)
    page.get_by_label("Số định danh cá nhân (12 số)").fill(id_number)
    page.get_by_role("button", name="Tiếp nhận").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Hồ sơ ")
    return heading.inner_text().removeprefix("Hồ sơ ").strip()


def _pdf_text(pdf: bytes) -> str:
    read = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return read.stdout.decode()


def _opened_pdf(world: World, page: Page, link: Locator) -> bytes:
    """Click a link that opens a PDF in a new tab; the PDF the tab was given (read again
    through the same session: a headless browser may save a PDF instead of showing it)."""
    href = link.get_attribute("href") or ""
    with page.expect_popup() as opened:
        link.click()
    opened.value.close()
    reply = page.request.get(
        href if href.startswith("http") else page.url.split("/clerk")[0] + href
    )
    assert reply.ok and reply.headers["content-type"] == "application/pdf", reply.status
    pdf = reply.body()
    assert pdf.startswith(b"%PDF")
    return pdf


def _print_receipt(world: World, page: Page, code: str) -> bytes:
    """The clerk prints the dossier's receipt: a PDF naming its code and appointment day."""
    line = page.locator("main").inner_text()
    day = re.search(r"hẹn trả (\d{4})-(\d{2})-(\d{2})", line)
    assert day, line
    receipt = _opened_pdf(world, page, page.get_by_role("link", name="In giấy tiếp nhận (mã QR)"))
    text = _pdf_text(receipt)
    assert code in text and f"{day[3]}/{day[2]}/{day[1]}" in text, text
    (world.shots / f"{code}-tiep-nhan.pdf").write_bytes(receipt)
    return receipt


def _history(page: Page) -> Locator:
    return page.locator("#history")


def _reload_until(page: Page, found: Locator, seconds: float = 60) -> None:
    """Reload the page until `found` is on it (what the server does by itself, unasked)."""
    deadline = time.monotonic() + seconds
    while found.count() == 0:
        assert time.monotonic() < deadline, f"{page.url}: still not there"
        time.sleep(1)
        page.reload()


def _id_card_back(directory: Path) -> Path:
    """The back of the applicant's ID card scanned on its own (issue and expiry dates, the
    machine-readable lines): too little for the classifier to name a type."""
    card = document("cccd", seed=3)
    lines = [line for page in card.pages for line in page]
    start = next(i for i, line in enumerate(lines) if line.text.startswith("Ngày, tháng, năm cấp"))
    back = dataclasses.replace(card, pages=(tuple(lines[start:]),))
    return write_born_digital_pdf(back, directory / "cccd-mat-sau.pdf", default_family())


def _scans(directory: Path) -> list[Path]:
    """The dossier's papers, as the office's software and scanner give them."""
    directory.mkdir(parents=True, exist_ok=True)
    forms = [
        born_digital(directory, t, seed=3)[0] for t in ("to_khai_khai_sinh", "giay_chung_sinh")
    ]
    result = write_born_digital_pdf(unsigned_result(), directory / "ket-qua.pdf", default_family())
    return [*forms, _id_card_back(directory), result]


def test_a_clerk_receives_a_dossier_uploads_it_and_corrects_a_type(
    world: World, tmp_path: Path
) -> None:
    page = world.page("canbo")
    expect(page).to_have_url(world.base + "/clerk")
    shoot(world, page, "canbo-1-home")
    page.get_by_label("Thủ tục hành chính").select_option("1.001193")
    page.get_by_label("Họ tên người nộp").fill(APPLICANT)
    page.get_by_role("button", name="Tiếp nhận").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Hồ sơ ")
    world.code = heading.inner_text().removeprefix("Hồ sơ ").strip()
    expect(page.locator("#checklist")).to_contain_text("Còn thiếu 3 thành phần bắt buộc")
    shoot(world, page, "canbo-2-dossier-new")
    _print_receipt(world, page, world.code)

    page.locator("#file-input").set_input_files(_scans(tmp_path))
    expect(page.locator("#uploads progress")).to_have_count(4)
    expect(page.locator("#uploads")).to_contain_text("Đã lưu", timeout=30_000)
    shoot(world, page, "canbo-3-uploaded")
    _states_change_under_the_clerk_without_a_reload(world, page)
    expect(page.locator("#checklist")).not_to_contain_text("Đủ thành phần bắt buộc")
    shoot(world, page, "canbo-4-digitized")

    page.get_by_role("link", name="cccd-mat-sau.pdf").click()
    expect(page.locator("#doc-type")).to_have_text("Khác")
    expect(page.locator("pre.text").first).to_contain_text("IDVNM")
    for code in ("id_number", "full_name", "low_dpi", "digitized", "queued"):
        expect(page.locator("main")).not_to_contain_text(code)  # labels, never codes
    expect(page.locator("#page-images img").first).to_be_visible()
    shoot(world, page, "canbo-5-document")
    page.get_by_label("Loại giấy tờ đúng").select_option("cccd")
    page.get_by_role("button", name="Sửa loại").click()
    expect(page.locator("#doc-type")).to_have_text("Căn cước công dân")
    expect(page.get_by_text("cán bộ đã sửa")).to_be_visible()
    shoot(world, page, "canbo-6-corrected")
    page.get_by_role("link", name=f"← Hồ sơ {world.code}").click()
    expect(page.locator("#checklist")).to_contain_text("Đủ thành phần bắt buộc")
    shoot(world, page, "canbo-7-complete")
    page.context.close()


def _states_change_under_the_clerk_without_a_reload(world: World, page: Page) -> None:
    """The files just uploaded appear in the dossier's table, and their states change there
    and on a file's own page while the clerk types a rescan reason: no page is reloaded (a
    mark left in each page's window survives) and the reason typed is kept."""
    link = page.get_by_role("link", name="cccd-mat-sau.pdf")
    expect(link).to_be_visible(timeout=15_000)  # a row added by the status poller
    other = page.context.new_page()
    other.goto(world.base + (link.get_attribute("href") or ""))
    reason = "trang 2 bị mờ, đang gõ dở"
    other.get_by_label("Lý do").fill(reason)
    for tab in (page, other):
        tab.evaluate("window.sohoaNotReloaded = true")
    world.worker()
    row = page.locator("tr", has_text="cccd-mat-sau.pdf")
    expect(row.locator(".doc-status")).to_contain_text("đã số hóa", timeout=60_000)
    expect(other.locator("#document-status")).to_have_text("đã số hóa", timeout=60_000)
    expect(other.get_by_label("Lý do")).to_have_value(reason)
    for tab in (page, other):
        assert tab.evaluate("window.sohoaNotReloaded === true"), "the page was reloaded"
    shoot(world, other, "canbo-4-document-followed")
    other.close()


def test_the_leader_signs_the_result(world: World) -> None:
    assert world.code, "the clerk's journey made the dossier"
    page = world.page("lanhdao")
    expect(page).to_have_url(world.base + "/leader")
    shoot(world, page, "lanhdao-1-inbox")
    page.get_by_role("link", name="Xem").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.code)
    shoot(world, page, "lanhdao-2-preview")
    page.get_by_role("link", name="← Kết quả chờ ký").click()
    page.get_by_label(f"Chọn {world.code}").check()
    page.get_by_role("button", name="Ký số các hồ sơ đã chọn").click()
    expect(page.get_by_role("status")).to_contain_text("Đã chuyển 1 hồ sơ đi ký số")
    world.worker()
    page.reload()
    expect(page.get_by_role("link", name="Tải kết quả đã ký")).to_be_visible()
    shoot(world, page, "lanhdao-3-signed")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải kết quả đã ký").click()
    signed = Path(download.value.path()).read_bytes()
    assert signed.startswith(b"%PDF") and b"/ByteRange" in signed
    kept = world.shots / "lanhdao-signed-result.pdf"  # the download goes with its context
    kept.write_bytes(signed)
    world.facts["signed"] = str(kept)
    page.context.close()


def test_the_clerk_returns_the_signed_result(world: World) -> None:
    """The leader signed: the clerk hands the result over, and the history says who did."""
    assert world.facts.get("signed"), "the leader's journey signed the result"
    page = world.page("canbo")
    page.goto(world.base + f"/clerk/dossiers/{world.code}")
    expect(page.locator("#dossier-status")).to_have_text("đã ký")
    page.get_by_role("button", name="Trả kết quả cho công dân").click()
    expect(page.get_by_role("status")).to_contain_text("Đã trả kết quả cho công dân")
    expect(page.locator("#actions")).to_have_count(0)
    returned = _history(page).locator("li", has_text="Trả kết quả cho công dân")
    expect(returned).to_contain_text("canbo")
    shoot(world, page, "canbo-8-returned")
    page.context.close()


def test_an_archivist_finds_the_record_without_diacritics_and_downloads_it(
    world: World, tmp_path: Path
) -> None:
    assert world.code, "the clerk's journey made the dossier"
    page = world.page("luutru")
    expect(page).to_have_url(world.base + "/archive")
    shoot(world, page, "luutru-1-home")
    row = page.locator("tr", has_text=world.code)
    row.get_by_role("button", name="Nộp lưu").click()
    expect(page.get_by_role("status")).to_contain_text(world.code)
    world.worker()
    page.get_by_label("Từ khóa (không cần gõ dấu)").fill("giay khai sinh le thi hoa binh")
    page.get_by_role("button", name="Tìm").click()
    hit = page.locator("ol.results li").first
    expect(hit).to_contain_text(world.code)
    expect(hit.locator("mark").first).to_be_visible()
    shoot(world, page, "luutru-2-search")
    hit.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot(world, page, "luutru-3-record")
    page.get_by_label("Mục đích khai thác").fill("cấp bản sao theo yêu cầu của công dân")
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải bản sao (.zip)").click()
    target = tmp_path / "copy.zip"
    download.value.save_as(target)
    with zipfile.ZipFile(target) as bag:
        names = bag.namelist()
    assert "bagit.txt" in names and "data/record.pdf" in names
    assert any(n.endswith("-signed.pdf") for n in names)
    page.context.close()


def test_an_archivist_acknowledges_a_fixity_alert(world: World) -> None:
    """A byte of the archived package changes on disk; the night's fixity check (the
    product's own function, as the maintenance job runs it) puts it back from the replica
    and raises an alert, which the archivist acknowledges in the browser."""
    settings = Settings(data_dir=Path(world.env["SOHOA_DATA_DIR"]))
    roots = ArchiveRoots.from_settings(settings)
    stored = sorted(p for p in roots.primary.rglob("*.pdf") if p.is_file())
    assert stored, "the archivist's journey archived the dossier"
    stored[0].chmod(0o644)
    data = bytearray(stored[0].read_bytes())
    data[len(data) // 2] ^= 0xFF
    stored[0].write_bytes(bytes(data))
    reports = run_fixity(open_database(settings), roots, share=None, actor="maintenance")
    assert any(r.findings for r in reports) and all(r.whole for r in reports)
    page = world.page("luutru")
    alerts = page.locator("#alerts")
    expect(alerts).to_contain_text(world.code)
    expect(alerts).to_contain_text("đã khôi phục")
    shoot(world, page, "luutru-4-alert")
    alerts.get_by_role("checkbox").first.check()
    alerts.get_by_label("Ghi chú").fill("đã đối chiếu bản sao dự phòng, tệp đã khôi phục")
    alerts.get_by_role("button", name="Xác nhận đã xem xét").click()
    expect(page.locator("#alerts h2")).to_have_text("Cảnh báo toàn vẹn (0)")
    expect(page.locator("#alerts")).not_to_contain_text(world.code)
    shoot(world, page, "luutru-5-alert-acknowledged")
    page.context.close()


def test_a_citizen_checks_the_signed_result_and_the_docs_need_no_cdn(world: World) -> None:
    """The login page's verify link leads to the public check, which reads the signed
    result's verdict in Vietnamese; /docs and /redoc draw from /static alone; no page is
    refused a script or style by the Content-Security-Policy."""
    assert world.facts.get("signed"), "the leader's journey downloaded the signed result"
    context = world.browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(world.base) else outside.append(r.url))
    page.goto(world.base + "/")
    page.get_by_role("link", name="Kiểm tra văn bản đã ký").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra văn bản đã ký")
    page.get_by_label("Tệp PDF đã ký").set_input_files(world.facts["signed"])
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.locator("#verify-verdict")).to_contain_text("Kết quả:", timeout=60_000)
    expect(page.locator("#verify-result")).to_contain_text("Người ký")
    shoot(world, page, "congdan-1-verify")
    page.goto(world.base + "/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("sohoa", timeout=30_000)
    page.screenshot(path=world.shots / "api-1-docs-desktop.png")  # a developer's page
    page.goto(world.base + "/redoc")
    expect(page.locator("h1").first).to_contain_text("sohoa", timeout=30_000)
    # ReDoc's attribution draws Redocly's logo from their CDN: the policy refuses it (and
    # the image hides itself); nothing else may be refused
    assert [r for r in refused if "cdn.redoc.ly/redoc/logo-mini.svg" not in r] == [], refused
    asked = [u for u in outside if not u.startswith(("data:", "blob:"))]
    assert not [u for u in asked if not any(u in r for r in refused)], outside  # or refused
    context.close()


def test_a_clerk_assigns_an_unmarked_scan_from_the_inbox(world: World, tmp_path: Path) -> None:
    """A stack scanned without its receipt on top waits in the inbox; the clerk sees its
    first page drawn by the server and files it by the dossier's code, in the browser."""
    page = world.page("canbo")
    page.get_by_label("Thủ tục hành chính").select_option("1.001193")
    page.get_by_label("Họ tên người nộp").fill("Trần Văn An")
    page.get_by_role("button", name="Tiếp nhận").click()
    code = page.get_by_role("heading", level=1).inner_text().removeprefix("Hồ sơ ").strip()
    settings = Settings(data_dir=Path(world.env["SOHOA_DATA_DIR"]))
    folder = settings.inbox_path / settings.unit_code
    folder.mkdir(parents=True, exist_ok=True)
    scan = born_digital(tmp_path, "giay_chung_sinh", seed=8)[0]
    target = folder / "may-quet-0001.pdf"
    target.write_bytes(scan.read_bytes())
    os.utime(target, (time.time() - 60, time.time() - 60))  # the scanner has finished writing
    page.get_by_role("link", name="Tệp quét chờ").click()
    row = page.locator("tr", has_text="may-quet-0001.pdf")
    _reload_until(page, row)  # `sohoa serve` took it from the folder, unasked
    expect(row.locator("img.thumb")).to_be_visible()
    shoot(world, page, "canbo-8-inbox")
    row.get_by_label("Mã hồ sơ").fill(code)
    row.get_by_role("button", name="Xếp vào hồ sơ").click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã xếp tệp vào hồ sơ {code}")
    expect(page.locator("main")).not_to_contain_text("may-quet-0001.pdf")
    page.get_by_role("link", name=code).click()
    expect(page.locator("main")).to_contain_text("may-quet-0001.pdf")
    shoot(world, page, "canbo-9-inbox-filed")
    page.context.close()


def test_a_stack_under_its_printed_receipt_files_itself(world: World, tmp_path: Path) -> None:
    """The clerk prints a new dossier's receipt and puts it on top of the papers; the
    scanner saves the stack to the unit's folder; the server files it into the dossier,
    its receipt page left out, with no one asking."""
    page = world.page("canbo")
    code = _receive(world, page, "Phạm Văn Dũng")
    receipt = _print_receipt(world, page, code)
    scan = born_digital(tmp_path, "giay_chung_sinh", seed=9)[0]
    settings = Settings(data_dir=Path(world.env["SOHOA_DATA_DIR"]))
    folder = settings.inbox_path / settings.unit_code
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / ".may-quet-0002.pdf.part"  # hidden while the scanner writes it
    with pikepdf.new() as stack:
        for source in (receipt, scan.read_bytes()):
            stack.pages.extend(pikepdf.open(io.BytesIO(source)).pages)
        stack.save(part)
    os.utime(part, (time.time() - 60, time.time() - 60))
    part.rename(folder / "may-quet-0002.pdf")
    row = page.locator("#documents tr", has_text="may-quet-0002.pdf")
    _reload_until(page, row)
    expect(_history(page).locator("li", has_text="Xếp tệp quét vào hồ sơ")).to_be_visible()
    shoot(world, page, "canbo-10-stack-filed")
    page.context.close()


CARD_SEED = 11
"""document("cccd", seed=11): Trần Thị Hoa's card, valid until 2040."""


def test_a_clerk_reuses_a_card_fixes_a_number_and_asks_for_a_supplement(
    world: World, tmp_path: Path
) -> None:
    """An applicant's ID card digitized (and signed by the clerk's key) in an earlier
    dossier serves her new dossier without a scan; on the card's page the clerk corrects
    the ID number read, and the dossier's history shows who changed it from what to what;
    the new dossier waits for a supplement, its letter printed, then goes on."""
    card = document("cccd", seed=CARD_SEED)
    id_number, name = card.fields["id_number"], card.fields["full_name"]
    page = world.page("canbo")
    earlier = _receive(world, page, name, id_number)
    page.locator("#file-input").set_input_files(born_digital(tmp_path, "cccd", seed=CARD_SEED)[0])
    expect(page.locator("#uploads")).to_contain_text("Đã lưu", timeout=30_000)
    world.worker()  # digitized, then signed as a digitization result on the sign queue
    page.reload()
    expect(page.locator("#documents .doc-status")).to_contain_text("đã số hóa", timeout=30_000)

    page.locator("#documents a").first.click()
    number = page.get_by_label("Số định danh cá nhân", exact=True)
    read = number.input_value()
    fixed = read[:-1] + ("0" if read[-1:] != "0" else "1")  # the paper's last digit
    number.fill(fixed)
    number.locator("xpath=..").get_by_role("button", name="Lưu").click()
    expect(page.get_by_label("Số định danh cá nhân", exact=True)).to_have_value(fixed)
    shoot(world, page, "canbo-11-number-fixed")
    page.get_by_role("link", name=f"← Hồ sơ {earlier}").click()
    change = _history(page).locator("li", has_text="Sửa dữ liệu trích xuất")
    expect(change).to_contain_text("canbo")
    expect(change).to_contain_text(f"Số định danh cá nhân: {read} → {fixed}")
    shoot(world, page, "canbo-12-history")

    code = _receive(world, page, name, id_number)
    reuse = page.locator("form.reuse")
    expect(reuse).to_have_count(1)
    expect(reuse.get_by_role("combobox")).to_contain_text(earlier)
    shoot(world, page, "canbo-13-reusable")
    reuse.get_by_role("button", name="Dùng lại, không quét").click()
    expect(page.get_by_role("status")).to_contain_text("Đã dùng lại kết quả số hóa")
    expect(_history(page)).to_contain_text("Dùng lại kết quả số hóa")

    page.get_by_label("Nội dung cần bổ sung").fill("thiếu giấy chứng sinh bản chính")
    page.get_by_role("button", name="Yêu cầu bổ sung").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi yêu cầu bổ sung")
    letter = _opened_pdf(world, page, page.get_by_role("link", name=re.compile("mẫu 02")))
    assert code in _pdf_text(letter), _pdf_text(letter)
    shoot(world, page, "canbo-14-supplement")
    page.get_by_role("button", name="Đã nhận hồ sơ bổ sung").click()
    expect(page.get_by_role("status")).to_contain_text("Đã nhận hồ sơ bổ sung")
    expect(_history(page).locator("li", has_text="Nhận hồ sơ bổ sung")).to_contain_text("canbo")
    shoot(world, page, "canbo-15-resumed")
    page.context.close()


def test_an_admin_adds_a_user_who_must_change_the_one_time_password(world: World) -> None:
    """The admin makes a clerk's account with a password to hand over; the clerk signs in
    with it, is sent to change it, and after the change reaches the clerk's home."""
    page = world.page("quantri")
    expect(page).to_have_url(re.compile("/admin"))
    shoot(world, page, "quantri-1-accounts")
    form = page.locator("form[action='/admin/users']")
    form.get_by_label("Tên đăng nhập").fill("canbo2")
    form.get_by_label("Họ tên").fill("Ngô Thị Mới")
    form.get_by_label("Mật khẩu (ít nhất 10 ký tự)").fill("mot-lan-thoi-123")
    form.get_by_label("Vai trò").select_option("clerk")
    form.get_by_label("Đơn vị").fill(Settings(data_dir=Path(world.env["SOHOA_DATA_DIR"])).unit_code)
    form.get_by_role("button", name="Tạo").click()
    expect(page.get_by_role("status")).to_contain_text("Đã tạo tài khoản canbo2")
    shoot(world, page, "quantri-2-added")
    page.context.close()

    newcomer = world.page("canbo2", "mot-lan-thoi-123")
    expect(newcomer).to_have_url(world.base + "/account")
    expect(newcomer.get_by_role("alert")).to_contain_text("chỉ dùng một lần")
    shoot(world, newcomer, "canbo2-1-must-change")
    newcomer.goto(world.base + "/clerk")
    expect(newcomer).to_have_url(world.base + "/account")  # no work before the change
    newcomer.get_by_label("Mật khẩu hiện tại").fill("mot-lan-thoi-123")
    newcomer.get_by_label("Mật khẩu mới (ít nhất 10 ký tự)").fill("cua-rieng-toi-456")
    newcomer.get_by_label("Nhập lại mật khẩu mới").fill("cua-rieng-toi-456")
    newcomer.get_by_role("button", name="Đổi mật khẩu").click()
    expect(newcomer.get_by_role("status")).to_contain_text("Đã đổi mật khẩu")
    newcomer.goto(world.base + "/clerk")
    expect(newcomer).to_have_url(world.base + "/clerk")
    shoot(world, newcomer, "canbo2-2-home")
    newcomer.context.close()
