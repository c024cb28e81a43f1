"""Preprocessing on generated scans: each step does what it claims, measured, not assumed."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest
from PIL import Image

from digitize.preprocess.binarize import (
    BAND_ROWS,
    binarize,
    ink_level,
)
from digitize.preprocess.images import glyphs, otsu_ink, scaled
from digitize.preprocess.leaders import leader_boxes
from digitize.preprocess.noise import grain
from digitize.preprocess.options import PreprocessOptions
from digitize.preprocess.prepare import prepare_page
from digitize.reading_order import WordBox, reading_order
from digitize.synthetic import Degradation, apply, default_family, make_document, render_document

DPI = 200


def _page(doc_type: str = "quyet_dinh", seed: int = 3) -> np.ndarray:
    doc = make_document(doc_type, random.Random(seed))
    return np.asarray(render_document(doc, default_family(), dpi=DPI)[0].convert("L"))


def _damaged(page: np.ndarray, **damage: object) -> np.ndarray:
    image = Image.fromarray(page)
    image.info["dpi"] = (DPI, DPI)
    return np.asarray(apply(image, Degradation(level="custom", seed=1, **damage)).convert("L"))  # type: ignore[arg-type]


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize("skew", [-4.6, 0.0, 2.3])
def test_pages_come_out_upright_and_straight(rotation: int, skew: float) -> None:
    scan = _damaged(_page(), rotation=rotation, skew=skew)
    prepared = prepare_page(scan, DPI, PreprocessOptions())
    assert prepared.rotation == (360 - rotation) % 360
    assert prepared.skew == pytest.approx(skew, abs=0.15)


def test_a_shadowed_bordered_page_is_evened_out_and_its_border_cleared() -> None:
    clean = _page()
    scan = _damaged(clean, shadow=0.45, shadow_angle=30.0, border_mm=8.0, border_sides="tl")
    prepared = prepare_page(scan, DPI, PreprocessOptions())
    assert {"borders", "lighting"} <= set(prepared.steps)
    height, width = prepared.image.shape
    assert (
        prepared.image[: height // 20, : width // 20].mean() > 240
    )  # the dark corner is paper now
    ink_before = otsu_ink(clean).mean()
    ink_after = otsu_ink(prepared.image).mean()
    assert ink_after == pytest.approx(ink_before, rel=0.25)  # text kept, shadow not read as ink


def test_a_clean_straight_page_is_left_as_it_is() -> None:
    clean = _page("giay_uy_quyen")
    prepared = prepare_page(clean, DPI, PreprocessOptions())
    assert prepared.steps in (("otsu",), ("leaders", "otsu"))
    assert prepared.rotation == 0 and prepared.skew == 0.0
    grey = prepare_page(clean, DPI, PreprocessOptions(grey_clean=True))
    assert grey.steps in ((), ("leaders",))
    if not grey.steps:
        assert np.array_equal(grey.image, clean)


def test_switched_off_steps_are_not_applied() -> None:
    scan = _damaged(_page(), rotation=180, skew=3.0, noise=12.0)
    off = PreprocessOptions(
        orientation=False,
        deskew=False,
        borders=False,
        lighting=False,
        leaders=False,
        denoise=False,
        upscale=False,
        binarize=False,
    )
    prepared = prepare_page(scan, DPI, off)
    assert (prepared.rotation, prepared.skew, prepared.steps) == (0, 0.0, ())
    assert np.array_equal(prepared.image, scan)


def test_grain_is_measured_only_where_there_is_some() -> None:
    clean = _page()
    assert grain(clean) < 1.0
    assert grain(_damaged(clean, noise=10.0)) > 4.0


def test_each_page_is_thresholded_as_it_calls_for() -> None:
    clean = _page()
    faded = np.clip(255 - (255 - clean.astype(np.float32)) * 0.35, 0, 255).astype(np.uint8)
    grainy = _damaged(clean, noise=10.0)
    assert binarize(clean, denoise=True, grey_clean=True)[1] is None
    assert binarize(clean, denoise=True)[1] == "otsu"
    left, method = binarize(faded, denoise=True)
    assert method is None and left is faded
    assert binarize(grainy, denoise=True)[1] == "denoise+otsu"
    black_white, _ = binarize(grainy, denoise=False)
    assert binarize(grainy, denoise=False)[1] == "otsu"
    assert set(np.unique(black_white)) == {0, 255}
    assert otsu_ink(clean).mean() == pytest.approx((black_white == 0).mean(), rel=0.3)


def _ink_median(gray: np.ndarray) -> float:
    """The median of the pixels Otsu calls ink, as numpy computes it from the pixels."""
    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = gray[gray < threshold]
    return float(np.median(ink)) if ink.size else 255.0


def test_the_ink_level_is_the_median_of_the_ink_pixels() -> None:
    clean = _page()
    faded = np.clip(255 - (255 - clean.astype(np.float32)) * 0.35, 0, 255).astype(np.uint8)
    rng = np.random.default_rng(5)
    pages = [
        clean,
        faded,
        _damaged(clean, noise=10.0),
        np.resize(faded, (BAND_ROWS * 2 + 9, 40)),
    ]
    pages += [rng.integers(0, 256, size=(s, s + 1), dtype=np.uint8) for s in (1, 2, 3, 50, 301)]
    pages += [np.full((30, 30), 255, np.uint8), np.full((30, 30), 7, np.uint8)]
    for gray in pages:
        assert ink_level(gray) == _ink_median(gray)
    assert len({ink_level(g) for g in pages}) > 5


def _leader_count(doc_type: str, seed: int) -> tuple[int, int]:
    doc = make_document(doc_type, random.Random(seed))
    printed = sum(1 for line in doc.pages[0] if line.leader)
    page = np.asarray(render_document(doc, default_family(), dpi=300)[0].convert("L"))
    small = scaled(page, 1 / 3)
    found = leader_boxes(glyphs(otsu_ink(small)), np.array([[1.0, 0, 0], [0, 1.0, 0]]), 100)
    return printed, len(found)


def test_dotted_leaders_are_found_and_nothing_else() -> None:
    printed, found = _leader_count("to_khai_khai_sinh", 0)
    assert printed > 5 and found >= printed - 2
    printed, found = _leader_count("to_khai_khai_sinh", 11)  # a form typed without leaders
    assert (printed, found) == (0, 0)


def _line(text: str, x: float, y: float) -> list[WordBox]:
    """Words as a typeset line places them: 7 units a letter, 4 between words, 12 high."""
    words = []
    for word in text.split():
        words.append(WordBox(word, x, y, x + 7 * len(word), y + 12))
        x += 7 * len(word) + 4
    return words


def test_side_by_side_blocks_are_read_one_after_the_other() -> None:
    words = [
        *_line("UBND HUYỆN HÒA CHÂU", 0, 0),
        *_line("CỘNG HÒA XÃ HỘI", 250, 0),
        *_line("ỦY BAN NHÂN DÂN", 0, 16),
        *_line("Độc lập - Tự do", 250, 16),
        *_line("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", 100, 60),
        *_line("NGƯỜI KHAI", 0, 100),
        *_line("CHỦ TỊCH", 250, 100),
        *_line("(Ký, ghi rõ)", 0, 116),
        *_line("(Ký, ghi rõ)", 250, 116),
        *_line("Lê Văn An", 0, 180),
        *_line("Trần Thị Bình", 250, 180),
    ]
    assert reading_order(words).split("\n") == [
        "UBND HUYỆN HÒA CHÂU",
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI",
        "Độc lập - Tự do",
        "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",
        "NGƯỜI KHAI",
        "(Ký, ghi rõ)",
        "Lê Văn An",
        "CHỦ TỊCH",
        "(Ký, ghi rõ)",
        "Trần Thị Bình",
    ]


def test_fields_of_one_line_and_wrapped_lines_keep_their_order() -> None:
    words = [
        *_line("Giới tính: Nam", 0, 0),
        *_line("Dân tộc: Kinh", 160, 0),
        *_line("Nơi cư trú: Số 12 đường Lạc Long Quân, phường Nghĩa", 0, 16),
        *_line("Nghề nghiệp: Viên chức", 0, 32),
        *_line("Chỗ ở: phường Hòa Thịnh, thành phố", 180, 32),
        *_line("tỉnh Bình Định", 0, 48),
    ]
    assert reading_order(words).split("\n") == [
        "Giới tính: Nam Dân tộc: Kinh",
        "Nơi cư trú: Số 12 đường Lạc Long Quân, phường Nghĩa",
        "Nghề nghiệp: Viên chức Chỗ ở: phường Hòa Thịnh, thành phố",
        "tỉnh Bình Định",
    ]


def test_a_letter_spaced_title_on_two_lines_is_not_read_as_columns() -> None:
    def spaced(text: str, x: float, y: float) -> list[WordBox]:
        words, at = [], x
        for word in text.split():
            words.append(WordBox(word, at, y, at + 9 * len(word), y + 14))
            at += 9 * len(word) + 22  # letter spacing widens every gap alike
        return words

    words = [*spaced("TỜ KHAI ĐĂNG KÝ", 100, 0), *spaced("KHAI SINH", 150, 20)]
    assert reading_order(words).split("\n") == ["TỜ KHAI ĐĂNG KÝ", "KHAI SINH"]


def test_header_blocks_on_different_baselines_with_a_narrow_gutter_are_read_apart() -> None:
    # The agency's name wraps beside the motto: its lines fall between the motto's, and the
    # gutter left where its longest line nearly meets the dateline is under a word high.
    words = [
        *_line("SỞ Y TẾ THÀNH", 0, 0),
        *_line("CỘNG HÒA XÃ HỘI", 140, 0),
        *_line("ĐÀ NẴNG", 20, 16),
        *_line("Độc lập - Tự do", 150, 16),
        *_line("TRUNG TÂM Y TẾ HUYỆN", 5, 26),  # ends at 133, the dateline starts at 140
        *_line("Đà Nẵng, ngày 16", 140, 38),
        *_line("Số: 807/GBT", 10, 50),
        *_line("GIẤY BÁO TỬ VÀ HỒ SƠ KÈM THEO", 30, 80),
    ]
    assert reading_order(words).split("\n") == [
        "SỞ Y TẾ THÀNH",
        "ĐÀ NẴNG",
        "TRUNG TÂM Y TẾ HUYỆN",
        "Số: 807/GBT",
        "CỘNG HÒA XÃ HỘI",
        "Độc lập - Tự do",
        "Đà Nẵng, ngày 16",
        "GIẤY BÁO TỬ VÀ HỒ SƠ KÈM THEO",
    ]


def test_a_paragraph_end_above_a_signature_block_stays_before_it() -> None:
    words = [
        *_line("chịu trách nhiệm thi hành Quyết định này./.", 0, 0),
        *_line("Nơi nhận:", 0, 16),
        *_line("CHỦ TỊCH", 250, 16),
        *_line("- Như Điều 3;", 0, 32),
        *_line("- Lưu: VT;", 0, 48),
        *_line("Nguyễn Thị Huyền", 236, 80),
    ]
    assert reading_order(words).split("\n") == [
        "chịu trách nhiệm thi hành Quyết định này./.",
        "Nơi nhận:",
        "- Như Điều 3;",
        "- Lưu: VT;",
        "CHỦ TỊCH",
        "Nguyễn Thị Huyền",
    ]
