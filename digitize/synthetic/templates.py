"""The template registry: make_document(doc_type, rng) for every type in the catalogue."""

from __future__ import annotations

import random
from collections.abc import Callable

from config.catalogue import OTHER_TYPE
from digitize.synthetic.case import Case, random_case
from digitize.synthetic.document import SyntheticDocument
from digitize.synthetic.people import Person
from digitize.synthetic.templates_birth import giay_chung_sinh, giay_khai_sinh, to_khai_khai_sinh
from digitize.synthetic.templates_card import cccd
from digitize.synthetic.templates_decision import quyet_dinh
from digitize.synthetic.templates_family import (
    giay_bao_tu,
    giay_chung_nhan_ket_hon,
    to_khai_ket_hon,
    to_khai_khai_tu,
    xac_nhan_tinh_trang_hon_nhan,
)
from digitize.synthetic.templates_land import (
    don_dang_ky_dat_dai,
    giay_chung_nhan_qsdd,
    hop_dong_chuyen_nhuong_qsdd,
)
from digitize.synthetic.templates_office import (
    de_nghi_dang_ky_ho_kinh_doanh,
    giay_chung_nhan_ho_kinh_doanh,
    giay_tiep_nhan_ho_so,
)
from digitize.synthetic.templates_other import OTHER_KINDS, make_other_document
from digitize.synthetic.templates_personal import ban_sao_chung_thuc, giay_uy_quyen, so_yeu_ly_lich

Template = Callable[[Case, random.Random], SyntheticDocument]

TEMPLATES: dict[str, Template] = {
    "to_khai_khai_sinh": to_khai_khai_sinh,
    "giay_chung_sinh": giay_chung_sinh,
    "giay_khai_sinh": giay_khai_sinh,
    "cccd": cccd,
    "to_khai_ket_hon": to_khai_ket_hon,
    "giay_chung_nhan_ket_hon": giay_chung_nhan_ket_hon,
    "xac_nhan_tinh_trang_hon_nhan": xac_nhan_tinh_trang_hon_nhan,
    "to_khai_khai_tu": to_khai_khai_tu,
    "giay_bao_tu": giay_bao_tu,
    "de_nghi_dang_ky_ho_kinh_doanh": de_nghi_dang_ky_ho_kinh_doanh,
    "giay_chung_nhan_ho_kinh_doanh": giay_chung_nhan_ho_kinh_doanh,
    "don_dang_ky_dat_dai": don_dang_ky_dat_dai,
    "giay_chung_nhan_qsdd": giay_chung_nhan_qsdd,
    "hop_dong_chuyen_nhuong_qsdd": hop_dong_chuyen_nhuong_qsdd,
    "giay_uy_quyen": giay_uy_quyen,
    "so_yeu_ly_lich": so_yeu_ly_lich,
    "ban_sao_chung_thuc": ban_sao_chung_thuc,
    "giay_tiep_nhan_ho_so": giay_tiep_nhan_ho_so,
    "quyet_dinh": quyet_dinh,
}
"""One template per catalogue type except "khac" (see templates_other for those)."""

DOCUMENT_TYPES_WITH_TEMPLATES: tuple[str, ...] = tuple(TEMPLATES)
"""Catalogue codes make_document can generate."""

OTHER_KIND_NAMES: tuple[str, ...] = tuple(sorted(OTHER_KINDS))
"""Kinds of unseen ("khac") documents make_other_document can generate."""


def make_document(
    doc_type: str, rng: random.Random, person: Person | None = None, *, case: Case | None = None
) -> SyntheticDocument:
    """A random document of a catalogue type about a person (random when not given).

    Ground-truth fields, named as the product's schema says (digitize.fieldnames):
    full_name, id_number and date_of_birth describe the person the
    document is about: the applicant on forms (tờ khai, đề nghị, đơn, giấy ủy quyền,
    receipts, a contract's first party, the ID card's holder), the registered person on
    certificates (the child on a birth certificate, the deceased on a death notice, the
    mother on a medical birth certificate). Other people carry a prefix: child_, spouse_,
    mother_, father_, deceased_, agent_, counterparty_. Dates are ISO yyyy-mm-dd.

    Pass one case to several calls to make documents that agree with each other, as the
    components of one dossier do; person is then ignored in favour of case.applicant.
    doc_type "khac" makes a random unseen kind (see make_other_document).
    """
    case = case or random_case(rng, person)
    if doc_type == OTHER_TYPE:
        return make_other_document(rng, case=case)
    try:
        template = TEMPLATES[doc_type]
    except KeyError:
        known = ", ".join(DOCUMENT_TYPES_WITH_TEMPLATES)
        raise ValueError(f"no template for document type {doc_type!r} (known: {known})") from None
    return template(case, rng)


__all__ = [
    "DOCUMENT_TYPES_WITH_TEMPLATES",
    "OTHER_KIND_NAMES",
    "TEMPLATES",
    "make_document",
    "make_other_document",
]
