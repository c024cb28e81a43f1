"""One home for the Vietnamese labels: every code the service stores and shows a person has
its label in config.labels, and no English code reaches the clerk's pages."""

from __future__ import annotations

import random
from collections.abc import Iterable
from enum import StrEnum
from typing import get_args

import pytest

from config import labels
from config.catalogue import NationalSource, get_catalogue
from config.errors import SohoaError
from config.retention import AccessRegime
from digitize import fieldnames
from digitize import fields as extraction
from digitize.quality import page_flags
from digitize.synthetic import make_document
from digitize.synthetic.templates import DOCUMENT_TYPES_WITH_TEMPLATES
from signing.verification.report import TimeSource, Verdict
from storage import enums
from storage.completeness import Verdict as Check
from storage.stats import RATE_NAMES

TABLES: list[tuple[type[StrEnum], object]] = [
    (enums.DossierStatus, labels.DOSSIER_STATES),
    (enums.DocumentStatus, labels.DOCUMENT_STATES),
    (enums.ComponentState, labels.COMPONENT_STATES),
    (enums.SignatureState, labels.SIGNATURE_STATES),
    (enums.UserRole, labels.ROLES),
    (enums.AlertKind, labels.ALERT_KINDS),
    (enums.ArchiveCopy, labels.ARCHIVE_COPIES),
    (enums.PackageStatus, labels.PACKAGE_STATES),
    (AccessRegime, labels.ACCESS_REGIMES),
    (Verdict, labels.VERDICTS),
    (TimeSource, labels.TIME_SOURCES),
    (Check, labels.CHECKS),
    (enums.DataSource, labels.DATA_SOURCES),
]


@pytest.mark.parametrize(("enum", "table"), TABLES, ids=lambda x: getattr(x, "__name__", ""))
def test_every_value_of_a_shown_enum_has_a_vietnamese_label(
    enum: type[StrEnum], table: dict[str, str]
) -> None:
    missing = {e.value for e in enum} - set(table)
    assert not missing, f"{enum.__name__} values without a label: {sorted(missing)}"
    assert all(label.strip() for label in table.values())


def test_the_catalogues_national_sources_are_the_data_sources() -> None:
    """config.catalogue.NationalSource (config imports no storage) names DataSource's values."""
    assert set(get_args(NationalSource)) == {s.value for s in enums.DataSource}


def test_rates_and_flags_have_labels() -> None:
    assert set(RATE_NAMES) == set(labels.RATES) == set(labels.RATES_SHORT)
    flags = {
        f
        for dpi in (None, 72, 300)
        for chars in (0, 500)
        for confidence in (None, 10.0, 99.0)
        for f in page_flags(dpi=dpi, chars=chars, confidence=confidence, ocr=True)
    }
    assert flags == {"low_dpi", "blank", "low_confidence"}
    assert flags | {"dpi_estimated", "ocr_failed", "render_failed"} <= set(labels.FLAGS)


def _keys_read_from_every_type() -> Iterable[str]:
    provinces = get_catalogue().provinces
    for doc_type in DOCUMENT_TYPES_WITH_TEMPLATES:
        for seed in range(3):
            doc = make_document(doc_type, random.Random(seed))
            pages = ["\n".join(line.text for line in page) for page in doc.pages]
            yield from extraction.extract_fields(pages, provinces)
            yield from doc.fields


def test_every_field_read_from_every_document_type_has_a_label() -> None:
    """GIVEN generated documents of every catalogue type WHEN their fields are extracted
    THEN each key (and each role prefix the extraction knows) reads in Vietnamese."""
    assert set(fieldnames.PERSON_ROLES) <= set(labels.PERSON_ROLES)
    keys = set(_keys_read_from_every_type())
    assert {"id_number", "child_full_name", "issue_date"} <= keys
    unlabelled = sorted(k for k in keys if labels.field(k) == k)
    assert not unlabelled, f"fields without a label: {unlabelled}"
    assert labels.field("child_full_name") == "Họ và tên (người con)"


def test_every_error_code_has_a_hint() -> None:
    hints = labels.error_hints()
    assert hints["empty_file"] == "Tệp rỗng (0 byte); hãy quét lại."
    assert all(hints.values()) and SohoaError.code in hints
    assert labels.error("no_such_code", "as recorded") == "as recorded"
