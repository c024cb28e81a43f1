"""The benchmark's error measures count what they say they count."""

from __future__ import annotations

from bench.metrics import cer, word_error, words_missed


def test_word_error_is_the_share_of_printed_words_the_reading_lacks() -> None:
    truth = "Căn cứ Luật Tổ chức chính quyền địa phương"
    assert word_error(truth, truth) == 0.0
    assert word_error("Căn cứ Luật To chức chính quyền địa phương", truth) == 1 / 9
    assert word_error("", truth) == 1.0


def test_word_measures_ignore_order_and_punctuation() -> None:
    truth = "Số: 11/TB-UBND\nQuảng Ngãi, ngày 08 tháng 01"
    read = "Quảng Ngãi, ngày 08 tháng 01\nSố: 11 /TB-UBND"
    assert word_error(read, truth) == words_missed(read, truth) == 0.0
    assert cer(read, truth) > 0.3


def test_words_read_but_never_printed_count_as_errors_but_not_as_missed() -> None:
    truth = "Quảng Ngãi, ngày 08 tháng 01"
    read = "Quảng Ngãi, ngày 08 tháng 01 Ký bởi: Văn phòng"
    assert words_missed(read, truth) == 0.0
    assert word_error(read, truth) == 4 / 6


def test_a_repeated_word_must_be_read_as_often_as_it_is_printed() -> None:
    assert word_error("đất", "đất đất") == 0.5


def test_tone_marks_and_decomposed_forms() -> None:
    assert word_error("tinh", "tỉnh") == 1.0
    assert word_error("ti\u0309nh", "tỉnh") == 0.0
