"""Settings, catalogues and the Vietnamese text conventions."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.catalogue import OTHER_TYPE, get_catalogue, load_catalogue
from config.errors import ConfigurationError, NotFound
from config.identifiers import id_number_birth, is_dossier_code, is_valid_id_number
from config.settings import Settings, get_settings
from config.text import clean_filename, fold, fold_aligned, nfc


def test_defaults_put_everything_under_the_data_directory(tmp_path: Path) -> None:
    settings = get_settings()
    assert settings.data_path == (tmp_path / "data").resolve()
    assert settings.effective_database_url == f"sqlite:///{settings.data_path / 'sohoa.db'}"
    assert settings.blob_path == settings.data_path / "blobs"
    assert settings.redis_url is None


def test_settings_come_from_sohoa_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOHOA_DATABASE_URL", "postgresql+psycopg://db/sohoa")
    monkeypatch.setenv("SOHOA_REDIS_URL", "redis://queue:6379/0")
    monkeypatch.setenv("SOHOA_AGENCY_CODE", "000.00.12.H42")
    monkeypatch.setenv("SOHOA_JOB_RETRY_INTERVALS", "[1, 2]")
    settings = Settings()
    assert settings.effective_database_url == "postgresql+psycopg://db/sohoa"
    assert settings.redis_url == "redis://queue:6379/0"
    assert settings.agency_code == "000.00.12.H42"
    assert settings.job_retry_intervals == (1, 2)


def test_a_malformed_agency_code_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOHOA_AGENCY_CODE", "H42")
    with pytest.raises(ValueError, match="agency code"):
        Settings()


def test_the_default_catalogue_has_the_domain_types_and_three_procedures() -> None:
    catalogue = get_catalogue()
    codes = {t.code for t in catalogue.document_types}
    assert {"cccd", "giay_khai_sinh", "quyet_dinh", "giay_chung_nhan_qsdd", OTHER_TYPE} <= codes
    assert len(codes) == 35
    birth = catalogue.procedure("1.001193")
    assert birth.result_type == "giay_khai_sinh"
    assert [c.type for c in birth.components if c.required] == [
        "to_khai_khai_sinh",
        "giay_chung_sinh",
        "cccd",
    ]
    assert {p.name for p in catalogue.procedures} == {
        "Đăng ký khai sinh",
        "Đăng ký thành lập hộ kinh doanh",
        "Đăng ký biến động quyền sử dụng đất do chuyển nhượng",
    }
    assert catalogue.provinces["079"] == "TP. Hồ Chí Minh"
    assert len(catalogue.provinces) == 63


def test_an_unknown_procedure_names_the_known_ones() -> None:
    with pytest.raises(NotFound, match=r"1\.001193"):
        get_catalogue().procedure("9.999999")


def test_a_catalogue_override_that_names_an_unknown_type_is_refused(tmp_path: Path) -> None:
    (tmp_path / "procedures.yaml").write_text(
        "procedures:\n  - code: '1'\n    name: x\n    processing_days: 1\n"
        "    result_type: nope\n    components: []\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigurationError, match="unknown types"):
        load_catalogue(tmp_path)


def test_folding_ignores_diacritics_d_bar_case_and_tone_placement() -> None:
    assert fold("Giấy Khai Sinh") == fold("giay khai sinh") == "giay khai sinh"
    assert fold("ĐẤT đai") == "dat dai"
    assert fold("hòa") == fold("hoà") == fold("HOA")
    assert fold("thủy") == fold("thuỷ")


def test_aligned_folding_keeps_positions() -> None:
    text = nfc("Ngày sinh: 12/03/1985, Đồng Tháp")
    folded = fold_aligned(text)
    assert len(folded) == len(text)
    assert text[folded.index("dong thap") :] == "Đồng Tháp"


def test_text_is_stored_as_nfc() -> None:
    decomposed = "Nguye\u0302\u0303n"
    assert nfc(decomposed) == "Nguyễn"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\scans\\to khai.pdf", "to khai.pdf"),
        ("bad\x00name\x1b.pdf", "bad_name_.pdf"),
        ("Giấy khai sinh.pdf", "Giấy khai sinh.pdf"),
        ("..", "unnamed"),
    ],
)
def test_file_names_are_cleaned_to_a_label(raw: str, clean: str) -> None:
    assert clean_filename(raw) == clean


def test_dossier_codes_follow_the_national_format() -> None:
    assert is_dossier_code("000.00.12.H42-250314-0012")
    assert not is_dossier_code("000.00.12.H42-251314-0012")  # month 13
    assert not is_dossier_code("00.00.12.H42-250314-0012")


def test_id_numbers_carry_province_century_and_sex() -> None:
    provinces = get_catalogue().provinces
    assert id_number_birth("036185000123") == (1985, "nữ")
    assert id_number_birth("079205000001") == (2005, "nam")
    assert is_valid_id_number("036185000123", provinces)
    assert not is_valid_id_number("003185000123", provinces)  # no province 003
    assert not is_valid_id_number("036785000123", provinces)  # no century digit 7
